"""Restoring a published version into the draft; deleting a version.

The version's definition replaces the draft's (layout, name and settings stay);
it goes through ``workflow_update``, so the caller sends the draft ``revision``
it looked at, the revision increments and a stale one is a 409. Versions stay
immutable: restoring copies, it never moves or deletes a version.

Deleting a version (AWS's DeleteStateMachineVersion) is refused while an alias
routes starts to it; executions that ran it keep their definition and lose
only the link to the version.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from designer.errors import Conflict, NotFound
from designer.services.access import EDIT, workflow_get_for
from designer.services.audit import audit_record
from designer.services.workflows import SavedWorkflow, workflow_update


def workflow_version_restore(
    *, actor: Any, workflow_id: Any, number: int, revision: Any
) -> SavedWorkflow:
    """Copy version ``number``'s definition into the draft made against ``revision``."""
    workflow = workflow_get_for(actor, workflow_id, EDIT)
    version = workflow.versions.filter(number=number).only("definition").first()
    if version is None:
        raise NotFound(f"Workflow {workflow.name!r} has no version {number}.")
    saved = workflow_update(
        actor=actor,
        workflow_id=workflow.pk,
        revision=revision,
        changes={"definition": version.definition},
    )
    audit_record(
        workflow.team,
        actor,
        "workflow.restore",
        f"workflow:{workflow.id}",
        name=saved.workflow.name,
        version=number,
        revision=saved.workflow.revision,
    )
    return saved


def workflow_version_delete(*, actor: Any, workflow_id: Any, number: int) -> None:
    """Delete version ``number`` (editors); Conflict while an alias routes to it."""
    workflow = workflow_get_for(actor, workflow_id, EDIT)
    version = workflow.versions.filter(number=number).first()
    if version is None:
        raise NotFound(f"Workflow {workflow.name!r} has no version {number}.")
    routed = [
        alias.name
        for alias in workflow.aliases.all()
        if any(route.get("version") == number for route in alias.routing)
    ]
    if routed:
        raise Conflict(
            f"Version {number} of {workflow.name!r} is used by the alias {routed[0]!r}; "
            "route the alias elsewhere first.",
            {"aliases": routed},
        )
    with transaction.atomic():
        audit_record(
            workflow.team,
            actor,
            "workflow.version_delete",
            f"workflow:{workflow.id}",
            name=workflow.name,
            version=number,
        )
        version.delete()
