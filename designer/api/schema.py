"""How the OpenAPI schema describes every operation beyond what its view declares.

* Request bodies are JSON (``application/json``): the API's clients send
  JSON, and a form encoding cannot carry the nested values most bodies hold.
* Every error is the JSON shape ``{"code", "message", "details"}``
  (``designer.api.errors``), and each operation documents the error statuses
  it can answer, unless its view already describes them:

  - 400 (the request is not valid), 401 (no or a bad token), 403 (the role
    is too low, or a session request without its CSRF token), 404 (no such
    object, or one the caller may not know of), 429 (throttled) and 503 (the
    database is unavailable): every operation;
  - 409 (a conflict with the current state) and 413 (a body over the size
    limit) and 415 (a body that is not JSON): operations that change things.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

ERRORS: dict[str, str] = {
    "400": "The request is not valid (the details say which part and why).",
    "401": "Authentication is missing, invalid or revoked.",
    "403": "Your role in the team does not allow this (or a session request lacks its CSRF token).",
    "404": "No such object, or one you may not see.",
    "409": "The request conflicts with the current state (a name in use, a stale revision).",
    "413": "The request body is larger than the server accepts.",
    "415": "The request body is not JSON.",
    "429": "Too many requests; retry after the time the Retry-After header gives.",
    "503": "A service the request needs is unavailable; retry later.",
}
PATH_PATTERNS = {
    "slug": r"^[-a-zA-Z0-9_]+$",  # <slug:slug>
    "token": r"^[-A-Za-z0-9_]+$",  # an invitation token (secrets.token_urlsafe)
}
ALWAYS = ("400", "401", "403", "404", "429", "503")
WHEN_CHANGING = ("409", "413", "415")


class StateyardAutoSchema(AutoSchema):
    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)
        # DRF refuses "" unless allow_blank: say so (requests only; a stored "" may be read back)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and not isinstance(field, serializers.ChoiceField)
            and not field.allow_blank
            and schema.get("type") == "string"
            and "minLength" not in schema
            and "enum" not in schema
        ):
            schema["minLength"] = 1
        return schema

    def _resolve_path_parameters(self, variables: list[str]) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super()._resolve_path_parameters(variables)
        for parameter in parameters:  # what the route's converter matches, said in the schema
            pattern = PATH_PATTERNS.get(parameter["name"])
            if pattern and parameter["schema"].get("type") == "string":
                parameter["schema"].setdefault("pattern", pattern)
        return parameters

    def map_parsers(self) -> list[str]:
        return [media for media in super().map_parsers() if media == "application/json"]

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        from designer.api.serializers_teams import ErrorSerializer

        error = self._get_response_for_code(ErrorSerializer, "400")["content"]
        statuses = ALWAYS + (WHEN_CHANGING if self.method not in ("GET", "HEAD") else ())
        for status in statuses:
            responses.setdefault(status, {"content": error, "description": ERRORS[status]})
        return dict(sorted(responses.items()))
