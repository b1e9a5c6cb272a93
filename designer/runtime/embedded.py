"""The embedded worker: an in-process pool and timer for ``make run`` (no Redis, no Celery).

The same ``execution_advance`` runs here as in a Celery worker. A per-execution
lock keeps two threads from advancing one execution at once (SQLite has no row
locks); a timer thread releases continuations when they fall due; a sweep every
few seconds picks up anything left over, for instance after a restart.
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import close_old_connections

from designer.services.execution_runtime import execution_advance
from designer.services.executions import express_run
from designer.services.sweeper import executions_sweep
from designer.services.task_invocations import invocation_run

log = logging.getLogger(__name__)


class EmbeddedPool:
    def __init__(self, workers: int) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="stateyard")
        # task calls (HTTP, functions) wait on I/O: many may be in flight at once
        self._calls = ThreadPoolExecutor(max_workers=64, thread_name_prefix="stateyard-call")
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self._timers: list[tuple[float, str]] = []
        self._wake = threading.Condition()
        self._thread = threading.Thread(target=self._timer_loop, daemon=True, name="sy-timer")
        self._thread.start()

    def submit(self, execution_id: str, at: datetime | None = None) -> None:
        if at is None or at.timestamp() <= time.time():
            self._executor.submit(self._advance, execution_id)
            return
        with self._wake:
            heapq.heappush(self._timers, (at.timestamp(), execution_id))
            self._wake.notify()

    def submit_express(self, execution_id: str) -> None:
        self._executor.submit(self._express, execution_id)

    def submit_map_run(self, run_id: str, at: datetime | None = None) -> None:
        # a run's next tick is due soon (a bounded start rate): the sweep is the timer
        self._executor.submit(self._map_run, run_id)

    def submit_map_run_chunk(self, run_id: str, token: str) -> None:
        self._calls.submit(self._map_run_chunk, run_id, token)

    def _map_run_chunk(self, run_id: str, token: str) -> None:
        from designer.services.map_runs import map_run_chunk_work

        try:
            map_run_chunk_work(run_id, token)
        except Exception:
            log.exception("map run %s chunk failed", run_id)
        finally:
            close_old_connections()

    def _map_run(self, run_id: str) -> None:
        from designer.services.map_runs import map_run_work

        try:
            map_run_work(run_id)
        except Exception:
            log.exception("map run %s failed", run_id)
        finally:
            close_old_connections()

    def submit_invocation(self, invocation_id: int) -> None:
        self._calls.submit(self._invoke, invocation_id)

    def _invoke(self, invocation_id: int) -> None:
        try:
            invocation_run(invocation_id)
        except Exception:
            log.exception("task invocation %s failed", invocation_id)
        finally:
            close_old_connections()

    def _lock_for(self, execution_id: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(execution_id, threading.Lock())

    def _advance(self, execution_id: str) -> None:
        with self._lock_for(execution_id):
            try:
                execution_advance(execution_id)
            except Exception:
                log.exception("advancing execution %s failed", execution_id)
            finally:
                close_old_connections()

    def _express(self, execution_id: str) -> None:
        try:
            express_run(execution_id)
        except Exception:
            log.exception("express execution %s failed", execution_id)
        finally:
            close_old_connections()

    def _timer_loop(self) -> None:
        next_sweep = time.time() + float(settings.STATEYARD["SWEEP_SECONDS"])
        while True:
            with self._wake:
                now = time.time()
                due = []
                while self._timers and self._timers[0][0] <= now:
                    due.append(heapq.heappop(self._timers)[1])
                if not due:
                    wait = min(next_sweep, self._timers[0][0] if self._timers else next_sweep)
                    self._wake.wait(timeout=max(0.01, wait - now))
            for execution_id in due:
                self._executor.submit(self._advance, execution_id)
            if time.time() >= next_sweep:
                next_sweep = time.time() + float(settings.STATEYARD["SWEEP_SECONDS"])
                self._executor.submit(self._sweep)

    def _sweep(self) -> None:
        try:
            executions_sweep()
        except Exception:
            log.exception("sweep failed")
        finally:
            close_old_connections()


_pool: EmbeddedPool | None = None
_pool_guard = threading.Lock()


def pool() -> EmbeddedPool:
    global _pool
    with _pool_guard:
        if _pool is None:
            _pool = EmbeddedPool(int(settings.STATEYARD["EMBEDDED_WORKERS"]))
        return _pool


def start() -> Any:
    """Start the pool (and so its sweeper) with the server, not on the first execution."""
    return pool()
