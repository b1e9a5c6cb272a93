"""``POST /api/test-state/``: run one state on one input (AWS's TestState), for the inspector."""

from __future__ import annotations

import json
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.errors import ValidationFailed
from designer.services.test_state import test_state_run

TAGS = ["test-state"]


class TestStateRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    definition = serializers.JSONField(help_text="The state's JSON (an object, or its text).")
    input = serializers.JSONField(required=False, allow_null=True)
    workflow = serializers.UUIDField(required=False, allow_null=True)
    team = serializers.SlugField(required=False, allow_null=True)
    stateName = serializers.CharField(required=False, max_length=80)
    queryLanguage = serializers.ChoiceField(["JSONPath", "JSONata"], required=False)
    variables = serializers.DictField(required=False, allow_null=True)
    mock = serializers.DictField(required=False, allow_null=True)
    inspectionLevel = serializers.ChoiceField(["INFO", "DEBUG", "TRACE"], default="DEBUG")
    retrierRetryCount = serializers.IntegerField(required=False, min_value=0, default=0)

    __test__ = False  # not a pytest test class


TestStateResultSerializer = inline_serializer(
    "TestStateResult",
    {
        "status": serializers.ChoiceField(["SUCCEEDED", "FAILED", "RETRIABLE", "CAUGHT_ERROR"]),
        "output": serializers.JSONField(allow_null=True),
        "error": serializers.CharField(allow_null=True),
        "cause": serializers.CharField(allow_null=True),
        "nextState": serializers.CharField(allow_null=True),
        "inspectionData": serializers.DictField(
            required=False,
            help_text="input, afterInputPath, afterParameters / afterArguments, result, "
            "afterResultSelector, afterResultPath, variables",
        ),
    },
)


def _definition(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError as bad:
        raise ValidationFailed(
            "The state definition is not valid JSON.",
            {
                "diagnostics": [
                    {
                        "code": "INVALID_JSON",
                        "message": str(bad),
                        "location": "",
                        "severity": "error",
                    }
                ]
            },
        ) from None


def _context(request: Request) -> Any:
    """``context`` (the context object's Execution/StateMachine values): read here, since a
    serializer field of that name would hide the serializer's own ``context``."""
    value = request.data.get("context") if isinstance(request.data, dict) else None
    if value is not None and not isinstance(value, dict):
        raise ValidationFailed("context must be a JSON object.", {"context": ["Not an object."]})
    return value


class TestStateView(APIView):
    __test__ = False  # not a pytest test class

    @extend_schema(
        tags=TAGS,
        summary="Run one state on one input (AWS TestState)",
        request=TestStateRequestSerializer,
        responses={
            200: TestStateResultSerializer,
            400: OpenApiResponse(description="Bad request or definition (with diagnostics)."),
            403: OpenApiResponse(description="Your role does not allow running."),
            404: OpenApiResponse(description="No such workflow or team (or not yours)."),
        },
    )
    def post(self, request: Request) -> Response:
        body = TestStateRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        result = test_state_run(
            request.user,
            definition=_definition(data["definition"]),
            input_value=data.get("input"),
            workflow_id=data.get("workflow"),
            team_slug=data.get("team"),
            query_language=data.get("queryLanguage"),
            variables=data.get("variables"),
            context=_context(request),
            mock=data.get("mock"),
            inspection_level=data["inspectionLevel"],
            state_name=data.get("stateName"),
            retrier_retry_count=data["retrierRetryCount"],
        )
        return Response(result)
