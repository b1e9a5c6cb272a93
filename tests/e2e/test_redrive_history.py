"""A redriven execution's page shows every run, live and after a reload, at 1280x720.

A Standard workflow whose Python function (``validate-order`` with no lines raises
``InvalidOrder``) fails inside a Parallel branch is run, fails, and is redriven twice
from the page. After the live updates and again after a reload, the Events tab counts
exactly the events the API's history holds, both ``ExecutionRedriven`` rows are there,
the error banner shows the latest failure and the timeline marks both redrives.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Login
from tests.e2e.geometry import shoot
from tests.e2e.test_operate_runs import (
    history,
    open_execution,
    small_page,
    start,
    wait_status,
)

LAMBDA = "arn:aws:states:::lambda:invoke"

FAILING_BRANCH: dict[str, Any] = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {
            "Type": "Pass",
            "Result": {"ok": True},
            "ResultPath": "$.prepared",
            "Next": "Fan",
        },
        "Fan": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Quick", "States": {"Quick": {"Type": "Pass", "End": True}}},
                {
                    "StartAt": "Validate",
                    "States": {
                        "Validate": {
                            "Type": "Task",
                            "Resource": LAMBDA,
                            "Parameters": {"FunctionName": "validate-order", "Payload": {}},
                            "End": True,
                        }
                    },
                },
            ],
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}


def redrive_in_page(page: Page, api: httpx.Client, execution_id: str, count: int) -> None:
    """Redrive from the page and wait until the server has run it to its failure again."""
    page.get_by_test_id("execution-redrive-button").click()
    page.get_by_test_id("redrive-confirm").click()
    expect(page.get_by_test_id("redrive-dialog")).to_have_count(0)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        described = api.get(f"/executions/{execution_id}/").json()
        if described["redrive_count"] == count and described["status"] == "FAILED":
            return
        time.sleep(0.1)
    raise AssertionError(f"redrive {count} of {execution_id} did not fail again")


def banner_readable(page: Page, shot: str) -> None:
    """The function's message is text, its stack trace folded; nothing in the box is cut."""
    banner = page.get_by_test_id("execution-error")
    expect(page.get_by_test_id("execution-error-message")).to_have_text("The order has no lines.")
    expect(banner).not_to_contain_text('"errorMessage"')
    trace = page.get_by_test_id("execution-stack-trace")
    expect(trace).to_be_visible()
    assert trace.evaluate("e => e.open") is False
    fits = "e => e.scrollHeight <= e.clientHeight + 1 && e.scrollWidth <= e.clientWidth + 1"
    assert banner.evaluate(fits), "the folded banner is cut off"
    shoot(page, shot)
    trace.locator("summary").click()
    expect(trace.locator("pre")).to_be_visible()
    expect(trace.locator("pre")).to_contain_text("raise InvalidOrder")
    # unfolded: the box scrolls to show all of it (no sideways overflow), and stays inside
    assert banner.evaluate("e => getComputedStyle(e).overflowY") == "auto"
    assert banner.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    box = banner.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 720
    shoot(page, shot.replace("-banner", "-banner-trace"))
    trace.locator("summary").click()


def every_run_shown(page: Page, api: httpx.Client, execution_id: str, name: str) -> None:
    """Events count = the API's history, both redrives listed and on the timeline, banner
    with the latest failure."""
    events = history(api, execution_id)
    redriven = [e for e in events if e["type"] == "ExecutionRedriven"]
    assert len(redriven) == 2
    failures = [e for e in events if e["type"] == "ExecutionFailed"]
    assert len(failures) == 3
    expect(page.get_by_test_id("execution-status")).to_have_attribute("data-status", "FAILED")
    expect(page.get_by_test_id("tab-events")).to_have_text(f"Events ({len(events)})")
    # the banner shows the last failure (its cause names the error of the latest run)
    latest = failures[-1]["executionFailedEventDetails"]
    banner = page.get_by_test_id("execution-error")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(latest["error"])
    expect(page.get_by_test_id("execution-redrive-count")).to_contain_text("2")
    banner_readable(page, f"{name}-banner-1280x720")

    page.get_by_test_id("tab-events").click()
    rows = page.locator('[data-testid^="event-row-"]', has_text="ExecutionRedriven")
    expect(rows).to_have_count(2)
    expect(rows.first).to_be_visible()
    shoot(page, f"{name}-events-1280x720")

    page.get_by_test_id("tab-timeline").click()
    marks = page.get_by_test_id("timeline-redrive")
    expect(marks).to_have_count(2)
    for index in range(2):
        expect(marks.nth(index)).to_be_visible()
    shoot(page, f"{name}-timeline-1280x720")

    page.get_by_test_id("tab-graph").click()


def test_a_twice_redriven_execution_shows_every_run_live_and_after_reload(
    login: Login, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow_id = create_workflow(FAILING_BRANCH)["id"]
    execution_id = start(api, workflow_id, {"order": 1})
    wait_status(api, execution_id, "FAILED")

    page = small_page(login)
    open_execution(page, execution_id)
    expect(page.get_by_test_id("execution-error")).to_contain_text("InvalidOrder")
    redrive_in_page(page, api, execution_id, 1)
    expect(page.get_by_test_id("execution-status")).to_have_attribute(
        "data-status", "FAILED", timeout=15_000
    )
    redrive_in_page(page, api, execution_id, 2)
    every_run_shown(page, api, execution_id, "redrive-twice-live")

    page.reload()
    expect(page.get_by_test_id("execution-status")).not_to_have_text("…")
    every_run_shown(page, api, execution_id, "redrive-twice-reload")
