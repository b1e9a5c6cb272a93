"""Reading Map Runs: DescribeMapRun's counts, progress figures, a page of children.

Counts come from one grouped query over the children's ``(map_run, status,
map_index)`` index plus the staged items; a page of children walks the same
index by ``map_index`` (a cursor, never an offset), so a run of a million
children answers as fast as one of ten.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet

from designer.errors import NotFound
from designer.models import Execution, ExecutionStatus, MapRun, MapRunItem, WorkflowType
from designer.services.access import VIEW, execution_get_for
from designer.services.map_run_express import active_chunks

STATUSES = {
    ExecutionStatus.RUNNING: "running",
    ExecutionStatus.SUCCEEDED: "succeeded",
    ExecutionStatus.FAILED: "failed",
    ExecutionStatus.TIMED_OUT: "timedOut",
    ExecutionStatus.ABORTED: "aborted",
}
MAX_PAGE = 200


def map_run_get_for(user: Any, run_id: Any, minimum: str = VIEW) -> MapRun:
    """The run, if ``user`` may see its parent execution with ``minimum`` role; else 404."""
    run = MapRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound("No such map run.")
    try:
        execution_get_for(user, run.execution_id, minimum)
    except NotFound:
        raise NotFound("No such map run.") from None
    return run


def map_run_counts(run: MapRun) -> dict[str, int]:
    """``executionCounts`` as AWS names them (pending: items read but not started)."""
    counts = dict.fromkeys(("pending", *STATUSES.values()), 0)
    staged_indexes = MapRunItem.objects.filter(map_run=run).values("index")
    rows = (
        Execution.objects.filter(map_run=run, map_index__isnull=False)
        .exclude(map_index__in=staged_indexes)  # failed, to be redriven: pending
        .values_list("status")
        .annotate(n=Count("id"))
    )
    ending = run.status != "RUNNING"  # children still running are being stopped
    for status, n in rows:
        if ending and status == ExecutionStatus.RUNNING:
            status = ExecutionStatus.ABORTED
        counts[STATUSES.get(status, "failed")] += n
    staged = MapRunItem.objects.filter(map_run=run).count()
    counts["pending"] = staged
    if run.execution_type == WorkflowType.EXPRESS and run.status == "RUNNING":
        # Express children in flight are the items their chunks hold (not recorded yet)
        in_flight = min(staged, len(active_chunks(run)) * int(settings.STATEYARD["MAP_RUN_CHUNK"]))
        counts["running"] += in_flight
        counts["pending"] = staged - in_flight
    counts["total"] = sum(counts.values())
    counts["resultsWritten"] = run.results_written
    counts["failuresNotRedrivable"] = 0
    counts["pendingRedrive"] = 0
    return counts


def map_run_progress(run: MapRun, counts: dict[str, int]) -> dict[str, Any]:
    """Items per second since the run (or its last redrive) began, and the time left."""
    began = run.redrive_date or run.start_date
    until = run.stop_date or datetime.now(tz=UTC)
    seconds = max((until - began).total_seconds(), 0.001)
    done = sum(counts[k] for k in ("succeeded", "failed", "timedOut", "aborted"))
    rate = _done_since(run, began, done) / seconds
    left = counts["pending"] + counts["running"]
    known = run.status == "RUNNING" and run.reading_done  # while reading, the total grows
    seconds_left = left / rate if rate > 0 and known else None
    return {
        "done": done,
        "items_per_second": round(rate, 2),
        "seconds_left": None if seconds_left is None else round(seconds_left, 1),
        "reading_done": run.reading_done,
    }


def _done_since(run: MapRun, began: datetime, done: int) -> int:
    """Children that ended in the current attempt (since the last redrive): the rate of
    a redriven run is not inflated by the items an earlier attempt finished."""
    if run.redrive_date is None:
        return done
    return (
        Execution.objects.filter(map_run=run, map_index__isnull=False, stop_date__gte=began)
        .exclude(status=ExecutionStatus.RUNNING)
        .count()
    )


def map_runs_of(execution: Execution) -> QuerySet[MapRun]:
    return MapRun.objects.filter(execution=execution).order_by("start_date")


def map_run_by_arn(execution: Execution, arn: str) -> MapRun | None:
    """The execution's latest Map Run with this ARN (a retried Map state reuses it)."""
    return MapRun.objects.filter(execution=execution, arn=arn).order_by("-start_date").first()


def map_run_links(execution: Execution) -> list[dict[str, Any]]:
    """The execution's Map Runs, as links (its description lists them)."""
    return [
        {"id": str(pk), "label": label, "status": status, "map_run_arn": arn}
        for pk, label, status, arn in map_runs_of(execution).values_list(
            "pk", "label", "status", "arn"
        )
    ]


def map_run_of_child(execution: Execution) -> dict[str, Any] | None:
    """The Map Run a child execution belongs to, as a link back, with the ItemProcessor
    definition the child runs (None for other executions)."""
    if execution.map_run_id is None:
        return None
    row = MapRun.objects.filter(pk=execution.map_run_id).values("label", "status").first()
    if row is None:
        return None
    return {
        "id": str(execution.map_run_id),
        "label": row["label"],
        "status": row["status"],
        "index": execution.map_index,
        "definition": execution.definition,  # the ItemProcessor it runs, not the workflow's
    }


def map_run_children(
    run: MapRun, status: str | None, after: int | None, limit: int
) -> tuple[list[Execution], int | None]:
    """Children in item order after the index ``after``; the cursor of the next page."""
    rows = Execution.objects.filter(map_run=run, map_index__isnull=False)
    if status:
        rows = rows.filter(status=status)
    if after is not None:
        rows = rows.filter(map_index__gt=after)
    page = list(
        rows.order_by("map_index").only(
            "id",
            "name",
            "status",
            "map_index",
            "start_date",
            "stop_date",
            "error",
            "cause",
            "workflow_id",
            "type",
            "redrive_count",
        )[: limit + 1]
    )
    more = len(page) > limit
    page = page[:limit]
    return page, (page[-1].map_index if more and page else None)


def map_run_pending(run: MapRun, after: int | None, limit: int) -> tuple[list[int], int | None]:
    """Indexes of the items read but not started yet (``status=PENDING``), in item order."""
    rows = MapRunItem.objects.filter(map_run=run)
    if after is not None:
        rows = rows.filter(index__gt=after)
    page = list(rows.order_by("index").values_list("index", flat=True)[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return page, (page[-1] if more and page else None)
