"""Strings are strings: a JSON number or boolean sent for a text field is refused.

DRF's ``CharField`` quietly turns ``0`` into ``"0"``; the API schema says
the field is a string, so the API holds clients to it (a 400 naming the field)
instead of storing something they did not write. Installed once at start-up
(``DesignerConfig.ready``) for every serializer's text fields (``CharField``
and its subclasses: ``RegexField``, ``EmailField``, ``SlugField``, ...).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

_original = serializers.CharField.to_internal_value


def _strict_to_internal_value(self: serializers.CharField, data: Any) -> Any:
    if not isinstance(data, str):
        self.fail("invalid")
    return _original(self, data)


def install() -> None:
    serializers.CharField.to_internal_value = _strict_to_internal_value  # type: ignore[method-assign,assignment]
