"""Real processes for runtime tests: Celery workers and ASGI servers on this machine.

They connect to the test database pytest-django created (committed data:
these tests use ``transactional_db``) and to this xdist worker's Redis database.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

REPO = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    user, host, port = db["USER"] or "postgres", db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "stateyard.test_settings",
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "PYTHONUNBUFFERED": "1",
            "STATEYARD_SWEEP_SECONDS": "1",
        }
    )
    env.update(extra)
    return env


def flush_broker() -> None:
    import redis

    redis.Redis.from_url(settings.REDIS_URL).flushdb()


def wait_for(check: Callable[[], Any], timeout: float = 30.0, every: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {check}")


def start_worker(
    log: Path,
    concurrency: int = 1,
    beat: bool = True,
    queues: str = "celery,calls",
    pool: str = "prefork",
    **env: str,
) -> subprocess.Popen[bytes]:
    args = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "stateyard",
        "worker",
        f"--queues={queues}",
        "--loglevel=INFO",
        f"--concurrency={concurrency}",
        f"--pool={pool}",
        "--without-gossip",
        "--without-mingle",
        f"--hostname=test-{os.getpid()}-{time.monotonic_ns()}@%h",
    ]
    if beat:
        args.append("--beat")
        args.append(f"--schedule={log.with_suffix('.beat')}")
    handle = log.open("ab")
    return subprocess.Popen(
        args,
        cwd=REPO,
        env=child_env(**env),
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill_hard(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the whole process group (the Celery parent and its pool children)."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            kill_hard(process)


@contextmanager
def worker(log: Path, **kwargs: Any) -> Iterator[subprocess.Popen[bytes]]:
    process = start_worker(log, **kwargs)
    try:
        yield process
    finally:
        stop(process)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def asgi_server(log: Path, port: int, **env: str) -> Iterator[subprocess.Popen[bytes]]:
    handle = log.open("ab")
    process = subprocess.Popen(
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
        ],
        cwd=REPO,
        env=child_env(**env),
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(lambda: _port_open(port) or process.poll() is not None, timeout=30)
        if process.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text()[-2000:]}")
        yield process
    finally:
        stop(process)


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def embedded_env(database: Path, **extra: str) -> dict[str, str]:
    """The environment of ``make run`` (embedded mode) on the SQLite file ``database``."""
    return {
        "STATEYARD_DEV": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": "stateyard.settings",
        **extra,
    }


def manage(env: dict[str, str], *args: str) -> str:
    """``manage.py ARGS`` in a child process with ``env``; its stdout (fails on an error)."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def embedded_workflow(
    env: dict[str, str], name: str, definition: Any, kind: str = "STANDARD"
) -> tuple[str, str]:
    """Migrate ``env``'s database and add user ``solo`` (owner of team ``solo``) with one
    workflow: (workflow id, API token)."""
    manage(env, "migrate", "--noinput")
    script = (
        "from django.contrib.auth import get_user_model;"
        "from designer.models import Team, Membership, Workflow;"
        "from designer.services.tokens import token_create;"
        "import json;"
        "u=get_user_model().objects.create_user('solo', password='pw');"
        "t=Team.objects.create(name='Solo', slug='solo');"
        "Membership.objects.create(team=t, user=u, role='owner');"
        f"w=Workflow.objects.create(team=t, name={name!r}, type={kind!r}, "
        f"definition=json.loads({json.dumps(definition)!r}));"
        "print(w.pk, token_create(u, 'cli')[1])"
    )
    workflow_id, token = manage(env, "shell", "-c", script).strip().splitlines()[-1].split()
    return workflow_id, token
