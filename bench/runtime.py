"""Benchmark: the durable runtime end to end (Celery + Redis + PostgreSQL, uvicorn, websockets).

Run from the repository root::

    .venv/bin/python bench/runtime.py            # full sizes (under 3 minutes)
    .venv/bin/python bench/runtime.py --quick    # small sizes, a smoke check (under 40 s)

It sets itself up: drops and recreates the PostgreSQL database ``stateyard_bench``
(``manage.py migrate``), flushes Redis database 12, seeds a user, a team, an API
token and the workflows, starts real processes (``celery -A stateyard worker``
with one prefork process each, ``uvicorn stateyard.asgi:application``) and stops
them all at the end, on error too. Every process runs the production settings
(``stateyard.settings``, DEBUG off). It measures, each against a baseline taken
in the same run:

1. Standard transitions/s: K executions of a Pass/Choice loop (``choice_loop``
   of ``bench/workloads.py``, 201 transitions each) are stored, then all
   dispatched at once; the clock runs from the first dispatch to the last
   execution's ``stop_date``. Transitions are the ``*StateEntered`` rows in the
   database. With 1 worker process, then 2 (ratio 2/1), and the in-memory
   ``engine.run`` on the same definition (ratio durable/in-memory).
2. Express synchronous latency: ``POST /api/workflows/<id>/executions/sync/``
   with a Bearer token, N sequential requests after a warm-up, p50/p99;
   baseline: an authenticated ``GET /api/executions/<id>/`` on the same server,
   interleaved with the POSTs.
3. Commit-to-websocket latency: a websocket on ``/ws/executions/<id>/?token=``
   watches a Standard execution with several ``Wait`` 1 s states advanced by a
   Celery worker. The commit time of each event is observed in the database: a
   thread polls the execution's ``event_count`` (updated in the same
   transaction as the event rows) about every millisecond, so each commit is
   known to lie between the start of the last poll that did not see it and the
   end of the first that did; the midpoint is used and the window printed.
   The latency from the event's own timestamp (the engine's clock at the step,
   a little before the commit) is printed too, as an upper bound.

Exit status: 0, or 1 if any execution did not succeed with the expected output
and transition count, a process died, or something timed out: a broken runtime
never produces a number.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

# Run as ``python bench/runtime.py`` Python puts bench/ first on sys.path, where
# bench/engine.py would shadow the ``engine`` package: put the repository root first.
_BENCH_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _BENCH_DIR.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH_DIR]
sys.path.insert(0, str(_REPO_ROOT))

from bench import workloads  # noqa: E402
from bench.cpu_meter import CpuMeter, describe, per_start  # noqa: E402
from bench.runtime_support import (  # noqa: E402
    BenchFailure,
    Config,
    Stack,
    flush_redis,
    free_port,
    percentile,
    recreate_database,
    terminate_on_sigterm,
    wait_for,
)
from bench.workloads import Workload  # noqa: E402

DB_NAME = "stateyard_bench"
REDIS_DB = 12
LOOP_SIZE = 100
"""choice_loop size: 2 x 100 + 1 = 201 transitions per execution."""
EXPRESS_LOOP_SIZE = 5
"""The Express workflow: choice_loop of 5 (11 transitions), a small synchronous job."""
RUN_TIMEOUT = 120.0
WEB_WORKERS = 2
"""uvicorn processes: one per core of the 2-core machines the figures come from."""


@dataclass(frozen=True)
class Sizes:
    executions: int  # K Standard executions per batch
    repeats: int  # batches per worker count (best kept)
    requests: int  # N Express sync requests (and N GETs)
    warmup: int  # warm-up requests of each kind
    ws_runs: int  # Standard executions watched over a websocket
    waits: int  # Wait 1 s states in each
    start_seconds: float  # how long each StartExecution phase (1, 4, 16 clients) runs


FULL = Sizes(
    executions=20, repeats=5, requests=200, warmup=20, ws_runs=3, waits=4, start_seconds=5.0
)
QUICK = Sizes(executions=8, repeats=1, requests=40, warmup=5, ws_runs=1, waits=2, start_seconds=1.5)
START_CLIENTS = (1, 4, 16)
START_DEFINITION = {
    "StartAt": "Echo",
    "States": {"Echo": {"Type": "Pass", "Parameters": {"seen.$": "$.n"}, "End": True}},
}
"""What the StartExecution benchmark starts: one Pass, so the output proves it ran."""


# --------------------------------------------------------------------------- Django


def setup_django(config: Config) -> None:
    os.environ.update(config.env())
    import django

    django.setup()


@dataclass
class Seeded:
    user: Any
    token: str
    loop: Any  # Standard Pass/Choice loop
    express: Any  # Express Pass/Choice loop
    waits: Any  # Standard Pass/Wait chain
    starter: Any  # Standard single Pass (the StartExecution benchmark)


def waits_definition(waits: int) -> dict[str, Any]:
    """Pass, then ``waits`` times (Wait 1 s, Pass): events commit about once a second."""
    states: dict[str, Any] = {}
    for index in range(waits + 1):
        last = index == waits
        step: dict[str, Any] = {"Type": "Pass", "Result": index, "ResultPath": f"$.step{index}"}
        if last:
            step["End"] = True
        else:
            step["Next"] = f"Wait{index}"
            states[f"Wait{index}"] = {"Type": "Wait", "Seconds": 1, "Next": f"Step{index + 1}"}
        states[f"Step{index}"] = step
    return {"StartAt": "Step0", "States": states}


def waits_output(waits: int) -> dict[str, Any]:
    return {f"step{index}": index for index in range(waits + 1)}


def seed(loop: Workload, express: Workload, waits: int) -> Seeded:
    from django.contrib.auth import get_user_model

    from designer.models import Membership, Role, Team, Workflow, WorkflowType
    from designer.services.tokens import token_create

    user = get_user_model().objects.create_user("bench", password=uuid.uuid4().hex)
    team = Team.objects.create(name="Bench", slug="bench")
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    _, token = token_create(user, "bench")
    return Seeded(
        user=user,
        token=token,
        loop=Workflow.objects.create(team=team, name="loop", definition=loop.definition),
        express=Workflow.objects.create(
            team=team, name="express", type=WorkflowType.EXPRESS, definition=express.definition
        ),
        waits=Workflow.objects.create(team=team, name="waits", definition=waits_definition(waits)),
        starter=Workflow.objects.create(team=team, name="starter", definition=START_DEFINITION),
    )


_names = iter(range(1, 1_000_000))


def create_executions(seeded: Seeded, workflow: Any, input_value: Any, count: int) -> list[Any]:
    """Store ``count`` Standard executions without dispatching them (the clock is not running)."""
    from designer.services.executions import execution_start

    return [
        execution_start(
            seeded.user, workflow.pk, input_value, name=f"run-{next(_names)}", dispatch=False
        )[0].pk
        for _ in range(count)
    ]


def dispatch(execution_ids: list[Any]) -> None:
    from designer.runtime.dispatch import execution_dispatch

    for execution_id in execution_ids:
        execution_dispatch(execution_id)


def wait_finished(execution_ids: list[Any], stack: Stack, timeout: float = RUN_TIMEOUT) -> None:
    from designer.models import Execution, ExecutionStatus

    def done() -> bool:
        stack.check_alive()
        running = Execution.objects.filter(pk__in=execution_ids, status=ExecutionStatus.RUNNING)
        return not running.exists()

    # the clock stops at the stop_date recorded in the database, not at this poll
    wait_for(done, timeout, f"{len(execution_ids)} executions to finish", every=0.05)


def check_executions(
    execution_ids: list[Any], expected_output: Any, expected_transitions: int
) -> list[datetime]:
    """Raise unless every execution succeeded as expected; return their stop dates."""
    from designer.models import Execution, ExecutionEvent

    stops: list[datetime] = []
    for row in Execution.objects.filter(pk__in=execution_ids).values(
        "name", "status", "output", "error", "cause", "stop_date"
    ):
        if row["status"] != "SUCCEEDED":
            raise BenchFailure(
                f"execution {row['name']} {row['status']}: {row['error']}: {row['cause']}"
            )
        if row["output"] != expected_output:
            raise BenchFailure(f"execution {row['name']} output {json.dumps(row['output'])[:200]}")
        if row["stop_date"] is None:
            raise BenchFailure(f"execution {row['name']} succeeded without a stop_date")
        stops.append(row["stop_date"])
    if len(stops) != len(execution_ids):
        raise BenchFailure(f"{len(execution_ids) - len(stops)} executions are missing")
    entered = ExecutionEvent.objects.filter(
        execution_id__in=execution_ids, type__endswith="StateEntered"
    ).count()
    if entered != expected_transitions * len(execution_ids):
        raise BenchFailure(
            f"{entered} states entered, expected {expected_transitions} x {len(execution_ids)}"
        )
    return stops


# --------------------------------------------------------------------------- 1. throughput


@dataclass
class Throughput:
    transitions: int = 0
    seconds: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.transitions / min(self.seconds) if self.seconds else 0.0


def standard_batch(seeded: Seeded, workload: Workload, count: int, stack: Stack) -> float:
    """Seconds from dispatching ``count`` executions to the last one's stop_date."""
    ids = create_executions(seeded, seeded.loop, workload.input, count)
    began = time.time()
    dispatch(ids)
    wait_finished(ids, stack)
    stops = check_executions(ids, workload.expected_output, workload.expected_transitions)
    return max(stop.timestamp() for stop in stops) - began


def measure_throughput(
    seeded: Seeded, workload: Workload, sizes: Sizes, stack: Stack, workers: int
) -> Throughput:
    # warm-up: every worker's first task opens its database connection and parses
    # the definition; a batch of a few executions per worker gets that out of the way
    standard_batch(seeded, workload, 2 * workers, stack)
    result = Throughput(transitions=sizes.executions * workload.expected_transitions)
    for _ in range(sizes.repeats):
        result.seconds.append(standard_batch(seeded, workload, sizes.executions, stack))
    return result


def in_memory_rate(workload: Workload) -> float:
    import engine
    from bench.engine import measure_ours

    measured = measure_ours(engine, workload, repeats=5)
    if not measured.ok:
        raise BenchFailure(f"engine.run failed the workload: {measured.error}")
    return measured.rate


# --------------------------------------------------------------------------- 2. Express sync


@dataclass
class Latencies:
    samples: list[float] = field(default_factory=list)  # seconds

    def ms(self, p: float) -> float:
        return percentile(self.samples, p) * 1000

    @property
    def max_ms(self) -> float:
        return max(self.samples) * 1000


def measure_express(
    seeded: Seeded, workload: Workload, sizes: Sizes, port: int
) -> tuple[Latencies, Latencies]:
    import httpx

    sync_path = f"/api/workflows/{seeded.express.pk}/executions/sync/"
    body = {"input": workload.input}
    posts, gets = Latencies(), Latencies()
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}",
        headers={"Authorization": f"Bearer {seeded.token}"},
        timeout=30,
    ) as client:

        def post() -> tuple[float, str]:
            began = time.perf_counter()
            response = client.post(sync_path, json=body)
            elapsed = time.perf_counter() - began
            if response.status_code != 200:
                raise BenchFailure(f"sync start: HTTP {response.status_code}: {response.text}")
            execution = response.json()["execution"]
            if execution["status"] != "SUCCEEDED" or execution["output"] != (
                workload.expected_output
            ):
                raise BenchFailure(f"sync execution did not succeed: {json.dumps(execution)}")
            if execution["event_count"] < workload.expected_transitions:
                raise BenchFailure(f"sync execution has {execution['event_count']} events")
            return elapsed, str(execution["id"])

        _, detail_id = post()
        detail_path = f"/api/executions/{detail_id}/"

        def get() -> float:
            began = time.perf_counter()
            response = client.get(detail_path)
            elapsed = time.perf_counter() - began
            if response.status_code != 200 or response.json()["id"] != detail_id:
                raise BenchFailure(f"GET execution: HTTP {response.status_code}: {response.text}")
            return elapsed

        for _ in range(sizes.warmup):
            post()
            get()
        for _ in range(sizes.requests):  # interleaved, so both see the same conditions
            posts.samples.append(post()[0])
            gets.samples.append(get())
    return posts, gets


# --------------------------------------------------------------------------- 2b. StartExecution


@dataclass
class StartPhase:
    clients: int
    seconds: float = 0.0
    latencies: Latencies = field(default_factory=Latencies)
    finished_after: float = 0.0  # seconds from the phase's end until every execution finished
    cpu: dict[str, float] = field(default_factory=dict)  # CPU ms per start in each part

    @property
    def rate(self) -> float:
        return len(self.latencies.samples) / self.seconds if self.seconds else 0.0


def measure_bare_get(seeded: Seeded, port: int, detail_id: str, count: int) -> Latencies:
    """An authenticated ``GET /api/executions/<id>/``, one client, sequential."""
    import httpx

    result = Latencies()
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}",
        headers={"Authorization": f"Bearer {seeded.token}"},
        timeout=30,
    ) as client:
        for index in range(count + count // 10):
            began = time.perf_counter()
            response = client.get(f"/api/executions/{detail_id}/")
            elapsed = time.perf_counter() - began
            if response.status_code != 200 or response.json()["id"] != detail_id:
                raise BenchFailure(f"GET execution: HTTP {response.status_code}: {response.text}")
            if index >= count // 10:  # the first tenth warms up
                result.samples.append(elapsed)
    return result


def start_phase(
    seeded: Seeded, port: int, clients: int, seconds: float, stack: Stack, meter: CpuMeter
) -> StartPhase:
    """``clients`` threads, each with its own keep-alive client, start executions for
    ``seconds``; then every started execution must finish with its own input echoed.

    The CPU each part of the stack used is read when the clock starts, when it stops
    (the web server and the clients are done then) and once every execution finished
    (the workers, PostgreSQL and Redis)."""
    import httpx

    path = f"/api/workflows/{seeded.starter.pk}/executions/"
    phase = StartPhase(clients)
    started: list[tuple[str, int]] = []
    errors: list[str] = []
    lock = threading.Lock()
    go = threading.Barrier(clients + 1)
    stop_at = [float("inf")]  # set once every client is connected
    counter = iter(range(1, 10**9))

    def client_loop() -> None:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            headers={"Authorization": f"Bearer {seeded.token}"},
            timeout=30,
        ) as client:
            client.get("/api/executions/?limit=1")  # connect before the clock starts
            go.wait()
            while time.perf_counter() < stop_at[0]:
                with lock:
                    n = next(counter)
                began = time.perf_counter()
                response = client.post(path, json={"input": {"n": n}})
                elapsed = time.perf_counter() - began
                if response.status_code != 201:
                    with lock:
                        errors.append(f"HTTP {response.status_code}: {response.text[:300]}")
                    return
                with lock:
                    phase.latencies.samples.append(elapsed)
                    started.append((response.json()["id"], n))

    threads = [threading.Thread(target=client_loop, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    go.wait()
    cpu_began = meter.read()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    for thread in threads:
        thread.join(seconds + 60)
    phase.seconds = time.perf_counter() - began
    cpu_served = meter.read()
    if errors:
        raise BenchFailure(f"start with {clients} clients: {errors[0]}")
    if not started:
        raise BenchFailure(f"start with {clients} clients: no execution started")
    ended = time.perf_counter()
    ids = [execution_id for execution_id, _ in started]
    wait_finished(ids, stack, timeout=RUN_TIMEOUT + len(ids) / 20)
    phase.finished_after = time.perf_counter() - ended
    cpu_finished = meter.read()
    check_started(started)
    count = len(started)
    served = per_start(cpu_began, cpu_served, count)
    finished = per_start(cpu_began, cpu_finished, count)
    phase.cpu = {
        "web": served["web"],
        "client": served["client"],
        "workers": finished["workers"],
        "postgres": finished["postgres"],
        "redis": finished["redis"],
    }
    return phase


def detail_execution(seeded: Seeded, stack: Stack) -> Any:
    """The execution the bare GET reads: stored, dispatched and finished like any other
    (left undispatched, it stayed RUNNING and failed the final check of a full run)."""
    [detail_id] = create_executions(seeded, seeded.starter, {"n": 0}, 1)
    dispatch([detail_id])
    wait_finished([detail_id], stack)
    return detail_id


def check_started(started: list[tuple[str, int]]) -> None:
    """Every started execution exists once, succeeded, and echoed its own input."""
    from designer.models import Execution

    expected = dict(started)
    if len(expected) != len(started):
        raise BenchFailure("two starts returned the same execution")
    rows = Execution.objects.filter(pk__in=list(expected)).values_list("id", "status", "output")
    seen = 0
    for execution_id, status, output in rows:
        seen += 1
        if status != "SUCCEEDED" or output != {"seen": expected[str(execution_id)]}:
            raise BenchFailure(f"started execution {execution_id}: {status}, output {output}")
    if seen != len(expected):
        raise BenchFailure(f"{len(expected) - seen} started executions are missing")


def check_idempotent_start(seeded: Seeded, port: int) -> None:
    """The same name and input twice: one execution (201 then 200); another input: 409."""
    import httpx

    path = f"/api/workflows/{seeded.starter.pk}/executions/"
    body = {"name": f"same-{uuid.uuid4().hex[:8]}", "input": {"n": 0}}
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}",
        headers={"Authorization": f"Bearer {seeded.token}"},
        timeout=30,
    ) as client:
        first = client.post(path, json=body)
        again = client.post(path, json=body)
        other = client.post(path, json={**body, "input": {"n": 1}})
    if first.status_code != 201 or again.status_code not in (200, 409):
        raise BenchFailure(f"idempotent start: HTTP {first.status_code}, {again.status_code}")
    if again.status_code == 200 and again.json()["id"] != first.json()["id"]:
        raise BenchFailure("idempotent start: the same name started a second execution")
    if other.status_code != 409:
        raise BenchFailure(f"a reused name with another input: HTTP {other.status_code}")


def measure_starts(
    seeded: Seeded, sizes: Sizes, port: int, stack: Stack, detail_id: str, meter: CpuMeter
) -> tuple[Latencies, list[StartPhase]]:
    check_idempotent_start(seeded, port)
    start_phase(seeded, port, 4, min(1.0, sizes.start_seconds), stack, meter)  # warm-up
    gets = measure_bare_get(seeded, port, detail_id, sizes.requests)
    phases = []
    for clients in START_CLIENTS:
        phase = start_phase(seeded, port, clients, sizes.start_seconds, stack, meter)
        print(
            f"  start, {clients} clients: {phase.rate:,.0f}/s, p50 {phase.latencies.ms(50):.1f} ms"
            f"; {describe(phase.cpu)}",
            flush=True,
        )
        phases.append(phase)
    return gets, phases


# --------------------------------------------------------------------------- 3. websocket


class CommitPoller(threading.Thread):
    """Polls an execution's committed ``event_count`` about every millisecond.

    For each event id it records (lo, hi): the commit that made it visible came
    after ``lo`` (the start of the last poll that did not see it; a READ
    COMMITTED statement's snapshot is taken after it starts) and before ``hi``
    (the end of the first poll that did).
    """

    def __init__(self, database_url: str, execution_id: Any) -> None:
        super().__init__(daemon=True, name="commit-poller")
        import psycopg

        self._conn = psycopg.connect(database_url, autocommit=True)
        self._execution_id = str(execution_id)
        self.windows: dict[int, tuple[float, float]] = {}
        self.primed = threading.Event()
        self.halt = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        query = "SELECT event_count FROM designer_execution WHERE id = %s::uuid"
        seen = 0
        previous_start: float | None = None
        try:
            with self._conn.cursor() as cursor:
                while not self.halt.is_set():
                    start = time.time()
                    cursor.execute(query, (self._execution_id,))
                    row = cursor.fetchone()
                    end = time.time()
                    count = int(row[0]) if row else 0
                    if count > seen:
                        lo = previous_start if previous_start is not None else start
                        for event_id in range(seen + 1, count + 1):
                            self.windows[event_id] = (lo, end)
                        seen = count
                    previous_start = start
                    self.primed.set()
                    self.halt.wait(0.001)
        except BaseException as exc:
            self.error = exc
            self.primed.set()
        finally:
            self._conn.close()


@dataclass
class WebsocketResult:
    commit: Latencies = field(default_factory=Latencies)  # receive - commit (midpoint)
    stamp: Latencies = field(default_factory=Latencies)  # receive - event timestamp
    windows: list[float] = field(default_factory=list)  # commit window widths (s)
    commits: int = 0


async def watch(url: str, origin: str, start: Any) -> list[tuple[float, int, str]]:
    """Connect, start the execution, and return (receive time, id, type) of every event."""
    import websockets

    received: list[tuple[float, int, str]] = []
    async with websockets.connect(
        url, additional_headers={"Origin": origin}, open_timeout=10
    ) as ws:
        # connected: the consumer joined the group and sent the (empty) backlog
        await asyncio.to_thread(start)
        while True:
            raw = await asyncio.wait_for(ws.recv(), timeout=30)
            now = time.time()
            message = json.loads(raw)
            if message.get("type") != "event":
                continue
            event = message["event"]
            received.append((now, int(event["id"]), str(event["type"])))
            if event["type"].startswith("Execution") and event["type"] != "ExecutionStarted":
                return received


def measure_websocket(
    seeded: Seeded, config: Config, sizes: Sizes, port: int, stack: Stack
) -> WebsocketResult:
    from designer.models import Execution, ExecutionEvent

    result = WebsocketResult()
    origin = f"http://127.0.0.1:{port}"
    for _ in range(sizes.ws_runs):
        [execution_id] = create_executions(seeded, seeded.waits, {}, 1)
        poller = CommitPoller(config.database_url, execution_id)
        poller.start()
        poller.primed.wait(10)
        try:
            url = f"ws://127.0.0.1:{port}/ws/executions/{execution_id}/?token={seeded.token}"
            received = asyncio.run(watch(url, origin, functools.partial(dispatch, [execution_id])))
        finally:
            poller.halt.set()
            poller.join(10)
        if poller.error is not None:
            raise BenchFailure(f"commit poller failed: {poller.error!r}")
        wait_finished([execution_id], stack)
        check_executions([execution_id], waits_output(sizes.waits), 2 * sizes.waits + 1)
        execution = Execution.objects.get(pk=execution_id)
        ids = [event_id for _, event_id, _ in received]
        if ids != list(range(1, execution.event_count + 1)):
            raise BenchFailure(f"websocket events {ids}, expected 1..{execution.event_count}")
        stamps = {
            row.event_id: row.timestamp.timestamp()
            for row in ExecutionEvent.objects.filter(execution_id=execution_id)
        }
        result.commits += execution.sequence
        for at, event_id, _ in received:
            if event_id not in poller.windows:
                raise BenchFailure(f"event {event_id} was never seen committed")
            lo, hi = poller.windows[event_id]
            result.commit.samples.append(at - (lo + hi) / 2)
            result.windows.append(hi - lo)
            result.stamp.samples.append(at - stamps[event_id])
    return result


# --------------------------------------------------------------------------- report


def rate(value: float) -> str:
    return f"{value:,.0f}/s"


def start_lines(gets: Latencies, phases: list[StartPhase], web_workers: int) -> list[str]:
    lines = [
        f"start: {phase.clients} clients {phase.rate:.0f} starts/s over {phase.seconds:.1f} s, "
        f"p50 {phase.latencies.ms(50):.1f} ms, p99 {phase.latencies.ms(99):.1f} ms; "
        f"all {len(phase.latencies.samples)} succeeded {phase.finished_after:.1f} s later; "
        f"{describe(phase.cpu)}"
        for phase in phases
    ]
    lines.append(
        f"start: bare authenticated GET p50 {gets.ms(50):.1f} ms, p99 {gets.ms(99):.1f} ms "
        f"(1 client, {len(gets.samples)} requests); {web_workers} uvicorn processes"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke check")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379", help="Redis server")
    parser.add_argument("--db", default=DB_NAME, help="the database to drop and recreate")
    parser.add_argument("--redis-db", type=int, default=REDIS_DB, help="the Redis db to flush")
    parser.add_argument(
        "--web-workers", type=int, default=WEB_WORKERS, help="uvicorn worker processes"
    )
    parser.add_argument(
        "--only-starts", action="store_true", help="measure StartExecution only (faster)"
    )
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    config = Config(args.pg, args.db, args.redis, args.redis_db)
    terminate_on_sigterm()
    began = time.monotonic()
    logs = Path(tempfile.mkdtemp(prefix="stateyard-bench-"))
    loop = workloads.choice_loop(LOOP_SIZE)
    express = workloads.choice_loop(EXPRESS_LOOP_SIZE)

    print(
        f"runtime benchmark ({'quick' if args.quick else 'full'}): database {args.db}, "
        f"{config.redis_url}, logs in {logs}",
        flush=True,
    )
    recreate_database(config)
    flush_redis(config)
    setup_django(config)
    seeded = seed(loop, express, sizes.waits)

    stack = Stack(config, logs)
    try:
        port = free_port()
        server = stack.start_server(port, workers=args.web_workers)
        meter = CpuMeter(stack, config.database_url, args.db)
        first = stack.start_worker("worker1")
        stack.wait_server_ready(server, port)
        stack.wait_worker_ready(first)
        if args.only_starts:
            second = stack.start_worker("worker2")
            stack.wait_worker_ready(second)
            detail_id = detail_execution(seeded, stack)
            start_gets, start_phases = measure_starts(
                seeded, sizes, port, stack, str(detail_id), meter
            )
            stack.check_alive()
            print()
            for line in start_lines(start_gets, start_phases, args.web_workers):
                print(line)
            return 0

        engine_rate = in_memory_rate(loop)
        one = measure_throughput(seeded, loop, sizes, stack, workers=1)
        print(f"  standard, 1 worker: {rate(one.rate)}", flush=True)
        second = stack.start_worker("worker2")
        stack.wait_worker_ready(second)
        two = measure_throughput(seeded, loop, sizes, stack, workers=2)
        print(f"  standard, 2 workers: {rate(two.rate)}", flush=True)

        posts, gets = measure_express(seeded, express, sizes, port)
        print(f"  express sync: p50 {posts.ms(50):.1f} ms", flush=True)
        detail_id = detail_execution(seeded, stack)
        start_gets, start_phases = measure_starts(seeded, sizes, port, stack, str(detail_id), meter)
        live = measure_websocket(seeded, config, sizes, port, stack)
        stack.check_alive()
    except BenchFailure as failure:
        print(f"\nFAILED: {failure}\n\n{stack.tails()}", file=sys.stderr)
        return 1
    finally:
        stack.stop_all()

    from designer.models import Execution

    broken = Execution.objects.exclude(status="SUCCEEDED").count()
    if broken:
        print(f"FAILED: {broken} executions did not succeed", file=sys.stderr)
        return 1

    k, per = sizes.executions, loop.expected_transitions
    rows = [
        (
            "standard, 1 worker process",
            rate(one.rate),
            f"engine.run {rate(engine_rate)}",
            f"{one.rate / engine_rate:.4f}x",
        ),
        (
            "standard, 2 worker processes",
            rate(two.rate),
            f"1 worker {rate(one.rate)}",
            f"{two.rate / one.rate:.2f}x",
        ),
        (
            "express sync POST p50 / p99",
            f"{posts.ms(50):.1f} / {posts.ms(99):.1f} ms",
            f"GET {gets.ms(50):.1f} / {gets.ms(99):.1f} ms",
            f"{posts.ms(50) / gets.ms(50):.2f}x / {posts.ms(99) / gets.ms(99):.2f}x",
        ),
        *(
            (
                f"start, {phase.clients} client{'s' if phase.clients > 1 else ''} p50 / p99",
                f"{phase.rate:,.0f}/s {phase.latencies.ms(50):.1f} / "
                f"{phase.latencies.ms(99):.1f} ms",
                f"GET {start_gets.ms(50):.1f} / {start_gets.ms(99):.1f} ms",
                f"{phase.latencies.ms(50) / start_gets.ms(50):.2f}x / "
                f"{phase.latencies.ms(99) / start_gets.ms(99):.2f}x",
            )
            for phase in start_phases
        ),
        (
            "commit -> websocket p50 / p99 / max",
            f"{live.commit.ms(50):.1f} / {live.commit.ms(99):.1f} / {live.commit.max_ms:.1f} ms",
            "-",
            "-",
        ),
    ]
    print()
    widths = [38, 28, 24, 16]
    header = ("measurement", "result", "baseline", "ratio")
    print("".join(f"{h:<{w}}" for h, w in zip(header, widths, strict=True)))
    print("-" * sum(widths))
    for row in rows:
        print("".join(f"{c:<{w}}" for c, w in zip(row, widths, strict=True)))
    print()
    window = sum(live.windows) / len(live.windows) * 1000
    print(
        f"standard: 1 worker {one.rate:.0f} transitions/s, 2 workers {two.rate:.0f}/s, "
        f"ratio {two.rate / one.rate:.2f}x; in-memory engine.run {engine_rate:.0f}/s, "
        f"durable/in-memory {one.rate / engine_rate:.4f}x "
        f"({k} executions x {per} transitions, best of {sizes.repeats})"
    )
    print(
        f"express sync: p50 {posts.ms(50):.1f} ms, p99 {posts.ms(99):.1f} ms over "
        f"{sizes.requests} requests ({express.expected_transitions} transitions each); "
        f"GET execution p50 {gets.ms(50):.1f} ms, p99 {gets.ms(99):.1f} ms; "
        f"ratio p50 {posts.ms(50) / gets.ms(50):.2f}x, p99 {posts.ms(99) / gets.ms(99):.2f}x"
    )
    print(
        f"websocket: commit -> receive p50 {live.commit.ms(50):.1f} ms, "
        f"p99 {live.commit.ms(99):.1f} ms, max {live.commit.max_ms:.1f} ms over "
        f"{len(live.commit.samples)} events in {live.commits} commits "
        f"(commit seen in the database within a {window:.1f} ms window on average); "
        f"from the event timestamp p50 {live.stamp.ms(50):.1f} ms, "
        f"p99 {live.stamp.ms(99):.1f} ms, max {live.stamp.max_ms:.1f} ms"
    )
    for line in start_lines(start_gets, start_phases, args.web_workers):
        print(line)
    print(f"total {time.monotonic() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
