"""Workflows: create, update (optimistic concurrency), delete, duplicate, validate, publish.

Every service checks the caller's role in the owning team through
``designer.services.access`` (viewers read; editors and owners change) and
records an audit entry for each change.

A draft may be saved with validation errors (it is a draft), and each save
returns the engine's diagnostics; the definition must still be a JSON object.
Publishing refuses a definition with errors and freezes it as the next
``WorkflowVersion``. An update names the ``revision`` it was made against; when
someone else saved in between, it fails with ``Conflict`` carrying the current
workflow, so nothing is ever silently overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

import engine
from designer.errors import Conflict, ValidationFailed
from designer.limits import limit
from designer.models import NAME_RULE, Team, Workflow, WorkflowType, WorkflowVersion
from designer.services.access import EDIT, VIEW, team_get_for, workflow_get_for
from designer.services.audit import audit_record
from designer.services.workflow_fields import check_express, check_retention, check_tags
from engine.jsonvalue import definition_too_large, json_problem, payload_size
from engine.validation import validate_text

Diagnostics = list[dict[str, object]]
EDITABLE_FIELDS = (
    "name",
    "type",
    "description",
    "definition",
    "layout",
    "tags",
    "retention_days",
    "aws_options",
)


@dataclass(frozen=True, slots=True)
class SavedWorkflow:
    """A workflow just written, with the diagnostics of its draft definition."""

    workflow: Workflow
    diagnostics: Diagnostics


def definition_diagnostics(definition: Any) -> Diagnostics:
    """The engine's diagnostics of a parsed definition, as JSON-ready dicts."""
    return [d.to_dict() for d in engine.validate(definition)]


def text_diagnostics(text: str) -> Diagnostics:
    """Diagnostics of definition text (JSON or YAML), each with a line and column."""
    return [d.to_dict() for d in validate_text(text)]


def has_errors(diagnostics: Diagnostics) -> bool:
    return any(d.get("severity") == "error" for d in diagnostics)


def workflow_snapshot(workflow: Workflow) -> dict[str, Any]:
    """The workflow as plain JSON data (what a 409 carries as the current state)."""
    return {
        "id": str(workflow.id),
        "team": workflow.team.slug,
        "name": workflow.name,
        "type": workflow.type,
        "description": workflow.description,
        "revision": workflow.revision,
        "definition": workflow.definition,
        "layout": workflow.layout,
        "updated_at": workflow.updated_at.isoformat() if workflow.updated_at else None,
        "tags": workflow.tags,
        "retention_days": workflow.retention_days,
    }


def _check_name(name: Any) -> str:
    if not isinstance(name, str):
        raise ValidationFailed("The name must be text.", {"name": ["Must be a string."]})
    try:
        NAME_RULE(name)
    except DjangoValidationError as exc:
        message = f"The name {name!r} is not allowed."
        raise ValidationFailed(message, {"name": exc.messages}) from None
    return name


def _check_type(kind: Any) -> str:
    if kind not in WorkflowType.values:
        raise ValidationFailed(
            "The type must be STANDARD or EXPRESS.", {"type": [f"Not a workflow type: {kind!r}."]}
        )
    return str(kind)


def _check_storable(field: str, value: Any) -> None:
    """Refuse a value larger than the definition quota (AWS: 1 MB) or that cannot be stored."""
    most = limit("DEFINITION_MAX_BYTES")
    too_large = definition_too_large(value, most, field)
    if too_large is not None:
        raise ValidationFailed(
            too_large,
            {field: [f"At most {most} bytes of JSON."], "size": payload_size(value), "limit": most},
        )
    problem = json_problem(value, limit("JSON_MAX_DEPTH"))
    if problem is not None:
        where, why = problem
        raise ValidationFailed(
            f"The {field} cannot be stored: at {where or '/'}, {why}.",
            {field: [f"{where or '/'}: {why}."], "pointer": where},
        )


def _check_definition(definition: Any) -> dict[str, Any]:
    if not isinstance(definition, dict):
        raise ValidationFailed(
            "The definition must be a JSON object (the state machine's ASL).",
            {"definition": ["Must be a JSON object."]},
        )
    _check_storable("definition", definition)
    return definition


def _check_layout(layout: Any) -> dict[str, Any]:
    if layout is None:
        return {}
    if not isinstance(layout, dict):
        raise ValidationFailed(
            "The layout must be a JSON object.", {"layout": ["Must be a JSON object."]}
        )
    _check_storable("layout", layout)
    return layout


def _check_description(description: Any) -> str:
    if description is None:
        return ""
    if not isinstance(description, str):
        raise ValidationFailed(
            "The description must be text.", {"description": ["Must be a string."]}
        )
    return description


def _check_aws_options(options: Any) -> dict[str, Any]:
    """What the AWS API stores but cannot apply (roleArn, loggingConfiguration, ...)."""
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise ValidationFailed(
            "The AWS options must be a JSON object.", {"aws_options": ["Must be an object."]}
        )
    _check_storable("aws_options", options)
    return options


def _name_taken(team: Team, name: str) -> Conflict:
    return Conflict(
        f"A workflow named {name!r} already exists in this team.", {"name": name, "team": team.slug}
    )


def workflow_create(
    *,
    actor: Any,
    team_slug: str,
    name: Any,
    definition: Any,
    type: Any = WorkflowType.STANDARD,
    description: Any = "",
    layout: Any = None,
    audit_action: str = "workflow.create",
    audit_details: dict[str, Any] | None = None,
    tags: Any = None,
    retention_days: Any = None,
    aws_options: Any = None,
) -> SavedWorkflow:
    """A new workflow in the team; the caller needs the editor role."""
    team = team_get_for(actor, team_slug, EDIT)
    workflow = Workflow(
        team=team,
        name=_check_name(name),
        type=_check_type(type),
        description=_check_description(description),
        # cast: the JSON-as-text field is typed as text by the Django stubs
        definition=cast(Any, _check_definition(definition)),
        layout=cast(Any, _check_layout(layout)),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        tags=cast(Any, check_tags(tags)),
        aws_options=cast(Any, _check_aws_options(aws_options)),
    )
    if retention_days is not None:
        workflow.retention_days = check_retention(retention_days)
    check_express(workflow.type, workflow.definition)
    if Workflow.objects.filter(team=team, name=workflow.name).exists():
        raise _name_taken(team, workflow.name)
    try:
        with transaction.atomic():
            workflow.save()
            audit_record(
                team,
                actor,
                audit_action,
                f"workflow:{workflow.id}",
                name=workflow.name,
                **(audit_details or {}),
            )
    except IntegrityError:
        raise _name_taken(team, workflow.name) from None
    return SavedWorkflow(workflow, definition_diagnostics(workflow.definition))


def workflow_update(
    *, actor: Any, workflow_id: Any, revision: Any, changes: dict[str, Any]
) -> SavedWorkflow:
    """Apply ``changes`` (any of name, type, description, definition, layout) to the draft.

    ``revision`` is the revision the caller edited; when the stored one differs
    the update is refused with ``Conflict`` and the current workflow.
    """
    workflow = workflow_get_for(actor, workflow_id, EDIT)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(
            "These fields cannot be changed.", {field: ["Not editable."] for field in unknown}
        )
    if isinstance(revision, bool) or not isinstance(revision, int):
        raise ValidationFailed(
            "Send the revision you edited.", {"revision": ["A whole number is required."]}
        )
    checks: dict[str, Callable[[Any], Any]] = {
        "name": _check_name,
        "type": _check_type,
        "description": _check_description,
        "definition": _check_definition,
        "layout": _check_layout,
        "tags": check_tags,
        "retention_days": check_retention,
        "aws_options": _check_aws_options,
    }
    cleaned = {field: checks[field](value) for field, value in changes.items()}
    try:
        with transaction.atomic():
            current = (
                Workflow.objects.select_for_update().select_related("team").get(pk=workflow.pk)
            )
            if current.revision != revision:
                raise Conflict(
                    f"This workflow changed since revision {revision}; it is now at revision "
                    f"{current.revision}. Merge your edits into the current version and retry.",
                    {"current": workflow_snapshot(current), "your_revision": revision},
                )
            if "name" in cleaned and cleaned["name"] != current.name:
                taken = Workflow.objects.filter(team=current.team, name=cleaned["name"])
                if taken.exclude(pk=current.pk).exists():
                    raise _name_taken(current.team, cleaned["name"])
            for field, value in cleaned.items():
                setattr(current, field, value)
            if "type" in cleaned or "definition" in cleaned:
                check_express(current.type, current.definition)
            current.revision += 1
            current.save()
            audit_record(
                current.team,
                actor,
                "workflow.update",
                f"workflow:{current.id}",
                name=current.name,
                revision=current.revision,
                fields=sorted(cleaned),
            )
    except IntegrityError:
        raise _name_taken(workflow.team, str(cleaned.get("name"))) from None
    return SavedWorkflow(current, definition_diagnostics(current.definition))


def workflow_delete(*, actor: Any, workflow_id: Any) -> None:
    workflow = workflow_get_for(actor, workflow_id, EDIT)
    with transaction.atomic():
        audit_record(
            workflow.team,
            actor,
            "workflow.delete",
            f"workflow:{workflow.id}",
            name=workflow.name,
            revision=workflow.revision,
        )
        workflow.delete()


def workflow_duplicate(
    *, actor: Any, workflow_id: Any, name: Any, description: Any = None
) -> SavedWorkflow:
    """A copy of the draft (definition, layout, type) under a new name in the same team."""
    source = workflow_get_for(actor, workflow_id, EDIT)
    return workflow_create(
        actor=actor,
        team_slug=source.team.slug,
        name=name,
        type=source.type,
        description=source.description if description is None else description,
        definition=source.definition,
        layout=source.layout,
        tags=source.tags,
        retention_days=source.retention_days,
        audit_details={"duplicated_from": str(source.id)},
    )


def workflow_validate(
    *, actor: Any, workflow_id: Any, definition: Any = None, text: Any = None
) -> Diagnostics:
    """Diagnostics of the stored draft, or of a definition (object) or text sent instead."""
    workflow = workflow_get_for(actor, workflow_id, VIEW)
    if text is not None:
        if not isinstance(text, str):
            raise ValidationFailed("The text must be a string.", {"text": ["Must be a string."]})
        return text_diagnostics(text)
    if definition is not None:
        return definition_diagnostics(_check_definition(definition))
    return definition_diagnostics(workflow.definition)


def _check_version_room(workflow: Workflow) -> None:
    """AWS's quota: at most ``VERSIONS_PER_WORKFLOW_MAX`` (1,000) versions of a state machine."""
    most = limit("VERSIONS_PER_WORKFLOW_MAX")
    if workflow.versions.count() >= most:
        raise Conflict(
            f"Workflow {workflow.name!r} already has {most} published versions, the most it "
            "may have (VERSIONS_PER_WORKFLOW_MAX, AWS's quota); duplicate the workflow to "
            "publish further.",
            {"limit": most},
        )


def workflow_publish(
    *, actor: Any, workflow_id: Any, description: Any = "", revision: Any = None
) -> WorkflowVersion:
    """Freeze the draft as the next immutable version; refuses a definition with errors.

    When ``revision`` is given, the draft must still be at that revision, so the
    caller publishes exactly what they looked at.
    """
    workflow = workflow_get_for(actor, workflow_id, EDIT)
    note = _check_description(description)
    with transaction.atomic():
        current = Workflow.objects.select_for_update().select_related("team").get(pk=workflow.pk)
        if revision is not None and revision != current.revision:
            raise Conflict(
                f"The draft changed since revision {revision}; it is now at revision "
                f"{current.revision}. Review it and publish again.",
                {"current": workflow_snapshot(current), "your_revision": revision},
            )
        check_express(current.type, current.definition)
        diagnostics = definition_diagnostics(current.definition)
        if has_errors(diagnostics):
            raise ValidationFailed(
                "The definition has validation errors; fix them before publishing.",
                {"diagnostics": diagnostics},
            )
        _check_version_room(current)
        last = current.versions.aggregate(last=Max("number"))["last"] or 0
        version = WorkflowVersion.objects.create(
            workflow=current,
            number=last + 1,
            definition=current.definition,
            description=note,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            current.team,
            actor,
            "workflow.publish",
            f"workflow:{current.id}",
            name=current.name,
            version=version.number,
            revision=current.revision,
        )
    return version
