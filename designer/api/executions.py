"""Executions API: start (Standard, Express async and sync), list, describe, history, stop."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.execution_redrive import redrive_info
from designer.models import ExecutionStatus, WorkflowType
from designer.selectors.executions import (
    MAX_PAGE,
    execution_history,
    execution_list,
    executions_visible,
    flag,
    page_size,
)
from designer.selectors.map_runs import map_run_links, map_run_of_child
from designer.services.access import VIEW, execution_get_for, teams_of, workflow_get_for
from designer.services.child_executions import execution_links
from designer.services.execution_events import rows_rendered
from designer.services.execution_rerun import execution_rerun_links
from designer.services.executions import execution_start, execution_stop, express_start_sync


class StartSerializer(serializers.Serializer):  # type: ignore[type-arg]
    input = serializers.JSONField(required=False, allow_null=True)
    name = serializers.RegexField(
        r"^[^\s<>{}\[\]?*\"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]{1,80}$", required=False
    )
    version = serializers.IntegerField(required=False, min_value=1)
    alias = serializers.CharField(
        required=False, max_length=80, help_text="Start the version this alias routes to."
    )
    mocks = serializers.DictField(required=False)


class StopSerializer(serializers.Serializer):  # type: ignore[type-arg]
    error = serializers.CharField(required=False, max_length=256)
    cause = serializers.CharField(required=False, max_length=32768)


class ExecutionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Fields declared one by one (not a ModelSerializer): no model introspection per request."""

    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    workflow = serializers.UUIDField(source="workflow_id", read_only=True)
    workflow_name = serializers.CharField(source="workflow.name", read_only=True)
    version = serializers.IntegerField(
        source="version.number", allow_null=True, default=None, read_only=True
    )
    alias = serializers.CharField(
        source="alias.name",
        allow_null=True,
        default=None,
        read_only=True,
        help_text="The alias it ran through.",
    )
    type = serializers.ChoiceField(choices=WorkflowType.choices, read_only=True)
    status = serializers.ChoiceField(choices=ExecutionStatus.choices, read_only=True)
    input = serializers.JSONField(read_only=True)
    output = serializers.JSONField(read_only=True)
    error = serializers.CharField(allow_null=True, read_only=True)
    cause = serializers.CharField(allow_null=True, read_only=True)
    start_date = serializers.DateTimeField(read_only=True)
    stop_date = serializers.DateTimeField(allow_null=True, read_only=True)
    event_count = serializers.IntegerField(min_value=0, read_only=True)


def _when(value: datetime | None) -> str | None:
    """A time as DRF's DateTimeField writes it: ISO 8601 in the current time zone, ``Z``."""
    if not value:
        return None
    if timezone.is_aware(value):
        value = value.astimezone(timezone.get_current_timezone())
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def execution_data(execution: Any) -> dict[str, Any]:
    """``ExecutionSerializer(execution).data``, built directly: a start answers with it.

    DRF copies and binds every declared field for each serializer it makes; on the
    start's hot path that cost more than writing the execution. The same fields,
    in the same order and the same shapes (tests/designer/test_start_path.py
    compares the two).
    """
    version, alias = execution.version, execution.alias
    return {
        "id": str(execution.pk),
        "name": execution.name,
        "workflow": str(execution.workflow_id),
        "workflow_name": execution.workflow.name,
        "version": None if version is None else version.number,
        "alias": None if alias is None else alias.name,
        "type": execution.type,
        "status": execution.status,
        "input": execution.input,
        "output": execution.output,
        "error": execution.error,
        "cause": execution.cause,
        "start_date": _when(execution.start_date),
        "stop_date": _when(execution.stop_date),
        "event_count": int(execution.event_count),
    }


class ExecutionDescribeSerializer(ExecutionSerializer):
    """Describe: the execution, its parent/children, redrives and re-run links."""

    parent = serializers.DictField(  # type: ignore[assignment]  # popped by the metaclass
        allow_null=True, help_text="The execution that started it."
    )
    children = serializers.ListField(child=serializers.DictField())
    redrive_count = serializers.IntegerField(help_text="How often it was redriven.")
    redrive_date = serializers.DateTimeField(allow_null=True, help_text="The last redrive.")
    redrive_status = serializers.ChoiceField(choices=["REDRIVABLE", "NOT_REDRIVABLE"])
    redrive_status_reason = serializers.CharField(
        allow_blank=True, help_text="Why it is NOT_REDRIVABLE (AWS's wording); empty otherwise."
    )
    rerun_of = serializers.DictField(
        allow_null=True, help_text="`{id, name, status}` of the execution it re-runs."
    )
    rerun_state = serializers.CharField(allow_null=True, help_text="The state it started at.")
    reruns = serializers.ListField(
        child=serializers.DictField(), help_text="`{id, name, status, state}` of its re-runs."
    )
    map_runs = serializers.ListField(
        child=serializers.DictField(),
        help_text="`{id, label, status, map_run_arn}` of its Distributed Maps' runs.",
    )
    map_run = serializers.DictField(
        allow_null=True,
        help_text="`{id, label, status, index, definition}`: the Map Run this child execution "
        "runs an item of, and the ItemProcessor definition it runs (null for other executions).",
    )


class ExecutionSummarySerializer(ExecutionSerializer):
    """A list row: no input, output or cause."""

    input = None  # type: ignore[assignment]
    output = None  # type: ignore[assignment]
    cause = None  # type: ignore[assignment]


def _start_args(request: Request) -> dict[str, Any]:
    body = StartSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    data = body.validated_data
    return {
        "input_value": data.get("input"),
        "name": data.get("name"),
        "mocks": data.get("mocks"),
        "version": data.get("version"),
        "alias": data.get("alias"),
    }


LIST_PARAMS = [
    OpenApiParameter("status", str, enum=ExecutionStatus.values, description="Only this status"),
    OpenApiParameter("started_after", OpenApiTypes.DATETIME, description="ISO 8601 time"),
    OpenApiParameter("started_before", OpenApiTypes.DATETIME, description="ISO 8601 time"),
    OpenApiParameter("cursor", str, description="next_cursor of the previous page"),
    OpenApiParameter(
        "limit", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, description="Page size"
    ),
]

ExecutionPageSerializer = inline_serializer(
    "ExecutionPage",
    {
        "results": ExecutionSummarySerializer(many=True),
        "next_cursor": serializers.CharField(allow_null=True),
    },
)


def _page_response(request: Request, base: Any, filters: dict[str, Any]) -> Response:
    page = execution_list(
        base,
        filters,
        request.query_params.get("cursor"),
        page_size(request.query_params.get("limit")),
    )
    return Response(
        {
            "results": ExecutionSummarySerializer(page.items, many=True).data,
            "next_cursor": page.next_cursor,
        }
    )


class WorkflowExecutionsView(APIView):
    @extend_schema(parameters=LIST_PARAMS, responses=ExecutionPageSerializer)
    def get(self, request: Request, workflow_id: str) -> Response:
        workflow = workflow_get_for(request.user, workflow_id, VIEW)
        filters = {**request.query_params.dict(), "workflow": workflow.pk}
        return _page_response(request, executions_visible(teams_of(request.user)), filters)

    @extend_schema(request=StartSerializer, responses={201: ExecutionSerializer})
    def post(self, request: Request, workflow_id: str) -> Response:
        execution, created = execution_start(request.user, workflow_id, **_start_args(request))
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(execution_data(execution), status=code)


class SyncStartView(APIView):
    @extend_schema(
        request=StartSerializer,
        responses=inline_serializer(
            "SyncExecution",
            {
                "execution": ExecutionSerializer(),
                "billing_duration_ms": serializers.IntegerField(),
            },
        ),
    )
    def post(self, request: Request, workflow_id: str) -> Response:
        args = _start_args(request)
        args.pop("version")
        args.pop("alias")
        execution, seconds = express_start_sync(request.user, workflow_id, **args)
        return Response(
            {
                "execution": ExecutionSerializer(execution).data,
                "billing_duration_ms": int(seconds * 1000),
            }
        )


class ExecutionListView(APIView):
    @extend_schema(
        operation_id="executions_list",
        parameters=[*LIST_PARAMS, OpenApiParameter("workflow", OpenApiTypes.UUID)],
        responses=ExecutionPageSerializer,
    )
    def get(self, request: Request) -> Response:
        filters = request.query_params.dict()
        return _page_response(request, executions_visible(teams_of(request.user)), filters)


class ExecutionDetailView(APIView):
    @extend_schema(responses=ExecutionDescribeSerializer)
    def get(self, request: Request, execution_id: str) -> Response:
        execution = execution_get_for(request.user, execution_id, VIEW)
        return Response(
            {
                **ExecutionSerializer(execution).data,
                **execution_links(execution),
                **redrive_info(execution),
                **execution_rerun_links(execution),
                "map_runs": map_run_links(execution),
                "map_run": map_run_of_child(execution),
            }
        )


class ExecutionHistoryView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("reverse", bool, description="newest first"),
            OpenApiParameter("cursor", str, description="next_cursor of the previous page"),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                description="Page size",
            ),
        ],
        responses=inline_serializer(
            "ExecutionHistory",
            {
                "events": serializers.ListField(
                    child=serializers.DictField(),
                    help_text="Events shaped like AWS GetExecutionHistory's",
                ),
                "next_cursor": serializers.CharField(allow_null=True),
            },
        ),
    )
    def get(self, request: Request, execution_id: str) -> Response:
        execution = execution_get_for(request.user, execution_id, VIEW)
        reverse = flag(request.query_params.get("reverse"), "reverse")
        page = execution_history(
            execution,
            request.query_params.get("cursor"),
            page_size(request.query_params.get("limit"), default=100),
            reverse,
        )
        return Response({"events": rows_rendered(page.items), "next_cursor": page.next_cursor})


class ExecutionStopView(APIView):
    @extend_schema(request=StopSerializer, responses={202: ExecutionSerializer})
    def post(self, request: Request, execution_id: str) -> Response:
        execution = execution_get_for(request.user, execution_id, VIEW)
        body = StopSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        execution_stop(
            request.user,
            execution,
            body.validated_data.get("error"),
            body.validated_data.get("cause"),
        )
        execution.refresh_from_db()
        return Response(ExecutionSerializer(execution).data, status=status.HTTP_202_ACCEPTED)
