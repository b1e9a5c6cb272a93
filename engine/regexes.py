"""Regular expressions written by users, run with a time bound.

A workflow can carry a regular expression in two places: JSONata's ``/regex/``
literals (``$match``, ``$contains``, ``$replace``, ``$split``, a regex called as
a function) and a JSONPath filter's ``=~``. Python's ``re`` backtracks, and a
pattern such as ``(a|aa)+$`` takes exponential time on ``"a" * 40 + "b"``; a
match runs in C and no signal or clock check can end it. These patterns are
compiled with the ``regex`` package instead (the same syntax as ``re``), whose
searches take a ``timeout``: ``limits.REGEX_MAX_SECONDS`` for one search, or
less when the evaluation running it has less time left (``budget``). Past it
the search raises ``interrupts.LimitExceeded`` with a cause that names the
pattern and the limit; the evaluator turns that into the state's error.

``BoundedPattern`` offers what the JSONata library asks of a compiled pattern
(``search``, ``finditer``, ``sub``, ``split``) and ``fullmatch`` for JSONPath.
``sub`` also holds its result to ``limits.JSONATA_MAX_STRING_LENGTH``: a
replacement that repeats its match can multiply a string's length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Final

import regex

from engine import limits
from engine.interrupts import LimitExceeded

#: Seconds left to the evaluation that runs the search (None: only the regex's own limit).
_budget: ContextVar[Callable[[], float] | None] = ContextVar("regex_budget", default=None)

_QUOTED_MAX: Final = 60


class PatternError(ValueError):
    """The text is not a regular expression (``message`` says why)."""


@contextmanager
def bounded_by(budget: Callable[[], float] | None) -> Iterator[None]:
    """Searches inside the block get at most ``budget()`` seconds (it may raise to stop them)."""
    token = _budget.set(budget)
    try:
        yield
    finally:
        _budget.reset(token)


def _shown(source: str) -> str:
    return source if len(source) <= _QUOTED_MAX else source[:_QUOTED_MAX] + "..."


class BoundedPattern:
    """A compiled pattern whose every search ends within its time bound."""

    __slots__ = ("_compiled", "groups", "pattern")

    def __init__(self, source: str, flags: int = 0) -> None:
        try:
            self._compiled = regex.compile(source, flags | regex.VERSION0)
        except (regex.error, OverflowError, RecursionError) as error:
            raise PatternError(f"Invalid regular expression /{_shown(source)}/: {error}") from None
        self.pattern = source
        self.groups: int = self._compiled.groups

    def __repr__(self) -> str:
        return f"/{self.pattern}/"

    def _timeout(self) -> float:
        seconds = float(limits.REGEX_MAX_SECONDS)
        budget = _budget.get()
        if budget is not None:
            seconds = min(seconds, budget())
        if seconds <= 0:
            raise self._too_slow(0)
        return seconds

    def _too_slow(self, length: int) -> LimitExceeded:
        return LimitExceeded(
            f"The regular expression /{_shown(self.pattern)}/ took longer than the limit of "
            f"{limits.REGEX_MAX_SECONDS} second(s) (REGEX_MAX_SECONDS) on a string of {length} "
            "characters; nested repetition such as (a+)+ or (a|aa)+ backtracks without end."
        )

    def search(self, string: str) -> Any:
        try:
            return self._compiled.search(string, timeout=self._timeout())
        except TimeoutError:
            raise self._too_slow(len(string)) from None

    def fullmatch(self, string: str) -> Any:
        try:
            return self._compiled.fullmatch(string, timeout=self._timeout())
        except TimeoutError:
            raise self._too_slow(len(string)) from None

    def finditer(self, string: str) -> Iterator[Any]:
        matches = self._compiled.finditer(string, timeout=self._timeout())
        while True:
            try:
                found = next(matches)
            except StopIteration:
                return
            except TimeoutError:
                raise self._too_slow(len(string)) from None
            yield found

    def split(self, string: str, maxsplit: int = 0) -> list[Any]:
        try:
            parts: list[Any] = self._compiled.split(string, maxsplit, timeout=self._timeout())
        except TimeoutError:
            raise self._too_slow(len(string)) from None
        return parts

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        """``re.sub``'s result, its template read as ``re`` reads it, at most the string limit."""
        if isinstance(repl, str) and _literal(repl) and _at_most(string, repl):
            try:  # no match can add more than the template: C speed, nothing to count
                fast: str = self._compiled.sub(repl, string, count, timeout=self._timeout())
            except TimeoutError:
                raise self._too_slow(len(string)) from None
            return fast
        replace = _expander(repl, self.groups) if isinstance(repl, str) else repl
        grown = _Growth(len(string))

        def counted(match: Any) -> str:
            text = replace(match)
            grown.add(len(text) - (match.end() - match.start()))
            return text

        try:
            result: str = self._compiled.sub(counted, string, count, timeout=self._timeout())
        except TimeoutError:
            raise self._too_slow(len(string)) from None
        return result


def _literal(template: str) -> bool:
    return "\\" not in template


def _at_most(string: str, template: str) -> bool:
    """Even a match at every position cannot take the result past the string limit."""
    return (len(string) + 1) * (len(template) + 1) <= limits.JSONATA_MAX_STRING_LENGTH


def _expander(template: str, groups: int) -> Callable[[Any], str]:
    _check_template(template, groups)

    def expand(match: Any) -> str:
        text: str = match.expand(template)
        return text

    return expand


class _Growth:
    """The length a substitution's result has reached, held to the string limit."""

    __slots__ = ("length",)

    def __init__(self, length: int) -> None:
        self.length = length

    def add(self, delta: int) -> None:
        self.length += delta
        if self.length > limits.JSONATA_MAX_STRING_LENGTH:
            raise LimitExceeded(
                f"$replace would make a string of more than {limits.JSONATA_MAX_STRING_LENGTH} "
                "characters (JSONATA_MAX_STRING_LENGTH)."
            )


_DUMMIES: dict[int, re.Pattern[str]] = {}


def _check_template(template: str, groups: int) -> None:
    """Raise ``re.error`` for a template ``re`` refuses (the JSONata library reads its text).

    A stand-in ``re`` pattern with as many groups parses the template the way
    ``re.sub`` would: "invalid group reference 12 at position 1".
    """
    dummy = _DUMMIES.get(groups)
    if dummy is None:
        dummy = _DUMMIES.setdefault(groups, re.compile("()" * groups))
    dummy.sub(template, "")


def compile_pattern(
    source: str, *, ignore_case: bool = False, multiline: bool = False
) -> BoundedPattern:
    """``source`` compiled with a time bound; ``PatternError`` when it is not a pattern."""
    flags = (regex.IGNORECASE if ignore_case else 0) | (regex.MULTILINE if multiline else 0)
    return BoundedPattern(source, flags)


def jsonata_engine(pattern: str, flags: Any) -> BoundedPattern:
    """The JSONata library's regex engine hook (``Jsonata(text, regex_engine)``)."""
    return compile_pattern(
        pattern, ignore_case=bool(flags.case_insensitive), multiline=bool(flags.multiline)
    )


__all__ = ["BoundedPattern", "PatternError", "bounded_by", "compile_pattern", "jsonata_engine"]
