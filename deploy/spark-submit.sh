#!/usr/bin/env bash
# Submit any shoal job (or `run`, the whole pipeline) with spark-submit.
#   deploy/spark-submit.sh [--master URL] [--properties FILE] JOB [shoal options...]
# Examples:
#   deploy/spark-submit.sh --master yarn simulate --conf conf/demo.conf -Dshoal.work-dir=hdfs:///shoal
#   deploy/spark-submit.sh --master 'local[*]' --properties conf/spark/local.properties run
# Build the cluster jar (Spark left out, the cluster provides it) with: mvn -Pcluster package -DskipTests
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
master="${SPARK_MASTER:-yarn}"
properties="$here/conf/spark/cluster.properties"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --master) master="$2"; shift 2 ;;
    --properties) properties="$2"; shift 2 ;;
    *) break ;;
  esac
done
[[ $# -ge 1 ]] || { sed -n '2,9p' "$0" >&2; exit 2; }
jar="$(ls "$here"/jobs/target/shoal-jobs-*-all.jar 2>/dev/null | head -n 1 || true)"
[[ -n "$jar" ]] || { echo "no shaded jar: run 'mvn -Pcluster package -DskipTests' first" >&2; exit 2; }
command -v spark-submit >/dev/null || { echo "spark-submit is not on PATH (install Spark 3.5 / Scala 2.12)" >&2; exit 2; }
exec spark-submit --master "$master" --properties-file "$properties" \
  --class org.shoal.jobs.Shoal "$jar" "$@"
