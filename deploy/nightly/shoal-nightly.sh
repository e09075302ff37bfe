#!/usr/bin/env bash
# The nightly rebuild on one host: the whole pipeline, incremental (unchanged stages are skipped) and published
# atomically (work/published/latest.json moves only when every stage succeeded). Non-zero exit on failure.
#   SHOAL_HOME   the shoal checkout (default: two folders up from this script)
#   SHOAL_CONF   the job configuration (default: $SHOAL_HOME/conf/nightly.conf)
set -euo pipefail
home="${SHOAL_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
conf="${SHOAL_CONF:-$home/conf/nightly.conf}"
cd "$home"
echo "shoal nightly $(date -u +%Y-%m-%dT%H:%M:%SZ) with $conf"
exec bin/shoal run --conf "$conf"
