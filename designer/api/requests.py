"""Reading a request body through a serializer (invalid input becomes a 400 with details)."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request


def valid_data(
    serializer_class: type[Any], request: Request, partial: bool = False
) -> dict[str, Any]:
    """The validated body; DRF's ValidationError (400) when it does not fit the serializer."""
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
