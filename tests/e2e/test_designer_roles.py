"""Roles shape the designer: a Viewer's page is read-only throughout and cannot run, a
Runner runs but does not edit; disabled controls look disabled and say why on hover."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import Login
from tests.e2e.studio import (
    code_text,
    drag_palette,
    node,
    node_paths,
    open_designer,
    select_node,
    show_code,
)

CHAIN = {
    "StartAt": "A",
    "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}},
}
CHOICE = {
    "StartAt": "Pick",
    "States": {
        "Pick": {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.a", "NumericEquals": 1, "Next": "One"},
                {"Variable": "$.a", "NumericEquals": 2, "Next": "Two"},
            ],
            "Default": "Two",
        },
        "One": {"Type": "Succeed"},
        "Two": {"Type": "Succeed"},
    },
}
EDIT_CONTROLS = ("toolbar-save", "toolbar-publish", "toolbar-import", "toolbar-direction")


def looks_disabled(control: Locator, reason: str) -> None:
    expect(control).to_be_disabled()
    expect(control).to_have_attribute("title", reason)
    assert control.evaluate("el => getComputedStyle(el).cursor") == "not-allowed"
    assert float(control.evaluate("el => getComputedStyle(el).opacity")) < 1


def cannot_edit(page: Page, reason: str) -> None:
    """Every way to change the workflow is off: toolbar, inspector, settings, code, palette,
    canvas."""
    show_code(page)  # the code view starts closed
    for testid in EDIT_CONTROLS:
        looks_disabled(page.get_by_test_id(testid), reason)
    settings = page.get_by_test_id("machine-settings-fieldset")
    expect(settings).to_have_attribute("disabled", "")
    expect(settings).to_have_attribute("title", reason)
    expect(page.get_by_test_id("machine-comment")).to_be_disabled()
    expect(page.get_by_test_id("code-editor")).to_have_attribute("title", reason)
    expect(page.locator('[data-testid="code-editor"] .cm-content')).to_have_attribute(
        "contenteditable", "false"
    )
    item = page.get_by_test_id("palette-item-pass")
    expect(item).to_have_attribute("aria-disabled", "true")
    expect(item).to_have_attribute("title", reason)
    assert item.evaluate("el => getComputedStyle(el).cursor") == "not-allowed"

    before = code_text(page)
    select_node(page, "/States/A")
    fields = page.get_by_test_id("inspector-fieldset")
    expect(fields).to_have_attribute("disabled", "")
    expect(fields).to_have_attribute("title", reason)
    expect(page.get_by_test_id("inspector-name")).to_be_disabled()
    # Canvas: Delete, typing in the code and a palette drop change nothing.
    node(page, "/States/A").click()
    page.keyboard.press("Delete")
    page.locator('[data-testid="code-editor"] .cm-content').click()
    page.keyboard.type("x")
    drag_palette(page, "wait", node(page, "/States/B"))
    page.wait_for_timeout(300)
    assert node_paths(page) == ["/States/A", "/States/B"]
    assert code_text(page) == before
    expect(page.get_by_test_id("save-state")).to_have_text("saved · revision 1")
    wrapper = page.locator('.react-flow__node[data-id="/States/A"]')
    expect(wrapper).not_to_have_class(re.compile(r"\bdraggable\b"))
    expect(wrapper.locator(".react-flow__handle.connectable")).to_have_count(0)


def choice_rules_look_disabled(
    page: Page, create_workflow: Callable[..., dict[str, Any]], reason: str
) -> None:
    """A Choice rule's Remove and move-up buttons look disabled and say why on hover."""
    open_designer(page, create_workflow(CHOICE)["id"])
    select_node(page, "/States/Pick")
    for testid in ("choice-0-rule-remove", "choice-1-rule-remove", "choice-0-up", "choice-1-up"):
        looks_disabled(page.get_by_test_id(testid), reason)


def test_a_viewer_can_only_look(
    login: Login, team_members: dict[str, str], create_workflow: Callable[..., dict[str, Any]]
) -> None:
    assert team_members["vera"] == "viewer"
    workflow = create_workflow(CHAIN)
    page = login("vera").new_page()
    open_designer(page, workflow["id"])
    cannot_edit(page, "Viewers cannot edit this workflow.")
    looks_disabled(page.get_by_test_id("toolbar-run"), "Viewers cannot run this workflow.")
    looks_disabled(page.get_by_test_id("preview-run"), "Viewers cannot run this workflow.")
    # A disabled button keeps its look on hover: its label stays, its fill does not go pale.
    run = page.get_by_test_id("toolbar-run")
    look = "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color, e.textContent]"
    before = run.evaluate(look)
    run.hover(force=True)
    page.wait_for_timeout(100)
    assert run.evaluate(look) == before
    assert before[0] != before[1] and "Run" in before[2]
    # Direction is the workflow's layout: no toolbar or canvas control changes it for a viewer.
    expect(page.get_by_test_id("toolbar-direction")).to_be_disabled()
    expect(page.get_by_test_id("direction-lr")).to_have_count(0)
    # the favicon is shipped (no 404 in the console)
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert icon and page.request.get(icon).status == 200
    # Looking around still works: export and the code view's JSON/YAML switch.
    expect(page.get_by_test_id("toolbar-export")).to_be_enabled()
    page.get_by_test_id("code-mode-yaml").click()
    expect(page.locator('[data-testid="code-editor"] .cm-content')).to_contain_text("StartAt: A")
    choice_rules_look_disabled(page, create_workflow, "Viewers cannot edit this workflow.")


def test_a_runner_can_run_but_not_edit(
    login: Login, team_members: dict[str, str], create_workflow: Callable[..., dict[str, Any]]
) -> None:
    assert team_members["rudy"] == "runner"
    workflow = create_workflow(CHAIN)
    page = login("rudy").new_page()
    open_designer(page, workflow["id"])
    cannot_edit(page, "Runners cannot edit this workflow (they can run it).")
    run = page.get_by_test_id("toolbar-run")
    expect(run).to_be_enabled()
    expect(page.get_by_test_id("preview-run")).to_be_enabled()
    run.click()
    expect(page.get_by_test_id("run-dialog")).to_be_visible()
    page.get_by_test_id("run-start").click()
    page.wait_for_url(re.compile(r"/executions/[0-9a-f-]{36}/$"))
    expect(page.get_by_test_id("execution-status")).to_have_attribute(
        "data-status", "SUCCEEDED", timeout=15_000
    )
    choice_rules_look_disabled(
        page, create_workflow, "Runners cannot edit this workflow (they can run it)."
    )
