"""Variable names an expression reads, and the ``$states`` fields a JSONata expression uses.

Text-level scanning, good enough for the scope rules of ``variables.py``:
string literals and comments are blanked out first, so ``'$x'`` reads
nothing. In JSONata, names bound inside the expression (``$x := ...``,
``function($x)``) and function calls (``$count(...)``) are not variables of
the workflow. In JSONPath, a path ``$name...`` and a path argument of an
intrinsic call read the variable ``name``; ``$`` and ``$$`` are the input
and the context object.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

STATES: Final = "states"
_STRINGS: Final = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|/\*.*?\*/", re.DOTALL)
_NAME: Final = r"[A-Za-z_\u00c0-\uffff][A-Za-z0-9_\u00c0-\uffff]*"
_JSONATA_VARIABLE: Final = re.compile(rf"(?<![\w$])\$({_NAME})(?!\s*\()")
_JSONATA_BOUND: Final = re.compile(rf"\$({_NAME})\s*:=")
_JSONATA_PARAMS: Final = re.compile(r"(?:function|λ)\s*\(([^)]*)\)")
_STATES_FIELD: Final = re.compile(rf"(?<![\w$])\$states\s*(?:\.\s*({_NAME})|\[\s*$)")
_PATH_VARIABLE: Final = re.compile(rf"(?<![\w$'.])\$({_NAME})")


def _blank_strings(text: str) -> str:
    return _STRINGS.sub(lambda m: " " * len(m.group(0)), text)


def jsonata_variables(expression: str) -> set[str]:
    """Workflow variables a JSONata expression (the text inside ``{% %}``) reads."""
    code = _blank_strings(expression)
    bound = set(_JSONATA_BOUND.findall(code))
    for params in _JSONATA_PARAMS.findall(code):
        bound.update(re.findall(rf"\$({_NAME})", params))
    return {name for name in _JSONATA_VARIABLE.findall(code) if name not in bound} - {STATES}


def states_fields(expression: str) -> Iterator[str]:
    """Each ``$states.<field>`` a JSONata expression names (in order, repeats included)."""
    for match in _STATES_FIELD.finditer(_blank_strings(expression)):
        if match.group(1):
            yield match.group(1)


def path_variables(text: str) -> set[str]:
    """Variables a JSONPath path or intrinsic call reads (``$name``, ``$name.field``...)."""
    return set(_PATH_VARIABLE.findall(_blank_strings(text)))


def jsonata_body(text: str) -> str:
    """The expression inside a ``{% ... %}`` string."""
    stripped = text.strip()
    return stripped[2:-2]
