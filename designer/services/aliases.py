"""Aliases, as AWS's state machine aliases: a name routing starts to one or two versions.

An alias's ``routing`` names 1 or 2 published versions with integer weights
(0-100) summing to 100; its name follows AWS's rule (1-80 letters, digits,
``-``, ``_``, ``.``, not only digits, so it never looks like a version number).

Routing a start (``alias_route``): AWS draws at random by weight. Stateyard
spreads starts deterministically instead: the alias counts its starts (under a
row lock), and start ``k`` goes to the first version exactly when
``floor((k+1)*w/100) > floor(k*w/100)``. Every 100 consecutive starts then
land exactly ``w`` and ``100-w``, evenly interleaved; a split is predictable,
testable and never drifts, which random draws of a small sample do.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction

from designer.errors import Conflict, NotFound, ValidationFailed
from designer.limits import limit
from designer.models import ALIAS_NAME_RULE, Workflow, WorkflowAlias
from designer.services.access import EDIT, workflow_get_for
from designer.services.audit import audit_record

MAX_DESCRIPTION = 256


def _check_name(name: Any) -> str:
    if not isinstance(name, str):
        raise ValidationFailed("The alias name must be text.", {"name": ["Must be a string."]})
    try:
        ALIAS_NAME_RULE(name)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            f"The alias name {name!r} is not allowed.", {"name": exc.messages}
        ) from None
    return name


def _check_description(description: Any) -> str:
    if description is None:
        return ""
    if not isinstance(description, str) or len(description) > MAX_DESCRIPTION:
        raise ValidationFailed(
            f"The description is text of at most {MAX_DESCRIPTION} characters.",
            {"description": [f"At most {MAX_DESCRIPTION} characters."]},
        )
    return description


def _check_routing(workflow: Workflow, routing: Any) -> list[dict[str, int]]:
    """1 or 2 distinct published versions, integer weights 0-100 summing to 100."""
    if not isinstance(routing, list) or not 1 <= len(routing) <= 2:
        raise ValidationFailed(
            "Route to one version, or split between two.",
            {"routing": ["A list of 1 or 2 {version, weight} entries."]},
        )
    cleaned: list[dict[str, int]] = []
    for index, entry in enumerate(routing):
        version = entry.get("version") if isinstance(entry, dict) else None
        weight = entry.get("weight") if isinstance(entry, dict) else None
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise ValidationFailed(
                "Each route names a version number.",
                {"routing": {str(index): ["version: a version number."]}},
            )
        if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 100:
            raise ValidationFailed(
                "Each weight is a whole number from 0 to 100.",
                {"routing": {str(index): ["weight: 0 to 100."]}},
            )
        cleaned.append({"version": version, "weight": weight})
    numbers = [r["version"] for r in cleaned]
    if len(set(numbers)) != len(numbers):
        raise ValidationFailed(
            "The two routes must name different versions.", {"routing": ["The same version twice."]}
        )
    if sum(r["weight"] for r in cleaned) != 100:
        raise ValidationFailed(
            "The weights must sum to 100.",
            {"routing": [f"They sum to {sum(r['weight'] for r in cleaned)}."]},
        )
    found = set(workflow.versions.filter(number__in=numbers).values_list("number", flat=True))
    missing = [n for n in numbers if n not in found]
    if missing:
        raise ValidationFailed(
            f"Workflow {workflow.name!r} has no version {missing[0]}; publish it first.",
            {"routing": [f"No version {n}." for n in missing]},
        )
    return cleaned


def _taken(workflow: Workflow, name: str) -> Conflict:
    return Conflict(f"Workflow {workflow.name!r} already has an alias {name!r}.", {"name": name})


def alias_get_in(workflow: Workflow, name: str) -> WorkflowAlias:
    alias = workflow.aliases.select_related("created_by").filter(name=name).first()
    if alias is None:
        raise NotFound(f"Workflow {workflow.name!r} has no alias {name!r}.")
    return alias


def _check_room(workflow: Workflow) -> None:
    """AWS's quota: at most ``ALIASES_PER_WORKFLOW_MAX`` (100) aliases on a state machine."""
    most = limit("ALIASES_PER_WORKFLOW_MAX")
    if workflow.aliases.count() >= most:
        raise Conflict(
            f"Workflow {workflow.name!r} already has {most} aliases, the most it may have "
            "(ALIASES_PER_WORKFLOW_MAX, AWS's quota); delete one it no longer needs first.",
            {"limit": most},
        )


def alias_create(
    *, actor: Any, workflow_id: Any, name: Any, routing: Any, description: Any = ""
) -> WorkflowAlias:
    workflow = workflow_get_for(actor, workflow_id, EDIT)
    alias = WorkflowAlias(
        workflow=workflow,
        name=_check_name(name),
        description=_check_description(description),
        routing=_check_routing(workflow, routing),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if workflow.aliases.filter(name=alias.name).exists():
        raise _taken(workflow, alias.name)
    try:
        with transaction.atomic():
            Workflow.objects.select_for_update().filter(pk=workflow.pk).first()
            _check_room(workflow)
            alias.save()
            audit_record(
                workflow.team,
                actor,
                "alias.create",
                f"workflow:{workflow.id}",
                alias=alias.name,
                routing=alias.routing,
            )
    except IntegrityError:
        raise _taken(workflow, alias.name) from None
    return alias


def alias_update(
    *, actor: Any, workflow_id: Any, name: str, routing: Any = None, description: Any = None
) -> WorkflowAlias:
    """Change an alias's routing and/or description (its name is its identity, as on AWS)."""
    workflow = workflow_get_for(actor, workflow_id, EDIT)
    with transaction.atomic():
        alias = alias_get_in(workflow, name)
        alias = WorkflowAlias.objects.select_for_update().get(pk=alias.pk)
        if routing is not None:
            alias.routing = _check_routing(workflow, routing)
        if description is not None:
            alias.description = _check_description(description)
        alias.save()
        audit_record(
            workflow.team,
            actor,
            "alias.update",
            f"workflow:{workflow.id}",
            alias=alias.name,
            routing=alias.routing,
        )
    return alias


def alias_delete(*, actor: Any, workflow_id: Any, name: str) -> None:
    """Delete an alias; executions started through it keep their version (alias becomes null)."""
    workflow = workflow_get_for(actor, workflow_id, EDIT)
    alias = alias_get_in(workflow, name)
    with transaction.atomic():
        audit_record(
            workflow.team, actor, "alias.delete", f"workflow:{workflow.id}", alias=alias.name
        )
        alias.delete()


def routed_version(routing: list[dict[str, int]], start: int) -> int:
    """The version start number ``start`` (0-based) goes to (see the module docstring)."""
    first = routing[0]
    if len(routing) == 1:
        return first["version"]
    weight = first["weight"]
    if (start + 1) * weight // 100 > start * weight // 100:
        return first["version"]
    return routing[1]["version"]


def alias_route(workflow: Workflow, name: Any) -> tuple[WorkflowAlias, int]:
    """The alias called ``name`` and the version number its next start runs."""
    if not isinstance(name, str):
        raise ValidationFailed("The alias must be a name.", {"alias": ["Must be a string."]})
    with transaction.atomic():
        alias = workflow.aliases.select_for_update().filter(name=name).first()
        if alias is None:
            raise NotFound(f"Workflow {workflow.name!r} has no alias {name!r}.")
        number = routed_version(list(alias.routing), alias.starts)
        alias.starts += 1
        alias.save(update_fields=["starts"])
    return alias, number
