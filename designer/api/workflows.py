"""Workflow endpoints: thin translations of ``designer.services.workflows`` and ``asl_io``.

Each view reads the request, calls one service or selector, and shapes the
answer; roles, revisions and validation rules are the services' business.
Errors come back as ``{"code", "message", "details"}`` (see ``designer.api.errors``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api import serializers_workflows as s
from designer.api.requests import valid_data
from designer.errors import ValidationFailed
from designer.models import Workflow, WorkflowVersion
from designer.selectors import workflows as selectors
from designer.services import asl_io
from designer.services import workflows as services
from designer.services.access import EDIT, workflow_get_for

TAGS = ["workflows"]
E400 = OpenApiResponse(s.ErrorSerializer, description="The request is not valid.")
E403 = OpenApiResponse(s.ErrorSerializer, description="Your role does not allow this.")
E404 = OpenApiResponse(s.ErrorSerializer, description="No such workflow (or not your team's).")
E409 = OpenApiResponse(s.ConflictSerializer, description="Stale revision or name taken.")


def workflow_data(
    workflow: Workflow, diagnostics: services.Diagnostics | None = None
) -> dict[str, Any]:
    data = services.workflow_snapshot(workflow)
    data.update(created_at=workflow.created_at, updated_at=workflow.updated_at)
    if diagnostics is not None:
        data["diagnostics"] = diagnostics
    return data


def _list_item(workflow: Workflow) -> dict[str, Any]:
    """A list entry: the fields ``WorkflowListItemSerializer`` shows, no definition."""
    return {
        "id": workflow.id,
        "team": workflow.team.slug,
        "name": workflow.name,
        "type": workflow.type,
        "description": workflow.description,
        "revision": workflow.revision,
        "created_at": workflow.created_at,
        "updated_at": workflow.updated_at,
    }


def version_data(version: WorkflowVersion, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": version.number,
        "description": version.description,
        "created_by": version.created_by.username if version.created_by else None,
        "created_at": version.created_at,
    }
    if full:
        data["definition"] = version.definition
    return data


def _saved(saved: services.SavedWorkflow, status: int = 200) -> Response:
    body = workflow_data(saved.workflow, saved.diagnostics)
    return Response(s.WorkflowSerializer(body).data, status=status)


class TeamWorkflowListView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="The team's workflows",
        parameters=[OpenApiParameter("search", str, description="Matches name or description.")],
        responses={200: s.WorkflowListItemSerializer(many=True), 404: E404},
    )
    def get(self, request: Request, slug: str) -> Response:
        search = request.query_params.get("search")
        workflows = selectors.workflow_list(user=request.user, team_slug=slug, search=search)
        data = [_list_item(w) for w in workflows]
        return Response(s.WorkflowListItemSerializer(data, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Create a workflow (editor or owner)",
        description="A draft may have validation errors; they come back as diagnostics.",
        request=s.WorkflowCreateSerializer,
        responses={201: s.WorkflowSerializer, 400: E400, 403: E403, 404: E404, 409: E409},
    )
    def post(self, request: Request, slug: str) -> Response:
        data = valid_data(s.WorkflowCreateSerializer, request)
        saved = services.workflow_create(actor=request.user, team_slug=slug, **data)
        return _saved(saved, 201)


class TeamWorkflowImportView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Import ASL or a CloudFormation/SAM template (editor or owner)",
        description=(
            "JSON or YAML. From a template, the state machine resource's DefinitionString "
            "(string, Fn::Sub or Fn::Join; nothing is substituted) or Definition is taken. "
            "A template with several state machines needs logical_id."
        ),
        request=s.ImportRequestSerializer,
        responses={201: s.ImportResponseSerializer, 400: E400, 403: E403, 404: E404, 409: E409},
    )
    def post(self, request: Request, slug: str) -> Response:
        data = valid_data(s.ImportRequestSerializer, request)
        result = asl_io.workflow_import(actor=request.user, team_slug=slug, **data)
        body = workflow_data(result.saved.workflow, result.saved.diagnostics)
        body["imported"] = result.imported.summary()
        return Response(s.ImportResponseSerializer(body).data, status=201)


class WorkflowImportPreviewView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="What importing a file into this workflow would bring (nothing is changed)",
        description=(
            "ASL or a CloudFormation/SAM template, JSON or YAML: the definition, its "
            "diagnostics and, for a template, its state machines. Text that is neither "
            "is refused with 400."
        ),
        request=s.ImportPreviewRequestSerializer,
        responses={200: s.ImportPreviewSerializer, 400: E400, 403: E403, 404: E404},
    )
    def post(self, request: Request, workflow_id: str) -> Response:
        data = valid_data(s.ImportPreviewRequestSerializer, request)
        body = asl_io.workflow_import_preview(actor=request.user, workflow_id=workflow_id, **data)
        return Response(s.ImportPreviewSerializer(body).data)


class WorkflowDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="One workflow, with the draft's diagnostics",
        responses={200: s.WorkflowSerializer, 404: E404},
    )
    def get(self, request: Request, workflow_id: str) -> Response:
        workflow = selectors.workflow_get(user=request.user, workflow_id=workflow_id)
        diagnostics = services.definition_diagnostics(workflow.definition)
        return Response(s.WorkflowSerializer(workflow_data(workflow, diagnostics)).data)

    def _update(self, request: Request, workflow_id: str, partial: bool) -> Response:
        workflow_get_for(request.user, workflow_id, EDIT)  # 404/403 before the body is judged
        serializer = s.WorkflowPatchSerializer if partial else s.WorkflowUpdateSerializer
        data = valid_data(serializer, request)
        revision = data.pop("revision")
        saved = services.workflow_update(
            actor=request.user, workflow_id=workflow_id, revision=revision, changes=data
        )
        return _saved(saved)

    @extend_schema(
        tags=TAGS,
        summary="Replace the draft (send the revision you edited)",
        request=s.WorkflowUpdateSerializer,
        responses={200: s.WorkflowSerializer, 400: E400, 403: E403, 404: E404, 409: E409},
    )
    def put(self, request: Request, workflow_id: str) -> Response:
        return self._update(request, workflow_id, partial=False)

    @extend_schema(
        tags=TAGS,
        summary="Change some fields of the draft (send the revision you edited)",
        request=s.WorkflowPatchSerializer,
        responses={200: s.WorkflowSerializer, 400: E400, 403: E403, 404: E404, 409: E409},
    )
    def patch(self, request: Request, workflow_id: str) -> Response:
        return self._update(request, workflow_id, partial=True)

    @extend_schema(
        tags=TAGS,
        summary="Delete a workflow with its versions (editor or owner)",
        responses={204: None, 403: E403, 404: E404},
    )
    def delete(self, request: Request, workflow_id: str) -> Response:
        services.workflow_delete(actor=request.user, workflow_id=workflow_id)
        return Response(status=204)


class WorkflowDuplicateView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Copy the draft under a new name",
        request=s.WorkflowDuplicateSerializer,
        responses={201: s.WorkflowSerializer, 400: E400, 403: E403, 404: E404, 409: E409},
    )
    def post(self, request: Request, workflow_id: str) -> Response:
        workflow_get_for(request.user, workflow_id, EDIT)  # 404/403 before the body is judged
        data = valid_data(s.WorkflowDuplicateSerializer, request)
        saved = services.workflow_duplicate(actor=request.user, workflow_id=workflow_id, **data)
        return _saved(saved, 201)


class WorkflowValidateView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Validate the stored draft, or a definition or text sent in the body",
        request=s.ValidateRequestSerializer,
        responses={200: s.ValidateResponseSerializer, 400: E400, 404: E404},
    )
    def post(self, request: Request, workflow_id: str) -> Response:
        data = valid_data(s.ValidateRequestSerializer, request)
        diagnostics = services.workflow_validate(
            actor=request.user, workflow_id=workflow_id, **data
        )
        body = {"valid": not services.has_errors(diagnostics), "diagnostics": diagnostics}
        return Response(s.ValidateResponseSerializer(body).data)


class WorkflowPublishView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Publish the draft as the next immutable version",
        description="Refused with 400 and the diagnostics when the definition has errors.",
        request=s.PublishRequestSerializer,
        responses={201: s.VersionSerializer, 400: E400, 403: E403, 404: E404, 409: E409},
    )
    def post(self, request: Request, workflow_id: str) -> Response:
        data = valid_data(s.PublishRequestSerializer, request)
        version = services.workflow_publish(actor=request.user, workflow_id=workflow_id, **data)
        return Response(s.VersionSerializer(version_data(version, full=True)).data, status=201)


class WorkflowVersionListView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Published versions, newest first",
        responses={200: s.VersionListItemSerializer(many=True), 404: E404},
    )
    def get(self, request: Request, workflow_id: str) -> Response:
        versions = selectors.workflow_version_list(user=request.user, workflow_id=workflow_id)
        data = [version_data(v) for v in versions]
        return Response(s.VersionListItemSerializer(data, many=True).data)


class WorkflowVersionDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="One published version",
        responses={200: s.VersionSerializer, 404: E404},
    )
    def get(self, request: Request, workflow_id: str, number: int) -> Response:
        version = selectors.workflow_version_get(
            user=request.user, workflow_id=workflow_id, number=number
        )
        return Response(s.VersionSerializer(version_data(version, full=True)).data)


class _IgnoreFormatParameter(DefaultContentNegotiation):
    """``?format=`` names the export's format here, not a DRF renderer; errors stay JSON."""

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


class WorkflowExportView(APIView):
    content_negotiation_class = _IgnoreFormatParameter

    @extend_schema(
        tags=TAGS,
        summary="Download the draft or a version as ASL JSON/YAML or a DOT/SVG/PNG picture",
        description=(
            "json is exactly the ASL AWS accepts (indent 2, stored key order, no layout); "
            "svg and png need Graphviz on the server (503 otherwise)."
        ),
        parameters=[
            OpenApiParameter("format", str, enum=list(asl_io.EXPORT_FORMATS), default="json"),
            OpenApiParameter(
                "version",
                {"type": "integer", "minimum": 1},
                description="A published version (default: draft).",
            ),
        ],
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "application/yaml"): OpenApiTypes.STR,
            (200, "text/vnd.graphviz"): OpenApiTypes.STR,
            (200, "image/svg+xml"): OpenApiTypes.STR,
            (200, "image/png"): OpenApiTypes.BINARY,
            400: E400,
            404: E404,
            503: OpenApiResponse(s.ErrorSerializer, description="Graphviz is not installed."),
        },
    )
    def get(self, request: Request, workflow_id: str) -> HttpResponse:
        fmt = request.query_params.get("format", "json")
        version = _version_number(request.query_params.get("version"))
        exported = asl_io.workflow_export(
            user=request.user, workflow_id=workflow_id, fmt=fmt, version=version
        )
        response = HttpResponse(exported.content, content_type=exported.content_type)
        response["Content-Disposition"] = exported.content_disposition
        return response


def _version_number(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise ValidationFailed(
            "The version must be a positive whole number.", {"version": [f"Got {raw!r}."]}
        )
    return int(raw)
