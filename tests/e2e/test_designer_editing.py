"""Edits you can trust: a syntax error blocks Save and Publish, Import shows and asks,
deleting a state joins its neighbours, and dialogs keep the keyboard focus."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.e2e.studio import code_json, node, node_paths, open_designer, select_node, type_code

# --sy-error and --sy-success in frontend/src/ui/ui.css
ERROR_COLOUR = "rgb(180, 35, 24)"
SUCCESS_COLOUR = "rgb(6, 118, 71)"

CHAIN = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass", "Next": "C"},
        "C": {"Type": "Pass", "Next": "D"},
        "D": {"Type": "Succeed"},
    },
}
TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Lambda::Function
  First:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: first-flow
      Definition:
        StartAt: One
        States:
          One: {Type: Pass, End: true}
  Second:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        QueryLanguage: JSONata
        StartAt: Left
        States:
          Left: {Type: Pass, Next: Right}
          Right: {Type: Succeed}
"""


def colour(locator: Locator) -> str:
    value: str = locator.evaluate("el => getComputedStyle(el).color")
    return value


def focus_inside(page: Page, testid: str) -> bool:
    inside: bool = page.evaluate(
        'id => document.querySelector(`[data-testid="${id}"]`).contains(document.activeElement)',
        testid,
    )
    return inside


def active_testid(page: Page) -> str | None:
    found: str | None = page.evaluate("() => document.activeElement?.dataset?.testid ?? null")
    return found


def test_save_and_publish_refuse_while_the_code_does_not_parse(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(CHAIN)
    open_designer(page, workflow["id"])
    broken = '{\n  "StartAt": "A"\n  "States": {}\n}\n'  # no comma after "A": line 3, column 3
    type_code(page, broken)
    page.keyboard.press("ControlOrMeta+s")  # at once, before the code view's pause

    status = page.get_by_test_id("toolbar-status")
    expect(status).to_contain_text(
        "Not saved: the code view has a syntax error at line 3, column 3"
    )
    assert colour(status) == ERROR_COLOUR
    expect(page.get_by_test_id("save-state")).not_to_contain_text("revision 2")
    problem = page.get_by_test_id("diagnostic-syntax")
    expect(problem).to_be_visible()
    expect(problem).to_contain_text("Line 3, column 3")
    expect(page.get_by_test_id("diagnostics-none")).to_have_count(0)
    expect(page.get_by_test_id("diagnostics-count")).to_have_text("1 error, 0 warnings")
    expect(page.get_by_test_id("code-parse-error")).to_contain_text("Line 3, column 3")
    expect(page.locator('[data-testid="code-editor"] .cm-lintRange-error')).to_have_count(1)

    page.get_by_test_id("toolbar-publish").click()
    page.get_by_test_id("publish-confirm").click()
    expect(status).to_contain_text("Not published: the code view has a syntax error")
    stored = api.get(f"/workflows/{workflow['id']}/").json()
    assert stored["revision"] == 1 and stored["definition"] == CHAIN
    assert api.get(f"/workflows/{workflow['id']}/versions/").json() == []

    # Once the text parses again, Save goes through.
    fixed = json.dumps({**CHAIN, "Comment": "fixed"}, indent=2)
    type_code(page, fixed)
    page.keyboard.press("ControlOrMeta+s")
    expect(status).to_have_text("Saved revision 2")
    assert colour(status) == SUCCESS_COLOUR
    expect(page.get_by_test_id("diagnostic-syntax")).to_have_count(0)
    assert api.get(f"/workflows/{workflow['id']}/").json()["definition"]["Comment"] == "fixed"


def test_import_shows_what_it_read_and_asks_before_replacing(
    page: Page, create_workflow: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    workflow = create_workflow(CHAIN)
    open_designer(page, workflow["id"])
    before = node_paths(page)
    status = page.get_by_test_id("toolbar-status")

    def choose(name: str, text: str) -> None:
        source = tmp_path / name
        source.write_text(text)
        with page.expect_file_chooser() as chooser:
            page.get_by_test_id("toolbar-import").click()
        chooser.value.set_files(source)

    # Neither ASL nor a template: a clear error in the error colour, nothing changes.
    for name, text, words in (
        ("foo.json", '{"foo": 1}', "is not an ASL definition"),
        ("notes.txt", "remember the milk\n", "must hold a JSON object"),
    ):
        choose(name, text)
        expect(status).to_contain_text(f"Cannot import {name}:")
        expect(status).to_contain_text(words)
        assert colour(status) == ERROR_COLOUR
        expect(page.get_by_test_id("import-dialog")).to_have_count(0)
        assert node_paths(page) == before
        expect(page.get_by_test_id("save-state")).to_have_text("saved · revision 1")

    # A SAM template with two state machines: the dialog tells what it holds.
    choose("template.yaml", TEMPLATE)
    dialog = page.get_by_test_id("import-dialog")
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("import-source")).to_have_text("CloudFormation/SAM template")
    expect(page.get_by_test_id("import-machine")).to_have_value("First")
    expect(page.get_by_test_id("import-states")).to_have_text("1 state")
    expect(page.get_by_test_id("import-query-language")).to_have_text("JSONPath")
    expect(page.get_by_test_id("import-problems")).to_have_text("None found")
    assert focus_inside(page, "import-dialog")
    page.get_by_test_id("import-machine").select_option("Second")
    expect(page.get_by_test_id("import-states")).to_have_text("2 states")
    expect(page.get_by_test_id("import-query-language")).to_have_text("JSONata")
    assert node_paths(page) == before  # still nothing replaced

    # Escape cancels: nothing changes, the focus goes back to Import.
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert node_paths(page) == before
    assert active_testid(page) == "toolbar-import"

    # Again, and replace: the chosen machine's states, in the success colour, one undo away.
    choose("template.yaml", TEMPLATE)
    page.get_by_test_id("import-machine").select_option("Second")
    expect(page.get_by_test_id("import-states")).to_have_text("2 states")
    page.get_by_test_id("import-confirm").click()
    expect(node(page, "/States/Left")).to_be_visible()
    assert node_paths(page) == ["/States/Left", "/States/Right"]
    expect(status).to_contain_text("Imported template.yaml (Second)")
    assert colour(status) == SUCCESS_COLOUR
    page.get_by_test_id("toolbar-undo").click()
    expect(node(page, "/States/B")).to_be_visible()
    assert node_paths(page) == before


def test_deleting_a_state_in_the_middle_joins_its_neighbours(
    page: Page, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(CHAIN)
    open_designer(page, workflow["id"])
    expect(page.get_by_test_id("diagnostics-count")).to_have_text("0 errors, 0 warnings")
    select_node(page, "/States/B")
    node(page, "/States/B").click()  # the canvas has the focus: Delete goes to the graph
    page.keyboard.press("Delete")
    expect(node(page, "/States/B")).to_have_count(0)
    assert node_paths(page) == ["/States/A", "/States/C", "/States/D"]
    definition = code_json(page)
    assert definition["States"]["A"] == {"Type": "Pass", "Next": "C"}
    assert definition["StartAt"] == "A"
    page.wait_for_timeout(800)  # the validator's pause, then its answer
    expect(page.get_by_test_id("diagnostics-count")).to_have_text("0 errors, 0 warnings")

    # Deleting the start state hands StartAt to its successor; deleting the end state ends C.
    node(page, "/States/A").click()
    page.keyboard.press("Delete")
    expect(node(page, "/States/A")).to_have_count(0)
    node(page, "/States/D").click()
    page.keyboard.press("Delete")
    expect(node(page, "/States/D")).to_have_count(0)
    assert code_json(page) == {"StartAt": "C", "States": {"C": {"Type": "Pass", "End": True}}}

    # Each deletion was one undo step.
    for _ in range(3):
        page.get_by_test_id("toolbar-undo").click()
    expect(node(page, "/States/B")).to_be_visible()
    assert code_json(page) == CHAIN


def test_dialogs_keep_the_focus(page: Page, create_workflow: Callable[..., dict[str, Any]]) -> None:
    workflow = create_workflow(CHAIN)
    open_designer(page, workflow["id"])
    for opener, dialog, first, count in (
        ("toolbar-run", "run-dialog", "run-input", 4),
        ("toolbar-publish", "publish-dialog", "publish-description", 3),
    ):
        page.get_by_test_id(opener).click()
        expect(page.get_by_test_id(dialog)).to_be_visible()
        assert active_testid(page) == first, dialog
        seen: list[str | None] = []
        for _ in range(count + 2):  # past the last control: back to the first
            page.keyboard.press("Tab")
            assert focus_inside(page, dialog), (dialog, seen)
            seen.append(active_testid(page))
        assert first in seen, (dialog, seen)
        page.keyboard.press("Shift+Tab")
        assert focus_inside(page, dialog)
        page.keyboard.press("Escape")
        expect(page.get_by_test_id(dialog)).to_have_count(0)
        assert active_testid(page) == opener
