"""Read queries for workflows and their published versions, filtered by the caller's role."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from designer.errors import NotFound
from designer.models import Workflow, WorkflowVersion
from designer.services.access import VIEW, team_get_for, workflow_get_for


def workflow_list(*, user: Any, team_slug: str, search: str | None = None) -> QuerySet[Workflow]:
    """The team's workflows by name; ``search`` matches name or description, any case.

    Definitions and layouts (up to 1 MB each) are not loaded: a list does not show them.
    """
    team = team_get_for(user, team_slug, VIEW)
    workflows = Workflow.objects.filter(team=team).select_related("team")
    workflows = workflows.defer("definition", "layout")
    if search and search.strip():
        term = search.strip()
        workflows = workflows.filter(Q(name__icontains=term) | Q(description__icontains=term))
    return workflows.order_by("name")


def workflow_get(*, user: Any, workflow_id: Any) -> Workflow:
    return workflow_get_for(user, workflow_id, VIEW)


def workflow_version_list(*, user: Any, workflow_id: Any) -> QuerySet[WorkflowVersion]:
    """The published versions of a workflow, newest first."""
    workflow = workflow_get_for(user, workflow_id, VIEW)
    return workflow.versions.select_related("created_by").order_by("-number")


def workflow_version_get(*, user: Any, workflow_id: Any, number: int) -> WorkflowVersion:
    workflow = workflow_get_for(user, workflow_id, VIEW)
    version = workflow.versions.select_related("created_by").filter(number=number).first()
    if version is None:
        raise NotFound(f"Workflow {workflow.name!r} has no version {number}.")
    return version
