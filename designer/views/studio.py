"""Studio pages: the start page, the designer, the execution view and the team's executions.

Each page is an empty shell the front-end bundle fills: it renders
``#studio-root`` with ``data-page`` and the props as JSON (``json_script``).
Access goes through ``designer.services.access``: anonymous users are sent to
log in, users outside the owning team get 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from designer import errors
from designer.models import ROLE_RANK, Role, Team
from designer.selectors.map_runs import map_run_get_for
from designer.services.access import (
    VIEW,
    execution_get_for,
    role_of,
    team_get_for,
    workflow_get_for,
)
from designer.views.errors import raise_for_page


def _props(request: HttpRequest, page: str, team: Team, **extra: Any) -> dict[str, Any]:
    role = role_of(request.user, team) or Role.VIEWER
    rank = ROLE_RANK[Role(role)]
    return {
        "page": page,
        "teamSlug": team.slug,
        "teamName": team.name,
        "role": str(role),
        "canRun": rank >= ROLE_RANK[Role.RUNNER],
        "canEdit": rank >= ROLE_RANK[Role.EDITOR],
        "csrfToken": get_token(request),
        "username": request.user.get_username(),
        "urls": {
            "home": reverse("home"),
            "team": reverse("team_detail", args=[team.slug]),
            "start": reverse("studio_start", args=[team.slug]),
            "executions": reverse("studio_team_executions", args=[team.slug]),
        },
        **extra,
    }


def _team_for_page(request: HttpRequest, slug: str) -> Any:
    """The team a studio page shows, or the page's 403/404 for someone who may not see it."""
    try:
        return team_get_for(request.user, slug, VIEW)
    except errors.DomainError as exc:
        raise_for_page(exc)
        raise  # pragma: no cover - raise_for_page always raises for these


def _render(request: HttpRequest, page: str, title: str, props: dict[str, Any]) -> HttpResponse:
    return render(
        request, f"studio/{page}.html", {"page": page, "title": title, "studio_props": props}
    )


@login_required
@require_GET
def studio_start(request: HttpRequest, slug: str) -> HttpResponse:
    team = _team_for_page(request, slug)
    return _render(request, "start", f"{team.name} workflows", _props(request, "start", team))


@login_required
@require_GET
def studio_team_executions(request: HttpRequest, slug: str) -> HttpResponse:
    """Every execution of the team's workflows (viewers see them; runners stop and redrive)."""
    team = _team_for_page(request, slug)
    props = _props(request, "executions", team)
    return _render(request, "executions", f"{team.name} executions", props)


@login_required
@require_GET
def studio_designer(request: HttpRequest, workflow_id: str) -> HttpResponse:
    try:
        workflow = workflow_get_for(request.user, workflow_id, VIEW)
    except errors.DomainError as exc:
        raise_for_page(exc)
        raise  # pragma: no cover
    props = _props(
        request,
        "designer",
        workflow.team,
        workflowId=str(workflow.pk),
        workflowName=workflow.name,
    )
    return _render(request, "designer", workflow.name, props)


@login_required
@require_GET
def studio_execution(request: HttpRequest, execution_id: str) -> HttpResponse:
    try:
        execution = execution_get_for(request.user, execution_id, VIEW)
    except errors.DomainError as exc:
        raise_for_page(exc)
        raise  # pragma: no cover
    workflow = execution.workflow
    props = _props(
        request,
        "execution",
        workflow.team,
        executionId=str(execution.pk),
        executionName=execution.name,
        workflowId=str(workflow.pk),
        workflowName=workflow.name,
    )
    props["urls"]["workflow"] = reverse("studio_designer", args=[workflow.pk])
    return _render(request, "execution", execution.name, props)


@login_required
@require_GET
def studio_map_run(request: HttpRequest, run_id: str) -> HttpResponse:
    try:
        run = map_run_get_for(request.user, run_id, VIEW)
        execution = execution_get_for(request.user, run.execution_id, VIEW)
    except errors.DomainError as exc:
        raise_for_page(exc)
        raise  # pragma: no cover
    workflow = execution.workflow
    props = _props(
        request,
        "maprun",
        workflow.team,
        mapRunId=str(run.pk),
        executionId=str(execution.pk),
        executionName=execution.name,
        workflowId=str(workflow.pk),
        workflowName=workflow.name,
    )
    props["urls"]["workflow"] = reverse("studio_designer", args=[workflow.pk])
    return _render(request, "maprun", f"Map Run {run.label}", props)
