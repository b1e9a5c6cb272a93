"""Executions API: redrive (one or many) and "re-run from here".

Thin views: the rules live in ``designer.services.execution_redrive`` and
``designer.services.execution_rerun``; every error is ``{code, message, details}``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.serializers_teams import ErrorSerializer
from designer.models import Execution
from designer.services.execution_redrive import (
    BULK_MAX,
    execution_redrive,
    execution_redrive_status,
    executions_redrive,
)
from designer.services.execution_rerun import NOT_GIVEN, TARGETS, execution_rerun_from

E400 = OpenApiResponse(ErrorSerializer, description="The request is not valid.")
E403 = OpenApiResponse(ErrorSerializer, description="Your role does not allow this (runner+).")
E404 = OpenApiResponse(ErrorSerializer, description="No such execution (or not your team's).")
E409_REDRIVE = OpenApiResponse(
    ErrorSerializer,
    description=(
        "`execution_not_redrivable`: the message (and `details.redrive_status_reason`) "
        "is AWS's redriveStatusReason, e.g. `Execution is SUCCEEDED and cannot be redriven.`"
    ),
)


class RedriveInfoSerializer(serializers.Serializer[Any]):
    """What DescribeExecution says of redrives."""

    redrive_count = serializers.IntegerField(help_text="How often it was redriven.")
    redrive_date = serializers.DateTimeField(allow_null=True, help_text="The last redrive.")
    redrive_status = serializers.ChoiceField(choices=["REDRIVABLE", "NOT_REDRIVABLE"])
    redrive_status_reason = serializers.CharField(
        allow_blank=True, help_text="Why it is NOT_REDRIVABLE (AWS's wording); empty otherwise."
    )


def redrive_info(execution: Execution) -> dict[str, Any]:
    redrive_status, reason = execution_redrive_status(execution)
    return RedriveInfoSerializer(
        {
            "redrive_count": execution.redrive_count,
            "redrive_date": execution.redrive_date,
            "redrive_status": redrive_status,
            "redrive_status_reason": reason,
        }
    ).data


class RedrivenSerializer(RedriveInfoSerializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    status = serializers.CharField(help_text="RUNNING again.")


class BulkRedriveSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(
        child=serializers.UUIDField(), min_length=1, max_length=BULK_MAX, help_text="Execution ids."
    )


class RedriveOutcomeSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    redriven = serializers.BooleanField()
    redrive_count = serializers.IntegerField(required=False, help_text="When redriven.")
    code = serializers.CharField(required=False, help_text="When not: the error code.")
    message = serializers.CharField(required=False, help_text="When not: why.")


class BulkRedriveResultSerializer(serializers.Serializer[Any]):
    results = RedriveOutcomeSerializer(many=True, help_text="One per id, in the order given.")


class RerunSerializer(serializers.Serializer[Any]):
    state = serializers.CharField(max_length=80, help_text="A top-level state to start at.")
    input = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text="The input to start with; absent: what the state received in this execution.",
    )
    target = serializers.ChoiceField(
        choices=list(TARGETS),
        default="version",
        help_text="`version`: the definition this execution ran; `draft`: the current draft.",
    )
    name = serializers.RegexField(
        r"^[^\s<>{}\[\]?*\"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]{1,80}$", required=False
    )


class RerunResultSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()
    status = serializers.CharField()
    input = serializers.JSONField()
    version = serializers.IntegerField(allow_null=True)
    rerun_of = serializers.UUIDField()
    rerun_state = serializers.CharField()


class ExecutionRedriveView(APIView):
    @extend_schema(
        operation_id="execution_redrive",
        request=None,
        responses={200: RedrivenSerializer, 403: E403, 404: E404, 409: E409_REDRIVE},
        description="RedriveExecution: run a FAILED, TIMED_OUT or ABORTED Standard execution "
        "again from the states that did not succeed (closed less than 14 days ago).",
    )
    def post(self, request: Request, execution_id: str) -> Response:
        execution = execution_redrive(request.user, execution_id)
        body = {"id": execution.pk, "name": execution.name, "status": execution.status}
        return Response(RedrivenSerializer({**body, **redrive_info(execution)}).data)


class ExecutionsRedriveView(APIView):
    @extend_schema(
        operation_id="executions_redrive_bulk",
        request=BulkRedriveSerializer,
        responses={200: BulkRedriveResultSerializer, 400: E400},
        description="Redrive many executions, each on its own: one outcome per id.",
    )
    def post(self, request: Request) -> Response:
        body = BulkRedriveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        outcomes = executions_redrive(request.user, body.validated_data["ids"])
        return Response(BulkRedriveResultSerializer({"results": outcomes}).data)


class ExecutionRerunView(APIView):
    @extend_schema(
        operation_id="execution_rerun",
        request=RerunSerializer,
        responses={
            201: RerunResultSerializer,
            400: E400,
            403: E403,
            404: E404,
            409: OpenApiResponse(
                ErrorSerializer, description="It is still running, or the name is taken."
            ),
        },
        description="Re-run from here: a new execution starting at a top-level state of this "
        "finished one, with the input that state received (or the one given). A state inside "
        "a Parallel or Map is refused; `details.enclosing_state` names the state to re-run.",
    )
    def post(self, request: Request, execution_id: str) -> Response:
        body = RerunSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        execution = execution_rerun_from(
            request.user,
            execution_id,
            data["state"],
            data.get("input", NOT_GIVEN),  # absent, not null: from the history
            data["target"],
            name=data.get("name"),
        )
        result = {
            "id": execution.pk,
            "name": execution.name,
            "status": execution.status,
            "input": execution.input,
            "version": execution.version.number if execution.version else None,
            "rerun_of": execution.rerun_of_id,
            "rerun_state": execution.rerun_state,
        }
        return Response(RerunResultSerializer(result).data, status=status.HTTP_201_CREATED)
