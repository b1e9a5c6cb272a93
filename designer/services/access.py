"""Who may see or change what: roles within a team.

Roles rank viewer < runner < editor < owner. A user who is not a member of the
owning team gets ``NotFound`` (the object's existence is not revealed); a member
whose role is too low gets ``PermissionDenied``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery

from designer.errors import NotFound, PermissionDenied
from designer.models import ROLE_RANK, Execution, Membership, Role, Team, Workflow

# what each action needs
VIEW = Role.VIEWER
RUN = Role.RUNNER
EDIT = Role.EDITOR
MANAGE = Role.OWNER


def role_of(user: Any, team: Team) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    membership = Membership.objects.filter(team=team, user=user).only("role").first()
    return membership.role if membership else None


def team_require(user: Any, team: Team, minimum: str) -> str:
    """The role in ``team`` if at least ``minimum``; else NotFound or PermissionDenied."""
    return _role_require(role_of(user, team), minimum)


def _role_require(role: str | None, minimum: str) -> str:
    if role is None:
        raise NotFound("No such team.")
    if ROLE_RANK[Role(role)] < ROLE_RANK[Role(minimum)]:
        raise PermissionDenied(f"This needs the {minimum} role; you are {role}.")
    return role


def _with_role(user: Any) -> Subquery:
    """The user's role in the row's team, as an annotation (NULL for a non-member)."""
    return Subquery(
        Membership.objects.filter(team=OuterRef("team_id"), user=user).values("role")[:1]
    )


def team_get_for(user: Any, slug: str, minimum: str = VIEW) -> Team:
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        raise NotFound("No such team.")
    team_require(user, team, minimum)
    return team


def workflow_get_for(user: Any, workflow_id: Any, minimum: str = VIEW) -> Workflow:
    """The workflow and, in the same query, the caller's role in its team."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound("No such workflow.")
    workflow = (
        Workflow.objects.select_related("team")
        .annotate(caller_role=_with_role(user))
        .filter(pk=workflow_id)
        .first()
    )
    if workflow is None:
        raise NotFound("No such workflow.")
    try:
        _role_require(getattr(workflow, "caller_role", None), minimum)
    except NotFound:
        raise NotFound("No such workflow.") from None
    return workflow


def execution_get_for(user: Any, execution_id: Any, minimum: str = VIEW) -> Execution:
    execution = (
        Execution.objects.select_related("workflow", "workflow__team")
        .filter(pk=execution_id)
        .first()
    )
    if execution is None:
        raise NotFound("No such execution.")
    try:
        team_require(user, execution.workflow.team, minimum)
    except NotFound:
        raise NotFound("No such execution.") from None
    return execution


def teams_of(user: Any) -> Any:
    """The teams the user belongs to (a queryset)."""
    return Team.objects.filter(memberships__user=user)
