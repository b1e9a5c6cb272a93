"""Read queries for executions: filtered lists with cursor pagination, and history pages.

A list page is one query whatever its size: the workflow and the version come
joined, and only the columns a list row shows are read (never the
definition, input, output or state). Pages are keyset pages on
(start_date, id), newest first, served by the indexes of migration 0004:
(team, start_date, id), (team, status, start_date, id) and (workflow,
start_date, id), all descending.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import Q, QuerySet

from designer import limits
from designer.errors import ValidationFailed
from designer.models import Execution, ExecutionEvent, ExecutionStatus, Team

MAX_PAGE = limits.PAGE_MAX


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None


def _encode(payload: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def _decode(cursor: str) -> dict[str, Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, json.JSONDecodeError):
        raise ValidationFailed("The cursor is not valid.") from None
    if not isinstance(value, dict):
        raise ValidationFailed("The cursor is not valid.")
    return value


def flag(raw: Any, name: str) -> bool:
    """A yes/no query parameter: true/false (or 1/0, yes/no); absent is false."""
    if raw is None:
        return False
    value = str(raw).lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise ValidationFailed(f"{name} must be true or false.")
    return value in ("true", "1", "yes")


def page_size(raw: Any, default: int = 50) -> int:
    if raw is None:
        return default
    try:
        size = int(raw)
    except (TypeError, ValueError):
        raise ValidationFailed("limit must be a whole number.") from None
    if not 1 <= size <= MAX_PAGE:
        raise ValidationFailed(f"limit must be between 1 and {MAX_PAGE}.")
    return size


def _time(raw: Any, name: str) -> datetime:
    """An ISO 8601 time, in UTC (PostgreSQL refuses offsets past 15:59; ISO allows more)."""
    try:
        moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        raise ValidationFailed(f"{name} must be an ISO 8601 time.") from None


SUMMARY_FIELDS = (
    "id",
    "name",
    "workflow_id",
    "workflow__id",
    "workflow__name",
    "version_id",
    "version__number",
    "alias_id",
    "alias__name",
    "type",
    "status",
    "error",
    "start_date",
    "stop_date",
    "event_count",
)
"""What a list row shows (``ExecutionSummarySerializer``)."""


def executions_visible(teams: QuerySet[Team]) -> QuerySet[Execution]:
    """Executions of the given teams, with what a list row shows and nothing more.

    The team ids are read first, so a one-team user's pages filter ``team_id = x``
    and walk the (team, start_date, id) index in order, never sorting a team's history.
    """
    team_ids = list(teams.values_list("pk", flat=True))
    # a Distributed Map's children are listed by their Map Run, not here (AWS lists them
    # with ListExecutions(mapRunArn)): the partial list indexes hold the others only
    top = Execution.objects.filter(map_run__isnull=True)
    scoped = (
        top.filter(team_id=team_ids[0]) if len(team_ids) == 1 else top.filter(team_id__in=team_ids)
    )
    return scoped.select_related("workflow", "version", "alias").only(*SUMMARY_FIELDS)


def execution_list(
    base: QuerySet[Execution], filters: dict[str, Any], cursor: str | None, limit: int
) -> Page:
    """Newest first; filters: status, workflow, started_after, started_before."""
    query = base
    status = filters.get("status")
    if status:
        if status not in ExecutionStatus.values:
            raise ValidationFailed(f"status must be one of {', '.join(ExecutionStatus.values)}.")
        query = query.filter(status=status)
    if filters.get("workflow"):
        try:
            workflow_id = uuid.UUID(str(filters["workflow"]))
        except ValueError:
            raise ValidationFailed("workflow must be a workflow id (a UUID).") from None
        query = query.filter(workflow_id=workflow_id)
    if filters.get("started_after"):
        query = query.filter(start_date__gte=_time(filters["started_after"], "started_after"))
    if filters.get("started_before"):
        query = query.filter(start_date__lt=_time(filters["started_before"], "started_before"))
    if cursor:
        mark = _decode(cursor)
        at = _time(mark.get("t"), "cursor")
        try:
            after = uuid.UUID(str(mark.get("id")))
        except ValueError:
            raise ValidationFailed("The cursor is not valid.") from None
        # (start_date, id) < (at, after): the first filter bounds the index scan
        query = query.filter(start_date__lte=at).filter(
            Q(start_date__lt=at) | Q(start_date=at, id__lt=after)
        )
    rows = list(query.order_by("-start_date", "-id")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = (
        _encode({"t": rows[-1].start_date.isoformat(), "id": str(rows[-1].pk)})
        if more and rows
        else None
    )
    return Page(rows, next_cursor)


def execution_history(execution: Execution, cursor: str | None, limit: int, reverse: bool) -> Page:
    """Events oldest first (or newest first with ``reverse``), ``limit`` a page.

    The cursor names its execution and direction: one from another execution's
    history, or given with ``reverse`` flipped, is refused (AWS's InvalidToken).
    """
    query = ExecutionEvent.objects.filter(execution=execution)
    order = "r" if reverse else "f"
    if cursor:
        decoded = _decode(cursor)
        after = decoded.get("id")
        if not isinstance(after, int) or decoded.get("e") != str(execution.pk):
            raise ValidationFailed("The cursor is not valid for this execution's history.")
        if decoded.get("o") != order:
            raise ValidationFailed(
                "The cursor was given for the other order: keep reverseOrder as it was."
            )
        query = query.filter(event_id__lt=after) if reverse else query.filter(event_id__gt=after)
    query = query.order_by("-event_id" if reverse else "event_id")
    rows = list(query[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    token = {"id": rows[-1].event_id, "e": str(execution.pk), "o": order} if rows else {}
    return Page(rows, _encode(token) if more and rows else None)


def events_after(execution_id: Any, after: int) -> list[ExecutionEvent]:
    return list(
        ExecutionEvent.objects.filter(execution_id=execution_id, event_id__gt=after).order_by(
            "event_id"
        )
    )
