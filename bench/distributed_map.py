"""Benchmark: a Distributed Map of 100,000 items on real workers (Celery, Redis, PostgreSQL, S3).

Run from the repository root::

    .venv/bin/python bench/distributed_map.py               # 100,000 items, both children
    .venv/bin/python bench/distributed_map.py --items 2000  # a smaller run

It sets itself up: drops and recreates the PostgreSQL database
``stateyard_bench_dmap``, flushes its Redis database, starts moto's S3 server,
an ASGI server (the "web" process, which the benchmark polls for the Map Run's
progress every second, as the studio's Map Run view does) and the workers, and
stops them all at the end, on error too. The items are a JSON Lines object of
``--items`` lines read through an ``ItemReader``; the Map has ``MaxConcurrency``
1,000, Express children and a ``ResultWriter`` (the results of 100,000 children
do not fit the 256 KiB payload: they go to S3, as on AWS).

For each child (a Pass state; a Task calling the ``sleep-ms`` Python function for
10 ms) and each number of worker processes running the children (1, then 2 call
workers of 8 threads; one advancing worker coordinates the run), it prints items
per second, the peak memory (``VmHWM``) of the web process and of each worker
process, the peak PSS of a call worker with its warm function processes (forked
from it, so most pages are shared: PSS counts a shared page once), and the
parent's event count. Baselines in the same run: the
in-process engine (``engine.run``) running the same Map inline on the same items
(ratio durable/in-process), and 1 worker process against 2 (ratio 2/1).

Exit status: 0, or 1 if a run did not succeed with every item written, a process
died, or something timed out.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_BENCH_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _BENCH_DIR.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH_DIR]
sys.path.insert(0, str(_REPO_ROOT))

from bench.runtime_support import (  # noqa: E402
    BenchFailure,
    Config,
    Process,
    Stack,
    flush_redis,
    free_port,
    port_open,
    recreate_database,
    terminate_on_sigterm,
    wait_for,
)

DB_NAME = "stateyard_bench_dmap"
BUCKET = "bench-items"
SLEEP = "arn:aws:lambda:us-east-1:000000000000:function:sleep-ms"
CHILDREN = {
    "pass": {"Work": {"Type": "Pass", "Parameters": {"n.$": "$.n"}, "End": True}},
    "function-10ms": {
        "Work": {
            "Type": "Task",
            "Resource": SLEEP,
            "Parameters": {"ms": 10, "n.$": "$.n"},
            "End": True,
        }
    },
}


CELERY = [
    sys.executable,
    "-m",
    "celery",
    "-A",
    "stateyard",
    "worker",
    "--loglevel=WARNING",
    "--without-gossip",
    "--without-mingle",
    "--without-heartbeat",
]


def definition(child: dict[str, Any]) -> dict[str, Any]:
    return {
        "StartAt": "Fan",
        "States": {
            "Fan": {
                "Type": "Map",
                "MaxConcurrency": 1000,
                "ItemReader": {
                    "Resource": "arn:aws:states:::s3:getObject",
                    "Parameters": {"Bucket": BUCKET, "Key": "items.jsonl"},
                    "ReaderConfig": {"InputType": "JSONL"},
                },
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                    "StartAt": "Work",
                    "States": child,
                },
                "ResultWriter": {
                    "Resource": "arn:aws:states:::s3:putObject",
                    "Parameters": {"Bucket": BUCKET, "Prefix": "results"},
                },
                "End": True,
            }
        },
    }


# ---- memory ------------------------------------------------------------------------


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                text = (task / "children").read_text()
                todo.extend(int(p) for p in text.split())
        except OSError:
            continue
    return pids


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _hwm_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Peak:
    """The largest peak RSS seen in a process tree (sampled: pool children come and go)."""

    def __init__(self, process: Process) -> None:
        self.process = process
        self.per_process = 0
        self.total = 0  # the largest PSS of the whole tree seen (shared pages counted once)

    def sample(self) -> None:
        pids = _tree(self.process.popen.pid)
        self.per_process = max([self.per_process, *(_hwm_kib(p) for p in pids)])
        self.total = max(self.total, sum(_pss_kib(p) for p in pids))


# ---- one run -----------------------------------------------------------------------


def seed(config: Config, items: int, s3_url: str) -> dict[str, str]:
    """Items in S3, a user, a team, its S3 connection, the workflows, an API token."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_url,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    client.create_bucket(Bucket=BUCKET)
    body = "".join(json.dumps({"n": i}) + "\n" for i in range(items)).encode()
    client.put_object(Bucket=BUCKET, Key="items.jsonl", Body=body)

    from django.contrib.auth import get_user_model

    from designer.models import Membership, Team, Workflow
    from designer.services.connections import connection_create
    from designer.services.tokens import token_create

    user = get_user_model().objects.create_user("bench", password="bench-password")
    team = Team.objects.create(name="Bench", slug="bench")
    Membership.objects.create(team=team, user=user, role="owner")
    auth = {
        "endpoint_url": s3_url,
        "region": "us-east-1",
        "access_key_id": "bench",
        "secret_access_key": "bench",
    }
    connection_create(actor=user, team_slug="bench", name="s3", auth_type="S3", auth=auth)
    ids = {
        name: str(
            Workflow.objects.create(team=team, name=f"dmap-{name}", definition=definition(child)).pk
        )
        for name, child in CHILDREN.items()
    }
    ids["token"] = token_create(user, "bench")[1]
    return ids


def run_once(
    stack: Stack, seeded: dict[str, str], child: str, workers: int, port: int, web: Peak, items: int
) -> dict[str, Any]:
    import httpx

    from designer.models import Execution, MapRun

    advance = stack._start(
        f"advance-{child}-{workers}",
        [
            *CELERY,
            "--queues=celery",
            "--concurrency=1",
            "--pool=prefork",
            "--beat",
            f"--schedule={stack.logs / f'beat-{child}-{workers}'}",
            f"--hostname=advance-{child}-{workers}@%h",
        ],
    )
    callers = [
        stack._start(
            f"calls-{child}-{workers}-{n}",
            [
                *CELERY,
                "--queues=calls",
                "--pool=threads",
                "--concurrency=8",
                f"--hostname=calls-{child}-{workers}-{n}@%h",
            ],
        )
        for n in range(workers)
    ]
    peak = Peak(advance)
    call_peaks = [Peak(c) for c in callers]
    headers = {"Authorization": f"Bearer {seeded['token']}"}
    url = f"http://127.0.0.1:{port}/api/workflows/{seeded[child]}/executions/"
    time.sleep(3)  # the worker connects
    began = time.time()
    response = httpx.post(url, json={"input": {}}, headers=headers, timeout=30)
    if response.status_code != 201:
        raise BenchFailure(f"start failed: {response.status_code} {response.text[:500]}")
    execution_id = response.json()["id"]
    polls = 0
    while True:
        execution = Execution.objects.get(pk=execution_id)
        if execution.status != "RUNNING":
            break
        stack.check_alive()
        run = MapRun.objects.filter(execution_id=execution_id).first()
        if run is not None:
            described = httpx.get(
                f"http://127.0.0.1:{port}/api/map-runs/{run.pk}/", headers=headers, timeout=30
            )
            polls += described.status_code == 200
        peak.sample()
        for one in call_peaks:
            one.sample()
        web.sample()
        if time.time() - began > 7200:
            raise BenchFailure("the run took more than two hours")
        time.sleep(1.0)
    peak.sample()
    web.sample()
    for one in call_peaks:
        one.sample()
    elapsed = (execution.stop_date.timestamp() if execution.stop_date else time.time()) - began
    if execution.status != "SUCCEEDED":
        raise BenchFailure(
            f"{child} x{workers}: {execution.status} {execution.error} {execution.cause}"
        )
    run = MapRun.objects.get(execution_id=execution_id)
    if run.results_written != items:
        raise BenchFailure(f"{child} x{workers}: {run.results_written} results of {items}")
    for process in (advance, *callers):
        process.stop()
        stack.processes.remove(process)
    return {
        "child": child,
        "workers": workers,
        "seconds": elapsed,
        "items_per_second": items / elapsed,
        "advance_peak_mib": peak.per_process / 1024,
        "worker_peak_mib": max(c.per_process for c in call_peaks) / 1024,
        "worker_tree_peak_mib": max(c.total for c in call_peaks) / 1024,
        "parent_events": execution.event_count,
        "polls": polls,
    }


def _line(row: dict[str, Any]) -> str:
    return (
        f"{row['child']:>14} x{row['workers']} worker process(es): "
        f"{row['items_per_second']:8.1f} items/s ({row['seconds']:.1f} s), "
        f"worker peak {row['worker_peak_mib']:.0f} MiB per process "
        f"({row['worker_tree_peak_mib']:.0f} MiB PSS with its function processes; coordinator "
        f"{row['advance_peak_mib']:.0f} MiB), parent events {row['parent_events']}"
    )


def in_process_baseline(items: int, child: str) -> float:
    """Items/s of ``engine.run`` running the same Map inline, 10,000 items a run."""
    import engine

    inline = definition(CHILDREN[child])
    fan = inline["States"]["Fan"]
    del fan["ItemReader"], fan["ResultWriter"]
    fan["ItemsPath"] = "$.items"
    fan["ItemProcessor"]["ProcessorConfig"] = {"Mode": "INLINE"}
    fan["ResultSelector"] = {"count.$": "States.ArrayLength($)"}
    chunk = 10_000  # the results of one run must fit the 256 KiB payload (no history bound)
    machine = engine.parse(inline)
    began = time.perf_counter()
    for first in range(0, items, chunk):
        batch = [{"n": i} for i in range(first, min(first + chunk, items))]
        result = engine.run(machine, {"items": batch}, max_events=None)
        if result.status != "SUCCEEDED":
            raise BenchFailure(f"in-process baseline: {result.status} {result.error}")
    return items / (time.perf_counter() - began)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--children", default="pass,function-10ms")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379")
    parser.add_argument("--redis-db", type=int, default=13)
    args = parser.parse_args()
    terminate_on_sigterm()
    config = Config(args.pg, DB_NAME, args.redis, args.redis_db)
    import os

    os.environ.update(config.env())
    os.environ["STATEYARD_FUNCTION_MODULES"] = "stateyard_functions.timing"
    recreate_database(config)
    flush_redis(config)
    import django

    django.setup()
    logs = Path(tempfile.mkdtemp(prefix="stateyard-dmap-bench-"))
    stack = Stack(config, logs)
    rows: list[dict[str, Any]] = []
    try:
        s3_port = free_port()
        moto = stack._start(
            "moto",
            [
                str(Path(sys.executable).with_name("moto_server")),
                "-H",
                "127.0.0.1",
                "-p",
                str(s3_port),
            ],
        )
        wait_for(lambda: port_open(s3_port), 30, "the S3 server", moto)
        seeded = seed(config, args.items, f"http://127.0.0.1:{s3_port}")
        port = free_port()
        server = stack.start_server(port)
        stack.wait_server_ready(server, port)
        web = Peak(server)
        for child in args.children.split(","):
            for workers in (int(w) for w in args.workers.split(",")):
                row = run_once(stack, seeded, child, workers, port, web, args.items)
                rows.append(row)
                print(_line(row), flush=True)
        baseline = in_process_baseline(args.items, "pass")
        print(f"\nin-process engine.run, same Map inline (Pass): {baseline:.0f} items/s")
        for child in args.children.split(","):
            mine = {r["workers"]: r for r in rows if r["child"] == child}
            if 1 in mine and 2 in mine:
                ratio = mine[2]["items_per_second"] / mine[1]["items_per_second"]
                print(f"{child}: 2 worker processes / 1 = {ratio:.2f}")
            for workers, row in sorted(mine.items()):
                print(
                    f"{child} x{workers}: durable / in-process = "
                    f"{row['items_per_second'] / baseline:.4f}"
                )
        print(f"web process peak: {web.per_process / 1024:.0f} MiB")
    except BenchFailure as failure:
        print(f"FAILED: {failure}\n{stack.tails()}", file=sys.stderr)
        return 1
    finally:
        stack.stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
