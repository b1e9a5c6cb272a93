"""State machines: Create, Describe, Update, Delete, List, DescribeForExecution, Validate.

A state machine is a Stateyard workflow (the same row the studio edits); its
``definition`` is the draft. AWS refuses a definition with errors where the
studio keeps it as a draft, so Create and Update check it first
(``InvalidDefinition`` naming each problem, code and JSON Pointer). What cannot
apply here (``roleArn``, logging, tracing, encryption) is stored as sent in
``aws_options`` and described back.
"""

from __future__ import annotations

import re
from typing import Any

from designer import arns
from designer.aws import resolve
from designer.aws.errors import AwsError, diagnostics_text, from_domain, translate, validation
from designer.aws.wire import json_text, offset_page, tags_in
from designer.errors import Conflict, DomainError, ValidationFailed
from designer.models import Execution, Workflow
from designer.selectors.workflows import workflow_list
from designer.services.access import VIEW, execution_get_for, workflow_get_for
from designer.services.access_keys import KeyHolder
from designer.services.workflows import (
    definition_diagnostics,
    has_errors,
    text_diagnostics,
    workflow_create,
    workflow_delete,
    workflow_publish,
    workflow_update,
)
from engine.validation import load_definition

OPTION_FIELDS = (
    "roleArn",
    "loggingConfiguration",
    "tracingConfiguration",
    "encryptionConfiguration",
)


_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}\Z")


def _checked_role(params: dict[str, Any]) -> None:
    """A ``roleArn`` must be an IAM role's ARN (AWS answers ``InvalidArn`` otherwise)."""
    role = params.get("roleArn")
    if role is not None and not _ROLE_ARN.match(role):
        raise AwsError(
            "InvalidArn",
            f"Invalid Arn: 'roleArn' must be an IAM role ARN "
            f"(arn:aws:iam::<12-digit account>:role/<name>), not {role[:120]!r}.",
        )


def parse_definition(text: str) -> dict[str, Any]:
    """The definition's JSON, or ``InvalidDefinition`` with every problem found."""
    definition, problems = load_definition(text)
    if definition is None or not isinstance(definition, dict):
        found = [d.to_dict() for d in problems] or text_diagnostics(text)
        raise AwsError(
            "InvalidDefinition", "Invalid State Machine Definition: " + diagnostics_text(found)
        )
    diagnostics = definition_diagnostics(definition)
    if has_errors(diagnostics):
        errors = [d for d in diagnostics if d.get("severity") == "error"]
        raise AwsError(
            "InvalidDefinition", "Invalid State Machine Definition: " + diagnostics_text(errors)
        )
    return dict(definition)


def _options(params: dict[str, Any], current: dict[str, Any] | None = None) -> dict[str, Any]:
    _checked_role(params)
    options = dict(current or {})
    options.update({k: params[k] for k in OPTION_FIELDS if k in params})
    return options


def _invalid_code(err: ValidationFailed) -> str:
    details = err.details if isinstance(err.details, dict) else {}
    if "name" in details:
        return "InvalidName"
    if "problems" in details or "type" in details:
        return "InvalidDefinition"
    return "ValidationException"


def _publish(holder: KeyHolder, workflow: Workflow, description: Any) -> str:
    with translate(invalid="InvalidDefinition", not_found="StateMachineDoesNotExist"):
        version = workflow_publish(
            actor=holder.user, workflow_id=workflow.pk, description=description or ""
        )
    return arns.version_arn(workflow, version.number)


def create_state_machine(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    definition = parse_definition(params["definition"])
    kind = params.get("type", "STANDARD")
    try:
        saved = workflow_create(
            actor=holder.user,
            team_slug=holder.team.slug,
            name=params["name"],
            definition=definition,
            type=kind,
            tags=tags_in(params.get("tags")),
            aws_options=_options(params),
            audit_details={"via": "aws"},
        )
    except Conflict:
        return _existing_if_identical(holder, params, definition, kind)
    except ValidationFailed as err:
        raise AwsError(_invalid_code(err), err.message) from None
    except DomainError as err:
        raise from_domain(err) from None
    workflow = saved.workflow
    out: dict[str, Any] = {
        "stateMachineArn": arns.machine_arn(workflow),
        "creationDate": workflow.created_at,
    }
    if params.get("publish"):
        out["stateMachineVersionArn"] = _publish(holder, workflow, params.get("versionDescription"))
    return out


def _existing_if_identical(
    holder: KeyHolder, params: dict[str, Any], definition: Any, kind: str
) -> dict[str, Any]:
    """AWS answers a repeated identical create with the existing machine; else it conflicts."""
    existing = Workflow.objects.get(team=holder.team, name=params["name"])
    same = existing.definition == definition and existing.type == kind
    if not same or existing.aws_options.get("roleArn") != params.get("roleArn"):
        raise AwsError(
            "StateMachineAlreadyExists",
            f"State Machine Already Exists: '{arns.machine_arn(existing)}'",
        )
    return {"stateMachineArn": arns.machine_arn(existing), "creationDate": existing.created_at}


def _described(workflow: Workflow) -> dict[str, Any]:
    options = dict(workflow.aws_options or {})
    out: dict[str, Any] = {
        "stateMachineArn": arns.machine_arn(workflow),
        "name": workflow.name,
        "status": "ACTIVE",
        "definition": json_text(workflow.definition),
        "roleArn": arns.role_arn(workflow),
        "type": workflow.type,
        "creationDate": workflow.created_at,
        "loggingConfiguration": options.get("loggingConfiguration") or {"level": "OFF"},
        "tracingConfiguration": options.get("tracingConfiguration") or {"enabled": False},
        "revisionId": str(workflow.revision),
    }
    if workflow.description:
        out["description"] = workflow.description[:256]
    if options.get("encryptionConfiguration"):
        out["encryptionConfiguration"] = options["encryptionConfiguration"]
    return out


def describe_state_machine(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    ref = resolve.machine(holder, params["stateMachineArn"])
    if ref.alias is not None:
        raise resolve.machine_missing(params["stateMachineArn"])
    with translate(not_found="StateMachineDoesNotExist"):
        workflow = workflow_get_for(holder.user, ref.workflow.pk, VIEW)
    out = _described(workflow)
    if ref.version is not None:
        version = workflow.versions.filter(number=ref.version).first()
        if version is None:
            raise resolve.machine_missing(params["stateMachineArn"])
        out.update(
            stateMachineArn=arns.version_arn(workflow, version.number),
            definition=json_text(version.definition),
            creationDate=version.created_at,
            description=version.description[:256],
        )
        out.pop("revisionId", None)
    return out


def update_state_machine(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    ref = resolve.machine(holder, params["stateMachineArn"], qualified=False)
    changes: dict[str, Any] = {}
    if "definition" in params:
        changes["definition"] = parse_definition(params["definition"])
    if any(k in params for k in OPTION_FIELDS):
        changes["aws_options"] = _options(params, ref.workflow.aws_options)
    if not changes and not params.get("publish"):
        raise AwsError(
            "MissingRequiredParameter",
            "Either the definition, the roleArn, the loggingConfiguration or the "
            "tracingConfiguration must be specified.",
        )
    workflow = ref.workflow
    if changes:
        with translate(not_found="StateMachineDoesNotExist", invalid="InvalidDefinition"):
            workflow = workflow_update(
                actor=holder.user,
                workflow_id=workflow.pk,
                revision=workflow.revision,
                changes=changes,
            ).workflow
    out: dict[str, Any] = {"updateDate": workflow.updated_at, "revisionId": str(workflow.revision)}
    if params.get("publish"):
        out["stateMachineVersionArn"] = _publish(holder, workflow, params.get("versionDescription"))
    return out


def delete_state_machine(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["stateMachineArn"]
    try:
        ref = resolve.machine(holder, arn)
    except AwsError as err:
        if err.code == "StateMachineDoesNotExist":
            return {}  # deleting what is gone succeeds, as on AWS
        raise
    if ref.version is not None or ref.alias is not None:
        raise validation(
            "Use DeleteStateMachineVersion or DeleteStateMachineAlias for a qualified ARN.",
            "CANNOT_DELETE_QUALIFIED_ARN",
        )
    with translate(not_found="StateMachineDoesNotExist"):
        workflow_delete(actor=holder.user, workflow_id=ref.workflow.pk)
    return {}


def list_state_machines(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    with translate():
        rows = workflow_list(user=holder.user, team_slug=holder.team.slug)
    page, token = offset_page(list(rows), params)
    out: dict[str, Any] = {
        "stateMachines": [
            {
                "stateMachineArn": arns.machine_arn(w),
                "name": w.name,
                "type": w.type,
                "creationDate": w.created_at,
            }
            for w in page
        ]
    }
    if token:
        out["nextToken"] = token
    return out


def describe_state_machine_for_execution(
    holder: KeyHolder, params: dict[str, Any]
) -> dict[str, Any]:
    found: Execution = resolve.execution(holder, params["executionArn"])
    with translate(not_found="ExecutionDoesNotExist"):
        execution = execution_get_for(holder.user, found.pk, VIEW)
    workflow = execution.workflow
    described = _described(workflow)
    out = {
        "stateMachineArn": arns.machine_arn(workflow),
        "name": workflow.name,
        "definition": json_text(execution.definition),
        "roleArn": described["roleArn"],
        "updateDate": execution.version.created_at if execution.version else workflow.updated_at,
        "loggingConfiguration": described["loggingConfiguration"],
        "tracingConfiguration": described["tracingConfiguration"],
    }
    if execution.version is None:
        out["revisionId"] = str(workflow.revision)
    return out


def validate_state_machine_definition(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    text = params["definition"]
    definition, problems = load_definition(text)
    found = (
        [d.to_dict() for d in problems]
        if definition is None
        else definition_diagnostics(definition)
    )
    threshold = params.get("severity", "ERROR")
    wanted = ("error",) if threshold == "ERROR" else ("error", "warning")
    rows = [
        {
            "severity": str(d.get("severity", "error")).upper(),
            "code": str(d.get("code", "SCHEMA_VALIDATION_FAILED")),
            "message": str(d.get("message", "")),
            "location": str(d.get("location") or "/"),
        }
        for d in found
        if d.get("severity", "error") in wanted
    ]
    most = params.get("maxResults") or 100
    return {
        "result": "FAIL" if any(r["severity"] == "ERROR" for r in rows) else "OK",
        "diagnostics": rows[:most],
        "truncated": len(rows) > most,
    }


OPERATIONS = {
    "CreateStateMachine": create_state_machine,
    "DescribeStateMachine": describe_state_machine,
    "UpdateStateMachine": update_state_machine,
    "DeleteStateMachine": delete_state_machine,
    "ListStateMachines": list_state_machines,
    "DescribeStateMachineForExecution": describe_state_machine_for_execution,
    "ValidateStateMachineDefinition": validate_state_machine_definition,
}
