"""``GET /api/functions/``: the registered Python functions and their docstrings (read-only).

The list is what ``STATEYARD_FUNCTION_MODULES`` registers (the examples when it
is unset), loaded once per process as the workers and TestState load it; the
designer's function picker shows it. Any signed-in user may read it: the names
are the same for every team.
"""

from __future__ import annotations

import inspect
from functools import lru_cache
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from designer.api.errors import error_response
from designer.api.serializers_teams import ErrorSerializer
from engine.tasks.functions import FunctionError, FunctionRegistry


class FunctionSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(help_text='What a Task calls it by (`"FunctionName"`).')
    doc = serializers.CharField(allow_blank=True, help_text="Its docstring (empty if none).")


@lru_cache(maxsize=1)
def registered_functions() -> tuple[dict[str, str], ...]:
    """Name and docstring of each registered function, by name."""
    registry = FunctionRegistry.from_env()
    return tuple(
        {"name": name, "doc": inspect.getdoc(registry.functions[name]) or ""}
        for name in registry.names()
    )


class FunctionListView(APIView):
    @extend_schema(
        tags=["functions"],
        summary="The registered Python functions, with their docstrings",
        responses={
            200: FunctionSerializer(many=True),
            503: OpenApiResponse(ErrorSerializer, description="A function module cannot load."),
        },
    )
    def get(self, request: Request) -> Response:
        try:
            found = registered_functions()
        except FunctionError as err:
            return error_response("functions_unavailable", str(err), http=503)
        return Response(FunctionSerializer(found, many=True).data)
