"""A Standard execution's first slice, run by its start, before anything is written.

A start used to store the execution and hand its first advance to a worker:
a broker message, a worker task, then a second transaction that locked, read
and rewrote the row just written (and every index on it). On the 2-core
machines this project is measured on, that hand-over cost more CPU than the
rest of the start (``bench/runtime.py --only-starts`` prints the CPU per start
of each process). The start now steps the engine itself, from the same code a
worker runs (``execution_runtime.slice_run``), for at most
``STATEYARD["START_SLICE_SECONDS"]``:

* a slice that needs no rows but the execution's own (Pass, Choice, Wait,
  Succeed, Fail, mocked Tasks) is written with the execution, its history
  and the audit entry in one statement (``row_writes.rows_insert_together``):
  one round trip, a transaction of its own, all or nothing;
* a slice that asks for work with rows of its own (a Task's call, an
  activity, a callback, a child execution, a Map Run) is run again in a
  transaction, after the execution's row, exactly as a worker runs it;
* what is left (a timer, a Task's answer, the rest of a long slice) is
  committed as due (``wake_at``) and dispatched after the commit, as after a
  worker's advance; the sweeper dispatches it if that message is lost.

So a start that answered succeeded durably or left its next step committed as
due: a worker that dies loses nothing. A slice that fails unexpectedly (an
engine bug) does not fail the start: the execution is stored as before and a
worker advances it. A budget of 0 turns this off (every first advance is a
worker's, as before).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction

from designer.models import AuditEntry, Execution
from designer.row_writes import row_stamp, rows_insert_together
from designer.services.dispatcher import execution_started
from designer.services.execution_events import events_to_rows
from designer.services.execution_runtime import (
    execution_status_message,
    mock_answers,
    slice_after_commit,
    slice_apply,
    slice_run,
    slice_save,
)
from engine.interpreter.effects import Effect, InvokeTask

log = logging.getLogger(__name__)

MAX_EVENTS = 1000
"""A first slice that recorded more events than this (a long loop of Pass and Choice
states, which the engine runs to its next wait in one step) is left to a worker: the
start's statement stays small."""
KEEP = ("start_date",)
"""Stamped before the slice (the engine's start time) and written as it is."""


class _NeedsRows(Exception):
    """The slice asked for work that writes rows of its own (not a mocked Task)."""


class _TooLong(Exception):
    """The slice recorded more than ``MAX_EVENTS`` events."""


def _carry_in_memory(
    execution: Execution, effects: list[Effect], registry: Any, out: Any, now: float
) -> None:
    for effect in effects:
        if not (isinstance(effect, InvokeTask) and mock_answers(effect, registry, out, now)):
            raise _NeedsRows


def start_slice_seconds() -> float:
    """How long a start may step its execution (0: never, a worker does)."""
    return float(settings.STATEYARD["START_SLICE_SECONDS"])


def execution_insert_advanced(execution: Execution, audit: AuditEntry) -> None:
    """Insert a new Standard execution with its first slice run, and hand over the rest.

    A reused name raises ``IntegrityError`` (the caller answers it), with nothing
    written and nothing dispatched.
    """
    budget = start_slice_seconds()
    row_stamp(execution)  # its start_date is the engine's $$.Execution.StartTime
    try:
        state, out, more = slice_run(execution, budget, _carry_in_memory)
        if len(out.events) > MAX_EVENTS:
            raise _TooLong
    except _TooLong:
        _insert_for_worker(execution, audit)
        return
    except _NeedsRows:
        _insert_then_advance(execution, audit, budget)
        return
    except Exception:  # an engine bug must not fail the start: a worker tries
        log.exception("the first slice of execution %s failed in its start", execution.pk)
        _insert_for_worker(execution, audit)
        return
    slice_apply(execution, state, out, more)
    _one_statement([[execution], events_to_rows(execution, out.events), [audit]])
    transaction.on_commit(lambda: slice_after_commit(execution, out, more, announce=True))


def _one_statement(groups: list[list[Any]]) -> None:
    connection = connections[router.db_for_write(Execution)]
    if not connection.in_atomic_block:
        rows_insert_together(groups, keep=KEEP)  # its own transaction
        return
    with transaction.atomic():  # a savepoint: a reused name leaves the caller's usable
        rows_insert_together(groups, keep=KEEP)


def _insert_then_advance(execution: Execution, audit: AuditEntry, budget: float) -> None:
    """The execution's row first, then the slice as a worker runs it, in one transaction."""
    before = {name: getattr(execution, name) for name in _SLICE_FIELDS}
    try:
        with transaction.atomic():
            rows_insert_together([[execution], [audit]], keep=KEEP)
            state, out, more = slice_run(execution, budget)
            if len(out.events) > MAX_EVENTS:
                raise _TooLong
            slice_save(execution, state, out, more)
            transaction.on_commit(lambda: slice_after_commit(execution, out, more, announce=True))
        return
    except IntegrityError:  # a reused name (the caller answers it)
        raise
    except _TooLong:
        pass
    except Exception:  # an engine bug must not fail the start: a worker tries
        log.exception("the first slice of execution %s failed in its start", execution.pk)
    for name, value in before.items():  # nothing of the slice was written
        setattr(execution, name, value)
    _insert_for_worker(execution, audit)


def _insert_for_worker(execution: Execution, audit: AuditEntry) -> None:
    """The start as it was: the execution as due now, its first advance a worker's."""
    with transaction.atomic():
        rows_insert_together([[execution], [audit]], keep=KEEP)
        transaction.on_commit(
            lambda: execution_started(
                execution.pk, execution.workflow_id, execution_status_message(execution)
            )
        )


_SLICE_FIELDS = (
    "event_count",
    "state",
    "pending_signals",
    "sequence",
    "status",
    "output",
    "error",
    "cause",
    "stop_date",
    "wake_at",
)
"""What a slice changes on the execution (``slice_apply``)."""
