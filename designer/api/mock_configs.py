"""``/api/teams/<slug>/mock-config/``: the team's Step Functions Local mock configuration.

``GET`` (any member) returns it (``{}`` when there is none); ``PUT`` (editors)
replaces it with the body, checked by ``designer.services.mock_configs`` (every
problem listed with its JSON Pointer in ``details.problems``); ``DELETE``
(editors) removes it. The AWS API's StartExecution uses it for
``<state machine ARN>#<TestCase>``.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.serializers_teams import ErrorSerializer
from designer.services import mock_configs as services

TAGS = ["mock-config"]
E400 = OpenApiResponse(ErrorSerializer, description="Not a valid mock configuration.")
E403 = OpenApiResponse(ErrorSerializer, description="Your role does not allow this (editor+).")
E404 = OpenApiResponse(ErrorSerializer, description="No such team (or not yours).")


class MockConfigView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="The team's Step Functions Local mock configuration",
        responses={200: dict, 404: E404},
    )
    def get(self, request: Request, slug: str) -> Response:
        return Response(services.mock_config_get(request.user, slug))

    @extend_schema(
        tags=TAGS,
        summary="Replace the team's mock configuration (editors and owners)",
        request=dict,
        responses={200: dict, 400: E400, 403: E403, 404: E404},
    )
    def put(self, request: Request, slug: str) -> Response:
        saved = services.mock_config_set(request.user, slug, request.data)
        return Response(saved.config)

    @extend_schema(
        tags=TAGS,
        summary="Remove the team's mock configuration (editors and owners)",
        responses={204: None, 403: E403, 404: E404},
    )
    def delete(self, request: Request, slug: str) -> Response:
        services.mock_config_clear(request.user, slug)
        return Response(status=status.HTTP_204_NO_CONTENT)
