"""Read queries for a workflow's aliases (any member of its team)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from designer.models import WorkflowAlias
from designer.services.access import VIEW, workflow_get_for
from designer.services.aliases import alias_get_in


def alias_list(*, user: Any, workflow_id: Any) -> QuerySet[WorkflowAlias]:
    workflow = workflow_get_for(user, workflow_id, VIEW)
    return workflow.aliases.select_related("created_by").order_by("name")


def alias_get(*, user: Any, workflow_id: Any, name: str) -> WorkflowAlias:
    return alias_get_in(workflow_get_for(user, workflow_id, VIEW), name)
