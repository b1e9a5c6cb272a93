"""Deliberate crashes at named points of the runtime, for fault tests only.

A test sets ``STATEYARD_FAULTS`` (comma-separated point names) and
``STATEYARD_FAULT_DIR`` (a directory) in a worker's environment. The first
process to reach a named point creates ``<dir>/fault-<name>`` (holding its pid) and dies at once
(``os._exit``: no cleanup, no rollback of what is committed, like a SIGKILL);
every later arrival passes, so each fault happens exactly once per test.
Without ``STATEYARD_FAULTS`` (always, in production) a point costs one
environment lookup.

Points:

* ``task-answered``: a call worker has committed a Task's answer (the
  invocation's outcome and the signal queued for its execution) but has not
  yet dispatched the execution.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

EXIT_CODE = 86


def crash(name: str) -> None:
    """Die now, as a killed process does (tests running in-process replace this)."""
    sys.stderr.write(f"stateyard fault {name}: process {os.getpid()} exits\n")
    sys.stderr.flush()
    os._exit(EXIT_CODE)


def fault_point(name: str) -> None:
    names = os.environ.get("STATEYARD_FAULTS")
    if not names or name not in names.split(","):
        return
    marker = Path(os.environ.get("STATEYARD_FAULT_DIR") or ".") / f"fault-{name}"
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return  # this fault has happened already
    os.write(fd, f"{os.getpid()}\n".encode())  # which process died
    os.close(fd)
    crash(name)
