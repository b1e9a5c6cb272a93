"""Interrupting a step from inside: the execution's deadline and a Stop, seen mid-evaluation.

An expression can run for a long time inside one step (a tail-recursive JSONata
function never returns), and nothing between steps can end it. The runtime
that drives an execution in real time (``engine.runner`` for Express) installs
a ``Watch`` for the steps it runs: the moment the execution must time out and
a ``stopped`` probe that answers a ``Stop`` once one was requested. A long
evaluation (``engine.jsonata_lang``) calls ``Watch.check`` every few thousand
evaluation steps; past the deadline or once stopped it raises ``Interrupted``,
which no state handles: the interpreter's step abandons its work and ends the
execution (TIMED_OUT with ``ExecutionTimedOut``, or ABORTED with
``ExecutionAborted``), as ``Step.history_bound`` does for a full history.

Without a watch (the virtual clock, a Standard advance) only the evaluation's
own time limit applies (``limits.JSONATA_MAX_SECONDS``), which fails the state
with ``States.QueryEvaluationError``.

An evaluation can also go past one of its own bounds in a single step (a string
or an array too large, a regular expression that backtracks for ever): it raises
``LimitExceeded`` with a cause naming the limit, and the evaluator that installed
the bound turns it into the state's error (``States.QueryEvaluationError`` for
JSONata, ``States.Runtime`` for a JSONPath filter).

``Interrupted`` and ``LimitExceeded`` derive from ``BaseException`` so that no
``except Exception`` in third-party evaluation code swallows or rewords them.
Nothing here imports the engine.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from engine import limits


@dataclass(frozen=True, slots=True)
class Stop:
    """A requested StopExecution: the error and cause the execution ends with."""

    error: str | None = None
    cause: str | None = None


class Interrupted(BaseException):
    """The execution must end now: ``stop`` set means ABORTED, else TIMED_OUT."""

    def __init__(self, stop: Stop | None) -> None:
        super().__init__("stopped" if stop is not None else "timed out")
        self.stop = stop


class LimitExceeded(BaseException):
    """An evaluation went past one of ``engine.limits``' bounds; ``cause`` says which."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


@dataclass(frozen=True, slots=True)
class Watch:
    """What may end the steps run under it.

    ``deadline``: ``time.time()`` at which the execution times out (None: never);
    ``stopped``: polled, returns the ``Stop`` once one was requested (it may
    throttle itself: it is called every few thousand evaluation steps);
    ``jsonata_seconds``: one JSONata evaluation's own limit.
    """

    deadline: float | None = None
    stopped: Callable[[], Stop | None] | None = None
    jsonata_seconds: float = limits.JSONATA_MAX_SECONDS

    def check(self, now: float | None = None) -> None:
        """Raise ``Interrupted`` when the execution is stopped or past its deadline."""
        if self.stopped is not None:
            stop = self.stopped()
            if stop is not None:
                raise Interrupted(stop)
        if self.deadline is not None and (time.time() if now is None else now) >= self.deadline:
            raise Interrupted(None)


_current: ContextVar[Watch | None] = ContextVar("engine_watch", default=None)


def current() -> Watch | None:
    """The watch installed for the steps running in this context, if any."""
    return _current.get()


@contextmanager
def watching(watch: Watch | None) -> Iterator[None]:
    """Install ``watch`` for the steps run inside the block."""
    token = _current.set(watch)
    try:
        yield
    finally:
        _current.reset(token)
