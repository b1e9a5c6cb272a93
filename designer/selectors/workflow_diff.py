"""Comparing any two of a workflow's draft and published versions (``engine.diff``)."""

from __future__ import annotations

from typing import Any

from designer.errors import NotFound, ValidationFailed
from designer.models import Workflow
from designer.services.access import VIEW, workflow_get_for
from engine.diff import definition_diff

DRAFT = "draft"


def _ref(raw: Any, field: str) -> str | int:
    """``draft`` or a version number, from a query parameter."""
    text = str(raw if raw not in (None, "") else DRAFT).strip()
    if text == DRAFT:
        return DRAFT
    if text.isdigit() and int(text) >= 1:
        return int(text)
    raise ValidationFailed(f"{field} is 'draft' or a version number.", {field: [f"Got {text!r}."]})


def _definition_at(workflow: Workflow, ref: str | int) -> Any:
    if ref == DRAFT:
        return workflow.definition
    version = workflow.versions.filter(number=ref).only("definition").first()
    if version is None:
        raise NotFound(f"Workflow {workflow.name!r} has no version {ref}.")
    return version.definition


def workflow_diff(*, user: Any, workflow_id: Any, old: Any, new: Any) -> dict[str, Any]:
    """The semantic diff from ``old`` to ``new`` (each ``draft`` or a version number)."""
    workflow = workflow_get_for(user, workflow_id, VIEW)
    old_ref, new_ref = _ref(old, "from"), _ref(new, "to")
    before, after = _definition_at(workflow, old_ref), _definition_at(workflow, new_ref)
    return {
        "from": old_ref,
        "to": new_ref,
        **definition_diff(
            before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
        ),
    }
