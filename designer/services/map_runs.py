"""Map Runs: a Distributed Map's items as child executions across the workers.

The parent's advance asks for a run with the engine's ``StartMapRun`` effect
(``map_run_start``, inside its transaction: the ``MapRun`` row commits with the
parent's ``MapRunStarted``). From then on a coordinator does the work in small,
idempotent units (``map_run_work``, a Celery task taking the run's id):

* reading (``map_run_read``): one worker at a time (a lease in ``reader_state``)
  streams the items (``map_run_readers``), applies ItemSelector and ItemBatcher
  (``engine.interpreter.map_runs.ItemShaper``) and stages them as ``MapRunItem``
  rows, a page per transaction, with the position from which reading resumes;
* ticking (``_tick``): under the run's row lock it counts the children by
  status, fails the run when failures pass the tolerance, starts children for
  staged items up to ``MaxConcurrency`` (at most ``MAP_RUN_START_BATCH`` per tick,
  ``MAP_RUN_START_RATE`` per second), and ends the run when every item is done:
  the results (``map_run_writer``) go to the parent as the answer to its
  ``StartMapRun``, in the same transaction.

Children are ordinary durable executions (``map_run`` and ``map_index`` set), so
every worker runs them. A child's end pokes its run (``map_run_poke``: one tick
queued at a time); the sweeper ticks every running run as a safety net. A
stopped parent aborts its runs and their running children; a redriven parent
redrives its failed run: only the children that did not succeed run again, and
reading resumes where it stopped.
"""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from datetime import UTC, datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count

from designer.models import (
    Execution,
    ExecutionStatus,
    MapRun,
    MapRunItem,
    MapRunStatus,
    WorkflowType,
)
from designer.runtime import task_routing
from designer.runtime.machines import machine_for
from designer.services.dispatcher import (
    executions_dispatch,
    map_run_chunk_dispatch,
    map_run_dispatch,
)
from designer.services.execution_redrive import child_redrive
from designer.services.execution_runtime import execution_signal
from designer.services.map_run_express import (
    map_run_chunk,
    map_run_chunk_release,
    map_run_chunks_wanted,
)
from designer.services.map_run_readers import ReadFailed, items_from
from designer.services.map_run_writer import TooLarge, WriteFailed, export, results
from engine.errors import StatesError
from engine.interpreter.effects import StartMapRun, StopExecution, TaskFailed, TaskSucceeded
from engine.interpreter.map_runs import ItemShaper
from engine.jsonvalue import PAYLOAD_LIMIT_BYTES, exceeds_payload_limit, payload_size

UNSUCCESSFUL = (ExecutionStatus.FAILED, ExecutionStatus.TIMED_OUT, ExecutionStatus.ABORTED)
DEFAULT_CONCURRENCY = 10_000  # MaxConcurrency 0: AWS runs up to 10,000 children at once
READ_ATTEMPTS = 3  # unexpected errors while reading before the run fails
THRESHOLD = "States.ExceedToleratedFailureThreshold"
THRESHOLD_CAUSE = "The specified tolerated failure threshold was exceeded"


log = logging.getLogger(__name__)


def _knob(name: str) -> float:
    return float(settings.STATEYARD[name])


def _now() -> datetime:
    return datetime.now(tz=UTC)


# ---- hooks of the parent's advance ---------------------------------------------------


def map_run_start(parent: Execution, effect: StartMapRun) -> None:
    """The ``map_run_starters`` hook: record the run (in the parent's transaction)."""
    if effect.redrive_of:
        run = MapRun.objects.filter(execution=parent, task_id=effect.redrive_of).first()
        if run is not None:
            _redrive(run, effect.run_id)
            return
    if MapRun.objects.filter(execution=parent, task_id=effect.run_id).exists():
        return
    spec = effect.spec
    run = MapRun.objects.create(
        execution=parent,
        team_id=parent.team_id,
        task_id=effect.run_id,
        arn=spec["arn"],
        state_name=spec["state"],
        label=spec["label"],
        spec=spec,
        execution_type=spec["execution_type"],
        max_concurrency=spec["max_concurrency"],
        tolerated_failure_count=spec["tolerated_count"],
        tolerated_failure_percentage=spec["tolerated_percentage"],
        reader_state={},
        wake_at=_now(),
    )
    run_id = run.pk
    transaction.on_commit(lambda: map_run_dispatch(run_id))


def map_run_cancel(parent: Execution, task_id: int) -> None:
    """The ``map_run_cancellers`` hook: the parent no longer waits (stopped, failed)."""
    run_ids = list(
        MapRun.objects.filter(
            execution=parent, task_id=task_id, status=MapRunStatus.RUNNING
        ).values_list("pk", flat=True)
    )
    for run_id in run_ids:
        transaction.on_commit(partial(map_run_abort, run_id))


def map_run_child_finished(child: Execution) -> None:
    """The ``map_run_finishers`` hook: a child ended; tick its run once that commits."""
    run_id = child.map_run_id
    transaction.on_commit(lambda: map_run_poke(run_id))


def map_run_poke(run_id: Any) -> None:
    """Queue one tick of the run, unless one is queued already."""
    if MapRun.objects.filter(pk=run_id, wake_at__isnull=True).update(wake_at=_now()):
        map_run_dispatch(run_id)


# ---- the coordinator ------------------------------------------------------------------


def map_run_work(run_id: Any) -> None:
    """One unit of coordination (the Celery task): tick, and read if nobody is reading."""
    read, again = _tick(run_id)
    if read:
        map_run_read(run_id)
        read, again = _tick(run_id)
    if again is not None:
        map_run_dispatch(run_id, again)


def _counted(run: MapRun) -> Any:
    """The run's children, less the unsuccessful ones waiting to be redriven (their item
    is staged again: they count as pending until a tick redrives them)."""
    staged = MapRunItem.objects.filter(map_run=run).values("index")
    return Execution.objects.filter(map_run=run, map_index__isnull=False).exclude(
        map_index__in=staged
    )


def _counts(run: MapRun) -> dict[str, int]:
    """Children still running or unsuccessful (the index skips the succeeded ones)."""
    rows = (
        _counted(run)
        .filter(status__in=(ExecutionStatus.RUNNING, *UNSUCCESSFUL))
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def _tick(run_id: Any) -> tuple[bool, datetime | None]:
    """(whether to read now, when to tick again) after one tick under the run's lock."""
    with transaction.atomic():
        run = MapRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != MapRunStatus.RUNNING:
            return False, None
        run.wake_at = None
        parent_status = Execution.objects.filter(pk=run.execution_id).values_list(
            "status", flat=True
        )[0]
        if parent_status != ExecutionStatus.RUNNING:
            _close(run, MapRunStatus.ABORTED)
            return False, None
        counts = _counts(run)
        failed = sum(counts.get(s, 0) for s in UNSUCCESSFUL)
        if failed and not _tolerated(run, failed):
            _fail(run, *_failure(run))
            return False, None
        running = counts.get(ExecutionStatus.RUNNING, 0)
        pending = MapRunItem.objects.filter(map_run=run).exists()
        if run.reading_done and not pending and not running:
            _succeed(run)
            return False, None
        started = 0
        if pending and run.execution_type == WorkflowType.EXPRESS:
            _start_chunks(run)
        elif pending:
            started = _start_children(run, running)
        read = _take_lease(run)
        run.save(update_fields=["wake_at", "reader_state"])
    again = None
    if started and pending:
        rate = max(_knob("MAP_RUN_START_RATE"), 1.0)
        again = datetime.fromtimestamp(time.time() + started / rate, tz=UTC)
    return read, again


def _tolerated(run: MapRun, failed: int) -> bool:
    count, percentage = run.tolerated_failure_count, run.tolerated_failure_percentage
    if count is not None and failed <= count:
        return True
    if percentage is None:
        return False
    if not run.reading_done:
        return True  # judged against every item once all are read
    return failed * 100 <= percentage * max(run.items_read, 1)


def _failure(run: MapRun) -> tuple[str, str | None]:
    if run.tolerated_failure_count is not None or run.tolerated_failure_percentage is not None:
        return THRESHOLD, THRESHOLD_CAUSE
    first = (
        _counted(run)
        .filter(status__in=UNSUCCESSFUL)
        .order_by("map_index")
        .values_list("error", "cause")
        .first()
    )
    error, cause = first or (None, None)
    return error or "States.Runtime", cause


def _start_children(run: MapRun, running: int) -> int:
    limit = run.max_concurrency or DEFAULT_CONCURRENCY
    room = min(limit - running, int(_knob("MAP_RUN_START_BATCH")))
    if room <= 0:
        return 0
    items = list(MapRunItem.objects.filter(map_run=run).order_by("index")[:room])
    parent = Execution.objects.only("workflow_id", "team_id", "started_by_id").get(
        pk=run.execution_id
    )
    now = _now()
    redriven = _redrive_children(run, items)
    children = [
        Execution(
            workflow_id=parent.workflow_id,
            team_id=parent.team_id,
            definition=run.spec["processor"],
            name=str(uuid.uuid4()),
            type=run.execution_type,
            input=item.input,
            started_by_id=parent.started_by_id,
            map_run=run,
            map_index=item.index,
            wake_at=now,
        )
        for item in items
        if item.index not in redriven
    ]
    Execution.objects.bulk_create(children)
    MapRunItem.objects.filter(pk__in=[item.pk for item in items]).delete()
    ids = [child.pk for child in children]
    transaction.on_commit(partial(_dispatch_all, ids))
    return len(children) + len(redriven)


def _redrive_children(run: MapRun, items: list[MapRunItem]) -> set[int]:
    """The items whose unsuccessful Standard child was redriven (a redriven run starts
    them here, within MaxConcurrency); a child that cannot be redriven gives up its
    index to a new child."""
    redriven: set[int] = set()
    earlier = Execution.objects.filter(
        map_run=run, map_index__in=[item.index for item in items], status__in=UNSUCCESSFUL
    )
    for child in earlier:
        if child.type == WorkflowType.STANDARD and child_redrive(child):
            redriven.add(int(child.map_index or 0))
            continue
        child.map_index = None  # replaced: a new child runs its item
        child.save(update_fields=["map_index"])
    return redriven


def _start_chunks(run: MapRun) -> None:
    """Express children: hand out chunks of staged items to the call workers."""
    size = int(_knob("MAP_RUN_CHUNK"))
    most = (run.max_concurrency or DEFAULT_CONCURRENCY) + size
    pending = len(MapRunItem.objects.filter(map_run=run).values_list("pk", flat=True)[:most])
    tokens = map_run_chunks_wanted(run, pending)
    run_id = run.pk
    for token in tokens:
        transaction.on_commit(partial(map_run_chunk_dispatch, run_id, token))


def map_run_chunk_work(run_id: Any, token: str) -> None:
    """One chunk of Express children (the call workers' Celery task), then a tick."""
    try:
        map_run_chunk(run_id, token)
    finally:
        map_run_chunk_release(run_id, token)
    map_run_poke(run_id)


def _dispatch_all(ids: list[Any]) -> None:
    """Children go to the workers in groups: one message per group, not per child."""
    size = int(_knob("MAP_RUN_DISPATCH_GROUP"))
    for first in range(0, len(ids), size):
        executions_dispatch(ids[first : first + size])


def _stop_all(ids: list[Any], stop: StopExecution) -> None:
    for child_id in ids:
        execution_signal(child_id, stop)


def _take_lease(run: MapRun) -> bool:
    """Claim the reading for this worker when it is not done and nobody holds it."""
    state = dict(run.reader_state or {})
    if run.reading_done or state.get("lease", 0) > time.time():
        return False
    state["lease"] = time.time() + _knob("MAP_RUN_READER_LEASE_SECONDS")
    state["holder"] = secrets.token_hex(8)
    run.reader_state = state
    return True


# ---- ending ---------------------------------------------------------------------------


def _close(run: MapRun, status: str, error: str | None = None, cause: str | None = None) -> None:
    run.status = status
    run.error, run.cause = error, cause
    run.stop_date = _now()
    run.wake_at = None
    run.save()
    running = list(
        Execution.objects.filter(map_run=run, status=ExecutionStatus.RUNNING).values_list(
            "pk", flat=True
        )
    )
    stop = StopExecution("States.Aborted", f"The Map Run {run.arn} ended {status}.")
    transaction.on_commit(partial(_stop_all, running, stop))


def _answer(run: MapRun, signal: TaskSucceeded | TaskFailed) -> None:
    run.answered = True
    run.save(update_fields=["answered"])
    execution_signal(run.execution_id, signal)


def _fail(run: MapRun, error: str, cause: str | None) -> None:
    _close(run, MapRunStatus.FAILED, error, cause)
    writer = run.spec.get("writer") or {}
    if writer.get("resource"):
        try:
            with transaction.atomic():
                export(run)  # what is done is kept: the files are written as far as it went
                run.save(update_fields=["results_written"])
        except WriteFailed:
            pass
        except Exception:  # the run fails anyway: its failure is what the parent gets
            log.exception("Map Run %s: the result files could not be written", run.pk)
    _answer(run, TaskFailed(run.task_id, error, cause))


def _succeed(run: MapRun) -> None:
    try:
        with transaction.atomic():  # a savepoint: an error leaves the run's transaction usable
            output = results(run)
    except TooLarge as err:
        _fail(run, "States.DataLimitExceeded", str(err))
        return
    except WriteFailed as err:
        _fail(run, "States.ResultWriterFailed", str(err))
        return
    except Exception as err:  # never a run that retries its end on every tick
        log.exception("Map Run %s: the results could not be made", run.pk)
        _fail(run, "States.ResultWriterFailed", f"Internal error ({type(err).__name__}: {err}).")
        return
    if isinstance(output, dict) and "ResultWriterDetails" in output:
        run.result_writer_details = output["ResultWriterDetails"]
    _close(run, MapRunStatus.SUCCEEDED)
    _answer(run, TaskSucceeded(run.task_id, output))


class MapRunNotRunning(Exception):
    """The run has ended: its limits can no longer change."""


def map_run_update(
    run_id: Any,
    *,
    max_concurrency: int | None = None,
    tolerated_failure_percentage: float | None = None,
    tolerated_failure_count: int | None = None,
) -> MapRun:
    """UpdateMapRun: change a running run's limits (``None``: unchanged); the tick that
    follows applies them (more children start, or the run fails past the new tolerance)."""
    with transaction.atomic():
        run = MapRun.objects.select_for_update().get(pk=run_id)
        if run.status != MapRunStatus.RUNNING:
            raise MapRunNotRunning(f"The Map Run {run.arn} is {run.status}, not RUNNING.")
        if max_concurrency is not None:
            run.max_concurrency = max_concurrency
        if tolerated_failure_percentage is not None:
            run.tolerated_failure_percentage = tolerated_failure_percentage
        if tolerated_failure_count is not None:
            run.tolerated_failure_count = tolerated_failure_count
        run.save(
            update_fields=[
                "max_concurrency",
                "tolerated_failure_percentage",
                "tolerated_failure_count",
            ]
        )
    map_run_poke(run.pk)
    return run


def map_run_abort(run_id: Any) -> None:
    """Stop the run and its running children (the parent stopped waiting for it)."""
    with transaction.atomic():
        run = MapRun.objects.select_for_update().filter(pk=run_id).first()
        if run is not None and run.status == MapRunStatus.RUNNING:
            _close(run, MapRunStatus.ABORTED)


# ---- reading --------------------------------------------------------------------------


def map_run_read(run_id: Any) -> None:
    """Stream the items into ``MapRunItem`` rows, a page per transaction (lease held)."""
    run = MapRun.objects.select_related("execution").get(pk=run_id)
    state = dict(run.reader_state or {})
    holder = state.get("holder")
    raw, index = int(state.get("raw", 0)), run.items_read
    max_items = int(((run.spec.get("reader") or {}).get("config") or {}).get("MaxItems") or 0)
    page: list[MapRunItem] = []
    position = state.get("position")
    try:
        shaper = ItemShaper(machine_for(run.execution.definition), run.spec)
        source = items_from(run.team_id, run.spec, position)
        for child_input, consumed, position in _shaped(shaper, source, raw, max_items):
            _within_payload_quota(child_input, index, shaper.batcher is not None)
            raw = consumed
            page.append(MapRunItem(map_run_id=run.pk, index=index, input=child_input))
            index += 1
            if len(page) >= int(_knob("MAP_RUN_STAGE_BATCH")):
                if not _stage(run.pk, holder, page, index, raw, position, done=False):
                    return
                page = []
                _tick(run.pk)
        _stage(run.pk, holder, page, index, raw, position, done=True)
    except ReadFailed as err:
        _read_failed(run.pk, "States.ItemReaderFailed", str(err))
    except StatesError as err:
        _read_failed(run.pk, err.error or "States.Runtime", err.cause)
    except Exception as err:
        _read_crashed(run.pk, holder, err)
        raise


def _read_crashed(run_id: Any, holder: Any, err: Exception) -> None:
    """An unexpected error while reading: let another attempt read again (the lease is
    released), but after ``READ_ATTEMPTS`` such errors end the run (States.ItemReaderFailed)
    rather than retry on every sweep for ever."""
    log.exception("Map Run %s: the ItemReader failed", run_id)
    with transaction.atomic():
        run = MapRun.objects.select_for_update().get(pk=run_id)
        state = dict(run.reader_state or {})
        if run.status != MapRunStatus.RUNNING or state.get("holder") != holder:
            return
        state.pop("lease", None)
        state["crashes"] = int(state.get("crashes", 0)) + 1
        run.reader_state = state
        if state["crashes"] < READ_ATTEMPTS:
            run.save(update_fields=["reader_state"])
            return
        _fail(
            run,
            "States.ItemReaderFailed",
            f"The ItemReader failed {READ_ATTEMPTS} times with an internal error "
            f"({type(err).__name__}: {err}).",
        )


def _within_payload_quota(child_input: Any, index: int, batched: bool) -> None:
    """A child's input is bound by the 256 KiB payload quota like any execution's: an item
    (or batch) larger than that fails the run (States.DataLimitExceeded) before it starts."""
    if exceeds_payload_limit(child_input):
        what = "batch" if batched else "item"
        raise StatesError(
            "States.DataLimitExceeded",
            f"The {what} at index {index} is {payload_size(child_input)} bytes, larger than "
            f"the {PAYLOAD_LIMIT_BYTES // 1024} KiB payload quota for a child execution's input.",
        )


def _shaped(shaper: ItemShaper, source: Any, raw: int, max_items: int) -> Any:
    """(child input, raw items consumed, reader position) per item or per batch."""
    batcher = shaper.batcher
    if batcher is None:
        for item, position in source:
            if max_items and raw >= max_items:
                return
            selected = shaper.select(raw, item)
            raw += 1
            yield selected, raw, position
        return
    size, max_bytes = batcher.get("max_items"), batcher.get("max_bytes")
    current: list[Any] = []
    current_bytes, last = 2, (raw, None)
    for item, position in source:
        if max_items and raw >= max_items:
            break
        selected = shaper.select(raw, item)
        item_bytes = payload_size(selected) if max_bytes is not None else 0
        grown = current_bytes + item_bytes + (1 if current else 0)
        if current and (
            (size is not None and len(current) >= size)
            or (max_bytes is not None and grown > max_bytes)
        ):
            yield _batch(current, batcher), *last
            current, grown = [], 2 + item_bytes
        current.append(selected)
        current_bytes = grown
        raw += 1
        last = (raw, position)
    if current:
        yield _batch(current, batcher), *last


def _batch(items: list[Any], batcher: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {"Items": items}
    if "batch_input" in batcher:
        entry["BatchInput"] = batcher["batch_input"]
    return entry


def _stage(
    run_id: Any,
    holder: Any,
    page: list[MapRunItem],
    index: int,
    raw: int,
    position: Any,
    *,
    done: bool,
) -> bool:
    """Commit a page of items with the reader's position; False when the lease was lost."""
    with transaction.atomic():
        run = MapRun.objects.select_for_update().get(pk=run_id)
        state = dict(run.reader_state or {})
        if run.status != MapRunStatus.RUNNING or state.get("holder") != holder:
            return False
        MapRunItem.objects.bulk_create(page, ignore_conflicts=True)
        run.items_read = index
        state.update(position=position, raw=raw)
        state["lease"] = time.time() + _knob("MAP_RUN_READER_LEASE_SECONDS")
        if done:
            run.reading_done = True
            state.pop("lease", None)
        run.reader_state = state
        run.save(update_fields=["items_read", "reader_state", "reading_done"])
    return True


def _read_failed(run_id: Any, error: str, cause: str | None) -> None:
    with transaction.atomic():
        run = MapRun.objects.select_for_update().get(pk=run_id)
        if run.status == MapRunStatus.RUNNING:
            state = dict(run.reader_state or {})
            state.pop("lease", None)
            run.reader_state = state
            _fail(run, error, cause)


# ---- redrive --------------------------------------------------------------------------


def _redrive(run: MapRun, task_id: int) -> None:
    """The parent was redriven: run the children that did not succeed again."""
    now = _now()
    run.task_id = task_id
    run.status = MapRunStatus.RUNNING
    run.error = run.cause = None
    run.stop_date = None
    run.answered = False
    run.redrive_count += 1
    run.redrive_date = now
    state = dict(run.reader_state or {})
    state.pop("lease", None)
    state.pop("chunks", None)
    run.reader_state = state
    run.wake_at = now
    run.save()
    # each unsuccessful child's item is staged again: the ticks redrive (Standard) or
    # replace it within MaxConcurrency, as they start children
    MapRunItem.objects.bulk_create(
        [
            MapRunItem(map_run=run, index=int(index or 0), input=data)
            for index, data in Execution.objects.filter(
                map_run=run, status__in=UNSUCCESSFUL, map_index__isnull=False
            ).values_list("map_index", "input")
        ],
        ignore_conflicts=True,
    )
    run_id = run.pk
    transaction.on_commit(lambda: map_run_dispatch(run_id))


def register() -> None:
    """Plug the hooks into the runtime (once; the app calls this when it is ready)."""
    if map_run_start not in task_routing.map_run_starters:
        task_routing.map_run_starters.append(map_run_start)
    if map_run_cancel not in task_routing.map_run_cancellers:
        task_routing.map_run_cancellers.append(map_run_cancel)
    if map_run_child_finished not in task_routing.map_run_finishers:
        task_routing.map_run_finishers.append(map_run_child_finished)


register()
