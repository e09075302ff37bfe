"""Airflow DAG: shoal's nightly rebuild, one task per stage so a failure shows where it happened.

Every task runs `shoal <stage>` through deploy/spark-submit.sh; stages skip nothing here (Airflow decides what
runs), and the final `run` task is incremental: it finds every stage unchanged, then publishes the model and the
report atomically. Set the Airflow Variables shoal_home (the checkout) and shoal_master (e.g. yarn).
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.operators.bash import BashOperator

STAGES = ["simulate", "expand", "augment", "contrasts", "train", "infer", "evaluate"]
HOME = "{{ var.value.shoal_home }}"
SUBMIT = HOME + "/deploy/spark-submit.sh --master {{ var.value.shoal_master }}"
CONF = "--conf " + HOME + "/conf/nightly.conf"

with DAG(
    dag_id="shoal_nightly",
    schedule="30 2 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=10)},
    tags=["shoal"],
) as dag:
    previous = None
    for stage in STAGES:
        task = BashOperator(task_id=stage, bash_command=f"{SUBMIT} {stage} {CONF}")
        if previous is not None:
            previous >> task
        previous = task
    publish = BashOperator(task_id="publish", bash_command=f"{SUBMIT} run {CONF}")
    previous >> publish
