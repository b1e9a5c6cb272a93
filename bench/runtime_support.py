"""Plumbing for ``bench/runtime.py``: a throwaway database, Redis, and the real processes.

Everything the runtime benchmark starts goes through :class:`Stack`, which puts
each process in its own session (process group) and stops every one of them,
group and all, when the benchmark ends, however it ends.
"""

from __future__ import annotations

import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


class BenchFailure(Exception):
    """The runtime did not do its job (an execution failed, a process died, a timeout)."""


# --------------------------------------------------------------------------- configuration


class Config:
    """Where the benchmark's database and Redis live, and the environment of every process."""

    def __init__(self, pg_base: str, db_name: str, redis_base: str, redis_db: int) -> None:
        self.pg_base = pg_base.rstrip("/")
        self.db_name = db_name
        self.redis_url = f"{redis_base.rstrip('/')}/{redis_db}"

    @property
    def database_url(self) -> str:
        return f"{self.pg_base}/{self.db_name}"

    @property
    def maintenance_url(self) -> str:
        return f"{self.pg_base}/postgres"

    def env(self) -> dict[str, str]:
        """The settings every process (this one included) runs with: production mode."""
        return {
            "DJANGO_SETTINGS_MODULE": "stateyard.settings",
            "SECRET_KEY": "stateyard-runtime-bench-not-a-secret",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "STATEYARD_DEV": "0",
            "DEBUG": "0",
            "SECURE_COOKIES": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
        }

    def child_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.env())
        env["PYTHONPATH"] = os.pathsep.join(
            [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
        )
        return env


def recreate_database(config: Config) -> None:
    """Drop and create the benchmark database, then migrate it (``manage.py migrate``)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(config.maintenance_url, autocommit=True) as conn:
        name = sql.Identifier(config.db_name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=REPO,
        env=config.child_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    if done.returncode != 0:
        raise BenchFailure(f"manage.py migrate failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")


def flush_redis(config: Config) -> None:
    import redis

    redis.Redis.from_url(config.redis_url).flushdb()


# --------------------------------------------------------------------------- processes


class Process:
    """A child process in its own process group, with its output in a log file."""

    def __init__(self, name: str, args: Sequence[str], env: dict[str, str], log: Path) -> None:
        self.name = name
        self.log = log
        self._handle = log.open("ab")
        self.popen = subprocess.Popen(
            list(args),
            cwd=REPO,
            env=env,
            stdout=self._handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def tail(self, chars: int = 2000) -> str:
        return self.log_text()[-chars:]

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM the process group, SIGKILL it if it is still there after ``grace``."""
        if self.popen.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=grace)
        # the leader may be gone while pool children linger: kill what is left of the group
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        with suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=5)
        self._handle.close()


class Stack:
    """The processes the benchmark started; :meth:`stop_all` ends every one of them."""

    def __init__(self, config: Config, logs: Path) -> None:
        self.config = config
        self.logs = logs
        self.processes: list[Process] = []
        self._serial = 0

    def _start(self, name: str, args: Sequence[str]) -> Process:
        self._serial += 1
        process = Process(
            name, args, self.config.child_env(), self.logs / f"{self._serial:02d}-{name}.log"
        )
        self.processes.append(process)
        return process

    def start_worker(self, name: str) -> Process:
        """``celery -A stateyard worker`` with one prefork process, no beat (no sweeper)."""
        return self._start(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "stateyard",
                "worker",
                "--queues=celery,calls",
                "--loglevel=INFO",
                "--concurrency=1",
                "--pool=prefork",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname={name}-{os.getpid()}@%h",
            ],
        )

    def start_server(self, port: int, workers: int = 1) -> Process:
        """``uvicorn stateyard.asgi:application`` on 127.0.0.1:``port`` (``workers`` processes)."""
        process = self._start(
            "uvicorn",
            [
                sys.executable,
                "-m",
                "uvicorn",
                "stateyard.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
                f"--workers={workers}",
            ],
        )
        return process

    def wait_worker_ready(self, process: Process, timeout: float = 60.0) -> None:
        wait_for(
            lambda: " ready." in process.log_text(),
            timeout,
            f"worker {process.name} to be ready",
            process,
        )

    def wait_server_ready(self, process: Process, port: int, timeout: float = 60.0) -> None:
        wait_for(lambda: port_open(port), timeout, "the ASGI server to listen", process)

    def check_alive(self) -> None:
        for process in self.processes:
            if not process.alive():
                raise BenchFailure(f"{process.name} exited:\n{process.tail()}")

    def stop_all(self) -> None:
        # stop them together: each SIGTERM first, then wait, so warm shutdowns overlap
        threads = [threading.Thread(target=p.stop) for p in self.processes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def tails(self) -> str:
        return "\n".join(f"--- {p.name} ({p.log}):\n{p.tail(1500)}" for p in self.processes)


def wait_for(
    check: Callable[[], Any],
    timeout: float,
    what: str,
    process: Process | None = None,
    every: float = 0.05,
) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        if process is not None and not process.alive():
            raise BenchFailure(f"{process.name} exited while waiting for {what}:\n{process.tail()}")
        time.sleep(every)
    raise BenchFailure(f"timed out after {timeout:.0f}s waiting for {what}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def terminate_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit so ``finally`` blocks stop the child processes."""

    def handler(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


# --------------------------------------------------------------------------- statistics


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty sample."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]
