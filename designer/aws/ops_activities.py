"""Activities and task tokens: Create/Describe/Delete/ListActivities, GetActivityTask,
SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat.

GetActivityTask is AWS's long poll: it answers as soon as a task of the
activity is claimed for the caller, or after ``STATEYARD["AWS_POLL_SECONDS"]``
(60, as on AWS) with no task. It sleeps between short claim attempts
(``activity_claim``) without holding a thread or a database connection.
Task tokens answer only executions of the key's team.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings

from designer import arns
from designer.aws import resolve
from designer.aws.errors import AwsError, translate
from designer.aws.wire import json_text, json_value, offset_page, tags_in
from designer.models import Activity
from designer.services import activities as services
from designer.services.access_keys import KeyHolder
from designer.services.task_invocations import (
    task_send_failure,
    task_send_heartbeat,
    task_send_success,
)

POLL_MAX_SLEEP = 0.5


def create_activity(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    tags = tags_in(params.get("tags"))
    try:
        with translate(invalid="InvalidName"):
            activity = services.activity_create(holder.user, holder.team.slug, params["name"])
    except AwsError as err:
        if err.code != "ConflictException":
            raise
        # CreateActivity is idempotent: the same name answers with the existing activity
        activity = Activity.objects.get(team=holder.team, name=params["name"])
    if tags:
        with translate(invalid="ValidationException"):
            activity = services.activity_tags_update(holder.user, activity.pk, add=tags)
    return {"activityArn": arns.activity_arn(activity), "creationDate": activity.created_at}


def describe_activity(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    found = resolve.activity(holder, params["activityArn"])
    with translate(not_found="ActivityDoesNotExist"):
        activity = services.activity_get_for(holder.user, found.pk)
    return {
        "activityArn": arns.activity_arn(activity),
        "name": activity.name,
        "creationDate": activity.created_at,
    }


def delete_activity(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    try:
        found = resolve.activity(holder, params["activityArn"])
    except AwsError as err:
        if err.code == "ActivityDoesNotExist":
            return {}  # deleting what is gone succeeds, as on AWS
        raise
    with translate(not_found="ActivityDoesNotExist"):
        services.activity_delete(holder.user, found.pk)
    return {}


def list_activities(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    with translate():
        rows = services.activity_list(holder.user, holder.team.slug)
    page, token = offset_page(rows, params)
    out: dict[str, Any] = {
        "activities": [
            {"activityArn": arns.activity_arn(a), "name": a.name, "creationDate": a.created_at}
            for a in page
        ]
    }
    if token:
        out["nextToken"] = token
    return out


def _poll_check(holder: KeyHolder, arn: Any) -> int:
    found = resolve.activity(holder, arn)
    with translate(not_found="ActivityDoesNotExist"):
        return services.activity_poll_check(holder.user, found.pk).pk


def _claim_once(activity_id: int, worker: str) -> tuple[str, Any] | None:
    try:
        return services.activity_claim(activity_id, worker)
    finally:
        services.release_connection()


async def get_activity_task(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    activity_id = await sync_to_async(_poll_check)(holder, params["activityArn"])
    worker = str(params.get("workerName") or "")
    deadline = time.monotonic() + float(settings.STATEYARD.get("AWS_POLL_SECONDS", 60))
    delay = 0.05
    while True:
        claimed = await sync_to_async(_claim_once)(activity_id, worker)
        if claimed is not None:
            token, task_input = claimed
            return {"taskToken": token, "input": json_text(task_input)}
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return {}
        await asyncio.sleep(min(delay, remaining))
        delay = min(delay * 2, POLL_MAX_SLEEP)


get_activity_task.is_async = True  # type: ignore[attr-defined]


def _token_errors() -> Any:
    return translate(not_found="InvalidToken", conflict="TaskTimedOut", invalid="InvalidOutput")


def send_task_success(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    output = json_value(params["output"], "InvalidOutput", "task output")
    with _token_errors():
        task_send_success(holder.user, params["taskToken"], output, team_id=holder.team.pk)
    return {}


def send_task_failure(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    with _token_errors():
        task_send_failure(
            holder.user,
            params["taskToken"],
            params.get("error"),
            params.get("cause"),
            team_id=holder.team.pk,
        )
    return {}


def send_task_heartbeat(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    with _token_errors():
        task_send_heartbeat(holder.user, params["taskToken"], team_id=holder.team.pk)
    return {}


OPERATIONS = {
    "CreateActivity": create_activity,
    "DescribeActivity": describe_activity,
    "DeleteActivity": delete_activity,
    "ListActivities": list_activities,
    "GetActivityTask": get_activity_task,
    "SendTaskSuccess": send_task_success,
    "SendTaskFailure": send_task_failure,
    "SendTaskHeartbeat": send_task_heartbeat,
}
