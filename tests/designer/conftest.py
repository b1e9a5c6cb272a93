"""Shared fixtures for the web app's tests: users, teams with every role, API clients.

* ``team``: "Acme" (slug ``acme``) where ``owner``, ``editor``, ``runner`` and
  ``viewer`` hold the role their name says.
* ``other_team``: "Rivals" (slug ``rivals``) owned by ``outsider``, who is in no
  other team; ``outsider`` must get 404 from every ``team`` endpoint.
* ``make_user(username, email=None, password=PASSWORD)``: more users.
* ``api_client_for(user)``: a DRF ``APIClient`` logged in (session) as ``user``;
  ``api_client_for(None)`` is anonymous. ``page_client_for(user)`` is the same
  for HTML pages (Django's test ``Client``).
* ``bearer_client_for(user)``: an ``APIClient`` sending a fresh API token as
  ``Authorization: Bearer sy_...``.
* ``members``: ``{"owner": owner, "editor": editor, ...}`` for role-by-role tables.

Every test starts with an empty cache (the log-in and token throttle counters).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from designer.models import Membership, Role, Team
from designer.services.tokens import token_create

PASSWORD = "correct-horse-battery-staple"

ApiClientFor = Callable[[Any], APIClient]
PageClientFor = Callable[[Any], Client]
MakeUser = Callable[..., Any]
ROLES = ("owner", "editor", "runner", "viewer")


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


@pytest.fixture
def make_user(db: None) -> MakeUser:
    def make(username: str, email: str | None = None, password: str = PASSWORD) -> Any:
        return get_user_model().objects.create_user(
            username=username, email=email or f"{username}@example.com", password=password
        )

    return make


@pytest.fixture
def owner(make_user: MakeUser) -> Any:
    return make_user("olivia")


@pytest.fixture
def editor(make_user: MakeUser) -> Any:
    return make_user("eddie")


@pytest.fixture
def runner(make_user: MakeUser) -> Any:
    return make_user("rita")


@pytest.fixture
def viewer(make_user: MakeUser) -> Any:
    return make_user("victor")


@pytest.fixture
def outsider(make_user: MakeUser) -> Any:
    return make_user("oscar")


@pytest.fixture
def team(owner: Any, editor: Any, runner: Any, viewer: Any) -> Team:
    team = Team.objects.create(name="Acme", slug="acme")
    for user, role in ((owner, Role.OWNER), (editor, Role.EDITOR), (runner, Role.RUNNER)):
        Membership.objects.create(team=team, user=user, role=role)
    Membership.objects.create(team=team, user=viewer, role=Role.VIEWER)
    return team


@pytest.fixture
def other_team(outsider: Any) -> Team:
    team = Team.objects.create(name="Rivals", slug="rivals")
    Membership.objects.create(team=team, user=outsider, role=Role.OWNER)
    return team


@pytest.fixture
def members(owner: Any, editor: Any, runner: Any, viewer: Any, team: Team) -> dict[str, Any]:
    return {"owner": owner, "editor": editor, "runner": runner, "viewer": viewer}


@pytest.fixture
def api_client_for(db: None) -> ApiClientFor:
    def make(user: Any) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def page_client_for(db: None) -> PageClientFor:
    def make(user: Any) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def bearer_client_for(db: None) -> ApiClientFor:
    def make(user: Any) -> APIClient:
        _, plaintext = token_create(user, "tests")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
        return client

    return make
