"""Express children of a Map Run: run in memory, a chunk at a time, recorded at once.

An Express child is in-memory and at-least-once on AWS, and its history is kept
only when it fails. So the coordinator does not advance Express children one
by one: it hands out *chunks* (``map_run_chunks_wanted``, a few dozen items
each, as many at once as MaxConcurrency allows) to the call workers' thread
pool, where Python functions and HTTP calls may run. A chunk
(``map_run_chunk``) claims staged items with ``FOR UPDATE SKIP LOCKED``, runs
each with ``engine.run``, and in the same transaction records every child
(an ``Execution`` row, already ended; the history only for those that did not
succeed) and drops the items. A worker killed mid-chunk commits nothing: the
items are still there, its claim lapses (``MAP_RUN_CHUNK_LEASE_SECONDS``) and
another chunk runs them. A chunk never records anything for a run that is no
longer RUNNING (stopped, failed).
"""

from __future__ import annotations

import secrets
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, DateTimeField, Value, When

import engine
from designer.limits import limit
from designer.models import (
    Execution,
    ExecutionEvent,
    ExecutionStatus,
    MapRun,
    MapRunItem,
    MapRunStatus,
)
from designer.runtime.adapters import registry_for
from designer.runtime.machines import machine_for
from designer.services.connections import team_scope
from designer.services.execution_events import events_to_rows

# what a chunk reads of its run and of the parent (not the parent's input, state or
# output: with ItemsPath the input holds every item, and each chunk would decode it)
RUN_FIELDS = ("id", "status", "spec", "execution_type", "arn", "execution_id", "team_id")
PARENT_FIELDS = ("id", "workflow_id", "team_id", "started_by_id")


def _knob(name: str) -> float:
    return float(settings.STATEYARD[name])


def active_chunks(run: MapRun, now: float | None = None) -> dict[str, float]:
    """The chunks handed out and not yet done nor lapsed: token -> when the claim lapses."""
    moment = time.time() if now is None else now
    chunks = dict((run.reader_state or {}).get("chunks", {}))
    return {token: until for token, until in chunks.items() if until > moment}


def map_run_chunks_wanted(run: MapRun, pending: int) -> list[str]:
    """Claim new chunks for ``pending`` staged items (under the run's lock): their tokens."""
    size = int(_knob("MAP_RUN_CHUNK"))
    active = active_chunks(run)
    most = max(1, (run.max_concurrency or 10_000) // size)
    wanted = min(most - len(active), -(-pending // size) - len(active))
    until = time.time() + _knob("MAP_RUN_CHUNK_LEASE_SECONDS")
    tokens = [secrets.token_hex(6) for _ in range(max(wanted, 0))]
    state = dict(run.reader_state or {})
    state["chunks"] = {**active, **dict.fromkeys(tokens, until)}
    run.reader_state = state
    return tokens


def map_run_chunk(run_id: Any, token: str) -> int:
    """Run one chunk of a run's Express children; how many it recorded."""
    run = (
        MapRun.objects.select_related("execution")
        .only(*RUN_FIELDS, *(f"execution__{name}" for name in PARENT_FIELDS))
        .filter(pk=run_id)
        .first()
    )
    if run is None or run.status != MapRunStatus.RUNNING:
        return 0
    machine = machine_for(run.spec["processor"])
    done = 0
    with transaction.atomic():
        items = list(
            MapRunItem.objects.select_for_update(skip_locked=True)
            .filter(map_run=run)
            .order_by("index")[: int(_knob("MAP_RUN_CHUNK"))]
        )
        children, events = [], []
        with team_scope(run.team_id):
            for item in items:
                child, history = _run_one(run, machine, item)
                children.append(child)
                events.extend(history)
        if items and MapRun.objects.filter(pk=run.pk, status=MapRunStatus.RUNNING).exists():
            Execution.objects.filter(  # a redriven run: the new children replace the failed
                map_run=run,
                map_index__in=[item.index for item in items],
                status__in=(
                    ExecutionStatus.FAILED,
                    ExecutionStatus.TIMED_OUT,
                    ExecutionStatus.ABORTED,
                ),
            ).update(map_index=None)
            started = {child.pk: child.start_date for child in children}
            Execution.objects.bulk_create(children)  # start_date is auto_now_add: set it after
            _keep_start_dates(started)
            ExecutionEvent.objects.bulk_create(events)
            MapRunItem.objects.filter(pk__in=[item.pk for item in items]).delete()
            done = len(children)
    return done


def _keep_start_dates(started: dict[Any, Any]) -> None:
    """Record when each child really started (saving stamps the time of the save)."""
    if started:
        whens = [When(pk=pk, then=Value(moment)) for pk, moment in started.items()]
        Execution.objects.filter(pk__in=list(started)).update(
            start_date=Case(*whens, output_field=DateTimeField())
        )


def _run_one(run: MapRun, machine: Any, item: MapRunItem) -> tuple[Execution, list[Any]]:
    name = str(uuid.uuid4())
    started = datetime.now(tz=UTC)  # one clock for both ends: the stop never precedes the start
    result = engine.run(
        machine,
        item.input,
        adapters=registry_for(None),
        real_time=True,
        name=name,
        max_events=limit("HISTORY_MAX_EVENTS"),
        max_seconds=limit("EXPRESS_MAX_SECONDS"),
        jsonata_seconds=limit("JSONATA_MAX_SECONDS"),
    )
    parent = run.execution
    child = Execution(
        id=uuid.uuid4(),
        workflow_id=parent.workflow_id,
        team_id=parent.team_id,
        definition=run.spec["processor"],
        name=name,
        type=run.execution_type,
        status=result.status,
        input=item.input,
        output=result.output if result.status == "SUCCEEDED" else None,
        error=result.error,
        cause=result.cause,
        started_by_id=parent.started_by_id,
        map_run=run,
        map_index=item.index,
        start_date=started,
        stop_date=max(datetime.now(tz=UTC), started),
    )
    if result.status == "SUCCEEDED":
        return child, []  # an Express child keeps its history only when it fails
    child.event_count = len(result.events)
    return child, events_to_rows(child, result.events)


def map_run_chunk_release(run_id: Any, token: str) -> None:
    """The chunk is done (or found nothing to do): give its claim back."""
    with transaction.atomic():
        run = MapRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            return
        state = dict(run.reader_state or {})
        chunks = dict(state.get("chunks", {}))
        if chunks.pop(token, None) is not None:
            state["chunks"] = chunks
            run.reader_state = state
            run.save(update_fields=["reader_state"])
