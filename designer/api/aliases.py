"""Alias endpoints: list, create, get, change routing, delete (``designer.services.aliases``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api import serializers_operate as s
from designer.api.requests import valid_data
from designer.api.serializers_workflows import ErrorSerializer
from designer.api.workflows import E400, E403, E404
from designer.models import WorkflowAlias
from designer.selectors.aliases import alias_get, alias_list
from designer.services import aliases as services

TAGS = ["aliases"]
E409 = OpenApiResponse(
    ErrorSerializer,
    description="An alias of that name exists, or the workflow has as many aliases as it "
    "may (ALIASES_PER_WORKFLOW_MAX).",
)


def alias_data(alias: WorkflowAlias) -> dict[str, Any]:
    return {
        "name": alias.name,
        "description": alias.description,
        "routing": alias.routing,
        "created_by": alias.created_by.username if alias.created_by else None,
        "created_at": alias.created_at,
        "updated_at": alias.updated_at,
    }


class AliasListView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="A workflow's aliases by name",
        responses={200: s.AliasSerializer(many=True), 404: E404},
    )
    def get(self, request: Request, workflow_id: str) -> Response:
        aliases = alias_list(user=request.user, workflow_id=workflow_id)
        return Response(s.AliasSerializer([alias_data(a) for a in aliases], many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Create an alias (editor or owner)",
        request=s.AliasCreateSerializer,
        responses={201: s.AliasSerializer, 400: E400, 403: E403, 404: E404, 409: E409},
    )
    def post(self, request: Request, workflow_id: str) -> Response:
        data = valid_data(s.AliasCreateSerializer, request)
        alias = services.alias_create(actor=request.user, workflow_id=workflow_id, **data)
        return Response(s.AliasSerializer(alias_data(alias)).data, status=201)


class AliasDetailView(APIView):
    @extend_schema(tags=TAGS, summary="One alias", responses={200: s.AliasSerializer, 404: E404})
    def get(self, request: Request, workflow_id: str, name: str) -> Response:
        alias = alias_get(user=request.user, workflow_id=workflow_id, name=name)
        return Response(s.AliasSerializer(alias_data(alias)).data)

    @extend_schema(
        tags=TAGS,
        summary="Change an alias's routing or description (editor or owner)",
        request=s.AliasUpdateSerializer,
        responses={200: s.AliasSerializer, 400: E400, 403: E403, 404: E404},
    )
    def patch(self, request: Request, workflow_id: str, name: str) -> Response:
        data = valid_data(s.AliasUpdateSerializer, request)
        alias = services.alias_update(
            actor=request.user, workflow_id=workflow_id, name=name, **data
        )
        return Response(s.AliasSerializer(alias_data(alias)).data)

    @extend_schema(
        tags=TAGS,
        summary="Delete an alias (editor or owner); its executions keep their version",
        responses={204: None, 403: E403, 404: E404},
    )
    def delete(self, request: Request, workflow_id: str, name: str) -> Response:
        services.alias_delete(actor=request.user, workflow_id=workflow_id, name=name)
        return Response(status=204)
