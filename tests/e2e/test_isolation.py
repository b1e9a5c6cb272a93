"""A user of another team (a second browser session) opens neither the workflow nor its run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.e2e.conftest import Login
from tests.e2e.server import StudioServer

SIMPLE = {"StartAt": "Only", "States": {"Only": {"Type": "Succeed"}}}


def test_another_team_gets_404_pages(
    login: Login,
    api: httpx.Client,
    studio_server: StudioServer,
    create_workflow: Callable[..., dict[str, Any]],
) -> None:
    workflow = create_workflow(SIMPLE)
    started = api.post(f"/workflows/{workflow['id']}/executions/", json={"input": {}})
    assert started.status_code == 201, started.text
    execution_id = started.json()["id"]

    mine = login("alice").new_page()
    theirs = login("oscar").new_page()  # a separate context: its own cookies and session

    answer = mine.goto(f"/workflows/{workflow['id']}/")
    assert answer is not None and answer.status == 200
    expect(mine.get_by_test_id("designer-page")).to_be_visible()

    for url in (f"/workflows/{workflow['id']}/", f"/executions/{execution_id}/"):
        answer = theirs.goto(url)
        assert answer is not None and answer.status == 404, url
        expect(theirs.locator("h1")).to_have_text("Not found")
        expect(theirs.locator("#studio-root")).to_have_count(0)
    with studio_server.api("oscar") as stranger:
        assert stranger.get(f"/workflows/{workflow['id']}/").status_code == 404
        assert stranger.get(f"/executions/{execution_id}/").status_code == 404
    # the stranger's own studio does not list it
    theirs.goto("/teams/rivals/studio/")
    expect(theirs.get_by_test_id("workflow-list-empty")).to_be_visible()
