"""A team's executions across all its workflows: filters, keyset pages, constant queries.

Filters: ``status`` (one, or several with commas), ``workflow`` (id), ``version``
(number), ``alias`` (name),
``started_after`` / ``started_before`` (ISO 8601), ``name_prefix``. Pages are
keyset pages on (start time, id), newest first (``selectors.executions``'s
cursor), so a page costs the same wherever it is. A page runs a fixed number
of queries whatever its size: the team and role checks, then one query
joining workflow, version and alias, leaving out the large JSON columns
(definition, input, output, runtime state) a list does not show.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from designer.errors import ValidationFailed
from designer.models import Execution, ExecutionStatus
from designer.selectors.executions import Page, execution_list
from designer.services.access import VIEW, team_get_for

#: Columns a list row never shows (up to 1 MB each).
HEAVY = (
    "definition",
    "input",
    "output",
    "cause",
    "state",
    "pending_signals",
    "mocks",
    "workflow__definition",
    "workflow__layout",
    "version__definition",
)


def _uuid(raw: Any, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise ValidationFailed(
            f"{field} must be a workflow id.", {field: [f"Got {raw!r}."]}
        ) from None


def _number(raw: Any, field: str) -> int:
    text = str(raw)
    if not text.isdigit() or int(text) < 1:
        raise ValidationFailed(f"{field} must be a version number.", {field: [f"Got {raw!r}."]})
    return int(text)


def _statuses(raw: Any) -> list[str]:
    """``FAILED`` or ``FAILED,TIMED_OUT``: each one a status."""
    wanted = [part.strip() for part in str(raw).split(",") if part.strip()]
    wrong = [part for part in wanted if part not in ExecutionStatus.values]
    if wrong or not wanted:
        raise ValidationFailed(
            f"status must be one or more of {', '.join(ExecutionStatus.values)} "
            "(separated by commas).",
            {"status": [f"Got {raw!r}."]},
        )
    return list(dict.fromkeys(wanted))


def team_executions_base(team_id: int) -> QuerySet[Execution]:
    return (
        # the (team, start_date, id) indexes, which leave a Map Run's children out
        Execution.objects.filter(team_id=team_id, map_run__isnull=True)
        .select_related("workflow", "version", "alias")
        .defer(*HEAVY)
    )


def team_execution_list(
    *, user: Any, team_slug: str, filters: dict[str, Any], cursor: str | None, limit: int
) -> Page:
    """One page of the team's executions, newest first (see the module docstring)."""
    team = team_get_for(user, team_slug, VIEW)
    base = team_executions_base(team.pk)
    if filters.get("workflow"):
        base = base.filter(workflow_id=_uuid(filters["workflow"], "workflow"))
    if filters.get("version"):
        base = base.filter(version__number=_number(filters["version"], "version"))
    if filters.get("alias"):
        base = base.filter(alias__name=str(filters["alias"]))
    if filters.get("name_prefix"):
        base = base.filter(name__startswith=str(filters["name_prefix"]))
    if filters.get("status"):
        statuses = _statuses(filters["status"])
        base = (
            base.filter(status=statuses[0])
            if len(statuses) == 1
            else base.filter(status__in=statuses)
        )
    shared = {k: filters.get(k) for k in ("started_after", "started_before")}
    return execution_list(base, shared, cursor, limit)
