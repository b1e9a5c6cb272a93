"""Chaos: 30 Standard executions on real workers while processes die and Redis goes away.

Real processes, real faults: an ASGI server and the two Celery workers of
``make worker`` (advancing + calls, under ``stateyard_worker.supervisor``) on
PostgreSQL, with every Redis connection going through a TCP proxy
(``tcp_proxy``). While the executions run (Pass, Map of Python function
Tasks, Wait, Task):

* the call worker dies once right after it committed a Task's answer and
  before it dispatched the execution (the ``task-answered`` fault point);
* the advancing worker's main process is SIGKILLed once;
* Redis disappears for a few seconds (every connection dropped, new ones
  refused), and executions are started through the API meanwhile;
* PostgreSQL drops every connection of the workers and the web server, again
  and again for a second.

Then: every execution SUCCEEDED with the right output, none is lost, every
history is whole (event ids 1..n, no repeats), no Task ran twice unless the
process running it died before its answer was committed, and the supervisor
restarted exactly the two processes that were killed (the outages killed
nobody). The figures are printed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Max, Min

from designer.models import Execution, ExecutionEvent, Membership, Role, Team, Workflow
from designer.services.tokens import token_create
from tests.designer.processes import (
    REPO,
    asgi_server,
    child_env,
    flush_broker,
    free_port,
    wait_for,
)
from tests.designer.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

EXECUTIONS = 30
DURING_OUTAGE = 4
FUNCTION = "arn:aws:lambda:us-east-1:000000000000:function:chaos-count"


def call(state: str, **extra: Any) -> dict[str, Any]:
    payload = {
        "execution.$": "$$.Execution.Name",
        "state.$": "$$.State.Name",
        "attempt.$": "$$.State.RetryCount",
        **extra,
    }
    return {"Type": "Task", "Resource": FUNCTION, "Parameters": payload}


EACH = {"value.$": "$.value", "item.$": "$.index"}
DEFINITION = {
    "StartAt": "Init",
    "States": {
        "Init": {"Type": "Pass", "Parameters": {"items": [1, 2, 3], "n.$": "$.n"}, "Next": "Fan"},
        "Fan": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 3,
            "ItemSelector": {"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Each",
                "States": {
                    "Each": {**call("Each", **EACH), "End": True},
                },
            },
            "ResultPath": "$.fan",
            "Next": "Nap",
        },
        "Nap": {"Type": "Wait", "Seconds": 1, "Next": "Last"},
        "Last": {**call("Last", **{"value.$": "$.n"}), "ResultPath": "$.last", "Next": "Done"},
        "Done": {
            "Type": "Pass",
            "Parameters": {"fan.$": "$.fan", "last.$": "$.last.seen"},
            "End": True,
        },
    },
}


def expected_output(n: int) -> dict[str, Any]:
    return {"fan": [{"seen": 1}, {"seen": 2}, {"seen": 3}], "last": n}


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text())
    except (FileNotFoundError, ValueError):
        return None


class Supervised:
    """``make worker``'s two workers under the supervisor, talking to Redis through a proxy."""

    def __init__(self, tmp: Path, redis_url: str) -> None:
        self.tmp = tmp
        self.log = tmp / "workers.log"
        celery = [sys.executable, "-m", "celery", "-A", "stateyard", "worker", "--loglevel=INFO"]
        common = ["--without-gossip", "--without-mingle"]
        advance = [
            *celery,
            *common,
            "--queues=celery",
            "--pool=prefork",
            "--concurrency=2",
            "--beat",
            f"--schedule={tmp / 'beat'}",
            "--hostname=advance@%h",
        ]
        calls = [
            *celery,
            *common,
            "--queues=calls",
            "--pool=threads",
            "--concurrency=8",
            "--hostname=calls@%h",
        ]
        env = child_env(
            REDIS_URL=redis_url,
            PGAPPNAME=CHAOS_APP,
            STATEYARD_SWEEP_SECONDS="1",
            STATEYARD_SWEEP_GRACE_SECONDS="1",
            STATEYARD_CALL_LEASE_SECONDS="8",  # renewed every second, even on a busy machine
            STATEYARD_CALL_RENEW_SECONDS="1",
            STATEYARD_CALL_START_GRACE_SECONDS="3",
            STATEYARD_FAULTS="task-answered",
            STATEYARD_FAULT_DIR=str(tmp),
            STATEYARD_CHAOS_CALLS=str(tmp / "calls.jsonl"),
            STATEYARD_FUNCTION_MODULES="stateyard_functions.examples,tests.designer.chaos_functions",
        )
        handle = self.log.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "stateyard_worker.supervisor",
                "advance=" + subprocess.list2cmdline(advance),
                "calls=" + subprocess.list2cmdline(calls),
                "--backoff=0.5",
                "--grace=10",
                f"--pid-dir={tmp}",
            ],
            cwd=REPO,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def pid(self, name: str) -> int | None:
        return read_pid(self.tmp / f"{name}.pid")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def restarts(self) -> Counter[str]:
        text = self.log.read_text(errors="replace")
        return Counter(
            line.split("] ", 1)[1].split(" exited", 1)[0]
            for line in text.splitlines()
            if "/supervisor] " in line and " exited with " in line
        )


CHAOS_APP = "stateyard-chaos"
"""The web server's and workers' PostgreSQL application name: only their connections are cut,
never the test process's own (a later test in this process would get a dead connection)."""


def cut_database_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = %s",
            [CHAOS_APP],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def history_gaps(execution: Execution) -> list[str]:
    rows = ExecutionEvent.objects.filter(execution=execution)
    stats = rows.aggregate(n=Count("id"), first=Min("event_id"), last=Max("event_id"))
    problems = []
    if (stats["first"], stats["last"]) != (1, stats["n"]) or stats["n"] != execution.event_count:
        problems.append(f"{execution.name}: events {stats} vs event_count {execution.event_count}")
    if rows.values("event_id").distinct().count() != stats["n"]:
        problems.append(f"{execution.name}: repeated event ids")
    return problems


def test_chaos_nothing_lost_nothing_twice(tmp_path: Path) -> None:
    flush_broker()
    user = get_user_model().objects.create_user("chaos", password="x")
    team = Team.objects.create(name="Chaos", slug="chaos")
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    workflow = Workflow.objects.create(team=team, name="chaos", definition=DEFINITION)
    _, token = token_create(user, "chaos")
    database = settings.REDIS_URL.rsplit("/", 1)[1]
    began = time.monotonic()
    phases: dict[str, float] = {}
    with TcpProxy("127.0.0.1", 6379) as proxy:
        redis_url = proxy.url(database)
        workers = Supervised(tmp_path, redis_url)
        port = free_port()
        try:
            # starts run their first slice as in production (the suite's default is 0)
            with asgi_server(
                tmp_path / "web.log",
                port,
                REDIS_URL=redis_url,
                PGAPPNAME=CHAOS_APP,
                STATEYARD_START_SLICE_SECONDS="0.02",
            ):
                session = httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30)
                url = f"http://127.0.0.1:{port}/api/workflows/{workflow.pk}/executions/"

                def start(index: int) -> int:
                    body = {"input": {"n": index}, "name": f"chaos-{index:02d}"}
                    return session.post(url, json=body).status_code

                answers = [start(i) for i in range(EXECUTIONS - DURING_OUTAGE)]
                phases["started"] = time.monotonic() - began

                def finished() -> int:
                    runs = Execution.objects.filter(workflow=workflow)
                    return runs.exclude(status="RUNNING").count()

                # the call worker dies after its first committed answer (fault point)
                wait_for(lambda: (tmp_path / "fault-task-answered").exists(), timeout=60)
                phases["call worker died"] = time.monotonic() - began
                # the advancing worker's main process is killed in the middle of the run
                wait_for(lambda: finished() >= 3, timeout=60)
                advance_pid = workers.pid("advance")
                assert advance_pid is not None
                os.kill(advance_pid, signal.SIGKILL)
                phases["advancing worker killed"] = time.monotonic() - began
                wait_for(lambda: workers.pid("advance") not in (None, advance_pid), timeout=30)
                # Redis goes away for a few seconds; starts meanwhile still answer 201
                wait_for(lambda: finished() >= 8, timeout=60)
                restore = proxy.outage(4, wait=False)
                phases["redis cut"] = time.monotonic() - began
                answers += [start(i) for i in range(EXECUTIONS - DURING_OUTAGE, EXECUTIONS)]
                assert restore is not None
                restore.join()
                # PostgreSQL drops every other connection for a second (as in a restart):
                # workers open one per task, so keep cutting what opens meanwhile
                wait_for(lambda: finished() >= 15, timeout=60)
                cut, until = 0, time.monotonic() + 1.0
                while time.monotonic() < until:
                    cut += cut_database_connections()
                    time.sleep(0.02)
                phases["postgres cut"] = time.monotonic() - began
                wait_for(lambda: finished() == EXECUTIONS, timeout=90, every=0.25)
        finally:
            workers.stop()
    elapsed = time.monotonic() - began

    executions = list(Execution.objects.filter(workflow=workflow).order_by("name"))
    succeeded = [e for e in executions if e.status == "SUCCEEDED"]
    wrong = [e.name for e in succeeded if e.output != expected_output(int(e.name[-2:]))]
    gaps = [problem for e in executions for problem in history_gaps(e)]
    killed_pid = read_pid(tmp_path / "fault-task-answered")
    calls: dict[str, list[tuple[int, int]]] = {}
    for line in (tmp_path / "calls.jsonl").read_text().splitlines():
        key, pid, ppid = json.loads(line)
        calls.setdefault(json.dumps(key), []).append((pid, ppid))
    duplicated = sum(len(ran) - 1 for ran in calls.values())
    # a repeat is allowed only when an earlier run was in the process that died
    must_not = sum(
        len(ran) - 1
        for ran in calls.values()
        if len(ran) > 1 and not any(killed_pid in pair for pair in ran[:-1])
    )
    restarts = workers.restarts()
    figures = {
        "started": answers.count(201),
        "finished": len(succeeded),
        "lost": EXECUTIONS - len(executions) + sum(e.status == "RUNNING" for e in executions),
        "failed": sum(e.status not in ("SUCCEEDED", "RUNNING") for e in executions),
        "function calls": sum(len(ran) for ran in calls.values()),
        "duplicated": duplicated,
        "duplicated where it must not": must_not,
        "restarts": dict(restarts),
        "proxy outages": proxy.outages,
        "database connections cut": cut,
        "seconds": round(elapsed, 1),
        "at": {name: round(at, 1) for name, at in phases.items()},
    }
    print("\nchaos figures:", json.dumps(figures))
    assert answers == [201] * EXECUTIONS
    assert figures["finished"] == EXECUTIONS and figures["lost"] == 0, figures
    assert wrong == [] and gaps == []
    assert len(calls) == EXECUTIONS * 4  # three Map items and the last Task, each ran
    assert must_not == 0, figures
    assert restarts == Counter({"advance": 1, "calls": 1}), figures  # the outage killed nobody
