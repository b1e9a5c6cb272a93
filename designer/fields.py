"""A JSON field that keeps the document exactly as written (key order included).

PostgreSQL's ``jsonb`` (what Django's JSONField uses) reorders object keys. An
ASL definition's key order is part of what the user wrote (the order of
``States`` is the order they appear in the editor and in exports), and outputs
should come back as the engine produced them, so these are stored as JSON text.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models


class OrderedJSONField(models.Field):  # type: ignore[type-arg]
    """JSON stored as text: any JSON value in, the same value (same key order) out."""

    description = "JSON stored as text, key order preserved"
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return json.loads(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                return value
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def value_to_string(self, obj: Any) -> str:
        return str(self.get_prep_value(self.value_from_object(obj)))
