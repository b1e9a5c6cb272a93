"""The execution view: Stop asks first (with an error and a cause), the Map iteration
picker filters the events, and the start time reads the same everywhere."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.studio import open_designer

LONG_WAIT = {
    "StartAt": "Hold",
    "States": {"Hold": {"Type": "Wait", "Seconds": 600, "End": True}},
}
MAP = {
    "StartAt": "Prep",
    "States": {
        "Prep": {"Type": "Pass", "Next": "Each"},
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Double",
                "States": {"Double": {"Type": "Pass", "End": True}},
            },
            "End": True,
        },
    },
}


def start(api: httpx.Client, workflow_id: str, body: dict[str, Any]) -> str:
    response = api.post(f"/workflows/{workflow_id}/executions/", json={"input": body})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def finished(api: httpx.Client, execution_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        described: dict[str, Any] = api.get(f"/executions/{execution_id}/").json()
        if described["status"] != "RUNNING":
            return described
        time.sleep(0.2)
    raise AssertionError(f"{execution_id} still running")


def focused(page: Page) -> str | None:
    found: str | None = page.evaluate("() => document.activeElement?.dataset?.testid ?? null")
    return found


def test_stop_asks_for_an_error_and_a_cause(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(LONG_WAIT)
    execution_id = start(api, workflow["id"], {})
    page.goto(f"/executions/{execution_id}/")
    status = page.get_by_test_id("execution-status")
    expect(status).to_have_attribute("data-status", "RUNNING")
    stop = page.get_by_test_id("execution-stop-button")

    # Cancel (Escape) stops nothing and gives the focus back to Stop.
    stop.click()
    dialog = page.get_by_test_id("stop-dialog")
    expect(dialog).to_be_visible()
    assert focused(page) == "stop-error"
    visited = set()
    for _ in range(5):  # error, cause, stop, cancel, and round again
        page.keyboard.press("Tab")
        visited.add(focused(page))
    assert visited == {"stop-error", "stop-cause", "stop-confirm", "stop-cancel"}
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert focused(page) == "execution-stop-button"
    assert api.get(f"/executions/{execution_id}/").json()["status"] == "RUNNING"

    # Stop with an error and a cause: they reach the execution.
    stop.click()
    page.get_by_test_id("stop-error").fill("Operator.Cancelled")
    page.get_by_test_id("stop-cause").fill("Wrong batch of orders")
    page.get_by_test_id("stop-confirm").click()
    expect(status).to_have_attribute("data-status", "ABORTED", timeout=15_000)
    expect(page.get_by_test_id("execution-error")).to_contain_text("Operator.Cancelled")
    expect(page.get_by_test_id("execution-cause")).to_contain_text("Wrong batch of orders")
    described = api.get(f"/executions/{execution_id}/").json()
    assert (described["error"], described["cause"]) == (
        "Operator.Cancelled",
        "Wrong batch of orders",
    )


def test_the_iteration_picker_filters_the_events(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(MAP)
    execution_id = start(api, workflow["id"], {"items": [10, 20, 30]})
    assert finished(api, execution_id)["status"] == "SUCCEEDED"
    page.goto(f"/executions/{execution_id}/")
    expect(page.get_by_test_id("live-state")).to_have_text("Complete")
    page.get_by_test_id("tab-events").click()
    count = page.get_by_test_id("event-count")
    expect(count).to_have_text(re.compile(r"^(\d+) of \1 events$"))
    total = int(count.inner_text().split()[0])

    page.get_by_test_id("iteration-picker-Each").select_option("1")
    expect(page.get_by_test_id("event-iteration-filter")).to_have_text("Only Each iteration #1")
    rows = page.locator('[data-testid^="event-row-"]')
    shown = int(count.inner_text().split()[0])
    assert 0 < shown < total
    expect(rows).to_have_count(shown)
    types = rows.locator("td:nth-child(2)").all_inner_texts()
    states = rows.locator("td:nth-child(3)").all_inner_texts()
    assert "MapIterationStarted" in types and "PassStateEntered" in types
    assert not any(t.startswith("Execution") for t in types), types
    assert set(states) <= {"Each", "Double"}, states
    for row in rows.all():
        if row.locator("td:nth-child(2)").inner_text().startswith("MapIteration"):
            expect(row).to_contain_text("iteration 1")
    # The state's details follow the picker: Double's input is iteration 1's item.
    page.get_by_test_id("tab-graph").click()
    page.get_by_test_id("state-status-/States/Each/ItemProcessor/States/Double").locator(
        "button"
    ).click()
    expect(page.get_by_test_id("state-input")).to_contain_text("20")
    for other in ("10", "30"):
        expect(page.get_by_test_id("state-input")).not_to_contain_text(other)

    page.get_by_test_id("tab-events").click()
    page.get_by_test_id("iteration-picker-Each").select_option("")
    expect(count).to_have_text(f"{total} of {total} events")


def test_the_start_time_reads_the_same_in_the_list_and_the_header(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(MAP)
    execution_id = start(api, workflow["id"], {"items": [1]})
    described = finished(api, execution_id)
    open_designer(page, workflow["id"])
    in_list = page.get_by_test_id(f"execution-row-start-{execution_id}")
    expect(in_list).to_have_text(re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \S+$"))
    listed = in_list.inner_text()
    zone = page.evaluate("() => Intl.DateTimeFormat().resolvedOptions().timeZone")
    expected = page.evaluate(
        """([iso, zone]) => {
            const p = Object.fromEntries(new Intl.DateTimeFormat("en-GB", {timeZone: zone,
              year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit",
              minute: "2-digit", second: "2-digit", fractionalSecondDigits: 3,
              hourCycle: "h23", timeZoneName: "short"}).formatToParts(new Date(iso))
              .map((x) => [x.type, x.value]));
            return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}` +
                   `.${p.fractionalSecond} ${p.timeZoneName}`;
        }""",
        [described["start_date"], zone],
    )
    assert listed == expected
    page.goto(f"/executions/{execution_id}/")
    expect(page.get_by_test_id("execution-start")).to_have_text(listed)
