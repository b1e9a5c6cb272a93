"""Who may see or change what: roles within a team.

Roles rank viewer < runner < editor < owner. A user who is not a member of the
owning team gets ``NotFound`` (the object's existence is not revealed); a member
whose role is too low gets ``PermissionDenied``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connections
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


def _to_run_sql() -> str:
    workflow, membership = Workflow._meta.db_table, Membership._meta.db_table
    return (
        f"SELECT w.*, m.role AS caller_role FROM {workflow} w "  # table names from the models
        f"LEFT JOIN {membership} m ON m.team_id = w.team_id AND m.user_id = %s "
        "WHERE w.id = %s"
    )


def workflow_get_to_run(user: Any, workflow_id: Any) -> Workflow:
    """``workflow_get_for(user, workflow_id, RUN)`` for StartExecution, its hot path.

    The same answers (NotFound for a stranger or no such workflow, PermissionDenied
    below runner) from one plain statement: building the ORM's query (a subquery
    for the role) cost more CPU than running it.
    """
    if not getattr(user, "is_authenticated", False):
        raise NotFound("No such workflow.")
    try:
        key = uuid.UUID(str(workflow_id))
    except ValueError:
        raise NotFound("No such workflow.") from None
    pk = Workflow._meta.pk
    assert pk is not None
    param = pk.get_db_prep_value(key, connections[Workflow.objects.db])
    found = list(Workflow.objects.raw(_to_run_sql(), [user.pk, param]))
    if not found:
        raise NotFound("No such workflow.")
    try:
        _role_require(getattr(found[0], "caller_role", None), RUN)
    except NotFound:
        raise NotFound("No such workflow.") from None
    return found[0]


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
