"""The production recipe works: ``scripts/serve.sh`` (what ``make serve`` runs) with
production settings (``stateyard.settings``, no ``STATEYARD_DEV``, a ``SECRET_KEY``) on
the test PostgreSQL database and Redis collects the static files, migrates and starts
uvicorn with several workers; a user logs in through the real form and loads the studio:
the start page and the designer, and their JavaScript and CSS, compressed and cached
for a year. A forced 500 (a table the page needs is gone) is answered with the
product's error page and logged, with its traceback, to the server's stderr.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from designer.models import Membership, Role, Team, Workflow
from tests.designer.processes import REPO, database_url, free_port, stop, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PASSWORD = "production-recipe-horse"
YEAR = 365 * 24 * 3600
DEFINITION = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}


def production_env(static_root: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STATEYARD_", "PYTEST_"))}
    env.pop("DEBUG", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py and asgi.py default to production
    env.update(
        {
            "SECRET_KEY": "production-recipe-test-secret-key",
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_COOKIES": "0",  # plain HTTP here; behind TLS in a real deployment
            "STATIC_ROOT": str(static_root),
            "PORT": str(port),
            "WEB_CONCURRENCY": "2",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@contextmanager
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("ab") as handle:
        process = subprocess.Popen(
            ["bash", "scripts/serve.sh"],
            cwd=REPO,
            env=production_env(tmp_path / "staticfiles", port),
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"serve.sh exited:\n{log.read_text()[-3000:]}")
        with suppress(httpx.HTTPError):
            return httpx.get(f"{url}/accounts/login/", timeout=2).status_code == 200
        return False

    try:
        wait_for(up, timeout=300, every=0.5)  # collectstatic compresses everything first
        yield url, log
    finally:
        stop(process)
        with suppress(ProcessLookupError):  # uvicorn's workers share the process group
            os.killpg(process.pid, signal.SIGKILL)


def log_in(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    form = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token, form.text
    done = client.post(
        "/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
    )
    assert done.status_code == 302, done.text
    return client


def assets_of(html: str) -> list[str]:
    found = re.findall(
        r'<(?:script type="module" src|link rel="(?:modulepreload|stylesheet)" href)="([^"]+)"',
        html,
    )
    return [u for u in found if u.endswith((".js", ".css"))]


def assert_compressed_and_cached(client: httpx.Client, asset: str) -> None:
    for encoding in ("br", "gzip"):
        response = client.get(asset, headers={"Accept-Encoding": encoding})
        assert response.status_code == 200, asset
        assert response.headers["content-encoding"] == encoding, asset
        cache = response.headers["cache-control"]
        age = re.search(r"max-age=(\d+)", cache)
        assert age and int(age[1]) >= YEAR and "immutable" in cache, (asset, cache)
        assert response.content, asset  # decoded by httpx: the stream was valid


@pytest.fixture
def owner_with_workflow() -> Workflow:
    # the production server checks passwords with the production hashers, not the suite's
    hashed = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user = get_user_model().objects.create(username="prod", password=hashed)
    team = Team.objects.create(name="Acme", slug="acme")
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    return Workflow.objects.create(team=team, name="orders", definition=DEFINITION)


@contextmanager
def table_missing(table: str) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{table}" RENAME TO "{table}_away"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER TABLE "{table}_away" RENAME TO "{table}"')


def test_make_serve_serves_the_studio_and_logs_500s(
    tmp_path: Path, owner_with_workflow: Workflow
) -> None:
    with served(tmp_path) as (url, log):
        output = log.read_text()
        assert "static files copied" in output and "post-processed" in output, output
        assert len(set(re.findall(r"Started server process \[(\d+)\]", output))) >= 2, output

        client = log_in(url, "prod")
        pages = {
            "start": "/teams/acme/studio/",
            "designer": f"/workflows/{owner_with_workflow.pk}/",
        }
        for page, path in pages.items():
            response = client.get(path)
            assert response.status_code == 200, (page, response.text[-2000:])
            assert f'data-page="{page}"' in response.text
            assets = assets_of(response.text)
            assert any(a.endswith(".js") for a in assets) and any(
                a.endswith(".css") for a in assets
            ), (page, assets)
            for asset in assets:
                assert_compressed_and_cached(client, asset)

        with table_missing(Membership._meta.db_table):
            failed = client.get(pages["start"])
        assert failed.status_code == 500
        assert "Traceback" not in failed.text  # the product's page, not DEBUG's
        logged = wait_for(
            lambda: (
                "Internal Server Error: /teams/acme/studio/" in log.read_text() and log.read_text()
            ),
            timeout=10,
        )
        tail = logged[logged.index("Internal Server Error: /teams/acme/studio/") :]
        assert "Traceback (most recent call last)" in tail
        assert "UndefinedTable" in tail or "does not exist" in tail


def test_serve_refuses_development_mode_and_a_missing_secret(tmp_path: Path) -> None:
    base = production_env(tmp_path / "staticfiles", free_port())
    for env, says in (
        ({**base, "STATEYARD_DEV": "1"}, "STATEYARD_DEV"),
        ({k: v for k, v in base.items() if k != "SECRET_KEY"}, "SECRET_KEY"),
    ):
        done = subprocess.run(
            ["bash", "scripts/serve.sh"], cwd=REPO, env=env, capture_output=True, text=True
        )
        assert done.returncode == 2, done
        assert says in done.stderr
        assert not (tmp_path / "staticfiles").exists()  # refused before doing anything
