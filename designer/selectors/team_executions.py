"""A team's executions across all its workflows: filters, keyset pages, constant queries.

Filters: ``status``, ``workflow`` (id), ``version`` (number), ``alias`` (name),
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
from designer.models import Execution
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
    shared = {k: filters.get(k) for k in ("status", "started_after", "started_before")}
    return execution_list(base, shared, cursor, limit)
