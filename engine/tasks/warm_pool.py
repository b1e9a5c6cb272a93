"""Warm processes for isolated calls, reused from call to call as Lambda reuses warm containers.

A ``WarmPool`` forks a process the first time a call finds none idle and keeps
it after the call, so the next call skips the fork (forking a worker of a few
hundred MiB costs tens of milliseconds; a call to a warm process costs well
under one). Each process runs ``target(request)`` for one request at a time
and answers ``(answer, keep)``; with ``keep`` false it exits after answering
(``engine.tasks.functions`` retires a process whose function ran out of
memory). What a fork gives is kept:

* a call is bounded by its deadline: past it the process is killed (SIGKILL)
  and dropped, and the next call forks a replacement;
* each process's address space is capped (``RLIMIT_AS``: what it had when
  forked plus ``max_memory``);
* a process that dies (or is killed by someone else) is noticed and replaced;
* a process ignores SIGTERM and SIGINT (a worker's warm shutdown lets its calls
  finish) and exits when its worker goes away: at once when idle, and at the
  latest ``ORPHAN_GRACE_SECONDS`` past a call's deadline (SIGALRM) when the
  worker was killed in the middle of a call;
* requests and answers are pickled copies, so a call never shares objects
  with the caller. Module globals of the process persist between its calls,
  as they do in a warm Lambda container.

Processes are forked from the calling thread, so they inherit what the
registry held then; ``renew()`` retires them all (a function registered
later). At most ``keep_idle`` idle processes are kept, each at most
``idle_seconds``. This module knows nothing of Django.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from typing import Any

KEEP_IDLE = 32  # idle processes a pool keeps
IDLE_SECONDS = 600.0  # an idle process older than this is retired (Lambda keeps minutes)
PARENT_CHECK_SECONDS = 2.0  # how often an idle process checks that its parent is alive
EXIT_WAIT_SECONDS = 5.0  # how long a retiring process may take to exit before it is killed
ORPHAN_GRACE_SECONDS = 2.0  # past its deadline and this, a call ends its own process (SIGALRM)

Target = Callable[[Any], tuple[Any, bool]]


@dataclass(frozen=True, slots=True)
class Answer:
    """What a call came back with: a value, or how it ended without one."""

    value: Any = None
    timed_out: bool = False
    exit_code: int | None = None  # set when the process died before answering
    pid: int = 0  # the process that ran the call

    @property
    def answered(self) -> bool:
        return not self.timed_out and self.exit_code is None


@dataclass(eq=False, slots=True)
class _Warm:
    pid: int
    conn: Connection
    generation: int
    idle_since: float = field(default_factory=time.monotonic)


_POOLS: weakref.WeakSet[WarmPool] = weakref.WeakSet()
_FORK_LOCK = threading.Lock()  # a pipe is made, forked and registered before the next fork


class WarmPool:
    """Processes that run ``target`` one request at a time, reused across calls."""

    def __init__(
        self,
        target: Target,
        *,
        max_memory: int,
        keep_idle: int = KEEP_IDLE,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        self.target = target
        self.max_memory = max_memory
        self.keep_idle = keep_idle
        self.idle_seconds = idle_seconds
        self.started = 0  # processes forked so far
        self._lock = threading.Lock()
        self._idle: list[_Warm] = []
        self._live: set[_Warm] = set()
        self._generation = 0
        _POOLS.add(self)

    # ---- calling ----------------------------------------------------------------------

    def run(self, request: Any, deadline: float) -> Answer:
        """Run ``request`` in a warm process; give up on it at ``deadline`` (monotonic)."""
        warm = self._checkout()
        try:
            warm.conn.send((deadline - time.monotonic(), request))
        except (OSError, ValueError):  # it died between the check and the send
            return Answer(exit_code=self._reap(warm), pid=warm.pid)
        if not warm.conn.poll(max(0.0, deadline - time.monotonic())):
            self._kill(warm)
            return Answer(timed_out=True, pid=warm.pid)
        try:
            value, keep = warm.conn.recv()
        except (EOFError, OSError):
            return Answer(exit_code=self._reap(warm), pid=warm.pid)
        if keep:
            self._checkin(warm)
        else:
            self._reap(warm)
        return Answer(value=value, pid=warm.pid)

    def renew(self) -> None:
        """Retire every process (idle now, or busy once its call ends): new ones fork fresh."""
        with self._lock:
            self._generation += 1
            idle, self._idle = self._idle, []
        for warm in idle:
            self._retire(warm)

    def close(self) -> None:
        """Retire the idle processes (busy ones go when their call ends)."""
        self.renew()

    def idle_pids(self) -> list[int]:
        with self._lock:
            return [warm.pid for warm in self._idle]

    # ---- the processes ------------------------------------------------------------------

    def _checkout(self) -> _Warm:
        stale: list[_Warm] = []
        chosen = None
        with self._lock:
            now = time.monotonic()
            while self._idle:
                warm = self._idle.pop()
                if now - warm.idle_since > self.idle_seconds or warm.conn.poll(0):
                    stale.append(warm)  # too old, or it closed its end (it died)
                    continue
                chosen = warm
                break
        for warm in stale:
            self._retire(warm)
        return chosen if chosen is not None else self._fork()

    def _checkin(self, warm: _Warm) -> None:
        with self._lock:
            keep = warm.generation == self._generation and len(self._idle) < self.keep_idle
            if keep:
                warm.idle_since = time.monotonic()
                self._idle.append(warm)
        if not keep:
            self._retire(warm)

    def _fork(self) -> _Warm:
        with self._lock:
            generation = self._generation
        with _FORK_LOCK:  # no other pool process inherits this pipe's child end
            mine, theirs = Pipe(duplex=True)
            parent = os.getpid()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child (covered through run)
                mine.close()
                _serve(theirs, self.target, self.max_memory, parent)
            theirs.close()
            warm = _Warm(pid=pid, conn=mine, generation=generation)
            with self._lock:
                self._live.add(warm)
                self.started += 1
        return warm

    def _retire(self, warm: _Warm) -> None:
        """Close its pipe (it exits on the end of input) and reap it."""
        warm.conn.close()
        self._reap(warm)

    def _kill(self, warm: _Warm) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(warm.pid, signal.SIGKILL)
        self._reap(warm)

    def _reap(self, warm: _Warm) -> int | None:
        """Wait for the process to end (killing it if it lingers); its exit code."""
        with self._lock:
            self._live.discard(warm)
        if not warm.conn.closed:
            warm.conn.close()
        return _wait_exit(warm.pid)

    def _forget(self) -> None:
        """In a forked child: these processes are not ours; close our copies of their pipes."""
        self._lock = threading.Lock()
        for warm in [*self._live, *self._idle]:
            if not warm.conn.closed:
                warm.conn.close()
        self._idle, self._live = [], set()


def _wait_exit(pid: int) -> int | None:
    until = time.monotonic() + EXIT_WAIT_SECONDS
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # reaped by someone else (a pool of the host's)
            return None
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > until:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            until = float("inf")
        time.sleep(0.001)


def _forget_all() -> None:
    for pool in list(_POOLS):
        pool._forget()


os.register_at_fork(after_in_child=_forget_all)


def _serve(
    conn: Connection, target: Target, max_memory: int, parent: int
) -> None:  # pragma: no cover - runs in the pool process (covered through WarmPool.run)
    """The pool process: answer requests until the pipe closes or the parent is gone."""
    try:
        # A stop (SIGTERM, SIGINT to the worker's group) lets the call finish: the worker
        # decides when this process ends. SIGALRM ends a call that outlives its deadline
        # even when no worker is left to kill it.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        if max_memory > 0:
            ceiling = address_space() + max_memory
            resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
        while True:
            if not conn.poll(PARENT_CHECK_SECONDS):
                if os.getppid() != parent:
                    break
                continue
            seconds, request = conn.recv()
            signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.0) + ORPHAN_GRACE_SECONDS)
            value, keep = target(request)
            signal.setitimer(signal.ITIMER_REAL, 0)
            conn.send((value, keep))
            if not keep:
                break
    except BaseException:
        pass
    finally:
        os._exit(0)  # no atexit handlers, no shared connection closed: this is a fork


def address_space() -> int:
    """This process's virtual memory size in bytes (Linux; 0 where unknown)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0
