"""Restoring a published version into the draft.

The version's definition replaces the draft's (layout, name and settings stay);
it goes through ``workflow_update``, so the caller sends the draft ``revision``
it looked at, the revision increments and a stale one is a 409. Versions stay
immutable: restoring copies, it never moves or deletes a version.
"""

from __future__ import annotations

from typing import Any

from designer.errors import NotFound
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
