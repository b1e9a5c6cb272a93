"""Operating executions in the browser: the execution view's Timeline tab and the team's
executions page.

The timeline of a finished execution with a retried task, a Parallel and a Map: every bar
visible, readable, inside its panel and clear of the others, the retry's attempts and
backoff drawn, a Map folds, a click selects the state. The team's executions page: filters
by status and workflow, bulk redrive of three failed executions with one outcome per row,
and the roles (a viewer sees the actions disabled, with the reason). At 1280x720 and
1920x1080 nothing overlaps. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import Login
from tests.e2e.geometry import MIN_LABEL_PX, Rect, overlapping, rect, shoot

LAMBDA = "arn:aws:states:::lambda:invoke"
SIZES = [
    pytest.param((1280, 720), id="1280x720"),
    pytest.param((1920, 1080), id="1920x1080"),
]

# A retried task, a Parallel whose second branch waits, a Map of four items.
OPERATE: dict[str, Any] = {
    "StartAt": "Fetch",
    "States": {
        "Fetch": {
            "Type": "Task",
            "Resource": LAMBDA,
            "Parameters": {"FunctionName": "fetch"},
            "Retry": [
                {"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 1}
            ],
            "ResultPath": "$.fetched",
            "Next": "Fan",
        },
        "Fan": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Quick", "States": {"Quick": {"Type": "Pass", "End": True}}},
                {
                    "StartAt": "Pause",
                    "States": {
                        "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Resume"},
                        "Resume": {"Type": "Pass", "End": True},
                    },
                },
            ],
            "ResultPath": "$.fan",
            "Next": "Each",
        },
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Double",
                "States": {"Double": {"Type": "Pass", "End": True}},
            },
            "ResultPath": "$.doubled",
            "Next": "Done",
        },
        "Done": {"Type": "Pass", "End": True},
    },
}
MOCKS = {
    "Fetch": [
        {"Throw": {"Error": "Flaky", "Cause": "try again"}},
        {"Return": {"rows": 4}},
    ]
}


def start(api: httpx.Client, workflow_id: str, body: dict[str, Any], **extra: Any) -> str:
    response = api.post(f"/workflows/{workflow_id}/executions/", json={"input": body, **extra})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def finished(api: httpx.Client, execution_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        described: dict[str, Any] = api.get(f"/executions/{execution_id}/").json()
        if described["status"] != "RUNNING":
            return described
        time.sleep(0.2)
    raise AssertionError(f"{execution_id} still running")


def bar(page: Page, name: str, nth: int = 0) -> Locator:
    """The bar of the nth visit of a state (not a group row)."""
    return page.locator(
        f'[data-testid="timeline-bar"][data-name="{name}"]:not([data-key*="/"])'
    ).nth(nth)


def boxes(page: Page, selector: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.eval_on_selector_all(
        selector,
        """els => els.map(e => {
            const r = e.getBoundingClientRect();
            return {key: e.dataset.key || e.textContent, x: r.x, y: r.y, width: r.width,
                    height: r.height, px: parseFloat(getComputedStyle(e).fontSize)};
        })""",
    )
    return found


def open_timeline(page: Page, execution_id: str) -> None:
    page.goto(f"/executions/{execution_id}/")
    expect(page.get_by_test_id("live-state")).to_have_text("Complete")
    page.get_by_test_id("tab-timeline").click()
    expect(page.get_by_test_id("execution-timeline")).to_be_visible()
    page.evaluate("() => document.fonts.ready.then(() => undefined)")


def check_timeline_geometry(page: Page) -> None:
    """Bars visible, inside the scroller, clear of each other; labels and ticks readable."""
    panel = rect(page, '[data-testid="timeline-scroll"]')
    bars = boxes(page, '[data-testid="timeline-bar"]')
    assert len(bars) >= 10, bars
    rects = {b["key"]: Rect.of(b) for b in bars}
    for key, box in rects.items():
        assert box.width >= 3 and box.height >= 5, f"{key} is not visible: {box}"
        assert panel.contains(box), f"{key} leaves the timeline panel: {box} not in {panel}"
    assert overlapping(rects) == []
    labels = boxes(page, '[data-testid="timeline-label"]') + boxes(
        page, '[data-testid="timeline-tick"]'
    )
    small = [(b["key"], b["px"]) for b in labels if b["px"] < MIN_LABEL_PX]
    assert small == [], f"labels under {MIN_LABEL_PX}px: {small}"
    label_rects = {f"label {i}": Rect.of(b) for i, b in enumerate(labels)}
    assert overlapping(label_rects) == []
    for key, box in rects.items():  # a bar never hides under the label column or the axis
        for name, label in label_rects.items():
            assert not box.overlaps(label), f"bar {key} overlaps {name}"


def test_timeline_of_a_finished_execution(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(OPERATE)
    execution_id = start(api, workflow["id"], {"items": [1, 2, 3, 4]}, mocks=MOCKS)
    assert finished(api, execution_id)["status"] == "SUCCEEDED"
    open_timeline(page, execution_id)
    # 17 spans, and the start delay (from the execution's start to its first state)
    expect(page.locator('[data-testid="timeline-bar"]')).to_have_count(18)
    check_timeline_geometry(page)

    # the retried task: two attempts (the first failed) and the backoff between them
    fetch = bar(page, "Fetch")
    segments = fetch.get_by_test_id("timeline-segment")
    expect(segments).to_have_count(3)
    kinds = [
        (s.get_attribute("data-kind"), s.get_attribute("data-outcome")) for s in segments.all()
    ]
    assert kinds == [("attempt", "failed"), ("backoff", None), ("attempt", "succeeded")]
    backoff = Rect.of(segments.nth(1).bounding_box() or {})
    assert backoff.width > 20, "the one-second backoff reads as a gap"
    # the critical path runs through the waiting branch
    for name in ("Fetch", "Fan", "Pause", "Resume", "Each", "Done"):
        expect(bar(page, name)).to_have_attribute("data-critical", "true")
    expect(bar(page, "Quick")).not_to_have_attribute("data-critical", "true")

    # the tooltip: exact times in the product's format
    segments.nth(1).hover()
    tip = page.get_by_test_id("timeline-tip")
    expect(tip).to_contain_text("Retry backoff before attempt 2")
    stamp = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \S+$")
    assert stamp.match(tip.get_by_test_id("timeline-tip-start").first.inner_text())
    assert stamp.match(tip.get_by_test_id("timeline-tip-end").first.inner_text())
    tip_box = rect(page, '[data-testid="timeline-tip"]')
    assert rect(page, '[data-testid="execution-timeline"]').contains(tip_box)
    shoot(page, "timeline-finished")
    page.mouse.move(5, 5)

    # folding the Map hides its iterations and their states
    doubles = page.locator('[data-testid="timeline-bar"][data-name="Double"]')
    expect(doubles).to_have_count(4)
    each_row = page.locator('[data-testid="timeline-row"][data-name="Each"][data-kind="state"]')
    each_row.get_by_role("button", name="Collapse Each").click()
    expect(doubles).to_have_count(0)
    expect(page.locator('[data-testid="timeline-row"][data-kind="iteration"]')).to_have_count(0)
    each_row.get_by_role("button", name="Expand Each").click()
    expect(doubles).to_have_count(4)

    # clicking a bar selects the state: the state panel shows it, in its iteration
    doubles.nth(2).click()
    expect(page.get_by_test_id("state-panel-name")).to_have_text("Double")
    expect(page.get_by_test_id("iteration-picker-Each")).to_have_value("2")
    expect(page.get_by_test_id("state-input")).to_contain_text("3")
    bar(page, "Fetch").click()
    expect(page.get_by_test_id("state-panel-name")).to_have_text("Fetch")
    selected = page.locator(".tl-row-selected")
    expect(selected).to_have_count(1)
    expect(selected).to_have_attribute("data-name", "Fetch")

    # zoom: the axis widens and scrolls; the label column stays readable
    page.get_by_test_id("timeline-zoom-in").click()
    page.get_by_test_id("timeline-zoom-in").click()
    expect(page.get_by_test_id("timeline-zoom")).to_have_text("225%")
    scroller = page.get_by_test_id("timeline-scroll")
    wide = scroller.evaluate("e => e.scrollWidth > e.clientWidth")
    assert wide, "zoomed in, the axis scrolls sideways"
    page.get_by_test_id("timeline-fit").click()
    expect(page.get_by_test_id("timeline-zoom")).to_have_text("100%")


def no_overlaps(page: Page, selector: str) -> dict[str, Rect]:
    """The boxes of the visible elements matching ``selector``: none overlaps another."""
    found = boxes(page, selector)
    rects = {f"{i}:{b['key']}"[:60]: Rect.of(b) for i, b in enumerate(found) if b["width"] > 0}
    assert overlapping(rects) == [], selector
    return rects


def inside_window(page: Page, rects: dict[str, Rect]) -> None:
    width, height = page.viewport_size["width"], page.viewport_size["height"]  # type: ignore[index]
    window = Rect(0, 0, width, max(height, page.evaluate("document.documentElement.scrollHeight")))
    for name, box in rects.items():
        assert window.contains(box), f"{name} leaves the window: {box}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (
        "the page scrolls sideways"
    )


@pytest.mark.parametrize("size", SIZES)
def test_timeline_geometry(
    login: Login,
    api: httpx.Client,
    create_workflow: Callable[..., dict[str, Any]],
    size: tuple[int, int],
) -> None:
    workflow = create_workflow(OPERATE)
    execution_id = start(api, workflow["id"], {"items": [1, 2, 3, 4]}, mocks=MOCKS)
    finished(api, execution_id)
    page = login("alice").new_page()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_timeline(page, execution_id)
    expect(bar(page, "Done")).to_be_visible()
    check_timeline_geometry(page)
    center = rect(page, ".exec-center")
    side = rect(page, '[data-testid="execution-side"]')
    frame = rect(page, '[data-testid="execution-timeline"]')
    assert center.contains(frame) and not frame.overlaps(side)
    toolbar = no_overlaps(
        page,
        ".tl-toolbar > *:not(ul):not(.tl-zoom), .tl-zoom > *, .tl-legend li",
    )
    inside_window(page, toolbar)
    no_overlaps(page, '.exec-tabs [role="tab"]')
    shoot(page, f"timeline-{size[0]}x{size[1]}")


# A task that fails (no retry): its executions end FAILED, ready to redrive.
FLAKY: dict[str, Any] = {
    "StartAt": "Call",
    "States": {"Call": {"Type": "Task", "Resource": LAMBDA, "End": True}},
}
BOOM = {"Call": [{"Throw": {"Error": "Boom", "Cause": "down"}}]}
OK = {"Call": [{"Return": {"ok": True}}]}
NAP: dict[str, Any] = {
    "StartAt": "Nap",
    "States": {"Nap": {"Type": "Wait", "Seconds": 600, "End": True}},
}


def executions_page(page: Page, query: str = "") -> None:
    page.goto(f"/teams/acme/executions/{query}")
    expect(page.get_by_test_id("team-executions-page")).to_be_visible()


def row_ids(page: Page) -> list[str]:
    rows = page.locator('[data-testid="team-executions"] tbody tr')
    return [str(r.get_attribute("data-testid")).removeprefix("execution-row-") for r in rows.all()]


def test_team_executions_filter_and_bulk_redrive(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    flaky = create_workflow(FLAKY)
    other = create_workflow(FLAKY)
    failed = [start(api, flaky["id"], {"n": n}, mocks=BOOM) for n in range(3)]
    fine = start(api, flaky["id"], {"n": 9}, mocks=OK)
    elsewhere = start(api, other["id"], {}, mocks=BOOM)
    for execution_id in (*failed, fine, elsewhere):
        finished(api, execution_id)

    # the team page and the start page link here
    page.goto("/teams/acme/")
    page.get_by_test_id("team-executions-link").click()
    expect(page.get_by_test_id("team-executions-page")).to_be_visible()
    for execution_id in (*failed, fine, elsewhere):
        expect(page.get_by_test_id(f"execution-row-{execution_id}")).to_be_visible()

    # filter: failed ones of one workflow
    page.get_by_test_id("filter-status").select_option("FAILED")
    expect(page.get_by_test_id(f"execution-row-{fine}")).to_have_count(0)
    expect(page.get_by_test_id(f"execution-row-{elsewhere}")).to_be_visible()
    page.get_by_test_id("filter-workflow").select_option(flaky["id"])
    expect(page.get_by_test_id(f"execution-row-{elsewhere}")).to_have_count(0)
    expect(page.locator('[data-testid="team-executions"] tbody tr')).to_have_count(3)
    assert set(row_ids(page)) == set(failed)
    assert f"workflow={flaky['id']}" in page.url and "status=FAILED" in page.url

    # select the three and redrive them
    for execution_id in failed:
        page.get_by_test_id(f"select-{execution_id}").check()
    expect(page.get_by_test_id("selected-count")).to_have_text("3 selected")
    page.get_by_test_id("bulk-redrive").click()
    expect(page.get_by_test_id("redrive-dialog")).to_contain_text("Redrive 3 executions?")
    page.get_by_test_id("redrive-confirm").click()
    expect(page.get_by_test_id("bulk-summary")).to_have_text("Redrive: 3 redriven.")
    for execution_id in failed:
        result = page.get_by_test_id(f"result-{execution_id}")
        expect(result).to_contain_text("Redriven (1st redrive)")
        expect(result).to_have_attribute("data-ok", "true")
    for execution_id in failed:
        assert api.get(f"/executions/{execution_id}/").json()["redrive_count"] == 1
    shoot(page, "team-executions-redriven")

    # a succeeded one is refused, with AWS's reason
    page.get_by_test_id("filter-clear").click()
    page.get_by_test_id(f"select-{fine}").check()
    page.get_by_test_id("bulk-redrive").click()
    page.get_by_test_id("redrive-confirm").click()
    expect(page.get_by_test_id("bulk-summary")).to_have_text("Redrive: 0 redriven, 1 refused.")
    expect(page.get_by_test_id(f"result-{fine}")).to_have_text(
        "Refused: Execution is SUCCEEDED and cannot be redriven."
    )
    expect(page.get_by_test_id(f"result-{fine}")).to_have_attribute("data-ok", "false")


def test_team_executions_bulk_stop_updates_live(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    napper = create_workflow(NAP)
    executions_page(page, f"?workflow={napper['id']}")
    expect(page.get_by_test_id("executions-empty")).to_be_visible()
    # new executions appear without a reload (the page polls)
    naps = [start(api, napper["id"], {}) for _ in range(2)]
    for execution_id in naps:
        expect(page.get_by_test_id(f"status-{execution_id}")).to_have_text(
            "RUNNING", timeout=15_000
        )
    page.get_by_test_id("select-all").check()
    page.get_by_test_id("bulk-stop").click()
    dialog = page.get_by_test_id("stop-dialog")
    expect(dialog).to_contain_text("Stop 2 executions?")
    page.get_by_test_id("stop-error").fill("Ops.Cancelled")
    page.get_by_test_id("stop-cause").fill("Wrong batch")
    page.get_by_test_id("stop-confirm").click()
    expect(page.get_by_test_id("bulk-summary")).to_have_text("Stop: 2 stopped.")
    for execution_id in naps:
        expect(page.get_by_test_id(f"result-{execution_id}")).to_have_text("Stop requested")
        expect(page.get_by_test_id(f"status-{execution_id}")).to_have_text(
            "ABORTED", timeout=15_000
        )
        described = api.get(f"/executions/{execution_id}/").json()
        assert (described["error"], described["cause"]) == ("Ops.Cancelled", "Wrong batch")


def test_team_executions_roles(
    login: Login,
    team_members: dict[str, str],
    api: httpx.Client,
    create_workflow: Callable[..., dict[str, Any]],
) -> None:
    workflow = create_workflow(FLAKY)
    execution_id = start(api, workflow["id"], {}, mocks=BOOM)
    finished(api, execution_id)
    viewer = login("vera").new_page()
    executions_page(viewer)
    viewer.get_by_test_id(f"select-{execution_id}").check()
    reason = "Stopping and redriving need the runner role; you are viewer."
    for action in ("stop", "redrive"):
        expect(viewer.get_by_test_id(f"bulk-{action}")).to_be_disabled()
        expect(viewer.get_by_test_id(f"bulk-{action}-wrap")).to_have_attribute("title", reason)
    expect(viewer.get_by_test_id("bulk-role-reason")).to_have_text(reason)

    runner = login("rudy").new_page()
    executions_page(runner)
    runner.get_by_test_id(f"select-{execution_id}").check()
    expect(runner.get_by_test_id("bulk-redrive")).to_be_enabled()
    expect(runner.get_by_test_id("bulk-stop")).to_be_enabled()

    stranger = login("oscar").new_page()
    response = stranger.goto("/teams/acme/executions/")
    assert response is not None and response.status == 404


@pytest.mark.parametrize("size", SIZES)
def test_team_executions_geometry(
    login: Login,
    api: httpx.Client,
    create_workflow: Callable[..., dict[str, Any]],
    size: tuple[int, int],
) -> None:
    workflow = create_workflow(FLAKY, name=f"a-long-workflow-name-{size[0]}-for-the-table")
    ids = [
        start(api, workflow["id"], {}, mocks=BOOM, name=f"nightly-import-{size[0]}-{n:04d}")
        for n in range(3)
    ]
    for execution_id in ids:
        finished(api, execution_id)
    page = login("alice").new_page()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    executions_page(page, f"?workflow={workflow['id']}")
    expect(page.locator('[data-testid="team-executions"] tbody tr')).to_have_count(3)
    page.get_by_test_id(f"select-{ids[0]}").check()
    page.get_by_test_id("bulk-redrive").click()
    page.get_by_test_id("redrive-confirm").click()
    expect(page.get_by_test_id(f"result-{ids[0]}")).to_contain_text("Redriven")
    page.evaluate("() => document.fonts.ready.then(() => undefined)")
    header = no_overlaps(page, ".tx-head > *")
    filters = no_overlaps(page, ".tx-filters > *")
    bulk = no_overlaps(page, ".tx-bulk > *")
    inside_window(page, {**header, **filters, **bulk})
    assert not rect(page, ".tx-filters").overlaps(rect(page, ".tx-bulk"))
    # every cell's content stays in its cell; the table fits the window
    spill: list[str] = page.eval_on_selector_all(
        ".tx-table td > *, .tx-table th > *",
        """els => els.filter(e => {
            const c = e.closest('td, th').getBoundingClientRect(), r = e.getBoundingClientRect();
            return r.width > 0 && (r.left < c.left - 0.5 || r.right > c.right + 0.5
                || r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5);
        }).map(e => e.textContent)""",
    )
    assert spill == []
    cut: list[str] = page.eval_on_selector_all(
        ".tx-table td.tx-time, .tx-table th",
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)",
    )
    assert cut == [], "start times and headings are shown whole"
    table = rect(page, ".tx-table-wrap")
    assert table.right <= size[0] and table.x >= 0
    small = [
        b for b in boxes(page, ".tx-table td, .tx-table th, .tx-filters label") if b["px"] < 11
    ]
    assert small == []
    shoot(page, f"team-executions-{size[0]}x{size[1]}")
