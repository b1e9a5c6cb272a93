"""The team's executions page (``/teams/<slug>/executions/``): every member gets the React
shell with their role's props, anonymous users log in first, other teams get 404; the
team page links to it; the page's chunk is one the bundle really has."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from designer.models import Team
from designer.templatetags import vite
from tests.designer.conftest import ROLES, PageClientFor
from tests.designer.test_studio_pages import page_of, props_of

pytestmark = pytest.mark.django_db

URL = "/teams/acme/executions/"
MAIN = Path(__file__).resolve().parents[2] / "frontend" / "src" / "main.tsx"


@pytest.mark.parametrize("role", ROLES)
def test_members_get_the_page_with_their_role(
    page_client_for: PageClientFor, members: dict[str, Any], role: str
) -> None:
    response = page_client_for(members[role]).get(URL)
    assert response.status_code == 200
    assert page_of(response) == "executions"
    props = props_of(response)
    assert (props["page"], props["teamSlug"], props["role"]) == ("executions", "acme", role)
    assert props["canRun"] is (role != "viewer")
    assert props["urls"]["executions"] == URL
    assert props["urls"]["start"] == "/teams/acme/studio/"
    assert "<title>Acme executions" in response.content.decode()


def test_every_studio_page_links_to_it(
    page_client_for: PageClientFor, members: dict[str, Any]
) -> None:
    start = props_of(page_client_for(members["viewer"]).get("/teams/acme/studio/"))
    assert start["urls"]["executions"] == URL


def test_anonymous_users_log_in_first(page_client_for: PageClientFor, team: Team) -> None:
    response = page_client_for(None).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_another_team_gets_404(
    page_client_for: PageClientFor, outsider: Any, team: Team, other_team: Team
) -> None:
    assert page_client_for(outsider).get(URL).status_code == 404
    assert page_client_for(outsider).get("/teams/nope/executions/").status_code == 404
    assert page_client_for(outsider).get("/teams/rivals/executions/").status_code == 200


def test_the_team_page_links_to_it(page_client_for: PageClientFor, members: dict[str, Any]) -> None:
    html = page_client_for(members["viewer"]).get("/teams/acme/").content.decode()
    assert re.search(r'<a href="/teams/acme/executions/"[^>]*>All executions</a>', html)


def test_the_page_chunk_is_the_one_main_tsx_loads() -> None:
    module = vite.PAGE_MODULES["executions"]
    source = MAIN.read_text()
    assert f'import("./{module.removeprefix("src/").removesuffix(".tsx")}")' in source
    assert (MAIN.parent.parent / module).is_file()
