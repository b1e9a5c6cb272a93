"""A workflow's settings page: name, description, type, timeout, tags, retention; delete summary.

The timeout is not a setting of its own: it is the definition's top-level
``TimeoutSeconds``, as on AWS, so the ASL stays the one source of truth (an
export carries it, a deployed copy behaves the same). Setting ``timeout_seconds``
writes ``TimeoutSeconds`` into the draft; ``null`` removes it (no timeout: a
Standard execution may run a year, an Express one five minutes).

Every change goes through ``workflow_update``: the caller sends the draft
``revision`` it looked at, the revision increments, a stale one is a 409.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from designer.errors import Conflict, ValidationFailed
from designer.models import Execution, ExecutionStatus, Workflow, WorkflowType
from designer.services.access import EDIT, VIEW, workflow_get_for
from designer.services.workflows import SavedWorkflow, workflow_snapshot, workflow_update
from engine import limits

SETTINGS_FIELDS = ("name", "description", "type", "timeout_seconds", "tags", "retention_days")
STANDARD_MAX_SECONDS = limits.STANDARD_MAX_SECONDS  # a Standard execution runs at most a year
EXPRESS_MAX_SECONDS = limits.EXPRESS_MAX_SECONDS  # an Express one five minutes


def workflow_settings(workflow: Workflow) -> dict[str, Any]:
    """The settings of a workflow as the settings page shows them."""
    definition = workflow.definition if isinstance(workflow.definition, dict) else {}
    timeout = definition.get("TimeoutSeconds")
    return {
        "id": str(workflow.id),
        "revision": workflow.revision,
        "name": workflow.name,
        "description": workflow.description,
        "type": workflow.type,
        "timeout_seconds": timeout if isinstance(timeout, int) else None,
        "tags": workflow.tags,
        "retention_days": workflow.retention_days,
    }


def workflow_settings_get(*, actor: Any, workflow_id: Any) -> dict[str, Any]:
    return workflow_settings(workflow_get_for(actor, workflow_id, VIEW))


def _check_timeout(seconds: Any, kind: str) -> int | None:
    if seconds is None:
        return None
    most = EXPRESS_MAX_SECONDS if kind == WorkflowType.EXPRESS else STANDARD_MAX_SECONDS
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not 1 <= seconds <= most:
        raise ValidationFailed(
            f"A {kind.lower()} workflow's timeout is 1 to {most} seconds.",
            {"timeout_seconds": [f"A whole number from 1 to {most}, or null for none."]},
        )
    return int(seconds)


def workflow_settings_update(
    *, actor: Any, workflow_id: Any, revision: Any, changes: dict[str, Any]
) -> SavedWorkflow:
    """Apply settings ``changes`` to the workflow made against draft ``revision``."""
    workflow = workflow_get_for(actor, workflow_id, EDIT)
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationFailed(
            "These settings do not exist.", {field: ["Not a setting."] for field in unknown}
        )
    if revision != workflow.revision:  # checked again, under lock, by workflow_update
        raise Conflict(
            f"This workflow changed since revision {revision}; it is now at revision "
            f"{workflow.revision}. Reload the settings and retry.",
            {"current": workflow_snapshot(workflow), "your_revision": revision},
        )
    update = {k: v for k, v in changes.items() if k != "timeout_seconds"}
    kind = update.get("type", workflow.type)
    if "timeout_seconds" in changes or "type" in changes:
        current = workflow_settings(workflow)["timeout_seconds"]
        timeout = _check_timeout(changes.get("timeout_seconds", current), str(kind))
        if "timeout_seconds" in changes and isinstance(workflow.definition, dict):
            definition = {k: v for k, v in workflow.definition.items() if k != "TimeoutSeconds"}
            if timeout is not None:
                definition = _with_timeout(definition, timeout)
            update["definition"] = definition
    return workflow_update(actor=actor, workflow_id=workflow.pk, revision=revision, changes=update)


def _with_timeout(definition: dict[str, Any], seconds: int) -> dict[str, Any]:
    """The definition with ``TimeoutSeconds`` placed after ``StartAt`` (AWS's usual order)."""
    out: dict[str, Any] = {}
    for key, value in definition.items():
        out[key] = value
        if key == "StartAt":
            out["TimeoutSeconds"] = seconds
    out.setdefault("TimeoutSeconds", seconds)
    return out


@dataclass(frozen=True, slots=True)
class DeleteSummary:
    """What deleting a workflow does: running executions end, all stored ones go."""

    running_executions: int
    stored_executions: int
    versions: int
    aliases: int

    def to_dict(self) -> dict[str, int]:
        return {
            "running_executions": self.running_executions,
            "stored_executions": self.stored_executions,
            "versions": self.versions,
            "aliases": self.aliases,
        }


def workflow_delete_summary(*, actor: Any, workflow_id: Any) -> DeleteSummary:
    """Counts for the confirmation dialog; nothing is changed.

    Deleting removes the running executions with the rest (their pending work finds
    nothing and ends), every stored execution with its history, versions and aliases.
    """
    workflow = workflow_get_for(actor, workflow_id, VIEW)
    executions = Execution.objects.filter(workflow=workflow).aggregate(
        running=Count("pk", filter=Q(status=ExecutionStatus.RUNNING)), stored=Count("pk")
    )
    return DeleteSummary(
        running_executions=executions["running"],
        stored_executions=executions["stored"],
        versions=workflow.versions.count(),
        aliases=workflow.aliases.count(),
    )
