"""Connection endpoints: thin translations of ``designer.services.connections``.

Secrets go in (``auth``) and never come out: responses show the auth type and
the non-secret parts only. Errors come back as ``{"code", "message", "details"}``.
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.requests import valid_data
from designer.api.serializers_teams import ErrorSerializer
from designer.models import CONNECTION_NAME_RULE, ConnectionAuthType
from designer.services import connections as services

TAGS = ["connections"]


@extend_schema_field({"type": "string", "pattern": re.compile(CONNECTION_NAME_RULE.regex).pattern})
class ConnectionNameField(serializers.CharField):
    """A connection name as EventBridge allows it; checked by the service."""


E400 = OpenApiResponse(ErrorSerializer, description="The request is not valid.")
E403 = OpenApiResponse(ErrorSerializer, description="Your role does not allow this (editor+).")
E404 = OpenApiResponse(ErrorSerializer, description="No such team or connection (or not yours).")
E409 = OpenApiResponse(ErrorSerializer, description="The name is taken in this team.")
AUTH_HELP = (
    "API_KEY: api_key_name, api_key_value. BASIC: username, password. "
    "OAUTH_CLIENT_CREDENTIALS: authorization_endpoint, client_id, client_secret, "
    "http_method (GET|POST|PUT, default POST), scope. "
    "S3 (Distributed Map storage): region (e.g. us-east-1), access_key_id, secret_access_key, "
    "endpoint_url (optional; empty for AWS S3, else http(s)://host[:port], checked by the "
    "address guard: private and loopback hosts only if STATEYARD_HTTP_ALLOW_HOSTS lists "
    "them), buckets (optional, comma-separated). Secret fields are write-only."
)


class ConnectionSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    arn = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    auth_type = serializers.ChoiceField(choices=ConnectionAuthType.choices)
    auth = serializers.DictField(help_text="The non-secret parts of the authorization.")
    invocation_http_parameters = serializers.DictField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ConnectionCreateSerializer(serializers.Serializer[Any]):
    name = ConnectionNameField(max_length=200)
    description = serializers.CharField(max_length=512, required=False, allow_blank=True)
    auth_type = serializers.ChoiceField(choices=ConnectionAuthType.choices)
    auth = serializers.DictField(help_text=AUTH_HELP)
    invocation_http_parameters = serializers.DictField(
        required=False, help_text="Non-secret headers, query and body fields for every call."
    )


class ConnectionPatchSerializer(serializers.Serializer[Any]):
    description = serializers.CharField(max_length=512, required=False, allow_blank=True)
    auth_type = serializers.ChoiceField(choices=ConnectionAuthType.choices, required=False)
    auth = serializers.DictField(
        required=False, help_text=AUTH_HELP + " Secrets left out are kept."
    )
    invocation_http_parameters = serializers.DictField(required=False)


def _valid(serializer_class: type[Any], request: Request) -> dict[str, Any]:
    if (
        isinstance(request.data, dict)
        and "name" in request.data
        and serializer_class is (ConnectionPatchSerializer)
    ):
        return {"name": request.data["name"]}  # let the service refuse it clearly
    return valid_data(serializer_class, request)


def _body(connection: Any) -> Any:
    return ConnectionSerializer(services.connection_public(connection)).data


class TeamConnectionListView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="The team's connections (editor or owner; no secrets)",
        responses={200: ConnectionSerializer(many=True), 403: E403, 404: E404},
    )
    def get(self, request: Request, slug: str) -> Response:
        connections = services.connection_list(actor=request.user, team_slug=slug)
        return Response([_body(c) for c in connections])

    @extend_schema(
        tags=TAGS,
        summary="Create a connection (editor or owner)",
        request=ConnectionCreateSerializer,
        responses={201: ConnectionSerializer, 400: E400, 403: E403, 404: E404, 409: E409},
    )
    def post(self, request: Request, slug: str) -> Response:
        data = _valid(ConnectionCreateSerializer, request)
        connection = services.connection_create(actor=request.user, team_slug=slug, **data)
        return Response(_body(connection), status=201)


class ConnectionDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="One connection (no secrets)",
        responses={200: ConnectionSerializer, 403: E403, 404: E404},
    )
    def get(self, request: Request, connection_id: str) -> Response:
        return Response(_body(services.connection_get_for(request.user, connection_id)))

    @extend_schema(
        tags=TAGS,
        summary="Change a connection (editor or owner); the name cannot change",
        request=ConnectionPatchSerializer,
        responses={200: ConnectionSerializer, 400: E400, 403: E403, 404: E404},
    )
    def patch(self, request: Request, connection_id: str) -> Response:
        changes = _valid(ConnectionPatchSerializer, request)
        connection = services.connection_update(
            actor=request.user, connection_id=connection_id, changes=changes
        )
        return Response(_body(connection))

    @extend_schema(
        tags=TAGS,
        summary="Delete a connection (editor or owner)",
        responses={204: None, 403: E403, 404: E404},
    )
    def delete(self, request: Request, connection_id: str) -> Response:
        services.connection_delete(actor=request.user, connection_id=connection_id)
        return Response(status=204)
