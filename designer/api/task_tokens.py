"""Answers sent with a task token: AWS's SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat.

Activity workers, callback (``.waitForTaskToken``) integrations and child
executions started with ``.waitForTaskToken`` all answer here. The caller must
be a runner (or more) in the team that owns the execution. Errors carry AWS's
error name in ``details.awsError``: ``InvalidToken`` (unknown token, or one of
a team you are not in) and ``TaskTimedOut`` (the task already finished, timed
out or was cancelled).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.requests import valid_data
from designer.api.serializers_teams import ErrorSerializer
from designer.errors import NotFound
from designer.services.access import VIEW, execution_get_for
from designer.services.child_executions import execution_links
from designer.services.task_invocations import (
    task_send_failure,
    task_send_heartbeat,
    task_send_success,
)

TAGS = ["tasks"]
RESPONSES = {
    200: OpenApiResponse(description="Accepted (an empty object)."),
    400: OpenApiResponse(ErrorSerializer, description="The request is not valid."),
    403: OpenApiResponse(ErrorSerializer, description="Your role does not allow this."),
    404: OpenApiResponse(ErrorSerializer, description="InvalidToken."),
    409: OpenApiResponse(ErrorSerializer, description="TaskTimedOut: the task is over."),
}


class TaskTokenSerializer(serializers.Serializer[Any]):
    taskToken = serializers.CharField(max_length=1024)


class SuccessSerializer(TaskTokenSerializer):
    output = serializers.JSONField(required=False, allow_null=True, default=None)


class FailureSerializer(TaskTokenSerializer):
    error = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=256, default=None
    )
    cause = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=32768, default=None
    )


def _answer(send: Callable[[], None]) -> Response:
    try:
        send()
    except NotFound as err:
        # a valid token of another team's execution: do not reveal that it exists
        raise NotFound("Invalid task token.", {"awsError": "InvalidToken"}) from err
    return Response({})


class TaskSuccessView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Report a task's result (SendTaskSuccess)",
        request=SuccessSerializer,
        responses=RESPONSES,
    )
    def post(self, request: Request) -> Response:
        data = valid_data(SuccessSerializer, request)
        return _answer(lambda: task_send_success(request.user, data["taskToken"], data["output"]))


class TaskFailureView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Report a task's failure (SendTaskFailure)",
        request=FailureSerializer,
        responses=RESPONSES,
    )
    def post(self, request: Request) -> Response:
        data = valid_data(FailureSerializer, request)
        return _answer(
            lambda: task_send_failure(
                request.user, data["taskToken"], data["error"] or None, data["cause"] or None
            )
        )


class TaskHeartbeatView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Report that a task is still being worked on (SendTaskHeartbeat)",
        request=TaskTokenSerializer,
        responses=RESPONSES,
    )
    def post(self, request: Request) -> Response:
        data = valid_data(TaskTokenSerializer, request)
        return _answer(lambda: task_send_heartbeat(request.user, data["taskToken"]))


# ---- child executions: the parent and children of an execution --------------------


class ExecutionLinkSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    workflow = serializers.UUIDField()
    workflow_name = serializers.CharField()
    status = serializers.CharField()
    execution_arn = serializers.CharField()
    task_id = serializers.IntegerField(
        help_text="The parent's Task attempt that started the child."
    )
    state = serializers.CharField(required=False, allow_null=True, help_text="That Task's state.")


class ExecutionLinksSerializer(serializers.Serializer[Any]):
    parent = ExecutionLinkSerializer(allow_null=True)
    children = ExecutionLinkSerializer(many=True)


class ExecutionLinksView(APIView):
    @extend_schema(
        tags=["executions"],
        summary="The execution that started this one, and the ones it started",
        responses={200: ExecutionLinksSerializer},
    )
    def get(self, request: Request, execution_id: str) -> Response:
        execution = execution_get_for(request.user, execution_id, VIEW)
        return Response(ExecutionLinksSerializer(execution_links(execution)).data)
