"""The studio as ``make run`` serves it, for end-to-end tests and ``bench/studio_300.py``.

``embedded_server(tmp)`` migrates and seeds a throwaway SQLite database in
``tmp`` (``STATEYARD_DEV=1``, no ``REDIS_URL``: the in-process worker and the
in-memory channel layer), adds two users in two teams (``alice`` owns ``acme``,
``oscar`` owns ``rivals``; password :data:`PASSWORD`, one API token each),
starts ``uvicorn stateyard.asgi:application`` on a free port and stops its
whole process group on exit. Free of Django settings, so a plain script can use it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "e2e-correct-horse"
MANIFESTS = (REPO / "static/dist/.vite/manifest.json", REPO / "static/dist/manifest.json")

CHROMIUM = os.environ.get("STATEYARD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

SETUP = """
import json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", "--noinput", verbosity=0)
call_command("stateyard_demo", verbosity=0)
from django.contrib.auth import get_user_model
from designer.models import Membership, Team
from designer.services.tokens import token_create
out = {}
for username, slug in (("alice", "acme"), ("oscar", "rivals")):
    user = get_user_model().objects.create_user(username, f"{username}@example.com", sys.argv[1])
    team = Team.objects.create(name=slug.title(), slug=slug)
    Membership.objects.create(team=team, user=user, role="owner")
    out[username] = {"team": slug, "token": token_create(user, "e2e")[1]}
print("E2E-SETUP " + json.dumps(out))
"""


@dataclass
class User:
    username: str
    team: str
    token: str


@dataclass
class StudioServer:
    url: str
    users: dict[str, User]
    log: Path

    def api(self, username: str = "alice") -> httpx.Client:
        return httpx.Client(
            base_url=f"{self.url}/api",
            headers={"Authorization": f"Bearer {self.users[username].token}"},
            timeout=30,
        )


def built_bundle() -> Path | None:
    """The Vite manifest of the built studio, or None (run ``make frontend``)."""
    return next((m for m in MANIFESTS if m.exists()), None)


def embedded_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "PYTEST_XDIST_WORKER")}
    env.update(
        {
            "STATEYARD_DEV": "1",
            "DEBUG": "0",  # the product's own error pages (404), not the debug ones
            "DATABASE_URL": f"sqlite:///{tmp / 'e2e.sqlite3'}",
            "REDIS_URL": "",
            "DJANGO_SETTINGS_MODULE": "stateyard.settings",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def embedded_server(tmp: Path) -> Iterator[StudioServer]:
    env = embedded_env(tmp)
    done = subprocess.run(
        [sys.executable, "-c", SETUP, PASSWORD],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if done.returncode != 0:
        raise RuntimeError(f"setting up the database failed:\n{done.stderr[-3000:]}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("E2E-SETUP "))
    users = {
        name: User(name, data["team"], data["token"])
        for name, data in json.loads(line.removeprefix("E2E-SETUP ")).items()
    }
    port = _free_port()
    log = tmp / "server.log"
    with log.open("ab") as handle:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "stateyard.asgi:application"),
                *("--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"),
            ],
            cwd=REPO,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while not _port_open(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.05)
        yield StudioServer(f"http://127.0.0.1:{port}", users, log)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
