"""API token endpoints: list, create (the only time the secret is returned), revoke.

Also tells drf-spectacular how ``TokenAuthentication`` looks in the schema
(an HTTP bearer scheme), so every endpoint documents it.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api import serializers_teams as s
from designer.selectors.tokens import token_list_for
from designer.services.tokens import token_create, token_revoke

TAGS = ["tokens"]


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "designer.api.authentication.TokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token (`sy_...`) from `POST /api/tokens/`.",
        }


class TokenListView(APIView):
    @extend_schema(tags=TAGS, summary="Your API tokens", responses=s.TokenSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(s.TokenSerializer(token_list_for(request.user), many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Create an API token",
        description="The response holds the token itself; it is never shown again. "
        "Send it as `Authorization: Bearer sy_...`.",
        request=s.TokenCreateSerializer,
        responses={
            201: s.TokenCreatedSerializer,
            400: OpenApiResponse(s.ErrorSerializer, description="The request is not valid."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = s.TokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, plaintext = token_create(request.user, serializer.validated_data["name"])
        body = dict(s.TokenSerializer(token).data, token=plaintext)
        return Response(body, status=201)


class TokenDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Revoke an API token",
        request=None,
        responses={
            204: None,
            404: OpenApiResponse(s.ErrorSerializer, description="No such token."),
        },
    )
    def delete(self, request: Request, token_id: int) -> Response:
        token_revoke(request.user, token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
