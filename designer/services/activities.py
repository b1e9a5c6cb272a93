"""Activities: named queues of Task work that outside workers poll for (AWS's GetActivityTask).

A Task whose ``Resource`` is an activity ARN
(``arn:aws:states:<region>:<account>:activity:<name>``) becomes a
``TaskInvocation`` of kind ``activity`` in the SCHEDULED state (see
``designer.runtime.task_routing``). A worker polling that activity claims the
oldest scheduled invocation, gets its task token and input, and answers with
``task_send_success`` / ``task_send_failure`` / ``task_send_heartbeat``. The
engine enforces ``TimeoutSeconds`` and ``HeartbeatSeconds``: when a timer fires
the invocation is cancelled and a late answer gets ``TaskTimedOut``.

Task tokens: an invocation stores only the token's hash. The plaintext is an
HMAC of the execution's id and the task id under the execution's secret
``token_key`` (``engine.interpreter.task.task_token``), and that key is part of
the execution's saved engine state while it runs. So a claim recomputes the
token from the saved state instead of keeping a second (encrypted) copy: no
extra secret to manage, nothing to rotate, and a token can only be handed out
while its execution is still running.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, connection, transaction

from designer import arns
from designer.errors import Conflict, NotFound, ValidationFailed
from designer.models import (
    NAME_RULE,
    Activity,
    Execution,
    ExecutionStatus,
    InvocationStatus,
    TaskInvocation,
)
from designer.runtime.task_routing import token_hash
from designer.services.access import EDIT, RUN, VIEW, team_get_for, team_require, teams_of
from designer.services.audit import audit_record
from designer.services.execution_runtime import execution_signal
from designer.services.workflow_fields import check_tags
from engine.interpreter.data import ExecutionState
from engine.interpreter.effects import TaskFailed
from engine.interpreter.task import task_token

log = logging.getLogger(__name__)

MAX_WAIT_SECONDS = 60.0  # GetActivityTask holds a poll open for up to 60 seconds
_ACTIVE = (InvocationStatus.SCHEDULED, InvocationStatus.STARTED)


activity_arn = arns.activity_arn


def activity_list(user: Any, slug: str) -> list[Activity]:
    team = team_get_for(user, slug, VIEW)
    return list(Activity.objects.filter(team=team).order_by("name"))


def activities_visible(user: Any, arn: str | None = None) -> list[Activity]:
    """Every activity in the user's teams; with ``arn``, those with that ARN's name."""
    found = Activity.objects.filter(team__in=teams_of(user)).select_related("team")
    if arn:
        parsed = arns.parse_arn(arn)
        if parsed is None or parsed.kind != "activity" or len(parsed.parts) != 1:
            return []
        found = found.filter(name=parsed.parts[0])
        return [a for a in found.order_by("name", "pk") if parsed.owned_by(a.team_id)]
    return list(found.order_by("name", "pk"))


def activity_create(user: Any, slug: str, name: Any) -> Activity:
    team = team_get_for(user, slug, EDIT)
    if not isinstance(name, str):
        raise ValidationFailed("name is required.")
    try:
        NAME_RULE(name)
    except DjangoValidationError as err:
        raise ValidationFailed(err.messages[0], {"name": err.messages}) from None
    try:
        with transaction.atomic():
            activity = Activity.objects.create(team=team, name=name)
            audit_record(team, user, "activity.create", name)
    except IntegrityError:
        raise Conflict(f"An activity named {name} already exists.") from None
    return activity


def activity_get_for(user: Any, activity_id: Any, minimum: str = VIEW) -> Activity:
    """The activity if the user's role in its team is at least ``minimum``; outsiders get 404."""
    activity = Activity.objects.select_related("team").filter(pk=activity_id).first()
    if activity is None:
        raise NotFound("No such activity.")
    try:
        team_require(user, activity.team, minimum)
    except NotFound:
        raise NotFound("No such activity.") from None
    return activity


def activity_tags_update(
    user: Any, activity_id: Any, add: dict[str, str] | None = None, remove: Any = ()
) -> Activity:
    """Add (or overwrite) and remove tags (editors), within AWS's tag limits."""
    activity = activity_get_for(user, activity_id, EDIT)
    tags = {k: v for k, v in {**activity.tags, **(add or {})}.items() if k not in set(remove)}
    activity.tags = check_tags(tags)
    activity.save(update_fields=["tags"])
    audit_record(activity.team, user, "activity.tags", activity.name, tags=sorted(tags))
    return activity


def activity_delete(user: Any, activity_id: Any) -> None:
    """Delete an activity; Tasks still waiting on it fail with ``ActivityDoesNotExist``."""
    activity = activity_get_for(user, activity_id, EDIT)
    with transaction.atomic():
        waiting = list(
            TaskInvocation.objects.filter(activity=activity, status__in=_ACTIVE).values_list(
                "execution_id", "task_id"
            )
        )
        audit_record(activity.team, user, "activity.delete", activity.name)
        activity.delete()  # its invocations go with it (and their tokens stop working)
        cause = f"The activity {activity_arn(activity)} was deleted."
        for execution_id, task_id in waiting:
            execution_signal(execution_id, TaskFailed(task_id, "ActivityDoesNotExist", cause))


def activity_poll_check(user: Any, activity_id: Any) -> Activity:
    """Who may poll: runners and up in the activity's team."""
    return activity_get_for(user, activity_id, RUN)


def clamp_wait(value: Any) -> float:
    """The long-poll time asked for, in seconds (default and cap: 60)."""
    if value is None or value == "":
        return MAX_WAIT_SECONDS
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ValidationFailed("wait must be a number of seconds.") from None
    if seconds != seconds or seconds < 0:  # NaN or negative
        raise ValidationFailed("wait must be between 0 and 60 seconds.")
    return min(seconds, MAX_WAIT_SECONDS)


def _token_for(execution: Execution, invocation: TaskInvocation) -> str | None:
    """Recompute the invocation's task token from its execution's saved engine state."""
    state = execution.state
    if execution.status != ExecutionStatus.RUNNING or not isinstance(state, dict):
        return None
    key, context = state.get("token_key"), state.get("context")
    if not key or not isinstance(context, dict):
        return None
    token = task_token(ExecutionState(context=context, token_key=key), invocation.task_id)
    return token if token_hash(token) == invocation.token_hash else None


def activity_claim(activity_id: Any, worker_name: str = "") -> tuple[str, Any] | None:
    """Claim the oldest scheduled task of an activity: ``(taskToken, input)`` or None.

    One short transaction per attempt; on PostgreSQL the candidate row is
    locked with SKIP LOCKED, so concurrent pollers pass over each other's rows
    instead of queueing. The status change is also conditional, so two pollers
    never get the same task even where row locks do not exist (SQLite).
    """
    skip_locked = connection.features.has_select_for_update_skip_locked
    for _ in range(100):
        with transaction.atomic():
            pending = TaskInvocation.objects.filter(
                activity_id=activity_id, status=InvocationStatus.SCHEDULED
            ).order_by("created_at", "pk")
            if skip_locked:
                pending = pending.select_for_update(skip_locked=True)
            invocation = pending.first()
            if invocation is None:
                return None
            execution = (
                Execution.objects.filter(pk=invocation.execution_id)
                .only("id", "status", "state")
                .first()
            )
            token = _token_for(execution, invocation) if execution is not None else None
            now = datetime.now(tz=UTC)
            if token is None:
                # its execution ended (or its state cannot vouch for it): nobody may take it
                log.warning("cancelling orphaned activity task %s", invocation.pk)
                TaskInvocation.objects.filter(
                    pk=invocation.pk, status=InvocationStatus.SCHEDULED
                ).update(status=InvocationStatus.CANCELLED, finished_at=now)
                continue
            claimed = TaskInvocation.objects.filter(
                pk=invocation.pk, status=InvocationStatus.SCHEDULED
            ).update(status=InvocationStatus.STARTED, worker_name=worker_name[:80], started_at=now)
            if claimed:
                return token, invocation.input
    return None


def release_connection() -> None:
    """Between long-poll attempts: hand the connection back (unless a transaction holds it)."""
    if not connection.in_atomic_block:
        connection.close()
