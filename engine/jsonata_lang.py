"""JSONata query language support: ``{% expression %}`` templates as AWS runs them.

In a JSONata state every string of the form ``{% ... %}`` (at any depth of an
``Arguments``, ``Output``, ``Assign``, ``Items``... value) is a JSONata
expression. ``compile_template(value, field)`` parses each expression once and
returns a frozen ``JsonataTemplate``; ``template.evaluate(scope)`` binds
``$states`` (``input``, ``context``, and ``result``/``errorOutput`` when the
scope has them) and the workflow variables the expressions name, then builds
the value. A template without expressions returns its constant at no cost.

Failures are ``JsonataEvaluationError`` (a ``StatesError`` named
``States.QueryEvaluationError`` carrying the field path in ``location``) with
AWS's wording::

    The JSONata expression '$x' specified for the field 'Output/result' returned nothing
    (undefined).
    ... returned an unsupported result type.
    ... threw an error during evaluation. T0410: Argument 1 of function "abs" does not match ...
    ... returned an unexpected result type. Expected 'array', but was 'number' for value: 1

The library (jsonata-python) is untyped and keeps per-evaluation state on the
``Jsonata`` object and in a thread-local "current instance"; ``_Expression``
is the small typed facade that gives each thread its own shallow copy of a
parsed expression, so one compiled template can be evaluated concurrently.
An expression that is only ``$name.key.key`` is answered by a dict walk
(about 15x faster than the library) unless it meets an array, where JSONata's
mapping and flattening rules apply and the library is used instead.

Returned values may share structure with the scope's documents and with the
template's constants: treat them as immutable.
"""

from __future__ import annotations

import copy
import math
import re
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any, Final

from jsonata import JException, Jsonata, Parser

from engine import interrupts, jsonata_bounds, limits, regexes
from engine.errors import QUERY_EVALUATION_ERROR, ExpressionSyntaxError, StatesError
from engine.jsonata_functions import NULL, FunctionError, extensions
from engine.jsonvalue import MISSING, to_json, type_name
from engine.scope import Scope

OPEN: Final = "{%"
CLOSE: Final = "%}"

# Whole numbers below this magnitude are written as integers (JavaScript's
# Number-to-string switches to exponent notation at 1e21).
_INTEGRAL_LIMIT: Final = 1e21

_EXTENSIONS: Final = extensions()
_PLACEHOLDER: Final = re.compile(r"\{\{\{\w+\}\}\}|\{\{\w+\}\}")
# How jsonata-js names the element type a signature asks an array for (T0412).
_ARRAY_OF: Final = {
    "a": "arrays",
    "b": "booleans",
    "f": "functions",
    "n": "numbers",
    "o": "objects",
    "s": "strings",
}


class JsonataEvaluationError(StatesError):
    """``States.QueryEvaluationError`` with ``location``, the field path AWS reports."""

    def __init__(self, cause: str, location: str) -> None:
        super().__init__(QUERY_EVALUATION_ERROR, cause)
        self.location = location


def is_jsonata_expression(value: Any) -> bool:
    """A string that starts with ``{%`` and ends with ``%}`` (no surrounding whitespace)."""
    return (
        isinstance(value, str)
        and len(value) >= len(OPEN) + len(CLOSE)
        and value.startswith(OPEN)
        and value.endswith(CLOSE)
    )


def expression_text(value: str) -> str:
    """The expression inside ``{% %}``, stripped: what AWS quotes in its messages."""
    return value[len(OPEN) : -len(CLOSE)].strip()


# --- messages ---------------------------------------------------------------


def _field_sentence(expression: str, field: str) -> str:
    return f"The JSONata expression '{expression}' specified for the field '{field}'"


def unexpected_type_detail(expression: str, field: str, expected: str, value: Any) -> str:
    """AWS's cause for a value of the wrong JSON type (Items, Seconds, MaxConcurrency...)."""
    return (
        f"{_field_sentence(expression, field)} returned an unexpected result type. "
        f"Expected '{expected}', but was '{type_name(value)}' for value: {to_json(value)}"
    )


def unexpected_type_error(
    expression: str, field: str, expected: str, value: Any
) -> JsonataEvaluationError:
    """The error to raise when ``value`` is not of the ``expected`` JSON type."""
    return JsonataEvaluationError(unexpected_type_detail(expression, field, expected, value), field)


def _render_value(value: Any) -> str:
    try:
        return to_json(_to_json_value(value))
    except (_UnsupportedResult, TypeError, ValueError):
        return str(value)


def library_message(error: JException) -> str:
    """A library error worded as jsonata-js words it (``T0410: ...``).

    The port's catalog says "Object" where jsonata-js says "function" and inserts
    values raw where jsonata-js JSON-renders them; the message is rebuilt from
    the catalog template and the values the exception carries.
    """
    code = str(error.error)
    template = JException.error_codes.get(code)
    if template is None:
        return code
    extra = _ARRAY_OF.get(error.extra, error.extra) if code == "T0412" else error.extra
    values = iter([error.current, error.expected, extra])
    text = _PLACEHOLDER.sub(
        lambda match: _fill(match.group(0), values), template.replace("Object", "function")
    )
    return f"{code}: {text}"


def _fill(placeholder: str, values: Iterator[Any]) -> str:
    value = next(values, None)
    if placeholder.startswith("{{{"):
        return str(value)
    return "undefined" if value is None else _render_value(value)


def _syntax_message(error: JException) -> str:
    """A parse error without its code, as AWS reports it at validation."""
    return library_message(error).split(": ", 1)[-1]


def _failure_detail(error: Exception) -> str:
    if isinstance(error, FunctionError):
        return str(error)
    if isinstance(error, JException):
        return library_message(error)
    if isinstance(error, RecursionError):
        return "Stack overflow error: maximum evaluation depth exceeded"
    if isinstance(error, (ZeroDivisionError, OverflowError)):
        # jsonata-js computes 1/0 as Infinity and rejects it as D1001
        return "D1001: Number out of range: Infinity"
    return f"{type(error).__name__}: {error}"


# --- time and size bounds -------------------------------------------------

#: The library calls ``__evaluate_entry`` (found through the frame chain) before it
#: evaluates any node: the hook its own Timebox uses. Binding it, and ``__evaluate_exit``
#: to None, in the evaluation's own frame also shortens both lookups.
_ENTRY: Final = "__evaluate_entry"
_EXIT: Final = "__evaluate_exit"
#: Evaluation steps between two looks at the clock (and the runtime's Watch): a step costs
#: well under a microsecond, so this is a few milliseconds at most.
CHECK_EVERY: Final = 2000


class _OutOfTime(BaseException):
    """The evaluation ran past its own limit (``limits.JSONATA_MAX_SECONDS``)."""


class _Clock:
    """The entry hook of one evaluation: every ``CHECK_EVERY`` steps, look at the time.

    Past the evaluation's limit it raises ``_OutOfTime`` (the state fails with
    States.QueryEvaluationError); the runtime's ``Watch`` (execution deadline,
    Stop) raises ``interrupts.Interrupted``, which ends the execution. The same
    look checks the process's memory (``jsonata_bounds.MemoryProbe``);
    ``remaining`` is what a regular-expression search may still take. (The sizes
    of values are checked where they are built: ``jsonata_bounds.BoundedJsonata``.)
    """

    __slots__ = ("countdown", "limit_at", "memory", "seconds", "watch")
    signature = None  # the library asks every value it binds for one: answer without raising

    def __init__(self, watch: interrupts.Watch | None) -> None:
        self.watch = watch
        self.seconds = watch.jsonata_seconds if watch is not None else limits.JSONATA_MAX_SECONDS
        self.limit_at = time.time() + self.seconds
        self.countdown = CHECK_EVERY
        self.memory = jsonata_bounds.MemoryProbe()

    def __call__(self, expr: Any, input: Any, environment: Any) -> None:
        self.countdown -= 1
        if self.countdown:
            return
        self.countdown = CHECK_EVERY
        self.look(time.time())
        self.memory.check()

    def look(self, now: float) -> None:
        if self.watch is not None:
            self.watch.check(now)
        if now >= self.limit_at:
            raise _OutOfTime

    def remaining(self) -> float:
        now = time.time()
        self.look(now)
        return self.limit_at - now


def _limit_text(seconds: float) -> str:
    shown = int(seconds) if float(seconds).is_integer() else seconds
    return (
        f"The evaluation took longer than the limit of {shown} seconds "
        "(JSONATA_MAX_SECONDS); does it loop for ever?"
    )


# --- results ----------------------------------------------------------------


class _UnsupportedResult(Exception):
    """The value holds something JSON cannot: a function, a regex, a non-finite number."""


def _is_function(value: Any) -> bool:
    return isinstance(
        value, (Parser.Symbol, Jsonata.JFunctionCallable, re.Pattern, regexes.BoundedPattern)
    )


def _number(value: float) -> int | float:
    if not math.isfinite(value):
        raise _UnsupportedResult
    if value.is_integer() and abs(value) < _INTEGRAL_LIMIT:
        return int(value)
    return value


def _container(value: Any) -> Any:
    """Lists and dicts converted item by item; the same object when nothing changed."""
    if isinstance(value, list):
        items = [_to_json_value(item) for item in value]
        same = type(value) is list and all(a is b for a, b in zip(items, value, strict=True))
        return value if same else items
    entries = {str(key): _to_json_value(item) for key, item in value.items()}
    same = type(value) is dict and all(entries[k] is v for k, v in value.items())
    return value if same else entries


def _to_json_value(value: Any) -> Any:
    """A library value as plain JSON data (``NULL`` -> None, 1.0 -> 1)."""
    if value is None or value is NULL:
        return None
    if isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, (list, dict)):
        return _container(value)
    raise _UnsupportedResult


def _result(value: Any) -> Any:
    """The top-level result: library undefined (None) becomes MISSING."""
    if value is None:
        return MISSING
    if _is_function(value):
        raise _UnsupportedResult
    jsonata_bounds.check_text("The result", value)  # before any walk over a shared value
    return _to_json_value(value)


# --- the library facade -----------------------------------------------------


def _referenced_variables(node: Any) -> frozenset[str]:
    """Every ``$name`` the parsed expression mentions (an over-approximation is harmless)."""
    names: set[str] = set()
    seen: set[int] = set()
    pending = [node]
    while pending:
        item = pending.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, Parser.Symbol):
            if getattr(item, "type", None) == "variable" and isinstance(item.value, str):
                names.add(item.value)
            pending.extend(vars(item).values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
        elif isinstance(item, dict):
            pending.extend(item.values())
    return frozenset(name for name in names if name not in ("", "$"))


_PLAIN_ATTRIBUTES: Final = frozenset(
    {"_outer_instance", "id", "value", "type", "position", "steps"}
)
_SLOW: Final = object()


def _plain(node: Any, kind: str) -> bool:
    """A node of type ``kind`` with no predicate, stage, group, focus or array flag."""
    if getattr(node, "type", None) != kind or not isinstance(node.value, str):
        return False
    return not any(value for key, value in vars(node).items() if key not in _PLAIN_ATTRIBUTES)


def _simple_path(ast: Any) -> tuple[str, tuple[str, ...]] | None:
    """``$name.key.key...`` with nothing else in it, as (name, keys); else None."""
    if _plain(ast, "variable"):
        return (ast.value, ()) if ast.value not in ("", "$") else None
    if getattr(ast, "type", None) != "path" or any(
        value for key, value in vars(ast).items() if key not in _PLAIN_ATTRIBUTES
    ):
        return None
    root, *rest = ast.steps
    if not _plain(root, "variable") or root.value in ("", "$"):
        return None
    if not all(_plain(step, "name") for step in rest):
        return None
    return root.value, tuple(step.value for step in rest)


def _walk(bindings: Mapping[str, Any], path: tuple[str, tuple[str, ...]]) -> Any:
    """The fast path: what the library would return, or _SLOW where arrays make it differ.

    JSONata maps a path over arrays and flattens; a walk through dicts only is
    plain key lookup, with a missing key (or a non-object) *undefined* and a
    present null JSON null.
    """
    name, keys = path
    if name not in bindings:
        return _SLOW
    value = bindings[name]
    for key in keys:
        if isinstance(value, list):
            return _SLOW
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
        if value is None:
            value = NULL
    return _SLOW if isinstance(value, list) else value


def _parse(text: str) -> Any:
    try:
        parsed = jsonata_bounds.BoundedJsonata(text, regexes.jsonata_engine)
    except JException as error:
        raise ExpressionSyntaxError(_syntax_message(error)) from None
    except regexes.PatternError as error:
        raise ExpressionSyntaxError(str(error)) from None
    except (RecursionError, ValueError, TypeError, IndexError, KeyError) as error:
        raise ExpressionSyntaxError(f"{type(error).__name__}: {error}") from None
    if parsed.get_errors():
        raise ExpressionSyntaxError(str(parsed.get_errors()[0]))
    parsed.set_output_convert_nulls(False)
    parsed.set_validate_input(False)
    for name, function in _EXTENSIONS.items():
        parsed.register_function(name, function)
    return parsed


class _Expression:
    """One parsed expression, safe to evaluate from many threads at once.

    ``Jsonata.evaluate`` writes the evaluation timestamp (read by ``$now``) and
    the current frame onto the object, and the library reads the thread's
    "current" instance from ``Jsonata.CURRENT``. Each thread therefore gets a
    shallow copy (sharing the immutable AST and function frame) that it installs
    as current before evaluating. Bindings are passed per call, so nothing
    shared is ever mutated.
    """

    __slots__ = ("_local", "_path", "_prototype", "field", "text", "variables")

    def __init__(self, text: str, field: str) -> None:
        self.text = text
        self.field = field
        self._prototype = _parse(text)
        self.variables = _referenced_variables(self._prototype.ast)
        self._path = _simple_path(self._prototype.ast)
        self._local = threading.local()

    def _instance(self) -> Any:
        instance = getattr(self._local, "instance", None)
        if instance is None:
            instance = copy.copy(self._prototype)
            self._local.instance = instance
        return instance

    def evaluate(self, bindings: Mapping[str, Any]) -> Any:
        """The JSON value, or a ``JsonataEvaluationError`` naming the field."""
        raw = _walk(bindings, self._path) if self._path is not None else _SLOW
        if raw is _SLOW:
            raw = self._run(bindings)
        try:
            value = _result(raw)
        except _UnsupportedResult:
            raise self._error("returned an unsupported result type.") from None
        except RecursionError:
            raise self._error("returned a value nested too deeply.") from None
        except interrupts.LimitExceeded as refused:
            raise self._error(f"returned a value too large. {refused.cause}") from None
        if value is MISSING:
            raise self._error("returned nothing (undefined).")
        return value

    def _run(self, bindings: Mapping[str, Any]) -> Any:
        """The library's raw result (None is undefined, NULL is null)."""
        instance = self._instance()
        Jsonata.CURRENT.jsonata = instance
        clock = _Clock(interrupts.current())
        try:
            with regexes.bounded_by(clock.remaining):
                return instance.evaluate(None, {**bindings, _ENTRY: clock, _EXIT: None})
        except _OutOfTime:
            raise self._error(
                f"threw an error during evaluation. {_limit_text(clock.seconds)}"
            ) from None
        except interrupts.LimitExceeded as refused:
            raise self._error(f"threw an error during evaluation. {refused.cause}") from None
        except Exception as error:  # third-party code running user text: any failure is the state's
            raise self._error(
                f"threw an error during evaluation. {_failure_detail(error)}"
            ) from None

    def _error(self, what: str) -> JsonataEvaluationError:
        return JsonataEvaluationError(
            f"{_field_sentence(self.text, self.field)} {what}", self.field
        )


# --- templates --------------------------------------------------------------


class _Node:
    """A compiled piece of a template."""

    __slots__ = ()

    def build(self, bindings: Mapping[str, Any]) -> Any:
        raise NotImplementedError


class _Constant(_Node):
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def build(self, bindings: Mapping[str, Any]) -> Any:
        return self.value


class _Evaluated(_Node):
    __slots__ = ("expression",)

    def __init__(self, expression: _Expression) -> None:
        self.expression = expression

    def build(self, bindings: Mapping[str, Any]) -> Any:
        return self.expression.evaluate(bindings)


class _Object(_Node):
    __slots__ = ("entries",)

    def __init__(self, entries: tuple[tuple[str, _Node], ...]) -> None:
        self.entries = entries

    def build(self, bindings: Mapping[str, Any]) -> Any:
        return {key: node.build(bindings) for key, node in self.entries}


class _Array(_Node):
    __slots__ = ("items",)

    def __init__(self, items: tuple[_Node, ...]) -> None:
        self.items = items

    def build(self, bindings: Mapping[str, Any]) -> Any:
        return [node.build(bindings) for node in self.items]


def _compile_node(value: Any, field: str, found: list[_Expression]) -> _Node:
    if is_jsonata_expression(value):
        expression = _Expression(expression_text(value), field)
        found.append(expression)
        return _Evaluated(expression)
    if isinstance(value, dict):
        entries = tuple(
            (key, _compile_node(item, f"{field}/{key}", found)) for key, item in value.items()
        )
        if all(isinstance(node, _Constant) for _, node in entries):
            return _Constant(value)
        return _Object(entries)
    if isinstance(value, list):
        items = tuple(_compile_node(item, f"{field}/{i}", found) for i, item in enumerate(value))
        if all(isinstance(node, _Constant) for node in items):
            return _Constant(value)
        return _Array(items)
    return _Constant(value)


def _states(scope: Scope) -> dict[str, Any]:
    states = {"input": scope.input, "context": scope.context}
    if scope.result is not MISSING:
        states["result"] = scope.result
    if scope.error_output is not MISSING:
        states["errorOutput"] = scope.error_output
    return states


class JsonataTemplate:
    """A JSON value whose ``{% %}`` strings are compiled JSONata expressions."""

    __slots__ = ("_expressions", "_root", "_variables", "field")

    def __init__(self, value: Any, field: str) -> None:
        found: list[_Expression] = []
        self.field = field
        self._root = _compile_node(value, field, found)
        self._expressions = tuple(found)
        names = frozenset().union(*(expression.variables for expression in found))
        self._variables = tuple(sorted(names))

    @property
    def is_constant(self) -> bool:
        """True when the template holds no expression at all."""
        return not self._expressions

    @property
    def expression(self) -> str | None:
        """The expression text when the whole template is one ``{% %}`` string."""
        if isinstance(self._root, _Evaluated):
            return self._root.expression.text
        return None

    def evaluate(self, scope: Scope) -> Any:
        """The value, with every expression evaluated against ``scope``."""
        if isinstance(self._root, _Constant):
            return self._root.value
        return self._root.build(self._bindings(scope))

    def unexpected_type(self, value: Any, expected: str) -> JsonataEvaluationError:
        """AWS's type-mismatch error for this template's field (e.g. Items not an array)."""
        return unexpected_type_error(
            self.expression if self.expression is not None else to_json(value),
            self.field,
            expected,
            value,
        )

    def _bindings(self, scope: Scope) -> dict[str, Any]:
        """``$states`` and the variables the expressions name; JSON null as JSONata null."""
        bindings: dict[str, Any] = {}
        variables = scope.variables
        for name in self._variables:
            if name == "states":
                bindings[name] = _states(scope)
            elif name in variables:
                value = variables[name]
                if value is not MISSING:
                    bindings[name] = NULL if value is None else value
        return bindings


def compile_template(value: Any, field: str) -> JsonataTemplate:
    """Compile every ``{% %}`` expression in ``value`` (raises ``ExpressionSyntaxError``)."""
    return JsonataTemplate(value, field)


__all__ = [
    "JsonataEvaluationError",
    "JsonataTemplate",
    "compile_template",
    "expression_text",
    "is_jsonata_expression",
    "library_message",
    "unexpected_type_detail",
    "unexpected_type_error",
]
