"""A team's executions across its workflows (``designer.selectors.team_executions``).

Pages that poll the list send the ETag they got as ``If-None-Match`` and get an
empty ``304`` while the page they ask for is unchanged (``designer.api.conditional``).
"""

from __future__ import annotations

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.conditional import conditional_response
from designer.api.executions import ExecutionSummarySerializer
from designer.api.serializers_workflows import ErrorSerializer
from designer.selectors.executions import page_size
from designer.selectors.team_executions import team_execution_list

FILTERS = (
    "status",
    "workflow",
    "version",
    "alias",
    "started_after",
    "started_before",
    "name_prefix",
)


class TeamExecutionSerializer(ExecutionSummarySerializer):
    """A row of the team's list: the summary and how often it was redriven."""

    redrive_count = serializers.IntegerField(read_only=True, help_text="Redrives so far.")


class TeamExecutionListView(APIView):
    @extend_schema(
        tags=["executions"],
        summary="The team's executions, newest first, a keyset page at a time",
        parameters=[
            OpenApiParameter(
                "status",
                str,
                description="RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED; several with "
                "commas (FAILED,TIMED_OUT,ABORTED).",
            ),
            OpenApiParameter("workflow", str, description="A workflow id."),
            OpenApiParameter("version", int, description="Started on this version number."),
            OpenApiParameter("alias", str, description="Started through this alias."),
            OpenApiParameter("started_after", str, description="ISO 8601 time (inclusive)."),
            OpenApiParameter("started_before", str, description="ISO 8601 time (exclusive)."),
            OpenApiParameter("name_prefix", str, description="Execution names starting so."),
            OpenApiParameter("cursor", str, description="next_cursor of the previous page."),
            OpenApiParameter("limit", int, description="1-1000, default 50."),
            OpenApiParameter(
                "If-None-Match",
                str,
                location=OpenApiParameter.HEADER,
                description="The ETag of an earlier answer: 304 while the page is the same.",
            ),
        ],
        responses={
            200: inline_serializer(
                "TeamExecutionPage",
                {
                    "results": TeamExecutionSerializer(many=True),
                    "next_cursor": serializers.CharField(allow_null=True),
                },
            ),
            304: OpenApiResponse(description="Unchanged since the ETag in If-None-Match."),
            400: OpenApiResponse(ErrorSerializer, description="A filter is not valid."),
            404: OpenApiResponse(ErrorSerializer, description="No such team."),
        },
    )
    def get(self, request: Request, slug: str) -> Response:
        params = request.query_params
        page = team_execution_list(
            user=request.user,
            team_slug=slug,
            filters={key: params.get(key) for key in FILTERS},
            cursor=params.get("cursor"),
            limit=page_size(params.get("limit")),
        )
        data = {
            "results": TeamExecutionSerializer(page.items, many=True).data,
            "next_cursor": page.next_cursor,
        }
        return conditional_response(request, data)
