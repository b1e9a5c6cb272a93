"""The Map Run view, as a person sees it: a Distributed Map runs on the studio's
in-process workers; its page shows the bar by status, the figures and the children
(readable, inside the window, nothing overlapping), follows the run live to its end,
filters the children and links to them; Stop and Redrive act on the run, and a
viewer is offered neither."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.designer.map_run_definitions import distributed as fan
from tests.e2e.conftest import Login
from tests.e2e.geometry import Rect, rect, shoot

SLOW_AND_ONE_FAILS = {
    "Nap": {"Type": "Wait", "Seconds": 1, "Next": "Check"},
    "Check": {
        "Type": "Choice",
        "Choices": [{"Variable": "$.n", "NumericEquals": 4, "Next": "Boom"}],
        "Default": "Done",
    },
    "Boom": {"Type": "Fail", "Error": "Unlucky", "Cause": "item four never works"},
    "Done": {"Type": "Pass", "End": True},
}
SLEEPY = {"Sleep": {"Type": "Wait", "Seconds": 600, "End": True}}


def start(api: httpx.Client, workflow_id: str, items: int) -> str:
    body = {"input": {"items": [{"n": i} for i in range(items)]}}
    response = api.post(f"/workflows/{workflow_id}/executions/", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def map_run_of(api: httpx.Client, execution_id: str) -> str:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        runs = api.get(f"/executions/{execution_id}/map-runs/").json()["results"]
        if runs:
            return str(runs[0]["id"])
        time.sleep(0.1)
    raise AssertionError("no Map Run started")


def visible_inside(page: Page, selectors: list[str]) -> dict[str, Rect]:
    viewport = page.viewport_size
    assert viewport is not None
    window = Rect(0, 0, viewport["width"], viewport["height"])
    boxes = {s: rect(page, s) for s in selectors}
    for selector, box in boxes.items():
        assert box.width > 0 and box.height > 0, f"{selector} has no size"
        assert window.contains(box), f"{selector} {box} is outside the window {window}"
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not boxes[a].overlaps(boxes[b]), f"{a} overlaps {b}"
    return boxes


def test_the_run_shows_live_progress_filters_and_links(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(fan(SLOW_AND_ONE_FAILS, MaxConcurrency=3, ToleratedFailureCount=1))
    execution_id = start(api, workflow["id"], 9)
    run_id = map_run_of(api, execution_id)
    page.goto(f"/map-runs/{run_id}/")
    status = page.get_by_test_id("maprun-status")
    expect(status).to_have_text("RUNNING")
    expect(page.get_by_test_id("maprun-count-running")).to_contain_text(
        re.compile(r"Running: [1-3]\b")
    )
    visible_inside(
        page,
        [
            ".maprun-head h1",
            '[data-testid="maprun-status"]',
            '[data-testid="maprun-bar"]',
            '[data-testid="maprun-counts"]',
            ".maprun-figures",
            '[data-testid="maprun-children"]',
        ],
    )
    shoot(page, "map-run-running")

    expect(status).to_have_text("SUCCEEDED", timeout=60_000)  # the page follows the run
    expect(page.get_by_test_id("maprun-count-succeeded")).to_have_text("Succeeded: 8")
    expect(page.get_by_test_id("maprun-count-failed")).to_have_text("Failed: 1")
    expect(page.get_by_test_id("maprun-count-total")).to_have_text("Total: 9")
    bar = rect(page, '[data-testid="maprun-bar"]')
    succeeded = rect(page, '[data-testid="maprun-seg-succeeded"]')
    failed = rect(page, '[data-testid="maprun-seg-failed"]')
    assert abs(succeeded.width / bar.width - 8 / 9) < 0.03 and failed.width > 4
    assert bar.contains(succeeded) and bar.contains(failed) and not succeeded.overlaps(failed)
    assert float(page.get_by_test_id("maprun-rate").inner_text()) > 0
    expect(page.get_by_test_id("maprun-child-8")).to_be_visible()

    page.get_by_test_id("maprun-filter").select_option("FAILED")
    row = page.get_by_test_id("maprun-child-4")
    expect(row).to_contain_text("Unlucky")
    expect(row).to_contain_text("item four never works")
    expect(page.get_by_test_id("maprun-child-0")).to_have_count(0)
    visible_inside(page, ['[data-testid="maprun-child-4"]', '[data-testid="maprun-filter"]'])
    shoot(page, "map-run-failed-children")
    row.get_by_role("link").click()
    expect(page.get_by_test_id("execution-status")).to_have_attribute("data-status", "FAILED")
    expect(page).to_have_url(re.compile(r"/executions/[0-9a-f-]{36}/$"))

    page.goto(f"/executions/{execution_id}/")
    link = page.get_by_test_id(f"execution-map-run-{run_id}")
    expect(link).to_have_text("Fan")
    link.click()
    expect(page.get_by_test_id("maprun-status")).to_have_text("SUCCEEDED")


def test_stop_and_redrive_from_the_view_and_viewers_get_neither(
    login: Login,
    api: httpx.Client,
    team_members: dict[str, str],
    create_workflow: Callable[..., dict[str, Any]],
) -> None:
    workflow = create_workflow(fan(SLEEPY, MaxConcurrency=2))
    execution_id = start(api, workflow["id"], 4)
    run_id = map_run_of(api, execution_id)

    viewer = login("vera").new_page()
    viewer.goto(f"/map-runs/{run_id}/")
    expect(viewer.get_by_test_id("maprun-status")).to_have_text("RUNNING")
    expect(viewer.get_by_test_id("maprun-count-running")).to_have_text("Running: 2")
    expect(viewer.get_by_test_id("maprun-stop")).to_have_count(0)

    runner = login("rudy").new_page()
    runner.goto(f"/map-runs/{run_id}/")
    runner.get_by_test_id("maprun-stop").click()
    dialog = runner.get_by_test_id("stop-dialog")
    expect(dialog).to_be_visible()  # Stop asks first, and says the parent stops too
    expect(dialog).to_contain_text("Stops the Map Run and its parent execution")
    box = rect(runner, "[data-testid=stop-dialog]")
    window = runner.viewport_size or {"width": 1280, "height": 720}
    assert box.x >= 0 and box.y >= 0
    assert box.x + box.width <= window["width"] and box.y + box.height <= window["height"]
    shoot(runner, "map-run-stop-confirm")
    assert api.get(f"/executions/{execution_id}/").json()["status"] == "RUNNING"
    runner.get_by_test_id("stop-confirm").click()
    expect(runner.get_by_test_id("maprun-status")).to_have_text("ABORTED", timeout=30_000)
    expect(runner.get_by_test_id("maprun-count-aborted")).to_have_text("Aborted: 2")
    expect(runner.get_by_test_id("maprun-count-pending")).to_have_text("Pending: 2")
    shoot(runner, "map-run-aborted")
    assert api.get(f"/executions/{execution_id}/").json()["status"] == "ABORTED"

    runner.get_by_test_id("maprun-redrive").click()
    expect(runner.get_by_test_id("maprun-status")).to_have_text("RUNNING", timeout=30_000)
    expect(runner.get_by_test_id("maprun-count-running")).to_have_text("Running: 2")
    assert api.get(f"/executions/{execution_id}/").json()["status"] == "RUNNING"
    viewer.reload()
    expect(viewer.get_by_test_id("maprun-status")).to_have_text("RUNNING")
    expect(viewer.get_by_test_id("maprun-redrive")).to_have_count(0)
    api.post(f"/executions/{execution_id}/stop/", json={})


def test_an_express_child_links_back_and_explains_its_missing_history(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    definition = fan(SLOW_AND_ONE_FAILS, ToleratedFailureCount=1)
    definition["States"]["Fan"]["ItemProcessor"]["ProcessorConfig"]["ExecutionType"] = "EXPRESS"
    workflow = create_workflow(definition)
    execution_id = start(api, workflow["id"], 2)
    run_id = map_run_of(api, execution_id)
    deadline = time.monotonic() + 60
    while api.get(f"/executions/{execution_id}/").json()["status"] == "RUNNING":
        assert time.monotonic() < deadline, "the parent did not end"
        time.sleep(0.2)
    children = api.get(f"/map-runs/{run_id}/children/").json()["results"]
    child = next(c for c in children if c["index"] == 0)
    assert child["status"] == "SUCCEEDED"
    page.goto(f"/executions/{child['id']}/")
    expect(page.get_by_test_id("execution-status")).to_have_attribute("data-status", "SUCCEEDED")
    back = page.get_by_test_id("execution-map-run-parent")
    expect(back).to_contain_text("Item 0 of Map Run Fan")
    note = page.get_by_test_id("execution-express-child-note")
    expect(note).to_contain_text("keep their history only when they fail")
    expect(page.get_by_test_id("execution-redrive-button")).to_have_count(0)
    visible_inside(
        page,
        [
            '[data-testid="execution-map-run-parent"]',
            '[data-testid="execution-express-child-note"]',
        ],
    )
    shoot(page, "map-run-express-child")
    back.get_by_role("link").click()
    expect(page.get_by_test_id("maprun-status")).to_have_text("SUCCEEDED")
