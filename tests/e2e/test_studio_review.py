"""What a new user found in the studio and the execution view, checked as a person sees it at
1280x720 (the dock's case at 1440x900): a renamed state in a comparison, dropping palette items
on edges and beside the flow, a new blank workflow, the unsaved-changes guard, text that must
not be cut off, the timeline's start delay and short spans, one execution duration, the Run
dialog and the Redrive button. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import Login
from tests.e2e.geometry import Rect, overlapping, rect, settle, shoot, state_rects
from tests.e2e.studio import connect, node, open_designer, settled, wait_layout
from tests.e2e.test_operate_config import publish, put_draft
from tests.e2e.test_operate_runs import open_execution, start, wait_status

WIDTH, HEIGHT = 1280, 720
MIN_TEXT_PX = 11.0
WINDOW = Rect(0, 0, WIDTH, HEIGHT)

CUT_OFF = """
e => [e, ...e.querySelectorAll('*')].filter(x => x.clientWidth > 0
    && x.scrollWidth > x.clientWidth + 1).map(x => x.textContent.trim())
"""


def sized(login: Login, width: int = WIDTH, height: int = HEIGHT) -> Page:
    page: Page = login("alice").new_page()
    page.set_viewport_size({"width": width, "height": height})
    return page


def readable(locator: Locator, inside: Rect, name: str) -> Rect:
    """Visible, inside ``inside`` and the window, at a readable size, its text not cut off."""
    size = locator.page.viewport_size
    assert size is not None
    window = Rect(0, 0, size["width"], size["height"])
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None, name
    found = Rect.of(box)
    assert inside.contains(found), (name, found, inside)
    assert window.contains(found), (name, found)
    assert float(locator.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= MIN_TEXT_PX
    assert locator.evaluate(CUT_OFF) == [], (name, locator.evaluate(CUT_OFF))
    return found


# ---- 1. a renamed state in a comparison ------------------------------------------------------

BEFORE = {
    "StartAt": "Receive",
    "States": {
        "Receive": {"Type": "Pass", "Next": "CheckStock"},
        "CheckStock": {"Type": "Pass", "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}
AFTER = {
    "StartAt": "Receive",
    "States": {
        "Receive": {"Type": "Pass", "Next": "VerifyInventory"},
        "VerifyInventory": {"Type": "Pass", "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}


def test_a_renamed_state_shows_its_old_and_new_name_in_full_on_the_compared_graph(
    login: Login, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(BEFORE)
    publish(api, workflow["id"], "first")
    put_draft(api, workflow, AFTER)
    page = sized(login)
    page.goto(f"/workflows/{workflow['id']}/#compare/1/draft")
    expect(page.get_by_test_id("diff-title")).to_have_text("Version 1 → Draft")
    view = page.get_by_test_id("diff-view")
    view.locator('[data-testid="workflow-graph"][data-layout="ready"]').wait_for()
    settle(page)
    state = view.locator('[data-testid="state-node"][data-state-path="/States/VerifyInventory"]')
    settled(state)
    shoot(page, "review-renamed-state-1280x720")
    label = state.get_by_test_id("renamed-label")
    expect(label).to_have_text("CheckStock → VerifyInventory")
    box = rect(page, '[data-testid="diff-view"] [data-state-path="/States/VerifyInventory"]')
    canvas = rect(page, '[data-testid="diff-view"] [data-testid="graph-canvas"]')
    assert canvas.contains(box)
    old = readable(state.get_by_test_id("renamed-old"), box, "old name")
    new = readable(state.get_by_test_id("renamed-new"), box, "new name")
    assert not old.overlaps(new)
    expect(state.get_by_test_id("renamed-old")).to_have_text("CheckStock")
    expect(state.get_by_test_id("renamed-new")).to_have_text("VerifyInventory")


# ---- 2. dropping palette items on edges and beside the flow ----------------------------------

CHAIN = {
    "StartAt": "First",
    "States": {"First": {"Type": "Pass", "Next": "Last"}, "Last": {"Type": "Pass", "End": True}},
}


def centre(locator: Locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def start_drag(page: Page, item: str) -> None:
    x, y = centre(page.get_by_test_id(f"palette-item-{item}"))
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 20, y + 5, steps=4)


def test_edges_show_as_drop_targets_while_dragging_and_a_loose_drop_says_how_to_connect(
    login: Login, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(CHAIN)
    page = sized(login)
    open_designer(page, workflow["id"])
    settle(page)
    if page.get_by_test_id("palette-panel").get_attribute("data-open") != "true":
        page.get_by_test_id("palette-panel-toggle").click()
    expect(page.get_by_test_id("palette-item-wait")).to_be_visible()
    settle(page)
    target = page.locator('[data-testid="edge-label"][data-source-path="/States/First"]')
    settled(target)

    # while dragging: the edge between First and Last shows a "+" of a comfortable size,
    # highlighted once the pointer is over it
    start_drag(page, "wait")
    x, y = centre(target)
    page.mouse.move(x, y, steps=10)
    expect(page.get_by_test_id("workflow-graph")).to_have_class(re.compile(r"\bsy-palette-drag\b"))
    page.mouse.move(x + 1, y, steps=2)  # the pointer goes on moving over the target
    page.mouse.move(x, y + 1, steps=2)
    expect(target).to_have_attribute("data-drop-over", "")
    shoot(page, "review-drop-on-edge-1280x720")
    box = rect(page, '[data-testid="edge-label"][data-source-path="/States/First"]')
    assert box.width >= 20 and box.height >= 16, box
    assert rect(page, '[data-testid="designer-canvas"]').contains(box)
    assert target.evaluate("e => getComputedStyle(e).opacity") == "1"
    page.mouse.up()
    expect(node(page, "/States/Wait")).to_be_visible()
    expect(page.get_by_test_id("save-state")).to_have_text("unsaved changes")
    page.keyboard.press("ControlOrMeta+s")
    expect(page.get_by_test_id("save-state")).to_have_text("saved · revision 2")
    definition = api.get(f"/workflows/{workflow['id']}/").json()["definition"]
    assert definition["States"]["First"]["Next"] == "Wait"
    assert definition["States"]["Wait"]["Next"] == "Last"
    expect(page.get_by_test_id("workflow-graph")).not_to_have_class(
        re.compile(r"\bsy-palette-drag\b")
    )
    expect(page.get_by_test_id("connect-hint")).to_have_count(0)

    # dropped on the empty canvas: added beside the flow, with a hint how to connect it
    canvas = rect(page, '[data-testid="designer-canvas"]')
    start_drag(page, "pass")
    page.mouse.move(canvas.x + 60, canvas.bottom - 120, steps=10)
    page.mouse.up()
    hint = page.get_by_test_id("connect-hint")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Pass is not connected yet")
    expect(hint).to_contain_text("drop a state onto an arrow")
    # nothing leads to it: a problem, so the (folded) dock opens by itself to show it
    expect(page.get_by_test_id("dock-panel")).to_have_attribute("data-open", "true")
    expect(page.get_by_test_id("diagnostic-0")).to_contain_text("UNREACHABLE_STATE")
    settle(page)
    settled(node(page, "/States/Pass"))
    canvas = rect(page, '[data-testid="designer-canvas"]')
    shoot(page, "review-loose-drop-hint-1280x720")
    readable(hint, canvas, "hint")
    hint_box = rect(page, '[data-testid="connect-hint"]')
    states = state_rects(page)
    assert len(states) == 4
    assert [path for path, box in states.items() if hint_box.overlaps(box)] == []
    assert [path for path, box in states.items() if not canvas.contains(box)] == []
    # connected from Last's handle: the hint goes
    connect(page, "/States/Last", "/States/Pass")
    expect(hint).to_have_count(0)


# ---- 3. a new blank workflow -----------------------------------------------------------------


def test_a_new_blank_workflow_opens_at_its_own_address_centred_with_the_palette_out(
    login: Login,
) -> None:
    page = sized(login)
    page.goto("/teams/acme/studio/")
    name = f"blank-{os.urandom(3).hex()}"
    page.get_by_test_id("new-workflow-name").fill(name)
    with page.expect_navigation():
        page.get_by_test_id("new-workflow-create").click()
    assert re.search(r"/workflows/[0-9a-f-]{36}/$", page.url), page.url
    expect(page.get_by_test_id("workflow-name")).to_have_text(name)
    settle(page)
    start_node = node(page, "/States/Start")
    settled(start_node)
    shoot(page, "review-new-blank-1280x720")
    expect(page.get_by_test_id("palette-panel")).to_have_attribute("data-open", "true")
    expect(page.get_by_test_id("palette-item-pass")).to_be_visible()
    canvas = rect(page, '[data-testid="designer-canvas"]')
    box = rect(page, '[data-state-path="/States/Start"]')
    assert canvas.contains(box)
    cx, cy = box.x + box.width / 2, box.y + box.height / 2
    assert abs(cx - (canvas.x + canvas.width / 2)) < canvas.width * 0.1, (cx, canvas)
    assert abs(cy - (canvas.y + canvas.height / 2)) < canvas.height * 0.15, (cy, canvas)
    # the address is the workflow's: a reload (or a shared link) opens it again
    address = page.url
    page.reload()
    expect(page.get_by_test_id("workflow-name")).to_have_text(name)
    assert page.url == address


# ---- 4. leaving with unsaved edits -----------------------------------------------------------


def leave(page: Page) -> None:
    """Try to leave (a reload); a beforeunload dialog is dismissed, so the page stays."""
    with suppress(Exception):
        page.reload(timeout=5_000)


def test_leaving_with_unsaved_edits_asks_first_even_while_still_typing(
    login: Login, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(CHAIN)
    page = sized(login)
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    open_designer(page, workflow["id"])
    node(page, "/States/First").click()
    comment = page.get_by_test_id("inspector-panel").get_by_label("Comment")
    comment.fill("half typed")  # still in the field (it commits on blur)
    leave(page)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(f"/workflows/{workflow['id']}/")
    # what was typed counts as an edit now
    expect(page.get_by_test_id("save-state")).to_have_text("unsaved changes")
    shoot(page, "review-unsaved-guard-1280x720")
    page.keyboard.press("ControlOrMeta+s")
    expect(page.get_by_test_id("save-state")).to_have_text("saved · revision 2")
    # saved: leaving asks nothing
    page.reload()
    wait_layout(page)
    assert dialogs == ["beforeunload"]


# ---- 5. text a person reads is not cut off ---------------------------------------------------


def test_the_save_notice_the_execution_header_and_the_null_checkbox_are_not_cut_off(
    login: Login, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(CHAIN, name=f"orders-{os.urandom(3).hex()}")
    page = sized(login)
    open_designer(page, workflow["id"])
    settle(page)
    node(page, "/States/First").click()
    page.get_by_test_id("inspector-panel").get_by_label("Comment").fill("checked")
    page.keyboard.press("Tab")
    page.keyboard.press("ControlOrMeta+s")
    status = page.get_by_test_id("toolbar-status")
    expect(status).to_have_text("Saved revision 2")
    toolbar = rect(page, '[data-testid="toolbar"]')
    parts = {
        "notice": readable(status, toolbar, "notice"),
        "name": readable(page.get_by_test_id("workflow-name"), toolbar, "name"),
        "save-state": readable(page.get_by_test_id("save-state"), toolbar, "save state"),
    }
    assert overlapping(parts) == []
    # the InputPath's "null" checkbox in the inspector, with its label
    inspector = page.get_by_test_id("inspector-panel")
    check = page.get_by_test_id("io-input-path-null")
    check.scroll_into_view_if_needed()
    label = inspector.locator(".sy-field-check:has([data-testid='io-input-path-null']) label")
    label.scroll_into_view_if_needed()
    shoot(page, "review-toolbar-and-inspector-1280x720")
    panel = rect(page, '[data-testid="inspector-panel"]')
    readable(label, panel, "null label")
    expect(label).to_have_text("null")
    assert not rect(page, "[data-testid='io-input-path']").overlaps(
        rect(page, ".sy-field-check:has([data-testid='io-input-path-null']) label")
    )

    # the execution header: its id, workflow and version in full
    execution_id = start(api, workflow["id"], {})
    wait_status(api, execution_id, "SUCCEEDED")
    open_execution(page, execution_id)
    expect(page.get_by_test_id("execution-version")).to_be_visible()
    shoot(page, "review-execution-header-1280x720")
    header = rect(page, ".exec-header")
    name = page.get_by_test_id("execution-name")
    expect(name).to_have_text(api.get(f"/executions/{execution_id}/").json()["name"])
    readable(name, header, "execution id")
    readable(page.locator(".exec-header > div:first-child > p").first, header, "workflow line")
    expect(page.locator(".exec-header > div:first-child > p").first).to_contain_text(
        f"{workflow['name']} · draft"
    )
    facts = {
        part: rect(page, f'[data-testid="{part}"]')
        for part in ("execution-name", "execution-status", "execution-start", "execution-duration")
    }
    assert overlapping(facts) == []
    assert all(WINDOW.contains(r) for r in facts.values())


# ---- 6. the timeline's start delay and short spans -------------------------------------------

THREE = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass", "Next": "C"},
        "C": {"Type": "Succeed"},
    },
}


def test_the_timeline_shows_the_start_delay_and_short_spans_visibly_with_readable_durations(
    login: Login, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(THREE)
    execution_id = start(api, workflow["id"], {})
    wait_status(api, execution_id, "SUCCEEDED")
    page = sized(login)
    open_execution(page, execution_id)
    page.get_by_role("tab", name="Timeline").click()
    timeline = page.get_by_test_id("execution-timeline")
    expect(timeline).to_be_visible()
    rows = page.get_by_test_id("timeline-row")
    expect(rows).to_have_count(4)
    shoot(page, "review-timeline-1280x720")
    expect(rows.nth(0)).to_have_attribute("data-kind", "start")
    expect(rows.nth(0).get_by_test_id("timeline-label")).to_have_text("Start delay")
    scroll = rect(page, '[data-testid="timeline-scroll"]')
    for i in range(4):
        row = rows.nth(i)
        bar = row.get_by_test_id("timeline-bar")
        box = bar.bounding_box()
        assert box is not None and box["width"] >= 6 and box["height"] >= 6, (i, box)
        assert scroll.contains(Rect.of(box))
        duration = row.get_by_test_id("timeline-duration")
        found = readable(duration, scroll, f"duration {i}")
        assert not found.overlaps(Rect.of(box))
        assert duration.inner_text() != "0 ms"
        text = duration.inner_text()
        assert re.fullmatch(r"< 1 ms|\d+ ms|\d+\.\d+ s", text), text
    # the delay ends where the first state starts
    delay = rows.nth(0).get_by_test_id("timeline-bar").bounding_box()
    first = rows.nth(1).get_by_test_id("timeline-bar").bounding_box()
    assert delay and first and abs(delay["x"] + delay["width"] - first["x"]) <= 6.5


# ---- 7. one duration on the execution page and in the team's list ----------------------------


def test_an_express_run_has_the_same_duration_on_its_page_and_in_the_executions_list(
    login: Login, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(THREE, type="EXPRESS")
    execution_id = start(api, workflow["id"], {})
    described = wait_status(api, execution_id, "SUCCEEDED")
    page = sized(login)
    open_execution(page, execution_id)
    on_page = page.get_by_test_id("execution-duration").inner_text()
    page.goto("/teams/acme/executions/")
    cell = page.get_by_test_id(f"duration-{execution_id}")
    expect(cell).to_be_visible()
    shoot(page, "review-express-duration-list-1280x720")
    in_list = cell.inner_text()
    assert on_page == in_list, (on_page, in_list, described["start_date"], described["stop_date"])
    # both from the execution's recorded start and stop
    assert in_list == format_duration(
        epoch_ms(described["stop_date"]) - epoch_ms(described["start_date"])
    )


def epoch_ms(stamp: str) -> int:
    """An API timestamp in whole milliseconds, as the browser's Date reads it."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return int(moment.replace(microsecond=0).timestamp()) * 1000 + moment.microsecond // 1000


def format_duration(ms: float) -> str:
    """The studio's duration format (execution/format.ts), for times under a minute."""
    return f"{round(ms)} ms" if ms < 1000 else f"{ms / 1000:.{2 if ms < 10_000 else 1}f} s"


# ---- 8. the Run dialog and the Redrive button ------------------------------------------------


def test_the_run_dialog_is_a_labelled_modal_with_a_readable_input_editor(
    login: Login, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(CHAIN)
    page = sized(login)
    open_designer(page, workflow["id"])
    page.get_by_test_id("toolbar-run").click()
    dialog = page.get_by_role("dialog", name="Run workflow")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("role", "dialog")
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(dialog).to_have_attribute("data-testid", "run-dialog")
    shoot(page, "review-run-dialog-1280x720")
    editor = page.get_by_test_id("run-input")
    size = float(editor.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert size >= 13, size
    assert WINDOW.contains(rect(page, '[data-testid="run-dialog"]'))
    readable(editor, rect(page, '[data-testid="run-dialog"]'), "input editor")


def test_redrive_is_not_offered_on_a_succeeded_execution(
    login: Login, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(THREE)
    execution_id = start(api, workflow["id"], {})
    wait_status(api, execution_id, "SUCCEEDED")
    page = sized(login)
    open_execution(page, execution_id)
    expect(page.get_by_test_id("execution-version")).to_be_visible()
    expect(page.get_by_test_id("live-state")).to_have_text("Complete")
    shoot(page, "review-succeeded-no-redrive-1280x720")
    expect(page.get_by_test_id("execution-redrive-button")).to_have_count(0)


# ---- the dock opens by itself when there are problems ----------------------------------------

BROKEN = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Missing"}}}


def test_the_problems_dock_opens_by_itself_when_the_definition_has_problems_at_1440x900(
    login: Login, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    clean = create_workflow(CHAIN)
    broken = create_workflow(BROKEN)
    page = sized(login, 1440, 900)
    open_designer(page, clean["id"])
    expect(page.get_by_test_id("dock-panel")).to_have_attribute("data-open", "false")
    open_designer(page, broken["id"])
    dock = page.get_by_test_id("dock-panel")
    expect(dock).to_have_attribute("data-open", "true")
    problem = page.get_by_test_id("diagnostic-0")
    expect(problem).to_be_visible()
    settle(page)
    shoot(page, "review-dock-problems-1440x900")
    readable(problem, rect(page, '[data-testid="dock-panel"]'), "problem")
    assert Rect(0, 0, 1440, 900).contains(rect(page, '[data-testid="dock-panel"]'))
    # folded again by hand, it stays folded (it opens by itself once per load)
    page.get_by_test_id("dock-panel-toggle").click()
    expect(dock).to_have_attribute("data-open", "false")
    node(page, "/States/A").click()
    with page.expect_response(lambda r: r.url.endswith("/validate/")) as answer:
        page.get_by_test_id("inspector-panel").get_by_label("Comment").fill("x")
        page.keyboard.press("Tab")  # an edit: validated again, the same problem answered
    assert answer.value.json()["diagnostics"], answer.value.json()
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    expect(dock).to_have_attribute("data-open", "false")
