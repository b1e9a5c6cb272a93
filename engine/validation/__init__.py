"""Validation of Amazon States Language definitions: every problem at once.

``validate(definition)`` takes a parsed definition and returns a list of
``Diagnostic`` (code, message, JSON Pointer location, severity); it never
raises. ``load_definition(text)`` parses JSON or YAML text, and
``validate_text(text)`` does both and gives every diagnostic a line and column.
``CODES`` lists every code with its meaning.
"""

from __future__ import annotations

from engine.validation.loading import load_definition, validate_text
from engine.validation.machine import validate
from engine.validation.report import CODES

__all__ = ["CODES", "load_definition", "validate", "validate_text"]
