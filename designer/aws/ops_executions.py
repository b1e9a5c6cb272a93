"""Executions: Start (by machine, version or alias), StartSync, Describe, List, History, Stop,
Redrive.

Each calls the service the studio and the REST API call (``execution_start``,
``express_start_sync``, ``execution_stop``, ``execution_redrive``, the
execution selectors). ``<machine ARN>#<TestCase>`` starts with the mocked
responses of that test case of the team's Step Functions Local mock
configuration (``designer.services.mock_configs``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from designer import arns
from designer.aws import resolve
from designer.aws.errors import AwsError, translate
from designer.aws.wire import json_text, json_value, page_size
from designer.models import NAME_RULE, Execution, ExecutionStatus, WorkflowType
from designer.selectors.executions import (
    SUMMARY_FIELDS,
    execution_history,
    execution_list,
    executions_visible,
)
from designer.selectors.map_runs import map_run_by_arn, map_run_children
from designer.services.access import RUN, VIEW, execution_get_for, teams_of
from designer.services.access_keys import KeyHolder
from designer.services.execution_events import row_to_event
from designer.services.execution_redrive import execution_redrive, execution_redrive_status
from designer.services.executions import execution_start, execution_stop, express_start_sync
from designer.services.mock_configs import mock_script_for
from engine.history import render_event
from engine.jsonvalue import exceeds_payload_limit

_PAYLOAD_FIELDS = frozenset(
    ("input", "output", "inputDetails", "outputDetails", "parameters", "assignedVariables")
) | {"assignedVariablesDetails"}


def _name(params: dict[str, Any]) -> str | None:
    name = params.get("name")
    if name is None:
        return None
    try:
        NAME_RULE(name)
    except Exception:
        raise AwsError("InvalidName", f"Invalid Name: '{name}'") from None
    return str(name)


def _input(params: dict[str, Any]) -> Any:
    value = json_value(params.get("input"), "InvalidExecutionInput", "execution input")
    if exceeds_payload_limit(value):
        raise AwsError("InvalidExecutionInput", "The input is larger than the 256 KiB quota.")
    return {} if value is None else value


def _machine_and_case(holder: KeyHolder, text: str) -> tuple[resolve.MachineRef, Any]:
    arn, _, case = text.partition("#")
    ref = resolve.machine(holder, arn)
    mocks = None
    if case:
        with translate(not_found="ValidationException"):
            mocks = mock_script_for(holder.team, ref.workflow.name, case)
    return ref, mocks


def start_execution(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    ref, mocks = _machine_and_case(holder, params["stateMachineArn"])
    value, name = _input(params), _name(params)
    with translate(
        not_found="StateMachineDoesNotExist",
        conflict="ExecutionAlreadyExists",
        invalid="ValidationException",
    ):
        execution, _ = execution_start(
            holder.user,
            ref.workflow.pk,
            value,
            name=name,
            version=ref.version,
            alias=ref.alias,
            mocks=mocks,
        )
    execution.workflow = ref.workflow
    return {"executionArn": arns.execution_arn(execution), "startDate": execution.start_date}


def _included(execution: Execution, out: dict[str, Any], metadata_only: bool) -> None:
    if metadata_only:
        return
    out["input"] = json_text(execution.input)
    out["inputDetails"] = {"included": True}
    if execution.status == ExecutionStatus.SUCCEEDED:
        out["output"] = json_text(execution.output)
        out["outputDetails"] = {"included": True}


def _ending(execution: Execution, out: dict[str, Any]) -> None:
    if execution.stop_date:
        out["stopDate"] = execution.stop_date
    if execution.error is not None:
        out["error"] = execution.error[:256]
    if execution.cause is not None:
        out["cause"] = execution.cause[:32768]


def start_sync_execution(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    ref, mocks = _machine_and_case(holder, params["stateMachineArn"])
    if ref.version is not None or ref.alias is not None:
        raise AwsError(
            "ValidationException", "StartSyncExecution takes an unqualified state machine ARN."
        )
    if ref.workflow.type != WorkflowType.EXPRESS:
        raise AwsError(
            "StateMachineTypeNotSupported",
            "This operation is not supported by this type of state machine (STANDARD).",
        )
    value, name = _input(params), _name(params)
    with translate(not_found="StateMachineDoesNotExist", invalid="ValidationException"):
        execution, seconds = express_start_sync(
            holder.user, ref.workflow.pk, value, name=name, mocks=mocks
        )
    execution.workflow = ref.workflow
    status = execution.status if execution.status != ExecutionStatus.ABORTED else "FAILED"
    out: dict[str, Any] = {
        "executionArn": arns.execution_arn(execution),
        "stateMachineArn": arns.machine_arn(ref.workflow),
        "name": execution.name,
        "startDate": execution.start_date,
        "stopDate": execution.stop_date or datetime.now(tz=UTC),
        "status": status,
        "billingDetails": {
            "billedMemoryUsedInMB": 64,
            "billedDurationInMilliseconds": max(100, int(seconds * 1000)),
        },
    }
    _ending(execution, out)
    _included(execution, out, params.get("includedData") == "METADATA_ONLY")
    return out


def describe_execution(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    found = resolve.execution(holder, params["executionArn"])
    with translate(not_found="ExecutionDoesNotExist"):
        execution = execution_get_for(holder.user, found.pk, VIEW)
    execution.version, execution.alias = found.version, found.alias
    workflow = execution.workflow
    out: dict[str, Any] = {
        "executionArn": arns.execution_arn(execution),
        "stateMachineArn": arns.machine_arn(workflow),
        "name": execution.name,
        "status": execution.status,
        "startDate": execution.start_date,
        "redriveCount": execution.redrive_count,
    }
    _ending(execution, out)
    _included(execution, out, params.get("includedData") == "METADATA_ONLY")
    if execution.version is not None:
        out["stateMachineVersionArn"] = arns.version_arn(workflow, execution.version.number)
    if execution.alias is not None:
        out["stateMachineAliasArn"] = arns.alias_arn(workflow, execution.alias.name)
    if execution.redrive_date:
        out["redriveDate"] = execution.redrive_date
    if execution.type == WorkflowType.STANDARD:
        status, reason = execution_redrive_status(execution)
        out["redriveStatus"] = status
        if reason:
            out["redriveStatusReason"] = reason
    return out


def list_executions(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("mapRunArn"):
        return _map_run_children(holder, params)
    if not params.get("stateMachineArn"):
        raise AwsError("ValidationException", "Send a stateMachineArn or a mapRunArn.")
    ref = resolve.machine(holder, params["stateMachineArn"])
    with translate():
        teams = teams_of(holder.user).filter(pk=holder.team.pk)
        base = executions_visible(teams).only(*SUMMARY_FIELDS, "redrive_count", "redrive_date")
    if ref.version is not None:
        base = base.filter(version__number=ref.version)
    if ref.alias is not None:
        base = base.filter(alias__name=ref.alias)
    if params.get("redriveFilter") == "REDRIVEN":
        base = base.filter(redrive_count__gt=0)
    elif params.get("redriveFilter") == "NOT_REDRIVEN":
        base = base.filter(redrive_count=0)
    filters = {"workflow": ref.workflow.pk, "status": params.get("statusFilter")}
    with translate(invalid="InvalidToken"):
        page = execution_list(base, filters, params.get("nextToken"), page_size(params))
    out: dict[str, Any] = {"executions": [_summary(holder, ref, e) for e in page.items]}
    if page.next_cursor:
        out["nextToken"] = page.next_cursor
    return out


def _map_run_children(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    """A Map Run's Standard children (Express ones are not listed, as on AWS), by item."""
    found, _label = resolve.map_run(holder, params["mapRunArn"])
    with translate(not_found="ResourceNotFound"):
        execution = execution_get_for(holder.user, found.pk, VIEW)
    run = map_run_by_arn(execution, str(params["mapRunArn"]))
    if run is None or run.execution_type != WorkflowType.STANDARD:
        return {"executions": []}  # run in memory: its iterations are no executions here
    token = params.get("nextToken")
    if token is not None and not str(token).isdigit():
        raise AwsError("InvalidToken", "The nextToken is not valid.")
    after = int(token) if token is not None else None
    rows, cursor = map_run_children(run, params.get("statusFilter"), after, page_size(params))
    machine = run.arn.split(":mapRun:", 1)[1].split(":", 1)[0]  # <machine>/<label>
    head = run.arn.split(":mapRun:", 1)[0]
    items = []
    for row in rows:
        item: dict[str, Any] = {
            "executionArn": f"{head}:execution:{machine}:{row.name}",
            "stateMachineArn": f"{head}:stateMachine:{machine}",
            "mapRunArn": run.arn,
            "name": row.name,
            "status": row.status,
            "startDate": row.start_date,
            "redriveCount": row.redrive_count,
            "itemCount": 1,
        }
        if row.stop_date:
            item["stopDate"] = row.stop_date
        items.append(item)
    out: dict[str, Any] = {"executions": items}
    if cursor is not None:
        out["nextToken"] = str(cursor)
    return out


def _summary(holder: KeyHolder, ref: resolve.MachineRef, row: Execution) -> dict[str, Any]:
    workflow = ref.workflow
    item: dict[str, Any] = {
        "executionArn": arns.execution_arn_of(
            holder.team.pk, workflow.name, row.name, row.type, row.pk
        ),
        "stateMachineArn": arns.machine_arn(workflow),
        "name": row.name,
        "status": row.status,
        "startDate": row.start_date,
        "redriveCount": row.redrive_count,
    }
    if row.stop_date:
        item["stopDate"] = row.stop_date
    if row.version is not None:
        item["stateMachineVersionArn"] = arns.version_arn(workflow, row.version.number)
    if row.alias is not None:
        item["stateMachineAliasArn"] = arns.alias_arn(workflow, row.alias.name)
    if row.redrive_date:
        item["redriveDate"] = row.redrive_date
    return item


def get_execution_history(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    found = resolve.execution(holder, params["executionArn"])
    with translate(not_found="ExecutionDoesNotExist"):
        execution = execution_get_for(holder.user, found.pk, VIEW)
    with translate(invalid="InvalidToken"):
        page = execution_history(
            execution, params.get("nextToken"), page_size(params), bool(params.get("reverseOrder"))
        )
    keep_data = params.get("includeExecutionData", True)
    out: dict[str, Any] = {"events": [_event(row, keep_data) for row in page.items]}
    if page.next_cursor:
        out["nextToken"] = page.next_cursor
    return out


def _event(row: Any, keep_data: bool) -> dict[str, Any]:
    event = render_event(row_to_event(row))
    event["timestamp"] = row.timestamp
    if not keep_data:
        for key, details in event.items():
            if key.endswith("EventDetails") and isinstance(details, dict):
                event[key] = {k: v for k, v in details.items() if k not in _PAYLOAD_FIELDS}
    return event


def stop_execution(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    found = resolve.execution(holder, params["executionArn"])
    with translate(not_found="ExecutionDoesNotExist", conflict="ValidationException"):
        execution = execution_get_for(holder.user, found.pk, RUN)
        execution_stop(holder.user, execution, params.get("error"), params.get("cause"))
    return {"stopDate": datetime.now(tz=UTC)}


def redrive_execution(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    found = resolve.execution(holder, params["executionArn"])
    with translate(not_found="ExecutionDoesNotExist", conflict="ExecutionNotRedrivable"):
        execution = execution_redrive(holder.user, found.pk)
    return {"redriveDate": execution.redrive_date}


OPERATIONS = {
    "StartExecution": start_execution,
    "StartSyncExecution": start_sync_execution,
    "DescribeExecution": describe_execution,
    "ListExecutions": list_executions,
    "GetExecutionHistory": get_execution_history,
    "StopExecution": stop_execution,
    "RedriveExecution": redrive_execution,
}
