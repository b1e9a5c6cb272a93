"""Compile the expressions of a definition to find the ones that cannot compile.

The only module of the validator that talks to the expression engines
(``engine.jsonpath``, ``engine.intrinsics``, ``engine.jsonata_lang``). They are
looked up when first needed, so a missing engine only switches its check off;
an ``ExpressionSyntaxError`` becomes a diagnostic, and any other exception
from an engine becomes an ``EXPRESSION_CHECK_FAILED`` warning instead of
escaping ``validate()``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from engine.errors import ExpressionSyntaxError
from engine.validation.report import Path, Report

Compiler = Callable[..., Any]


def _function(module: str, name: str) -> Compiler | None:
    try:
        found = getattr(importlib.import_module(module), name, None)
    except Exception:
        return None
    return found if callable(found) else None


def _run(report: Report, code: str, where: Path, what: str, compile_: Compiler, *args: Any) -> bool:
    """Run one compiler; report a failure under ``code``. True when it compiled."""
    try:
        compile_(*args)
    except ExpressionSyntaxError as exc:
        report.error(code, where, f"{what} does not compile: {exc.message}")
        return False
    except RecursionError:
        report.error("NESTING_TOO_DEEP", where, f"{what} nests too deeply to compile")
        return False
    except Exception as exc:
        report.warning(
            "EXPRESSION_CHECK_FAILED",
            where,
            f"{what} could not be checked: the compiler failed with {type(exc).__name__}: {exc}",
        )
        return False
    return True


def is_intrinsic(text: str) -> bool:
    """True when ``text`` is an intrinsic function call (``States.Format(...)``)."""
    check = _function("engine.intrinsics", "is_intrinsic")
    if check is None:
        return text.startswith("States.")
    try:
        return bool(check(text))
    except Exception:
        return text.startswith("States.")


def is_jsonata(value: object) -> bool:
    """True when ``value`` is a ``{% ... %}`` string."""
    if not isinstance(value, str):
        return False
    check = _function("engine.jsonata_lang", "is_jsonata_expression")
    if check is not None:
        try:
            return bool(check(value))
        except Exception:
            pass
    stripped = value.strip()
    return stripped.startswith("{%") and stripped.endswith("%}")


def check_path(report: Report, where: Path, text: str, what: str) -> bool:
    """A Path (InputPath, OutputPath, a ``.$`` value): a reference path or a full JSONPath."""
    reference = _function("engine.jsonpath", "compile_reference")
    if reference is None:
        return _fallback_path(report, where, text, what)
    if text.startswith("$$") or not text.startswith("$") or _is_variable_path(text):
        return _run(report, "INVALID_PATH", where, what, reference, text)
    plain = _function("engine.jsonpath", "compile_path") or reference
    return _run(report, "INVALID_PATH", where, what, plain, text)


def check_reference(report: Report, where: Path, text: str, what: str) -> bool:
    """A reference path that may start at ``$``, ``$$`` or a variable (``$name``)."""
    reference = _function("engine.jsonpath", "compile_reference")
    if reference is None:
        return _fallback_path(report, where, text, what)
    return _run(report, "INVALID_PATH", where, what, reference, text)


def check_result_path(report: Report, where: Path, text: str, what: str) -> bool:
    """ResultPath: a reference path into the state input only (no ``$$``, no variable)."""
    if text.startswith("$$") or _is_variable_path(text):
        report.error(
            "INVALID_PATH",
            where,
            f"{what} must be a path into the state input starting with '$', not {text!r}",
        )
        return False
    return check_reference(report, where, text, what)


def check_intrinsic(report: Report, where: Path, text: str, what: str) -> bool:
    compile_ = _function("engine.intrinsics", "compile_intrinsic")
    if compile_ is None:
        return True
    return _run(report, "INVALID_INTRINSIC", where, what, compile_, text)


def check_path_or_intrinsic(report: Report, where: Path, text: str, what: str) -> bool:
    """A ``.$`` value, ErrorPath, CausePath: an intrinsic call or a path."""
    if is_intrinsic(text):
        return check_intrinsic(report, where, text, what)
    return check_path(report, where, text, what)


def check_jsonata(report: Report, where: Path, text: str, field: str) -> bool:
    """One ``{% %}`` string, compiled as a JSONata template of the given field."""
    compile_ = _function("engine.jsonata_lang", "compile_template")
    if compile_ is None:
        return True
    return _run(report, "INVALID_JSONATA", where, f"The JSONata in {field}", compile_, text, field)


def _is_variable_path(text: str) -> bool:
    return len(text) > 1 and text[0] == "$" and text[1] not in ".[$"


def _fallback_path(report: Report, where: Path, text: str, what: str) -> bool:
    """Used only while engine.jsonpath is absent: the path must at least start with '$'."""
    if text.startswith("$"):
        return True
    report.error("INVALID_PATH", where, f"{what} must start with '$', got {text!r}")
    return False
