"""Operating a workflow: settings, delete summary, restoring a version, comparing two.

Thin views over ``designer.services.workflow_settings``, ``workflow_versions``
and ``designer.selectors.workflow_diff``; errors are ``{code, message, details}``.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api import serializers_operate as s
from designer.api.requests import valid_data
from designer.api.serializers_workflows import WorkflowSerializer
from designer.api.workflows import E400, E403, E404, E409, TAGS, workflow_data
from designer.selectors.workflow_diff import workflow_diff
from designer.services import workflow_settings as settings_services
from designer.services.workflow_versions import workflow_version_restore

E400_EXPRESS = OpenApiResponse(
    s.ExpressRefusedSerializer,
    description="Not valid; changing to EXPRESS (or saving an Express workflow) whose "
    "definition Express cannot run lists each state in details.problems.",
)


class WorkflowSettingsView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="A workflow's settings (any member)",
        responses={200: s.SettingsSerializer, 404: E404},
    )
    def get(self, request: Request, workflow_id: str) -> Response:
        body = settings_services.workflow_settings_get(actor=request.user, workflow_id=workflow_id)
        return Response(s.SettingsSerializer(body).data)

    @extend_schema(
        tags=TAGS,
        summary="Change settings (editor or owner; send the draft revision)",
        description=(
            "Name, description, type, timeout (the definition's TimeoutSeconds), tags "
            "(at most 50; keys 1-128, values up to 256 characters) and retention in days. "
            "The draft revision increments."
        ),
        request=s.SettingsUpdateSerializer,
        responses={200: s.SettingsSerializer, 400: E400_EXPRESS, 403: E403, 404: E404, 409: E409},
    )
    def patch(self, request: Request, workflow_id: str) -> Response:
        data = valid_data(s.SettingsUpdateSerializer, request)
        revision = data.pop("revision")
        saved = settings_services.workflow_settings_update(
            actor=request.user, workflow_id=workflow_id, revision=revision, changes=data
        )
        return Response(
            s.SettingsSerializer(settings_services.workflow_settings(saved.workflow)).data
        )


class WorkflowDeleteSummaryView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="What deleting this workflow would do (nothing is changed)",
        description=(
            "Running executions are stopped with it; stored executions are deleted with "
            "their history; versions and aliases go too."
        ),
        responses={200: s.DeleteSummarySerializer, 404: E404},
    )
    def get(self, request: Request, workflow_id: str) -> Response:
        summary = settings_services.workflow_delete_summary(
            actor=request.user, workflow_id=workflow_id
        )
        return Response(s.DeleteSummarySerializer(summary.to_dict()).data)


class WorkflowVersionRestoreView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Copy a version's definition into the draft (editor or owner)",
        description="The draft revision increments; the version itself is unchanged.",
        request=s.RestoreRequestSerializer,
        responses={200: WorkflowSerializer, 400: E400_EXPRESS, 403: E403, 404: E404, 409: E409},
    )
    def post(self, request: Request, workflow_id: str, number: int) -> Response:
        data = valid_data(s.RestoreRequestSerializer, request)
        saved = workflow_version_restore(
            actor=request.user, workflow_id=workflow_id, number=number, revision=data["revision"]
        )
        body = workflow_data(saved.workflow, saved.diagnostics)
        return Response(WorkflowSerializer(body).data)


class WorkflowDiffView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Compare two of the draft and published versions",
        description=(
            "A semantic diff: states added, removed, renamed or changed (each field change "
            "with JSON Pointers and old/new values), transitions added or removed, inside "
            "Parallel branches and Map processors too."
        ),
        parameters=[
            OpenApiParameter(
                "from", str, description="'draft' or a version number.", default="draft"
            ),
            OpenApiParameter(
                "to", str, description="'draft' or a version number.", default="draft"
            ),
        ],
        responses={200: s.DiffSerializer, 400: E400, 404: E404},
    )
    def get(self, request: Request, workflow_id: str) -> Response:
        body = workflow_diff(
            user=request.user,
            workflow_id=workflow_id,
            old=request.query_params.get("from"),
            new=request.query_params.get("to"),
        )
        return Response(s.DiffSerializer(body).data)
