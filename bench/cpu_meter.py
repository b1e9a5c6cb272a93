"""Where the CPU goes while the runtime benchmark starts executions (Linux ``/proc``).

``CpuMeter.read()`` returns the CPU seconds (user + system) used so far by each
part of the stack: the uvicorn processes, the Celery workers (each a process
group that ``bench.runtime_support.Stack`` started), the PostgreSQL backends
connected to the benchmark's database, the Redis server and this process (the
benchmark's HTTP clients). The difference of two readings, divided by the
number of executions started in between, says how many milliseconds of CPU one
start costs in each part; on a 2-core machine 250 starts per second leave
2,000 / 250 = 8 ms of CPU per start for all of them together.

A PostgreSQL backend that exited between two readings takes its CPU with it,
and the Redis server is shared with whatever else uses it: both figures are
lower bounds. Elsewhere than Linux every figure reads 0.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # the command name (field 2) is in parentheses and may hold spaces
    return text[text.rindex(")") + 2 :].split()


def _cpu(fields: list[str]) -> float:
    # after the name: state(0) ppid(1) pgrp(2) ... utime(11) stime(12)
    return (int(fields[11]) + int(fields[12])) / TICKS


def _pids() -> Iterable[int]:
    for entry in PROC.iterdir() if PROC.is_dir() else ():
        if entry.name.isdigit():
            yield int(entry.name)


def cpu_of_groups(groups: set[int]) -> float:
    """CPU seconds of every live process whose process group is in ``groups``."""
    total = 0.0
    for pid in _pids():
        fields = _stat_fields(pid)
        if fields is not None and int(fields[2]) in groups:
            total += _cpu(fields)
    return total


def cpu_of_pids(pids: Iterable[int]) -> float:
    total = 0.0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields is not None:
            total += _cpu(fields)
    return total


def redis_pids() -> list[int]:
    found = []
    for pid in _pids():
        try:
            name = (PROC / str(pid) / "comm").read_text().strip()
        except OSError:
            continue
        if name == "redis-server":
            found.append(pid)
    return found


class CpuMeter:
    """Readings of CPU seconds per part: web, workers, postgres, redis, client."""

    def __init__(self, stack: Any, database_url: str, db_name: str) -> None:
        self.stack = stack
        self.database_url = database_url
        self.db_name = db_name
        self.redis = redis_pids()

    def _backends(self) -> list[int]:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.db_name,),
            ).fetchall()
        return [int(row[0]) for row in rows]

    def read(self) -> dict[str, float]:
        groups: dict[str, set[int]] = {"web": set(), "workers": set()}
        for process in self.stack.processes:
            groups["web" if process.name == "uvicorn" else "workers"].add(process.popen.pid)
        times = os.times()
        return {
            "web": cpu_of_groups(groups["web"]),
            "workers": cpu_of_groups(groups["workers"]),
            "postgres": cpu_of_pids(self._backends()),
            "redis": cpu_of_pids(self.redis),
            "client": times.user + times.system,
        }


def per_start(before: dict[str, float], after: dict[str, float], starts: int) -> dict[str, float]:
    """Milliseconds of CPU per start in each part between two readings."""
    return {part: (after[part] - before[part]) * 1000 / max(starts, 1) for part in before}


def describe(ms: dict[str, float]) -> str:
    parts = ", ".join(f"{part} {value:.1f}" for part, value in ms.items())
    return f"CPU ms per start: {parts}; total {sum(ms.values()):.1f}"
