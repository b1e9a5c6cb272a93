"""Operating runs in the studio, as a user at 1280x720: redrive, re-run from here, aliases, roles.

* a redrive that skips the succeeded states: the third state is an activity task that
  the test (as the worker) fails once and lets succeed after Redrive in the browser;
* a re-run from a middle state with edited input, linked both ways;
* an alias made in the browser splitting 80/20, over 100 starts;
* what a Runner and a Viewer may do, in the page and at the server.

Every new dialog and panel is checked for what a person sees (inside the window, not
overlapped, readable) and photographed into ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import Login
from tests.e2e.geometry import Rect, overlapping, rect, shoot
from tests.e2e.studio import node, open_designer, wait_layout
from tests.e2e.test_designer_roles import looks_disabled

UUID = r"[0-9a-f-]{36}"
WIDTH, HEIGHT = 1280, 720
MIN_TEXT_PX = 11.0
REDRIVEN_ONCE = "Redriven \N{MULTIPLICATION SIGN}1"


# ---- helpers -------------------------------------------------------------------------------


def small_page(login: Login, user: str = "alice") -> Page:
    page: Page = login(user).new_page()
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    return page


def start(api: httpx.Client, workflow_id: str, data: Any, **extra: Any) -> str:
    response = api.post(f"/workflows/{workflow_id}/executions/", json={"input": data, **extra})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def wait_status(
    api: httpx.Client, execution_id: str, status: str, seconds: float = 30
) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    described: dict[str, Any] = {}
    while time.monotonic() < deadline:
        described = api.get(f"/executions/{execution_id}/").json()
        if described["status"] == status:
            return described
        time.sleep(0.1)
    raise AssertionError(f"{execution_id} is {described.get('status')}, not {status}")


def history(api: httpx.Client, execution_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/executions/{execution_id}/history/", params={"limit": 1000})
    return list(response.json()["events"])


def entered(events: list[dict[str, Any]]) -> list[str]:
    return [e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("Entered")]


def poll_task(api: httpx.Client, activity_id: int) -> dict[str, Any]:
    """GetActivityTask as a worker does: long-polls until a task is handed out."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        task: dict[str, Any] = api.post(
            f"/activities/{activity_id}/poll/", json={"wait": 5, "workerName": "e2e"}
        ).json()
        if task.get("taskToken"):
            return task
    raise AssertionError("no activity task came")


def session_call(page: Page, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """An API call made from the page with the user's own session and CSRF token (what the
    studio would send if its disabled controls were bypassed): status and JSON body."""
    answer: list[Any] = page.evaluate(
        """async ([method, path, body]) => {
            const props = JSON.parse(document.getElementById('studio-props').textContent);
            const response = await fetch(path, {
                method, credentials: 'same-origin',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': props.csrfToken},
                body: body === null ? undefined : JSON.stringify(body)});
            const text = await response.text();
            return [response.status, text ? JSON.parse(text) : null];
        }""",
        [method, path, body],
    )
    return int(answer[0]), answer[1]


def text_px(locator: Locator) -> float:
    return float(locator.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))


def readable_inside(page: Page, container: str, parts: list[str], name: str) -> None:
    """The container is inside the window; each part is visible, inside it, readable, and
    no two parts overlap. A screenshot is kept."""
    shoot(page, name)
    window = Rect(0, 0, WIDTH, HEIGHT)
    box = rect(page, f'[data-testid="{container}"]')
    assert window.contains(box), (container, box)
    # nothing runs out sideways (text that does not wrap would be cut off)
    sideways = page.get_by_test_id(container).evaluate("e => e.scrollWidth - e.clientWidth")
    assert sideways <= 1, (container, sideways)
    boxes: dict[str, Rect] = {}
    for part in parts:
        locator = page.get_by_test_id(part)
        expect(locator).to_be_visible()
        locator.scroll_into_view_if_needed()
        found = rect(page, f'[data-testid="{container}"] [data-testid="{part}"]')
        assert box.contains(found), (part, found, box)
        assert window.contains(found), (part, found)
        assert text_px(locator) >= MIN_TEXT_PX, part
        boxes[part] = found
    assert overlapping(boxes) == [], overlapping(boxes)


def open_execution(page: Page, execution_id: str) -> None:
    page.goto(f"/executions/{execution_id}/")
    expect(page.get_by_test_id("execution-status")).not_to_have_text("…")
    wait_layout(page)


def header_parts_apart(page: Page, name: str) -> None:
    """The execution header's pieces do not overlap and stay inside the window."""
    parts = [
        "execution-name",
        "execution-status",
        "execution-redrive-count",
        "execution-start",
        "execution-duration",
        "live-state",
        "execution-redrive-button",
    ]
    boxes = {}
    window = Rect(0, 0, WIDTH, HEIGHT)
    for part in parts:
        locator = page.get_by_test_id(part)
        if locator.count() == 0:
            continue
        found = rect(page, f'[data-testid="{part}"]')
        assert window.contains(found), (part, found)
        assert text_px(locator) >= MIN_TEXT_PX, part
        boxes[part] = found
    assert overlapping(boxes) == [], overlapping(boxes)
    shoot(page, name)


# ---- (a) redrive ---------------------------------------------------------------------------


def charge_workflow(api: httpx.Client, create: Callable[..., dict[str, Any]]) -> tuple[str, int]:
    activity = api.post("/teams/acme/activities/", json={"name": f"charge-{time.time_ns()}"})
    assert activity.status_code == 201, activity.text
    definition = {
        "StartAt": "Prepare",
        "States": {
            "Prepare": {
                "Type": "Pass",
                "Result": {"order": 7},
                "ResultPath": "$.prepared",
                "Next": "Price",
            },
            "Price": {
                "Type": "Pass",
                "Parameters": {"total": 42, "order.$": "$.prepared.order"},
                "ResultPath": "$.price",
                "Next": "Charge",
            },
            "Charge": {
                "Type": "Task",
                "Resource": activity.json()["arn"],
                "TimeoutSeconds": 300,
                "ResultPath": "$.charge",
                "Next": "Done",
            },
            "Done": {"Type": "Succeed"},
        },
    }
    return create(definition)["id"], int(activity.json()["id"])


def test_a_redrive_in_the_browser_runs_only_what_did_not_succeed(
    login: Login, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow_id, activity_id = charge_workflow(api, create_workflow)
    execution_id = start(api, workflow_id, {"customer": "c-1"})
    task = poll_task(api, activity_id)  # the worker is down the first time
    assert task["input"]["price"] == {"total": 42, "order": 7}
    failed = api.post(
        "/tasks/failure/",
        json={"taskToken": task["taskToken"], "error": "Card.Declined", "cause": "gateway down"},
    )
    assert failed.status_code == 200, failed.text
    wait_status(api, execution_id, "FAILED")
    before = history(api, execution_id)

    page = small_page(login)
    open_execution(page, execution_id)
    expect(page.get_by_test_id("execution-status")).to_have_attribute("data-status", "FAILED")
    expect(page.get_by_test_id("execution-error")).to_contain_text("Card.Declined")
    button = page.get_by_test_id("execution-redrive-button")
    expect(button).to_be_enabled()
    header_parts_apart(page, "operate-redrive-failed-1280x720")

    button.click()
    dialog = page.get_by_test_id("redrive-dialog")
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("redrive-again")).to_have_text("Charge")
    expect(page.get_by_test_id("redrive-kept")).to_have_text("Prepare, Price")
    readable_inside(
        page,
        "redrive-dialog",
        ["redrive-again", "redrive-kept", "redrive-confirm", "redrive-cancel"],
        "operate-redrive-dialog-1280x720",
    )
    page.get_by_test_id("redrive-confirm").click()
    expect(dialog).to_have_count(0)
    # the same page follows the same execution, running again
    assert re.search(rf"/executions/{execution_id}/$", page.url)
    expect(page.get_by_test_id("execution-status")).to_have_attribute(
        "data-status", "RUNNING", timeout=15_000
    )
    expect(page.get_by_test_id("execution-redrive-count")).to_have_text(REDRIVEN_ONCE)

    task = poll_task(api, activity_id)  # the worker is back: the same input as before
    assert task["input"]["price"] == {"total": 42, "order": 7}
    done = api.post("/tasks/success/", json={"taskToken": task["taskToken"], "output": {"ok": 1}})
    assert done.status_code == 200, done.text

    expect(page.get_by_test_id("execution-status")).to_have_attribute(
        "data-status", "SUCCEEDED", timeout=15_000
    )
    expect(page.get_by_test_id("execution-error")).to_have_count(0)
    expect(page.get_by_test_id("execution-output")).to_contain_text('"ok": 1')
    for path, status in (("Prepare", "succeeded"), ("Price", "succeeded"), ("Charge", "succeeded")):
        expect(page.get_by_test_id(f"state-status-/States/{path}")).to_have_attribute(
            "data-status", status
        )
    # the first two states visibly did not run again; the third did
    for path in ("Prepare", "Price"):
        expect(node(page, f"/States/{path}").get_by_test_id("state-badge")).to_have_text("kept")
    expect(node(page, "/States/Charge").get_by_test_id("state-badge")).to_have_count(0)
    expect(node(page, "/States/Charge")).to_have_attribute("data-status", "succeeded")
    # succeeded now: a redrive can never apply, so no button is offered
    expect(button).to_have_count(0)
    header_parts_apart(page, "operate-redrive-succeeded-1280x720")

    node(page, "/States/Price").click()
    expect(page.get_by_test_id("state-panel-note")).to_contain_text("Not run again by redrive 1")
    page.get_by_test_id("tab-table").click()
    visits = {
        name: page.get_by_test_id(f"state-row-{name}").locator("td").nth(3).inner_text()
        for name in ("Prepare", "Price", "Charge", "Done")
    }
    assert visits == {"Prepare": "1", "Price": "1", "Charge": "2", "Done": "1"}
    shoot(page, "operate-redrive-states-1280x720")
    page.get_by_test_id("tab-events").click()
    redriven_row = page.locator('[data-testid^="event-row-"]', has_text="ExecutionRedriven")
    expect(redriven_row).to_have_count(1)
    expect(redriven_row).to_be_visible()

    # the server agrees: the history goes on after ExecutionRedriven, Prepare and Price once
    after = history(api, execution_id)
    assert after[: len(before)] == before
    assert after[len(before)]["type"] == "ExecutionRedriven"
    assert entered(after[len(before) :]) == ["Charge", "Done"]
    assert entered(after).count("Prepare") == entered(after).count("Price") == 1
    assert api.get(f"/executions/{execution_id}/").json()["redrive_count"] == 1


# ---- (b) re-run from here ------------------------------------------------------------------

CHAIN = {
    "StartAt": "Start",
    "States": {
        "Start": {
            "Type": "Pass",
            "Parameters": {"value.$": "$.value", "seen": "start"},
            "Next": "Double",
        },
        "Double": {
            "Type": "Pass",
            "Parameters": {"value.$": "States.MathAdd($.value, $.value)", "seen.$": "$.seen"},
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}


def replace_code(page: Page, editor: str, text: str) -> None:
    page.locator(f'[data-testid="{editor}"] .cm-content').click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def test_a_rerun_from_a_middle_state_with_edited_input_links_both_ways(
    login: Login, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow_id = create_workflow(CHAIN)["id"]
    source = start(api, workflow_id, {"value": 2})
    source_name = wait_status(api, source, "SUCCEEDED")["name"]

    page = small_page(login)
    open_execution(page, source)
    node(page, "/States/Double").click()
    expect(page.get_by_test_id("state-panel-name")).to_have_text("Double")
    rerun = page.get_by_test_id("state-rerun-button")
    expect(rerun).to_be_enabled()
    readable_inside(
        page,
        "execution-side",
        ["state-panel-name", "state-rerun-button"],
        "operate-rerun-panel-1280x720",
    )
    rerun.click()
    dialog = page.get_by_test_id("rerun-dialog")
    expect(dialog).to_be_visible()
    content = page.locator('[data-testid="rerun-input"] .cm-content')
    expect(content).to_be_visible()
    shown = json.loads(content.inner_text().replace("\u00a0", " "))
    assert shown == {"value": 2, "seen": "start"}  # what Double received then
    readable_inside(
        page,
        "rerun-dialog",
        ["rerun-input-input", "rerun-target", "rerun-name", "rerun-start", "rerun-cancel"],
        "operate-rerun-dialog-1280x720",
    )

    # broken JSON is pointed at, and Start waits for it
    replace_code(page, "rerun-input", '{"value": 21,\n "seen": }')
    error = page.get_by_test_id("rerun-input-error")
    expect(error).to_contain_text("Line 2, column")
    expect(page.get_by_test_id("rerun-start")).to_be_disabled()
    readable_inside(
        page,
        "rerun-dialog",
        ["rerun-input-input", "rerun-input-error", "rerun-target", "rerun-start"],
        "operate-rerun-dialog-error-1280x720",
    )
    replace_code(page, "rerun-input", '{"value": 21, "seen": "edited"}')
    expect(error).to_have_count(0)
    expect(page.get_by_test_id("rerun-target-version")).to_be_checked()
    page.get_by_test_id("rerun-start").click()

    page.wait_for_url(
        lambda url: re.search(rf"/executions/{UUID}/$", url) is not None and source not in url
    )
    found = re.search(rf"/executions/({UUID})/$", page.url)
    assert found and found[1] != source
    rerun_id = found[1]
    expect(page.get_by_test_id("execution-status")).to_have_attribute(
        "data-status", "SUCCEEDED", timeout=15_000
    )
    expect(page.get_by_test_id("execution-rerun-of")).to_have_text(f"{source_name} from Double")
    expect(page.get_by_test_id("execution-input")).to_contain_text('"value": 21')
    expect(page.get_by_test_id("execution-output")).to_contain_text('"value": 42')
    expect(page.get_by_test_id("execution-output")).to_contain_text('"seen": "edited"')
    # it started at Double: Start did not run
    wait_layout(page)
    expect(node(page, "/States/Start")).to_have_class(re.compile(r"\bsy-status-notrun\b"))
    expect(page.get_by_test_id("state-status-/States/Start")).to_have_count(0)
    expect(page.get_by_test_id("state-status-/States/Double")).to_have_attribute(
        "data-status", "succeeded"
    )
    header_parts_apart(page, "operate-rerun-new-1280x720")
    events = history(api, rerun_id)
    assert [e["type"] for e in events[:2]] == ["ExecutionStarted", "PassStateEntered"]
    assert entered(events) == ["Double", "Done"]
    assert json.loads(events[1]["stateEnteredEventDetails"]["input"]) == {
        "value": 21,
        "seen": "edited",
    }

    # and back: the original lists its re-run
    page.get_by_test_id("execution-rerun-of-link").click()
    page.wait_for_url(re.compile(rf"/executions/{source}/$"))
    reruns = page.get_by_test_id("execution-reruns")
    expect(reruns).to_contain_text("from Double")
    expect(page.get_by_test_id(f"execution-rerun-{rerun_id}")).to_have_attribute(
        "href", f"/executions/{rerun_id}/"
    )


# ---- (c) an alias split 80/20 --------------------------------------------------------------


def publish(api: httpx.Client, workflow_id: str, result: str, note: str) -> int:
    current = api.get(f"/workflows/{workflow_id}/").json()
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": result, "End": True}}}
    saved = api.patch(
        f"/workflows/{workflow_id}/",
        json={"revision": current["revision"], "definition": definition},
    )
    assert saved.status_code == 200, saved.text
    published = api.post(f"/workflows/{workflow_id}/publish/", json={"description": note})
    assert published.status_code == 201, published.text
    return int(published.json()["number"])


def test_an_alias_made_in_the_browser_splits_100_starts_80_20(
    login: Login, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow_id = create_workflow({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})[
        "id"
    ]
    assert publish(api, workflow_id, "old", "stable") == 1
    assert publish(api, workflow_id, "new", "faster") == 2

    page = small_page(login)
    open_designer(page, workflow_id)
    page.get_by_test_id("toolbar-aliases").click()
    expect(page.get_by_test_id("aliases-empty")).to_be_visible()
    page.get_by_test_id("alias-new").click()
    dialog = page.get_by_test_id("alias-dialog")
    expect(dialog).to_be_visible()

    # a name that looks like a version number is refused in place
    page.get_by_test_id("alias-name").fill("123")
    page.get_by_test_id("alias-save").click()
    expect(page.get_by_test_id("alias-name-error")).to_contain_text("only digits")
    readable_inside(
        page,
        "alias-dialog",
        ["alias-name", "alias-name-error", "alias-description", "alias-routing", "alias-save"],
        "operate-alias-dialog-error-1280x720",
    )
    page.get_by_test_id("alias-name").fill("canary")
    expect(page.get_by_test_id("alias-name-error")).to_have_count(0)
    page.get_by_test_id("alias-description").fill("80/20 canary of the faster version")
    page.get_by_test_id("alias-mode-split").check()
    expect(page.get_by_test_id("alias-version-a")).to_have_value("2")
    expect(page.get_by_test_id("alias-version-b")).to_have_value("1")
    slider = page.get_by_test_id("alias-weight-slider")
    slider.focus()
    for _ in range(15):  # the keyboard moves the split; the two weights follow each other
        page.keyboard.press("ArrowLeft")
    expect(page.get_by_test_id("alias-weight-a")).to_have_value("65")
    expect(page.get_by_test_id("alias-weight-b")).to_have_value("35")
    page.get_by_test_id("alias-weight-b").fill("20")
    expect(page.get_by_test_id("alias-weight-a")).to_have_value("80")
    expect(slider).to_have_value("80")
    readable_inside(
        page,
        "alias-dialog",
        [
            "alias-name",
            "alias-description",
            "alias-mode-split",
            "alias-version-a",
            "alias-weight-a",
            "alias-version-b",
            "alias-weight-b",
            "alias-weight-slider",
            "alias-save",
            "alias-cancel",
        ],
        "operate-alias-dialog-1280x720",
    )
    page.get_by_test_id("alias-save").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("alias-routing-canary")).to_contain_text("v2 80% · v1 20%")
    readable_inside(
        page,
        "aliases-dialog",
        ["alias-routing-canary", "alias-new", "alias-edit-canary", "alias-delete-canary"],
        "operate-aliases-list-1280x720",
    )
    assert api.get(f"/workflows/{workflow_id}/aliases/canary/").json()["routing"] == [
        {"version": 2, "weight": 80},
        {"version": 1, "weight": 20},
    ]
    page.get_by_test_id("aliases-close").click()

    # the first start through the studio's Run dialog, by alias
    page.get_by_test_id("toolbar-run").click()
    page.get_by_test_id("run-target").select_option("alias:canary")
    readable_inside(
        page,
        "run-dialog",
        ["run-target", "run-target-help", "run-input", "run-start"],
        "operate-run-dialog-alias-1280x720",
    )
    page.get_by_test_id("run-start").click()
    page.wait_for_url(re.compile(rf"/executions/{UUID}/$"))
    first = re.search(rf"/executions/({UUID})/$", page.url)
    assert first
    ran = api.get(f"/executions/{first[1]}/").json()
    assert ran["alias"] == "canary" and ran["version"] in (1, 2)
    expect(page.get_by_test_id("execution-version")).to_have_text(
        f" · version {ran['version']} via alias canary"
    )

    # 99 more by the API (the same start path the dialog used)
    for _ in range(99):
        start(api, workflow_id, {}, alias="canary")
    listed = api.get(f"/workflows/{workflow_id}/executions/", params={"limit": 200}).json()
    rows = [r for r in listed["results"] if r["alias"] == "canary"]
    assert len(rows) == 100
    landed = Counter(r["version"] for r in rows)
    assert 70 <= landed[2] <= 90 and 10 <= landed[1] <= 30, landed
    assert landed[1] + landed[2] == 100

    # the workflow's executions list says which version and alias ran each
    open_designer(page, workflow_id)
    if page.get_by_test_id("workflow-executions").count() == 0:  # the dock folds below 1000 px
        page.get_by_test_id("dock-panel-toggle").click()
    newest = rows[0]
    expect(page.get_by_test_id(f"execution-row-version-{newest['id']}")).to_have_text(
        f"version {newest['version']} via alias canary"
    )


# ---- (d) roles -----------------------------------------------------------------------------

FAILS = {
    "StartAt": "Check",
    "States": {
        "Check": {"Type": "Pass", "Next": "Reject"},
        "Reject": {"Type": "Fail", "Error": "Order.Rejected", "Cause": "no stock"},
    },
}
RUNNER_ALIASES = "Runners cannot change aliases (they can start executions through them)."
VIEWER_ALIASES = "Viewers cannot change aliases."


@pytest.fixture
def failed_run(api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    workflow_id = create_workflow(FAILS)["id"]
    assert api.post(f"/workflows/{workflow_id}/publish/", json={}).status_code == 201
    alias = api.post(
        f"/workflows/{workflow_id}/aliases/",
        json={"name": "live", "routing": [{"version": 1, "weight": 100}]},
    )
    assert alias.status_code == 201, alias.text
    execution_id = start(api, workflow_id, {}, alias="live")
    wait_status(api, execution_id, "FAILED")
    return {"workflow": workflow_id, "execution": execution_id}


def aliases_locked(page: Page, workflow_id: str, reason: str) -> None:
    open_designer(page, workflow_id)
    page.get_by_test_id("toolbar-aliases").click()
    expect(page.get_by_test_id("alias-routing-live")).to_contain_text("v1")
    for control in ("alias-new", "alias-edit-live", "alias-delete-live"):
        looks_disabled(page.get_by_test_id(control), reason)
    page.get_by_test_id("aliases-close").click()


def test_a_runner_redrives_and_reruns_but_cannot_change_aliases(
    login: Login, api: httpx.Client, team_members: dict[str, str], failed_run: dict[str, Any]
) -> None:
    assert team_members["rudy"] == "runner"
    page = small_page(login, "rudy")
    aliases_locked(page, failed_run["workflow"], RUNNER_ALIASES)
    base = f"/api/workflows/{failed_run['workflow']}/aliases/"
    body = {"name": "mine", "routing": [{"version": 1, "weight": 100}]}
    assert session_call(page, "POST", base, body)[0] == 403
    assert session_call(page, "PATCH", f"{base}live/", {"description": "x"})[0] == 403
    assert session_call(page, "DELETE", f"{base}live/")[0] == 403
    assert [a["name"] for a in api.get(base.removeprefix("/api")).json()] == ["live"]

    # the Run dialog offers the alias, and the runner may start through it
    page.get_by_test_id("toolbar-run").click()
    expect(
        page.get_by_test_id("run-target").locator("option", has_text="Alias live")
    ).to_have_count(1)
    page.keyboard.press("Escape")

    open_execution(page, failed_run["execution"])
    expect(page.get_by_test_id("execution-version")).to_have_text(" · version 1 via alias live")
    node(page, "/States/Check").click()
    expect(page.get_by_test_id("state-rerun-button")).to_be_enabled()
    redrive = page.get_by_test_id("execution-redrive-button")
    expect(redrive).to_be_enabled()
    redrive.click()
    page.get_by_test_id("redrive-confirm").click()
    expect(page.get_by_test_id("execution-redrive-count")).to_have_text(
        REDRIVEN_ONCE, timeout=15_000
    )
    # the Fail state fails again: the same page shows it, redrivable once more
    expect(page.get_by_test_id("execution-status")).to_have_attribute(
        "data-status", "FAILED", timeout=15_000
    )
    assert api.get(f"/executions/{failed_run['execution']}/").json()["redrive_count"] == 1
    rerun = f"/api/executions/{failed_run['execution']}/rerun/"
    status, started = session_call(page, "POST", rerun, {"state": "Check", "input": {}})
    assert status == 201 and started["rerun_of"] == failed_run["execution"]


def test_a_viewer_can_neither_redrive_nor_rerun_nor_change_aliases(
    login: Login, api: httpx.Client, team_members: dict[str, str], failed_run: dict[str, Any]
) -> None:
    assert team_members["vera"] == "viewer"
    page = small_page(login, "vera")
    aliases_locked(page, failed_run["workflow"], VIEWER_ALIASES)
    looks_disabled(page.get_by_test_id("toolbar-run"), "Viewers cannot run this workflow.")

    open_execution(page, failed_run["execution"])
    looks_disabled(
        page.get_by_test_id("execution-redrive-button"),
        "Viewers cannot redrive executions (runners and up can).",
    )
    node(page, "/States/Reject").click()
    looks_disabled(
        page.get_by_test_id("state-rerun-button"),
        "Viewers cannot re-run executions (runners and up can).",
    )
    header_parts_apart(page, "operate-viewer-failed-1280x720")
    # the server refuses too, whatever the page offers
    execution = f"/api/executions/{failed_run['execution']}"
    assert session_call(page, "POST", f"{execution}/redrive/")[0] == 403
    assert session_call(page, "POST", f"{execution}/rerun/", {"state": "Check"})[0] == 403
    bulk = session_call(
        page, "POST", "/api/executions/redrive/", {"ids": [failed_run["execution"]]}
    )
    assert bulk[1]["results"][0]["redriven"] is False
    assert bulk[1]["results"][0]["code"] == "permission_denied"
    aliases = f"/api/workflows/{failed_run['workflow']}/aliases/"
    body = {"name": "mine", "routing": [{"version": 1, "weight": 100}]}
    assert session_call(page, "POST", aliases, body)[0] == 403
    described = api.get(f"/executions/{failed_run['execution']}/").json()
    assert described["status"] == "FAILED" and described["redrive_count"] == 0
    assert described["reruns"] == []
