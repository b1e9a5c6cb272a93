"""The functions Step Functions adds to JSONata, and the one it takes away.

AWS documents six additions (``$partition``, ``$range``, ``$hash``,
``$random`` with an optional seed, ``$uuid``, ``$parse``) and one removal
(``$eval``, which answers ``T1006`` as an unknown function does). See
https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html.

Each function takes JSONata values (``None`` is *undefined*, ``NULL`` is JSON
null) and raises ``FunctionError`` with a JSONata error code when its
arguments are wrong; ``engine.jsonata_lang`` turns that into a
``States.QueryEvaluationError``. Integer parameters are truncated towards
zero, as AWS does with a non-integer number.

``extensions()`` lists what to bind in every compiled expression's frame:
these functions, and each of the library's own functions guarded so that a
Python failure inside it (``$decodeUrlComponent("%ED%A0%80")`` raised a
``UnicodeDecodeError``) becomes a JSONata error without Python's names in
the cause: D3140 for the URL functions, as jsonata-js answers, else D3137
saying the function cannot evaluate its arguments.
"""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from collections.abc import Callable
from typing import Any, Final

from jsonata import Jsonata, Utils
from jsonata.jexception import JException

from engine import limits
from engine.jsonata_bounds import PRECHECKS, array_too_long, check_value

NULL: Final[Any] = Utils.NULL_VALUE
"""JSONata's JSON null; a bare ``None`` is JSONata's *undefined*."""

HASH_ALGORITHMS: Final = {
    "MD5": "md5",
    "SHA-1": "sha1",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
}
_HASH_CHOICES: Final = "SHA-1, SHA-384, SHA-256, SHA-512, MD5"

# JSONata's own bound on a range (error D2014 for the `..` operator).
RANGE_LIMIT: Final = 10_000_000


class FunctionError(Exception):
    """A function refused its arguments: ``code`` is the JSONata error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def signature_error(function: str, argument: int) -> FunctionError:
    """JSONata's T0410, worded the way jsonata-js (and so AWS) words it."""
    return FunctionError(
        "T0410", f'Argument {argument} of function "{function}" does not match function signature'
    )


def _truncated(value: Any, function: str, argument: int) -> int:
    """An integer parameter: a number truncated towards zero, anything else T0410."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise signature_error(function, argument)
    return int(value)


def partition(array: Any, size: Any) -> Any:
    """``$partition(array, size)``: chunks of ``size`` items, the last one shorter."""
    if array is None:
        return None
    if not isinstance(array, list):
        raise FunctionError(
            "T0412", 'Argument 1 of function "partition" must be an array of undefined'
        )
    if not array:
        return None
    if size is None:
        return [list(array)]
    chunk = _truncated(size, "partition", 2)
    if chunk < 0:
        raise FunctionError("D3137", "Second argument must be zero or greater")
    if chunk == 0:
        return None
    return [list(array[i : i + chunk]) for i in range(0, len(array), chunk)]


def range_(start: Any, end: Any, step: Any) -> Any:
    """``$range(start, end, step)``: ``start``, ``start+step``... while not past ``end``.

    The result is a JSONata sequence, so one element comes back as a bare number
    and none as *undefined* (``$range(1, 9, 9)`` is ``1`` on AWS).
    """
    first = _truncated(start, "range", 1)
    last = _truncated(end, "range", 2)
    if step is None:
        return None
    delta = _truncated(step, "range", 3)
    if delta == 0 or (delta > 0 and first > last) or (delta < 0 and first < last):
        return None
    count = (last - first) // delta + 1
    if count > RANGE_LIMIT:
        raise FunctionError(
            "D2014", f"The size of the sequence allocated by $range must not exceed {RANGE_LIMIT}"
        )
    if count > limits.JSONATA_MAX_ARRAY_LENGTH:  # built at once, unlike a lazy [a..b]
        raise array_too_long("$range", count)
    return Utils.create_sequence_from_iter(range(first, last + (1 if delta > 0 else -1), delta))


def hash_(value: Any, algorithm: Any) -> Any:
    """``$hash(value, algorithm)``: the lowercase hex digest of the UTF-8 string."""
    if not isinstance(value, str):
        raise signature_error("hash", 1)
    if algorithm is None:
        return None
    if not isinstance(algorithm, str):
        raise signature_error("hash", 2)
    name = HASH_ALGORITHMS.get(algorithm)
    if name is None:
        raise FunctionError("D3137", f"Hash algorithm '{algorithm}' must be one of {_HASH_CHOICES}")
    return hashlib.new(name, value.encode("utf-8")).hexdigest()


_JAVA_MULTIPLIER: Final = 0x5DEECE66D
_JAVA_MASK: Final = (1 << 48) - 1


def java_random_double(seed: int) -> float:
    """The first ``nextDouble()`` of a ``java.util.Random`` seeded with ``seed``.

    AWS's seeded ``$random`` draws from that generator, so ``$random(42)`` is
    0.7275636800328681 there and here. The algorithm is the one the Java API
    documents (a 48-bit linear congruential generator).
    """
    state = (seed ^ _JAVA_MULTIPLIER) & _JAVA_MASK

    def next_bits(bits: int) -> int:
        nonlocal state
        state = (state * _JAVA_MULTIPLIER + 0xB) & _JAVA_MASK
        return state >> (48 - bits)

    high = next_bits(26)
    low = next_bits(27)
    return ((high << 27) + low) * 2.0**-53


def random_(seed: Any) -> float:
    """``$random([seed])``: a number in [0, 1), reproducible when seeded."""
    if seed is None:
        return random.random()
    return java_random_double(_truncated(seed, "random", 1))


def uuid_() -> str:
    """``$uuid()``: a random version 4 UUID."""
    return str(uuid.uuid4())


def _reject_constant(text: str) -> Any:
    raise ValueError(f"{text} is not JSON")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key")
    return result


def _with_nulls(value: Any) -> Any:
    """Parsed JSON with its nulls as JSONata nulls (a bare None would be undefined)."""
    if value is None:
        return NULL
    if isinstance(value, list):
        return [_with_nulls(item) for item in value]
    if isinstance(value, dict):
        return {key: _with_nulls(item) for key, item in value.items()}
    return value


def parse(text: Any) -> Any:
    """``$parse(json)``: the value a JSON string holds (strict JSON only)."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise signature_error("parse", 1)
    try:
        value = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
    except ValueError:
        raise FunctionError("D3137", "Invalid JSON") from None
    return _with_nulls(value)


class _Native:
    """Adapts a Python function to the library's ``JFunctionCallable`` protocol.

    The signature declares one optional slot more than the function takes, so a
    call with a surplus argument reaches here and is refused naming that
    argument, as AWS does.
    """

    def __init__(self, name: str, arity: int, implementation: Callable[..., Any]) -> None:
        self.name = name
        self.arity = arity
        self.implementation = implementation

    def call(self, _focus: Any, args: Any) -> Any:
        values = list(args or ())
        values += [None] * (self.arity + 1 - len(values))
        if values[self.arity] is not None:
            raise signature_error(self.name, self.arity + 1)
        return self.implementation(*values[: self.arity])


def _function(name: str, arity: int, implementation: Callable[..., Any]) -> Any:
    signature = "<" + "x?" * (arity + 1) + ":x>"
    return Jsonata.JFunction(_Native(name, arity, implementation), signature)


_URL_FUNCTIONS: Final = frozenset(
    ("encodeUrl", "encodeUrlComponent", "decodeUrl", "decodeUrlComponent")
)


def _render(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError):
        return "a value"


def library_failure(name: str, args: Any) -> FunctionError:
    """The JSONata error for a Python failure inside the library's ``$name``."""
    values = list(args or ())
    if name in _URL_FUNCTIONS and values and isinstance(values[0], str):
        return FunctionError("D3140", f"Malformed URL passed to ${name}(): {_render(values[0])}")
    return FunctionError("D3137", f"The function ${name} cannot evaluate these arguments")


class _Guarded(Jsonata.JNativeFunction):  # type: ignore[misc]
    """One of the library's functions; a Python failure in it becomes a ``FunctionError``.

    JSONata's own errors, a ``FunctionError`` and ``RecursionError`` (the evaluation's
    depth bound) pass through, and so does anything that is not an ``Exception``
    (time bounds, interruptions, ``LimitExceeded``). A function that can make far more
    than it is given is checked first (``jsonata_bounds.PRECHECKS``), and every result
    after (``jsonata_bounds.check_value``)."""

    def __init__(self, native: Any) -> None:  # a copy of the library's definition
        self.function = native.function
        self.function_name = native.function_name
        self.signature = native.signature
        self.method = native.method
        self.nargs = native.nargs
        self.precheck = PRECHECKS.get(str(native.function_name))

    def call(self, input: Any, args: Any) -> Any:
        if self.precheck is not None:
            self.precheck(list(args or ()))
        try:
            result = super().call(input, args)
        except (JException, FunctionError, RecursionError):
            raise
        except Exception:
            raise library_failure(str(self.function_name), args) from None
        check_value(result)
        return result


def _guarded_library() -> dict[str, Any]:
    frame = Jsonata.static_frame
    bindings = dict(frame.bindings) if frame is not None else {}
    return {
        name: _Guarded(native)
        for name, native in bindings.items()
        if isinstance(native, Jsonata.JNativeFunction)
    }


def extensions() -> dict[str, Any]:
    """Name -> value to bind in an expression's frame (``eval`` bound to nothing)."""
    return {
        **_guarded_library(),
        "partition": _function("partition", 2, partition),
        "range": _function("range", 3, range_),
        "hash": _function("hash", 2, hash_),
        "random": _function("random", 1, random_),
        "uuid": _function("uuid", 0, uuid_),
        "parse": _function("parse", 1, parse),
        "eval": None,
    }
