"""Diagnostics: one problem found in a definition, located by a JSON Pointer.

``validate()`` returns a list of these; the editor underlines them and the API
returns them as JSON (``Diagnostic.to_dict``). Codes are stable identifiers
(``SCHEMA_MISSING_FIELD``, ``DANGLING_NEXT``, ...) that clients may match.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


def pointer(*parts: str | int) -> str:
    """A JSON Pointer (RFC 6901) from parts: ``pointer("States", "A/B")`` is ``/States/A~1B``."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    location: str  # JSON Pointer into the definition; "" is the whole document
    severity: Severity = "error"
    line: int | None = None  # 1-based, when the definition came as text
    column: int | None = None  # 1-based

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "code": self.code,
            "message": self.message,
            "location": self.location,
            "severity": self.severity,
        }
        if self.line is not None:
            out["line"] = self.line
            out["column"] = self.column
        return out

    def __str__(self) -> str:
        where = self.location or "/"
        return f"{where}: {self.message} [{self.code}]"
