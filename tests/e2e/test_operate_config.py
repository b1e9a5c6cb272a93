"""The designer's Config and Versions views, driven as a person would: settings (type, name,
tags), duplicate, delete with its summary, publishing and opening versions, restoring one
(and undoing it), a diff of two versions drawn on the graph, and what a Viewer may do."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Login
from tests.e2e.geometry import (
    Rect,
    overlapping,
    overlapping_states,
    rect,
    settle,
    shoot,
    state_rects,
    unreadable,
)
from tests.e2e.studio import code_json, node, show_code, wait_layout
from tests.e2e.test_csp import LISTEN
from tests.e2e.test_designer_roles import looks_disabled

CALLBACK = {
    "StartAt": "Approve",
    "States": {
        "Approve": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "approve", "Payload": {"token.$": "$$.Task.Token"}},
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}
CHAIN = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}}
HOLD = {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 3600, "End": True}}}

# version 1 -> version 2: Check renamed to Verify, Audit removed, Notify added, Approve's
# Result changed; Verify's first rule now goes to Notify instead of Audit.
V1 = {
    "StartAt": "Approve",
    "States": {
        "Approve": {"Type": "Pass", "Result": {"limit": 10}, "Next": "Check"},
        "Check": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Audit"}],
            "Default": "Reject",
        },
        "Audit": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
        "Reject": {"Type": "Fail", "Error": "Rejected"},
        "Done": {"Type": "Succeed"},
    },
}
V2 = {
    "StartAt": "Approve",
    "States": {
        "Approve": {"Type": "Pass", "Result": {"limit": 25}, "Next": "Verify"},
        "Verify": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Notify"}],
            "Default": "Reject",
        },
        "Notify": {"Type": "Pass", "Result": "sent", "Next": "Done"},
        "Reject": {"Type": "Fail", "Error": "Rejected"},
        "Done": {"Type": "Succeed"},
    },
}

GREEN = "rgb(21, 128, 61)"
RED = "rgb(220, 38, 38)"
AMBER = "rgb(180, 83, 9)"
VIOLET = "rgb(124, 58, 237)"
NEUTRAL = "rgb(148, 163, 184)"
TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \S+")


def open_view(page: Page, workflow_id: str, view: str) -> None:
    """The designer at a view's address (``config``, ``versions``, ``versions/2``, ...)."""
    page.goto(f"/workflows/{workflow_id}/#{view}")
    expect(page.get_by_test_id("toolbar")).to_be_visible()
    tab = view.split("/")[0].replace("compare", "versions")
    expect(page.get_by_test_id(f"view-tab-{tab}")).to_have_attribute("aria-selected", "true")


def style(page: Page, selector: str, prop: str) -> str:
    value: str = page.locator(selector).first.evaluate(f"e => getComputedStyle(e).{prop}")
    return value


def put_draft(api: httpx.Client, workflow: dict[str, Any], definition: dict[str, Any]) -> None:
    current = api.get(f"/workflows/{workflow['id']}/").json()
    body = {k: current[k] for k in ("name", "type", "description", "layout", "revision")}
    response = api.put(f"/workflows/{workflow['id']}/", json={**body, "definition": definition})
    assert response.status_code == 200, response.text


def publish(api: httpx.Client, workflow_id: str, description: str) -> int:
    response = api.post(f"/workflows/{workflow_id}/publish/", json={"description": description})
    assert response.status_code == 201, response.text
    return int(response.json()["number"])


def test_express_is_refused_with_the_reason_next_to_the_type_and_the_state_named(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(CALLBACK)
    open_view(page, workflow["id"], "config")
    page.get_by_test_id("settings-type-express").check()
    page.get_by_test_id("settings-save").click()
    refusal = page.get_by_test_id("settings-type-refusal")
    expect(refusal).to_be_visible()
    reason = page.get_by_test_id("settings-type-reason")
    expect(reason).to_contain_text("An Express workflow cannot run this definition")
    expect(reason).to_contain_text(".waitForTaskToken")
    # next to the control: just below the type choices, in the same section
    options = page.get_by_test_id("settings-type").bounding_box()
    box = refusal.bounding_box()
    assert options and box and 0 <= box["y"] - (options["y"] + options["height"]) < 40
    problem = page.get_by_test_id("settings-type-problem")
    expect(problem).to_have_attribute("data-pointer", "/States/Approve/Resource")
    expect(page.get_by_test_id("settings-status")).to_contain_text("Express cannot run 1 state")
    assert api.get(f"/workflows/{workflow['id']}/settings/").json()["type"] == "STANDARD"
    # the state's name shows it on the canvas, selected
    problem.get_by_test_id("settings-type-problem-state").click()
    expect(page.get_by_test_id("view-tab-design")).to_have_attribute("aria-selected", "true")
    wait_layout(page)
    expect(page.get_by_test_id("inspector-state-picker")).to_have_value("/States/Approve")
    expect(node(page, "/States/Approve")).to_have_class(re.compile(r"\bsy-selected\b"))


def test_rename_tags_timeout_and_retention_are_saved_and_shown(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(CHAIN)
    new_name = f"{workflow['name']}-renamed"
    open_view(page, workflow["id"], "config")
    name = page.get_by_test_id("settings-name")
    name.fill(new_name)
    page.get_by_test_id("settings-description").fill("Moves orders along")
    page.get_by_test_id("tag-add").click()
    page.keyboard.type("team")  # the new row's key has the focus
    page.get_by_test_id("tag-value").fill("payments")
    page.get_by_test_id("settings-timeout").fill("90")
    page.get_by_test_id("settings-retention").fill("30")
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-status")).to_have_text("Settings saved (revision 2).")
    expect(page.get_by_test_id("workflow-name")).to_have_text(new_name)
    expect(page).to_have_title(f"{new_name} · Stateyard")
    expect(page.get_by_test_id("save-state")).to_have_text("saved · revision 2")
    stored = api.get(f"/workflows/{workflow['id']}/settings/").json()
    assert stored["name"] == new_name and stored["description"] == "Moves orders along"
    assert stored["tags"] == {"team": "payments"}
    assert stored["timeout_seconds"] == 90 and stored["retention_days"] == 30
    # the timeout is the definition's: the code view shows it, undo takes it back out
    page.get_by_test_id("view-tab-design").click()
    show_code(page)
    expect(page.locator('[data-testid="code-editor"] .cm-content')).to_contain_text(
        '"TimeoutSeconds": 90'
    )
    page.get_by_test_id("toolbar-undo").click()
    expect(page.get_by_test_id("save-state")).to_have_text("unsaved changes")
    assert "TimeoutSeconds" not in code_json(page)
    # a tag removed again
    page.get_by_test_id("view-tab-config").click()
    page.get_by_test_id("tag-remove").click()
    expect(page.get_by_test_id("tags-empty")).to_be_visible()
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-status")).to_contain_text("Settings saved")
    assert api.get(f"/workflows/{workflow['id']}/settings/").json()["tags"] == {}


def test_duplicate_makes_a_copy_and_opens_it(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(CHAIN)
    open_view(page, workflow["id"], "config")
    page.get_by_test_id("config-duplicate").click()
    dialog = page.get_by_test_id("duplicate-dialog")
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("duplicate-name")).to_have_value(f"{workflow['name']}-copy")
    with page.expect_navigation():
        page.get_by_test_id("duplicate-confirm").click()
    expect(page.get_by_test_id("workflow-name")).to_have_text(f"{workflow['name']}-copy")
    copy_id = page.url.rstrip("/").split("/")[-1]
    assert copy_id != workflow["id"]
    copy = api.get(f"/workflows/{copy_id}/").json()
    assert copy["definition"] == CHAIN and copy["name"] == f"{workflow['name']}-copy"
    wait_layout(page)
    expect(node(page, "/States/A")).to_be_visible()


def test_delete_says_what_happens_to_running_executions_then_asks_for_the_name(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(HOLD)
    started = api.post(f"/workflows/{workflow['id']}/executions/", json={"input": {}})
    assert started.status_code == 201, started.text
    publish(api, workflow["id"], "hold")
    open_view(page, workflow["id"], "config")
    page.get_by_test_id("config-delete").click()
    dialog = page.get_by_test_id("delete-dialog")
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("delete-summary-running")).to_have_text(
        "1 running execution will stop: it is deleted with the workflow and any pending work "
        "finds nothing to continue."
    )
    expect(page.get_by_test_id("delete-summary-stored")).to_have_text(
        "1 execution and its history will be deleted for good."
    )
    expect(page.get_by_test_id("delete-summary-versions")).to_have_text(
        "1 published version and 0 aliases will be deleted."
    )
    confirm = page.get_by_test_id("delete-confirm")
    expect(confirm).to_be_disabled()
    page.get_by_test_id("delete-confirm-name").fill(workflow["name"][:-1])
    expect(confirm).to_be_disabled()
    # Cancel keeps everything
    page.get_by_test_id("delete-cancel").click()
    expect(dialog).to_have_count(0)
    assert api.get(f"/workflows/{workflow['id']}/").status_code == 200
    page.get_by_test_id("config-delete").click()
    page.get_by_test_id("delete-confirm-name").fill(workflow["name"])
    with page.expect_navigation():
        page.get_by_test_id("delete-confirm").click()
    assert page.url.endswith("/teams/acme/studio/")
    assert api.get(f"/workflows/{workflow['id']}/").status_code == 404


def test_publish_two_versions_open_one_read_only_restore_it_and_undo(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    page.add_init_script(LISTEN)  # the read-only code editor and graphs run under the CSP
    workflow = create_workflow(V1)
    open_view(page, workflow["id"], "versions")
    expect(page.get_by_test_id("versions-empty")).to_be_visible()
    # version 1 from the Versions panel, with a description
    page.get_by_test_id("versions-publish").click()
    expect(page.get_by_test_id("publish-dialog")).to_contain_text("Publish version 1")
    page.get_by_test_id("publish-description").fill("First cut")
    page.get_by_test_id("publish-confirm").click()
    expect(page.get_by_test_id("version-row")).to_have_count(1)
    # version 2 from the toolbar, after a change to the draft
    put_draft(api, workflow, V2)
    page.reload()
    expect(page.get_by_test_id("version-row")).to_have_count(1)
    page.get_by_test_id("toolbar-publish").click()
    page.get_by_test_id("publish-description").fill("Notify before done")
    page.get_by_test_id("publish-confirm").click()
    rows = page.get_by_test_id("version-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_attribute("data-version", "2")
    expect(rows.nth(0).get_by_test_id("version-description")).to_have_text("Notify before done")
    expect(rows.nth(1).get_by_test_id("version-description")).to_have_text("First cut")
    for i in range(2):
        meta = rows.nth(i).get_by_test_id("version-meta").inner_text()
        assert meta.startswith("alice · ") and TIME.fullmatch(meta.removeprefix("alice · ")), meta

    # version 1, read-only: its graph and its code, no editing controls
    rows.nth(1).get_by_test_id("version-open").click()
    expect(page.get_by_test_id("version-title")).to_have_text("Version 1")
    assert page.url.endswith("#versions/1")
    graph = page.get_by_test_id("version-graph")
    graph.locator('[data-testid="workflow-graph"][data-layout="ready"]').wait_for()
    expect(graph.locator('[data-state-path="/States/Check"]')).to_be_visible()
    expect(graph.locator('[data-state-path="/States/Verify"]')).to_have_count(0)
    expect(graph.locator(".react-flow__node.draggable")).to_have_count(0)
    expect(graph.locator(".react-flow__handle.connectable")).to_have_count(0)
    code = page.locator('[data-testid="version-code-editor"] .cm-content')
    expect(code).to_have_attribute("contenteditable", "false")
    expect(code).to_contain_text('"Check"')
    for absent in ("palette-panel", "inspector-panel", "code-panel", "designer-canvas"):
        expect(page.get_by_test_id(absent)).to_have_count(0)
    assert page.evaluate("window.__cspViolations.join('\\n')") == ""

    # restore it into the draft (asks first), then Ctrl+Z brings the draft back
    page.get_by_test_id("version-head-restore").click()
    expect(page.get_by_test_id("restore-dialog")).to_contain_text("Undo (Ctrl+Z)")
    page.get_by_test_id("restore-confirm").click()
    expect(page.get_by_test_id("view-tab-design")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_test_id("toolbar-status")).to_contain_text("Restored version 1")
    wait_layout(page)
    expect(node(page, "/States/Check")).to_be_visible()
    expect(node(page, "/States/Verify")).to_have_count(0)
    expect(page.get_by_test_id("save-state")).to_have_text("saved · revision 3")
    assert api.get(f"/workflows/{workflow['id']}/").json()["definition"] == V1
    page.locator("body").click(position={"x": 5, "y": 5})  # focus out of any field
    page.keyboard.press("ControlOrMeta+z")
    expect(node(page, "/States/Verify")).to_be_visible()
    expect(node(page, "/States/Check")).to_have_count(0)
    expect(page.get_by_test_id("save-state")).to_have_text("unsaved changes")
    page.keyboard.press("ControlOrMeta+s")
    expect(page.get_by_test_id("save-state")).to_have_text("saved · revision 4")
    assert api.get(f"/workflows/{workflow['id']}/").json()["definition"] == V2


def test_a_diff_between_two_versions_is_drawn_on_the_graph_and_listed(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(V1)
    publish(api, workflow["id"], "v1")
    put_draft(api, workflow, V2)
    publish(api, workflow["id"], "v2")
    open_view(page, workflow["id"], "versions")
    page.get_by_test_id("compare-a").select_option("1")
    page.get_by_test_id("compare-b").select_option("2")
    page.get_by_test_id("compare-run").click()
    assert page.url.endswith("#compare/1/2")
    expect(page.get_by_test_id("diff-title")).to_have_text("Version 1 → Version 2")
    expect(page.get_by_test_id("diff-summary")).to_have_text(
        "1 added · 1 removed · 1 renamed · 1 changed · 4 transitions"
    )
    view = page.get_by_test_id("diff-view")
    view.locator('[data-testid="workflow-graph"][data-layout="ready"]').wait_for()
    legend = page.get_by_test_id("diff-legend")
    expect(legend).to_be_visible()
    for key in ("added", "removed", "changed", "renamed"):
        expect(legend.get_by_test_id(f"diff-legend-{key}")).to_be_visible()

    def state(path: str) -> str:
        return f'[data-testid="diff-view"] [data-testid="state-node"][data-state-path="{path}"]'

    # each state's look on screen: its border colour (and style) and fill
    assert page.locator(state("/States/Notify")).get_attribute("data-diff") == "added"
    assert style(page, state("/States/Notify"), "borderTopColor") == GREEN
    assert style(page, state("/States/Notify"), "backgroundColor") == "rgb(220, 252, 231)"
    ghost = state("/States/Audit")  # removed: back on the graph as a ghost
    assert page.locator(ghost).get_attribute("data-diff") == "removed"
    assert style(page, ghost, "borderTopColor") == RED
    assert style(page, ghost, "borderTopStyle") == "dashed"
    assert float(style(page, ghost, "opacity")) < 1
    assert style(page, state("/States/Approve"), "borderTopColor") == AMBER
    verify = f"{state('/States/Verify')} .sy-diamond"  # a Choice draws its diamond
    assert style(page, verify, "borderTopColor") == VIOLET
    expect(page.locator(state("/States/Verify")).get_by_test_id("renamed-label")).to_have_text(
        "Check → Verify"
    )
    for unchanged in ("/States/Reject", "/States/Done"):
        assert page.locator(state(unchanged)).get_attribute("data-diff") is None
        # unchanged states are drawn neutral (a Fail's red would read as removed)
        assert style(page, state(unchanged), "borderTopColor") == NEUTRAL
    # the changed transitions: Verify -> Notify added, Verify -> Audit removed
    added = '[data-testid="rf__edge-e:/States/Verify#choice/0"] path.react-flow__edge-path'
    assert style(page, added, "stroke") == GREEN
    removed = (
        '[data-testid="diff-view"] [data-edge-id="diff:/States/Verify->/States/Audit#Choices/0"]'
    )
    expect(page.locator(removed)).to_have_attribute("data-diff", "removed")
    removed_path = (
        '[data-testid="rf__edge-diff:/States/Verify->/States/Audit#Choices/0"] '
        "path.react-flow__edge-path"
    )
    assert style(page, removed_path, "stroke") == RED
    assert style(page, removed_path, "strokeDasharray") != "none"

    # the list, field by field: the pointer, before and after
    field = page.locator('[data-testid="diff-field"][data-pointer="/States/Approve/Result/limit"]')
    expect(field).to_be_visible()
    expect(field.get_by_test_id("diff-before")).to_have_text("10")
    expect(field.get_by_test_id("diff-after")).to_have_text("25")
    expect(page.locator('[data-testid="diff-state"][data-change="renamed"]')).to_contain_text(
        "Check → Verify"
    )
    # a click on an entry selects the state on the graph
    field.click()
    expect(page.locator(state("/States/Approve"))).to_have_class(re.compile(r"\bsy-selected\b"))
    page.locator('[data-testid="diff-state"][data-change="removed"] button').first.click()
    expect(page.locator(ghost)).to_have_class(re.compile(r"\bsy-selected\b"))
    expect(page.locator(state("/States/Approve"))).not_to_have_class(re.compile(r"\bsy-selected\b"))


def test_a_viewer_sees_settings_versions_and_diffs_but_changes_nothing(
    login: Login,
    team_members: dict[str, str],
    api: httpx.Client,
    create_workflow: Callable[..., dict[str, Any]],
) -> None:
    assert team_members["vera"] == "viewer"
    workflow = create_workflow(V1)
    publish(api, workflow["id"], "v1")
    put_draft(api, workflow, V2)
    publish(api, workflow["id"], "v2")
    api.patch(
        f"/workflows/{workflow['id']}/settings/", json={"revision": 2, "tags": {"team": "ops"}}
    ).raise_for_status()
    why = "Viewers cannot edit this workflow."
    page = login("vera").new_page()

    open_view(page, workflow["id"], "config")
    expect(page.get_by_test_id("settings-name")).to_have_value(workflow["name"])
    expect(page.get_by_test_id("tag-key")).to_have_value("team")
    expect(page.get_by_test_id("config-fieldset")).to_have_attribute("title", why)
    for testid in ("settings-name", "settings-type-express", "settings-timeout", "tag-key"):
        expect(page.get_by_test_id(testid)).to_be_disabled()
    for testid in ("settings-type-standard", "settings-type-express"):
        looks_disabled(page.get_by_test_id(testid), why)
    for testid in ("settings-save", "config-duplicate", "config-delete", "tag-add", "tag-remove"):
        control = page.get_by_test_id(testid)
        expect(control).to_be_disabled()
        expect(control).to_have_attribute("title", why)
        assert control.evaluate("e => getComputedStyle(e).cursor") == "not-allowed"

    page.get_by_test_id("view-tab-versions").click()
    expect(page.get_by_test_id("version-row")).to_have_count(2)
    for testid in ("versions-publish",):
        expect(page.get_by_test_id(testid)).to_be_disabled()
        expect(page.get_by_test_id(testid)).to_have_attribute("title", why)
    for control in page.get_by_test_id("version-restore").all():
        expect(control).to_be_disabled()
        expect(control).to_have_attribute("title", why)
    page.get_by_test_id("version-open").nth(1).click()
    expect(page.get_by_test_id("version-title")).to_have_text("Version 1")
    expect(page.get_by_test_id("version-head-restore")).to_be_disabled()
    page.get_by_test_id("version-head-compare").click()
    expect(page.get_by_test_id("diff-title")).to_have_text("Version 1 → Draft")
    expect(page.locator('[data-testid="diff-field"]').first).to_be_visible()

    # forced through the API from the viewer's own session, the server refuses each change
    forced = page.evaluate(
        """async (id) => {
            const csrf = document.cookie.split('; ').find(c => c.startsWith('csrftoken='))
                .split('=')[1];
            const send = (method, url, body) => fetch(url, {method, credentials: 'same-origin',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf},
                body: body ? JSON.stringify(body) : undefined}).then(r => r.status);
            return [
                await send('PATCH', `/api/workflows/${id}/settings/`, {revision: 3, name: 'x'}),
                await send('POST', `/api/workflows/${id}/versions/1/restore/`, {revision: 3}),
                await send('POST', `/api/workflows/${id}/publish/`, {description: 'x'}),
                await send('POST', `/api/workflows/${id}/duplicate/`, {name: 'x-copy'}),
                await send('DELETE', `/api/workflows/${id}/`),
                await send('GET', `/api/workflows/${id}/diff/?from=1&to=2`),
            ];
        }""",
        workflow["id"],
    )
    assert forced == [403, 403, 403, 403, 403, 200]
    stored = api.get(f"/workflows/{workflow['id']}/").json()
    assert stored["name"] == workflow["name"] and stored["revision"] == 3
    assert len(api.get(f"/workflows/{workflow['id']}/versions/").json()) == 2


FRAME = ["toolbar", "view-tabs", "versions-panel", "versions-head", "dock-panel"]


def panels(page: Page, ids: list[str]) -> dict[str, Rect]:
    return {name: rect(page, f'[data-testid="{name}"]') for name in ids}


def frame_ok(page: Page, ids: list[str], size: tuple[int, int]) -> dict[str, Rect]:
    """The named panels overlap nothing, are on screen and not squashed."""
    found = panels(page, ids)
    assert overlapping(found) == []
    screen = Rect(0, 0, *size)
    assert [n for n, r in found.items() if not screen.contains(r)] == []
    assert [n for n, r in found.items() if r.width < 40 or r.height < 20] == []
    return found


def graph_ok(page: Page, root: str) -> None:
    """Every state of the graph under ``root`` is inside its canvas, readable, not overlapped."""
    settle(page)
    canvas = rect(page, f"{root} [data-testid=graph-canvas]")
    states = state_rects(page, root)
    assert states
    assert overlapping_states(states) == []
    assert [p for p, r in states.items() if not canvas.contains(r)] == []
    assert unreadable(page, root) == {}


def test_config_and_versions_panels_do_not_overlap_at_1280x720(
    login: Login, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    size = (1280, 720)
    workflow = create_workflow(V1)
    publish(api, workflow["id"], "First cut")
    put_draft(api, workflow, V2)
    publish(api, workflow["id"], "A longer description of what changed in this version")
    put_draft(api, workflow, CALLBACK)  # a draft Express cannot run
    page = login("alice").new_page()
    page.set_viewport_size({"width": size[0], "height": size[1]})

    # Config: the form scrolls between the tabs and its footer; the Express refusal inside it
    open_view(page, workflow["id"], "config")
    page.get_by_test_id("settings-type-express").check()
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_test_id("settings-type-refusal")).to_be_visible()
    shoot(page, "operate-config-1280x720")
    frame_ok(page, ["toolbar", "view-tabs", "config-scroll", "config-footer", "dock-panel"], size)
    scroll = rect(page, '[data-testid="config-scroll"]')
    for inside in ("settings-type-refusal", "settings-type"):
        assert scroll.contains(rect(page, f'[data-testid="{inside}"]'))
    footer = rect(page, '[data-testid="config-footer"]')
    for inside in ("settings-save", "settings-discard", "settings-status"):
        assert footer.contains(rect(page, f'[data-testid="{inside}"]'))
    page.get_by_test_id("config-delete").scroll_into_view_if_needed()
    assert scroll.contains(rect(page, '[data-testid="config-delete"]'))
    page.get_by_test_id("config-delete").click()
    expect(page.get_by_test_id("delete-summary")).to_be_visible()
    shoot(page, "operate-delete-dialog-1280x720")
    assert Rect(0, 0, *size).contains(rect(page, '[data-testid="delete-dialog"]'))
    page.keyboard.press("Escape")

    # A version opened: list | graph | code, side by side
    open_view(page, workflow["id"], "versions/1")
    expect(page.get_by_test_id("version-title")).to_have_text("Version 1")
    graph_ok(page, '[data-testid="version-graph"]')
    shoot(page, "operate-version-1280x720")
    found = frame_ok(
        page,
        [*FRAME, "version-graph", "version-code"],
        size,
    )
    assert found["version-code"].width >= 280

    # Two versions compared: list | graph with its legend | changes
    open_view(page, workflow["id"], "compare/1/2")
    expect(page.get_by_test_id("diff-summary")).to_be_visible()
    graph_ok(page, '[data-testid="diff-view"]')
    shoot(page, "operate-diff-1280x720")
    found = frame_ok(
        page,
        [*FRAME, "diff-legend", "graph-canvas", "diff-side"],
        size,
    )
    assert found["diff-side"].width >= 280
    legend = rect(page, '[data-testid="diff-legend"]')
    assert all(
        not legend.overlaps(r) for r in state_rects(page, '[data-testid="diff-view"]').values()
    )
    side = rect(page, '[data-testid="diff-side"]')
    for entry in page.get_by_test_id("diff-state").all()[:3]:
        box = entry.bounding_box()
        assert box and side.contains(Rect.of(box))
