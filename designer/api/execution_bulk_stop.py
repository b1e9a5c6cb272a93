"""Executions API: stop many at once (``POST /api/executions/stop/``), one outcome per id.

Thin: the rules live in ``designer.services.execution_bulk_stop``; a body that is
not valid is ``400 {code, message, details}``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.serializers_teams import ErrorSerializer
from designer.services.execution_bulk_stop import BULK_MAX, executions_stop


class BulkStopSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(
        child=serializers.UUIDField(), min_length=1, max_length=BULK_MAX, help_text="Execution ids."
    )
    error = serializers.CharField(
        required=False, max_length=256, help_text="The error every ExecutionAborted records."
    )
    cause = serializers.CharField(
        required=False, max_length=32768, help_text="The cause every ExecutionAborted records."
    )


class StopOutcomeSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    stopped = serializers.BooleanField(help_text="The stop was accepted (it aborts at once).")
    code = serializers.CharField(required=False, help_text="When not: the error code.")
    message = serializers.CharField(required=False, help_text="When not: why.")


class BulkStopResultSerializer(serializers.Serializer[Any]):
    results = StopOutcomeSerializer(many=True, help_text="One per id, in the order given.")


class ExecutionsStopView(APIView):
    @extend_schema(
        operation_id="executions_stop_bulk",
        request=BulkStopSerializer,
        responses={
            200: BulkStopResultSerializer,
            400: OpenApiResponse(ErrorSerializer, description="The request is not valid."),
        },
        description="StopExecution for many executions, each on its own, with one error and "
        "cause for all: one outcome per id (`not_found`, `permission_denied` below the runner "
        "role, `conflict` when it is no longer running).",
    )
    def post(self, request: Request) -> Response:
        body = BulkStopSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        outcomes = executions_stop(request.user, data["ids"], data.get("error"), data.get("cause"))
        return Response(BulkStopResultSerializer({"results": outcomes}).data)
