"""Run from the designer and watch the execution live: states turn running, then green or red.

Embedded mode (what ``make run`` serves): the in-process worker advances the
execution, Waits are scheduled continuations, and the page follows
``/ws/executions/<id>/`` over the in-memory channel layer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.e2e.studio import node, open_designer

UUID = r"[0-9a-f-]{36}"
STEPS = {
    "StartAt": "Prep",
    "States": {
        "Prep": {"Type": "Pass", "Result": 1, "ResultPath": "$.prep", "Next": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": 1, "Next": "Work"},
        "Work": {"Type": "Pass", "Result": 2, "ResultPath": "$.work", "Next": "Nap again"},
        "Nap again": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}
FAILING = {
    "StartAt": "Check",
    "States": {
        "Check": {"Type": "Pass", "Next": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": 1, "Next": "Boom"},
        "Boom": {"Type": "Fail", "Error": "Order.Rejected", "Cause": "no stock"},
    },
}


def run_from_designer(page: Page, workflow_id: str, text: str) -> str:
    """Run… , type the input, start: returns the execution id the page went to."""
    open_designer(page, workflow_id)
    page.get_by_test_id("toolbar-run").click()
    dialog = page.get_by_test_id("run-dialog")
    expect(dialog).to_be_visible()
    field = page.get_by_test_id("run-input")
    field.fill(text)
    page.get_by_test_id("run-start").click()
    page.wait_for_url(re.compile(rf"/executions/{UUID}/$"))
    found = re.search(rf"/executions/({UUID})/$", page.url)
    assert found
    return found[1]


def state(page: Page, path: str) -> Locator:
    """The execution page's machine-readable status of a state."""
    return page.get_by_test_id(f"state-status-{path}")


def test_a_run_turns_states_green_live(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(STEPS)
    execution_id = run_from_designer(page, workflow["id"], '{"order": 7}')
    status = page.get_by_test_id("execution-status")
    # Live: seen running while the second Wait runs, then done.
    expect(status).to_have_attribute("data-status", "RUNNING")
    expect(state(page, "/States/Nap again")).to_have_attribute("data-status", "running")
    expect(node(page, "/States/Nap again")).to_have_attribute("data-status", "running")
    expect(state(page, "/States/Prep")).to_have_attribute("data-status", "succeeded")
    expect(node(page, "/States/Done")).to_have_attribute("data-status", "")  # not reached yet
    expect(status).to_have_attribute("data-status", "SUCCEEDED", timeout=15_000)
    for name in STEPS["States"]:
        expect(state(page, f"/States/{name}")).to_have_attribute("data-status", "succeeded")
        expect(node(page, f"/States/{name}")).to_have_class(re.compile(r"\bsy-status-succeeded\b"))
    expect(page.get_by_test_id("execution-output")).to_contain_text('"work"')
    described = api.get(f"/executions/{execution_id}/").json()
    assert described["status"] == "SUCCEEDED"
    assert described["output"] == {"order": 7, "prep": 1, "work": 2}


def test_a_failing_run_turns_the_fail_state_red_live(
    page: Page, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(FAILING)
    run_from_designer(page, workflow["id"], "{}")
    status = page.get_by_test_id("execution-status")
    expect(status).to_have_attribute("data-status", "RUNNING")
    expect(state(page, "/States/Nap")).to_have_attribute("data-status", "running")
    expect(status).to_have_attribute("data-status", "FAILED", timeout=15_000)
    expect(state(page, "/States/Boom")).to_have_attribute("data-status", "failed")
    expect(node(page, "/States/Boom")).to_have_class(re.compile(r"\bsy-status-failed\b"))
    expect(node(page, "/States/Nap")).to_have_class(re.compile(r"\bsy-status-succeeded\b"))
    expect(page.get_by_test_id("execution-error")).to_contain_text("Order.Rejected")
    expect(page.get_by_test_id("execution-cause")).to_contain_text("no stock")
