"""Versions and aliases: Publish/List/DeleteStateMachineVersion, the five alias operations.

The same services as the studio and the REST API (``workflow_publish``,
``workflow_version_delete``, ``designer.services.aliases``): a version is an
immutable published definition (``<machine ARN>:<number>``), an alias routes
starts to one or two versions by weight (``<machine ARN>:<alias name>``).
"""

from __future__ import annotations

from typing import Any

from designer import arns
from designer.aws import resolve
from designer.aws.errors import AwsError, invalid_arn, translate
from designer.aws.wire import offset_page
from designer.models import Workflow, WorkflowAlias
from designer.selectors.aliases import alias_get, alias_list
from designer.selectors.workflows import workflow_version_list
from designer.services.access import EDIT, workflow_get_for
from designer.services.access_keys import KeyHolder
from designer.services.aliases import alias_create, alias_delete, alias_update
from designer.services.workflow_versions import workflow_version_delete
from designer.services.workflows import workflow_publish


def _page(key: str, rows: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
    page, token = offset_page(rows, params)
    return {key: page, **({"nextToken": token} if token else {})}


def publish_state_machine_version(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    ref = resolve.machine(holder, params["stateMachineArn"], qualified=False)
    workflow = ref.workflow
    revision = params.get("revisionId")
    if revision is not None and not str(revision).isdigit():
        raise AwsError("ConflictException", f"revisionId {revision!r} is not this state machine's.")
    with translate(not_found="StateMachineDoesNotExist"):
        workflow_get_for(holder.user, workflow.pk, EDIT)  # before any shortcut: a viewer may not
    latest = workflow.versions.order_by("-number").first()
    if latest is not None and latest.definition == workflow.definition:
        # nothing changed since the last version: AWS answers with that version
        return {
            "creationDate": latest.created_at,
            "stateMachineVersionArn": arns.version_arn(workflow, latest.number),
        }
    with translate(not_found="StateMachineDoesNotExist"):
        version = workflow_publish(
            actor=holder.user,
            workflow_id=workflow.pk,
            description=params.get("description") or "",
            revision=int(revision) if revision is not None else None,
        )
    return {
        "creationDate": version.created_at,
        "stateMachineVersionArn": arns.version_arn(workflow, version.number),
    }


def list_state_machine_versions(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    ref = resolve.machine(holder, params["stateMachineArn"], qualified=False)
    with translate(not_found="StateMachineDoesNotExist"):
        versions = list(workflow_version_list(user=holder.user, workflow_id=ref.workflow.pk))
    rows = [
        {
            "stateMachineVersionArn": arns.version_arn(ref.workflow, v.number),
            "creationDate": v.created_at,
        }
        for v in versions
    ]
    return _page("stateMachineVersions", rows, params)


def delete_state_machine_version(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["stateMachineVersionArn"]
    try:
        ref = resolve.machine(holder, arn)
    except AwsError as err:
        if err.code == "StateMachineDoesNotExist":
            return {}  # deleting what is gone succeeds, as on AWS
        raise
    if ref.version is None:
        raise invalid_arn(arn, "a state machine version ARN")
    try:
        with translate(conflict="ConflictException"):
            workflow_version_delete(
                actor=holder.user, workflow_id=ref.workflow.pk, number=ref.version
            )
    except AwsError as err:
        if err.code != "ResourceNotFound":
            raise
    return {}


# ---- aliases ------------------------------------------------------------------------------


def _routing(
    holder: KeyHolder, routes: list[dict[str, Any]]
) -> tuple[Workflow, list[dict[str, int]]]:
    """AWS's routingConfiguration as the alias service's routing, all of one state machine."""
    workflow: Workflow | None = None
    routing = []
    for route in routes:
        ref = resolve.machine(holder, route["stateMachineVersionArn"])
        if ref.version is None:
            raise invalid_arn(route["stateMachineVersionArn"], "a state machine version ARN")
        if workflow is not None and ref.workflow.pk != workflow.pk:
            raise AwsError(
                "ValidationException",
                "All versions an alias routes to must be of the same state machine.",
                reason="INVALID_ROUTING_CONFIGURATION",
            )
        workflow = ref.workflow
        routing.append({"version": ref.version, "weight": route["weight"]})
    assert workflow is not None  # the model requires at least one route
    return workflow, routing


def _versions_exist(workflow: Workflow, routes: list[dict[str, Any]]) -> None:
    """Every version routed to exists, else AWS's ``ResourceNotFound`` naming the first missing."""
    numbers = {int(arn.rsplit(":", 1)[-1]) for arn in (r["stateMachineVersionArn"] for r in routes)}
    found = set(workflow.versions.filter(number__in=numbers).values_list("number", flat=True))
    for route in routes:
        if int(route["stateMachineVersionArn"].rsplit(":", 1)[-1]) not in found:
            raise AwsError(
                "ResourceNotFound", f"Resource Not Found: '{route['stateMachineVersionArn']}'"
            )


def _alias_ref(holder: KeyHolder, arn: Any) -> tuple[Workflow, str]:
    ref = resolve.machine(holder, arn)
    if ref.alias is None:
        raise invalid_arn(arn, "a state machine alias ARN")
    return ref.workflow, ref.alias


def _routes_out(workflow: Workflow, alias: WorkflowAlias) -> list[dict[str, Any]]:
    return [
        {"stateMachineVersionArn": arns.version_arn(workflow, r["version"]), "weight": r["weight"]}
        for r in alias.routing
    ]


def create_state_machine_alias(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    workflow, routing = _routing(holder, params["routingConfiguration"])
    with translate(not_found="ResourceNotFound"):
        workflow_get_for(holder.user, workflow.pk, EDIT)  # before the same-alias shortcut
    _versions_exist(workflow, params["routingConfiguration"])
    existing = workflow.aliases.filter(name=params["name"]).first()
    if existing is not None and list(existing.routing) == routing:
        return {  # the same alias again: AWS answers with the existing one
            "stateMachineAliasArn": arns.alias_arn(workflow, existing.name),
            "creationDate": existing.created_at,
        }
    with translate(not_found="ResourceNotFound", conflict="ConflictException"):
        alias = alias_create(
            actor=holder.user,
            workflow_id=workflow.pk,
            name=params["name"],
            routing=routing,
            description=params.get("description", ""),
        )
    return {
        "stateMachineAliasArn": arns.alias_arn(workflow, alias.name),
        "creationDate": alias.created_at,
    }


def describe_state_machine_alias(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    workflow, name = _alias_ref(holder, params["stateMachineAliasArn"])
    with translate(not_found="ResourceNotFound"):
        alias = alias_get(user=holder.user, workflow_id=workflow.pk, name=name)
    return {
        "stateMachineAliasArn": arns.alias_arn(workflow, alias.name),
        "name": alias.name,
        "description": alias.description,
        "routingConfiguration": _routes_out(workflow, alias),
        "creationDate": alias.created_at,
        "updateDate": alias.updated_at,
    }


def update_state_machine_alias(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    workflow, name = _alias_ref(holder, params["stateMachineAliasArn"])
    routing = None
    if params.get("routingConfiguration"):
        routed, routing = _routing(holder, params["routingConfiguration"])
        if routed.pk != workflow.pk:
            raise AwsError(
                "ValidationException",
                "An alias routes to versions of its own state machine only.",
                reason="INVALID_ROUTING_CONFIGURATION",
            )
        _versions_exist(workflow, params["routingConfiguration"])
    if routing is None and "description" not in params:
        raise AwsError(
            "ValidationException", "Send a description or a routingConfiguration to change."
        )
    with translate(not_found="ResourceNotFound"):
        alias = alias_update(
            actor=holder.user,
            workflow_id=workflow.pk,
            name=name,
            routing=routing,
            description=params.get("description"),
        )
    return {"updateDate": alias.updated_at}


def delete_state_machine_alias(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    workflow, name = _alias_ref(holder, params["stateMachineAliasArn"])
    with translate(not_found="ResourceNotFound"):
        alias_delete(actor=holder.user, workflow_id=workflow.pk, name=name)
    return {}


def list_state_machine_aliases(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    ref = resolve.machine(holder, params["stateMachineArn"], qualified=False)
    with translate(not_found="StateMachineDoesNotExist"):
        aliases = list(alias_list(user=holder.user, workflow_id=ref.workflow.pk))
    rows = [
        {"stateMachineAliasArn": arns.alias_arn(ref.workflow, a.name), "creationDate": a.created_at}
        for a in aliases
    ]
    return _page("stateMachineAliases", rows, params)


OPERATIONS = {
    "PublishStateMachineVersion": publish_state_machine_version,
    "ListStateMachineVersions": list_state_machine_versions,
    "DeleteStateMachineVersion": delete_state_machine_version,
    "CreateStateMachineAlias": create_state_machine_alias,
    "DescribeStateMachineAlias": describe_state_machine_alias,
    "UpdateStateMachineAlias": update_state_machine_alias,
    "DeleteStateMachineAlias": delete_state_machine_alias,
    "ListStateMachineAliases": list_state_machine_aliases,
}
