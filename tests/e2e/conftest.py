"""End-to-end fixtures: the built studio bundle, a live server, headless Chromium.

* ``bundle``: fails early when ``static/dist`` has no Vite manifest (run ``make frontend``).
* ``studio_server`` (session): the product as ``make run`` starts it (embedded mode:
  SQLite in a temporary directory, ``STATEYARD_DEV=1``, no ``REDIS_URL``, the
  in-process worker and in-memory channel layer) behind a real uvicorn, migrated
  and seeded, with two users in two teams: ``alice`` (owner of ``acme``) and
  ``oscar`` (owner of ``rivals``), each with an API token.
* ``browser`` (session): headless Chromium (the Debian package at /usr/bin/chromium).
* ``login(user)``: a logged-in browser context (the real log-in form, once per
  user per session; later contexts reuse the saved cookies).
* ``page``: a page logged in as ``alice``; on failure a screenshot
  (``failure.png``) and the page's console log go into the test's tmp dir.
* ``api``: an ``httpx.Client`` on the server as ``alice`` (bearer token).

Everything waits on conditions (``expect``, ``wait_for_function``), never on sleeps.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.server import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORD,
    StudioServer,
    built_bundle,
    embedded_server,
)


def pytest_configure(config: pytest.Config) -> None:
    # Also registered in pyproject.toml; registering here keeps --strict-markers happy either way.
    config.addinivalue_line("markers", "e2e: end-to-end tests in headless Chromium")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


def failed(request: pytest.FixtureRequest) -> bool:
    reports = request.node.stash.get(_REPORTS, {})
    return any(r.failed for r in reports.values())


@pytest.fixture(scope="session")
def bundle() -> Path:
    manifest = built_bundle()
    if manifest is None:
        pytest.fail(
            "the studio bundle is not built: run `make frontend` (no manifest in static/dist)"
        )
    return manifest


@pytest.fixture(scope="session")
def studio_server(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[StudioServer]:
    with embedded_server(tmp_path_factory.mktemp("e2e-server")) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def _storage_states() -> dict[str, Any]:
    return {}


Login = Callable[[str], Any]


@pytest.fixture
def login(
    browser: Any,
    studio_server: StudioServer,
    _storage_states: dict[str, Any],
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> Iterator[Login]:
    """``login("alice")``: a new browser context logged in as that user."""
    contexts: list[tuple[Any, list[str]]] = []

    def make(username: str) -> Any:
        state = _storage_states.get(username)
        context = browser.new_context(
            base_url=studio_server.url,
            accept_downloads=True,
            # the functional tests use a window where every panel starts open (the dock
            # folds below 1000 px height); the geometry tests size their own windows
            viewport={"width": 1440, "height": 1080},
            storage_state=state,
        )
        context.set_default_timeout(15_000)
        console: list[str] = []
        context.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        context.on("weberror", lambda e: console.append(f"pageerror: {e.error}"))
        contexts.append((context, console))
        if state is None:
            page = context.new_page()
            page.goto("/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            with page.expect_navigation():
                page.press("input[name=password]", "Enter")
            assert "/accounts/login/" not in page.url, f"log-in failed for {username}"
            _storage_states[username] = context.storage_state()
            page.close()
        return context

    yield make
    broken = failed(request)
    for index, (context, console) in enumerate(contexts):
        if broken:
            for number, pg in enumerate(context.pages):
                try:
                    pg.screenshot(
                        path=str(tmp_path / f"failure-{index}-{number}.png"), full_page=True
                    )
                except Exception as exc:  # a crashed page still lets the others be saved
                    console.append(f"screenshot failed: {exc}")
            (tmp_path / f"console-{index}.log").write_text("\n".join(console))
            print(f"e2e failure artefacts in {tmp_path}")
        context.close()


@pytest.fixture
def page(login: Login) -> Any:
    """A page logged in as alice (owner of team ``acme``)."""
    return login("alice").new_page()


@pytest.fixture
def api(studio_server: StudioServer) -> Iterator[httpx.Client]:
    with studio_server.api("alice") as client:
        yield client


@pytest.fixture
def create_workflow(api: httpx.Client) -> Callable[..., dict[str, Any]]:
    """``create_workflow(definition, name=..., layout=...)`` in team acme through the API."""
    counter = iter(range(1, 10_000))

    def make(definition: dict[str, Any], name: str | None = None, **extra: Any) -> dict[str, Any]:
        body = {
            "name": name or f"e2e-{next(counter)}-{os.urandom(3).hex()}",
            "definition": definition,
        }
        body.update(extra)
        response = api.post("/teams/acme/workflows/", json=body)
        assert response.status_code == 201, response.text
        return dict(response.json())

    return make


ADD_MEMBERS = """
import sys
import django
django.setup()
from django.contrib.auth import get_user_model
from designer.models import Membership, Team
team = Team.objects.get(slug="acme")
for spec in sys.argv[2:]:
    username, role = spec.split(":")
    user = get_user_model().objects.create_user(username, f"{username}@example.com", sys.argv[1])
    Membership.objects.create(team=team, user=user, role=role)
"""


@pytest.fixture(scope="session")
def team_members(studio_server: StudioServer) -> dict[str, str]:
    """``vera`` (viewer) and ``rudy`` (runner) join ``acme``, once per session (see ``login``)."""
    import subprocess
    import sys

    from tests.e2e.server import REPO, embedded_env

    members = {"vera": "viewer", "rudy": "runner"}
    done = subprocess.run(
        [sys.executable, "-c", ADD_MEMBERS, PASSWORD, *(f"{u}:{r}" for u, r in members.items())],
        cwd=REPO,
        env=embedded_env(studio_server.log.parent),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return members
