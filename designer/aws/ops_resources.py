"""Map Runs (DescribeMapRun, ListMapRuns, UpdateMapRun) and tags (TagResource, UntagResource,
ListTagsForResource).

A Distributed Map of a durable execution is a ``MapRun`` row
(``designer.services.map_runs``): DescribeMapRun reads it. One run in memory
(an Express execution) is read from the execution's history: ``MapRunStarted``
names it and starts it, ``MapRunSucceeded``/``MapRunFailed`` (linked by ``previousEventId``) end it,
the Map's ``MapStateStarted`` counts its items, and while the run is open (or
after it failed) the execution's saved state says how many items are done,
failed and running. Limits (``MaxConcurrency``, tolerated failures) come from
the Map state of the definition the execution runs.

UpdateMapRun changes a running durable run's ``maxConcurrency`` and tolerated
failures (``designer.services.map_runs.map_run_update``): the next tick applies
them. A run kept in an Express execution's memory cannot be changed.

Tags live on state machines (unqualified ARNs) and activities, within AWS's
tag limits (``designer.services.workflow_fields.check_tags``).
"""

from __future__ import annotations

from typing import Any

from designer import arns
from designer.aws import resolve
from designer.aws.errors import AwsError, invalid_arn, translate
from designer.aws.wire import offset_page, state_tables, tags_in, tags_out
from designer.models import Execution, ExecutionEvent, ExecutionStatus, MapRun
from designer.selectors.map_runs import map_run_by_arn, map_run_counts
from designer.services.access import RUN, VIEW, execution_get_for, workflow_get_for
from designer.services.access_keys import KeyHolder
from designer.services.activities import activity_get_for, activity_tags_update
from designer.services.map_runs import MapRunNotRunning, map_run_update
from designer.services.workflows import workflow_update

_ENDS = ("MapRunSucceeded", "MapRunFailed")


def _started_events(execution: Execution) -> list[ExecutionEvent]:
    return list(
        ExecutionEvent.objects.filter(execution=execution, type="MapRunStarted").order_by(
            "event_id"
        )
    )


def _same_run(stored: Any, asked: Any) -> bool:
    a, b = arns.parse_arn(stored), arns.parse_arn(asked)
    return a is not None and b is not None and a.parts == b.parts


def _map_state(definition: Any, label: str) -> dict[str, Any]:
    if not isinstance(definition, dict):
        return {}
    for states in state_tables(definition):
        for name, state in states.items():
            is_map = isinstance(state, dict) and state.get("Type") == "Map"
            if is_map and label in (state.get("Label"), name):
                return dict(state)
    return {}


def _number(value: Any) -> float:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


def _counts(
    execution: Execution, started: ExecutionEvent, end: ExecutionEvent | None
) -> dict[str, int]:
    length_event = ExecutionEvent.objects.filter(
        execution=execution, event_id__lt=started.event_id, type="MapStateStarted"
    ).last()
    total = int((length_event.details or {}).get("length", 0)) if length_event else 0
    counts = dict.fromkeys(
        ("pending", "running", "succeeded", "failed", "timedOut", "aborted", "resultsWritten"), 0
    )
    counts["total"] = total
    container = _container(execution, started.event_id)
    if container is not None:
        done, failed = int(container.get("done", 0)), int(container.get("failed", 0))
        running = len(container.get("running") or [])
        counts.update(succeeded=done - failed, failed=failed, running=running)
        counts["pending"] = max(total - done - running, 0)
    elif end is not None and end.type == "MapRunSucceeded":
        counts["succeeded"] = total
    elif end is not None:
        counts["failed"] = total
    elif execution.status != ExecutionStatus.RUNNING:
        counts["aborted"] = total
    return counts


def _container(execution: Execution, map_run_id: int) -> dict[str, Any] | None:
    """The Map's container in the execution's saved engine state, while it is kept."""
    state = execution.state if isinstance(execution.state, dict) else {}
    frames = state.get("frames") or {}
    for frame in frames.values() if isinstance(frames, dict) else frames:
        container = frame.get("container") if isinstance(frame, dict) else None
        if isinstance(container, dict) and container.get("map_run_id") == map_run_id:
            return container
    return None


def _run_end(execution: Execution, started: ExecutionEvent) -> ExecutionEvent | None:
    return ExecutionEvent.objects.filter(
        execution=execution, type__in=_ENDS, previous_event_id=started.event_id
    ).first()


def describe_map_run(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["mapRunArn"]
    found, label = resolve.map_run(holder, arn)
    with translate(not_found="ResourceNotFound"):
        execution = execution_get_for(holder.user, found.pk, VIEW)
    run = map_run_by_arn(execution, str(arn))
    if run is not None:  # run by the durable runtime as child executions
        return _described(run, execution)
    started = next(
        (e for e in _started_events(execution) if _same_run(e.details.get("mapRunArn"), arn)), None
    )
    if started is None:
        raise AwsError("ResourceNotFound", f"Resource not found: '{arn}'")
    end = _run_end(execution, started)
    if end is not None:
        status = "SUCCEEDED" if end.type == "MapRunSucceeded" else "FAILED"
    else:
        status = "RUNNING" if execution.status == ExecutionStatus.RUNNING else "ABORTED"
    state = _map_state(execution.definition, label)
    counts = _counts(execution, started, end)
    out: dict[str, Any] = {
        "mapRunArn": started.details["mapRunArn"],
        "executionArn": arns.execution_arn(execution),
        "status": status,
        "startDate": started.timestamp,
        "maxConcurrency": int(_number(state.get("MaxConcurrency"))),
        "toleratedFailurePercentage": float(_number(state.get("ToleratedFailurePercentage"))),
        "toleratedFailureCount": int(_number(state.get("ToleratedFailureCount"))),
        "itemCounts": counts,
        "executionCounts": dict(counts),
        "redriveCount": execution.redrive_count,
    }
    if end is not None:
        out["stopDate"] = end.timestamp
    elif status == "ABORTED" and execution.stop_date:
        out["stopDate"] = execution.stop_date
    return out


def _described(run: MapRun, execution: Execution) -> dict[str, Any]:
    counts = map_run_counts(run)
    out: dict[str, Any] = {
        "mapRunArn": run.arn,
        "executionArn": arns.execution_arn(execution),
        "status": run.status,
        "startDate": run.start_date,
        "maxConcurrency": run.max_concurrency,
        "toleratedFailurePercentage": float(run.tolerated_failure_percentage or 0),
        "toleratedFailureCount": int(run.tolerated_failure_count or 0),
        "itemCounts": counts,
        "executionCounts": dict(counts),
        "redriveCount": run.redrive_count,
    }
    if run.stop_date:
        out["stopDate"] = run.stop_date
    if run.redrive_date:
        out["redriveDate"] = run.redrive_date
    return out


def list_map_runs(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    found = resolve.execution(holder, params["executionArn"])
    with translate(not_found="ExecutionDoesNotExist"):
        execution = execution_get_for(holder.user, found.pk, VIEW)
    rows = []
    for started in _started_events(execution):
        item = {
            "executionArn": arns.execution_arn(execution),
            "mapRunArn": started.details["mapRunArn"],
            "stateMachineArn": arns.machine_arn(execution.workflow),
            "startDate": started.timestamp,
        }
        end = _run_end(execution, started)
        if end is not None:
            item["stopDate"] = end.timestamp
        rows.append(item)
    page, token = offset_page(rows, params)
    return {"mapRuns": page, **({"nextToken": token} if token else {})}


# ---- tags ------------------------------------------------------------------------------------


def _tagged(holder: KeyHolder, arn: Any) -> Any:
    parsed = arns.parse_arn(arn)
    if parsed is not None and parsed.kind == "activity":
        return resolve.activity(holder, arn)
    if parsed is not None and parsed.kind == "stateMachine" and len(parsed.parts) == 1:
        try:
            return resolve.machine(holder, arn).workflow
        except AwsError:
            raise AwsError("ResourceNotFound", f"Resource not found: '{arn}'") from None
    raise invalid_arn(arn, "a state machine or activity ARN")


def _retag(holder: KeyHolder, arn: Any, add: dict[str, str], remove: list[str]) -> None:
    target = _tagged(holder, arn)
    with translate(not_found="ResourceNotFound", invalid="ValidationException"):
        if hasattr(target, "definition"):
            tags = {k: v for k, v in {**target.tags, **add}.items() if k not in set(remove)}
            workflow_update(
                actor=holder.user,
                workflow_id=target.pk,
                revision=target.revision,
                changes={"tags": tags},
            )
        else:
            activity_tags_update(holder.user, target.pk, add=add, remove=remove)


def tag_resource(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    tags = tags_in(params["tags"])
    try:
        _retag(holder, params["resourceArn"], tags, [])
    except AwsError as err:
        if err.code == "ValidationException" and "at most" in err.message:
            raise AwsError("TooManyTags", err.message, resourceName=params["resourceArn"]) from None
        raise
    return {}


def untag_resource(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    _retag(holder, params["resourceArn"], {}, list(params["tagKeys"]))
    return {}


def list_tags_for_resource(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    target = _tagged(holder, params["resourceArn"])
    with translate(not_found="ResourceNotFound"):
        if hasattr(target, "definition"):
            target = workflow_get_for(holder.user, target.pk, VIEW)
        else:
            target = activity_get_for(holder.user, target.pk, VIEW)
    return {"tags": tags_out(target.tags)}


def update_map_run(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    arn = params["mapRunArn"]
    found, _ = resolve.map_run(holder, arn)
    with translate(not_found="ResourceNotFound"):
        execution = execution_get_for(holder.user, found.pk, RUN)
    run = map_run_by_arn(execution, str(arn))
    if run is None:
        raise AwsError(
            "ValidationException",
            "This Map Run runs inside an Express execution's memory and cannot be updated.",
        )
    if not any(k in params for k in _UPDATABLE):
        raise AwsError(
            "ValidationException",
            "Give at least one of maxConcurrency, toleratedFailurePercentage and "
            "toleratedFailureCount.",
        )
    percentage = params.get("toleratedFailurePercentage")
    if percentage is not None and not 0 <= percentage <= 100:
        raise AwsError(
            "ValidationException", "toleratedFailurePercentage must be between 0 and 100."
        )
    try:
        map_run_update(
            run.pk,
            max_concurrency=params.get("maxConcurrency"),
            tolerated_failure_percentage=percentage,
            tolerated_failure_count=params.get("toleratedFailureCount"),
        )
    except MapRunNotRunning as err:
        raise AwsError("ValidationException", str(err)) from None
    return {}


_UPDATABLE = ("maxConcurrency", "toleratedFailurePercentage", "toleratedFailureCount")


OPERATIONS = {
    "DescribeMapRun": describe_map_run,
    "UpdateMapRun": update_map_run,
    "ListMapRuns": list_map_runs,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
}
