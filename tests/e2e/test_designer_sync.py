"""The inspector, the code view, the graph and the problems list stay in step."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.studio import (
    code_json,
    node,
    node_paths,
    open_designer,
    select_node,
    selection_covers,
    show_code,
    type_code,
)

TWO = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Next": "Nap"},
        "Nap": {"Type": "Wait", "Seconds": 5, "Next": "B"},
        "B": {"Type": "Succeed"},
    },
}


def test_inspector_and_code_view_follow_each_other(
    page: Page, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(TWO)
    open_designer(page, workflow["id"])
    show_code(page)

    # Inspector -> code view.
    select_node(page, "/States/Nap")
    seconds = page.get_by_test_id("wait-value")
    seconds.fill("12")
    seconds.press("Enter")
    select_node(page, "/States/A")
    comment = page.get_by_test_id("inspector-comment")
    comment.fill("typed in the inspector")
    comment.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=code-editor] .cm-content')"
        ".innerText.includes('typed in the inspector')"
    )
    shown = code_json(page)
    assert shown["States"]["A"]["Comment"] == "typed in the inspector"
    assert shown["States"]["Nap"]["Seconds"] == 12

    # Code view -> inspector and graph: rename B to Done, change A's comment and Nap's seconds.
    edited = json.loads(json.dumps(TWO))
    edited["States"]["A"]["Comment"] = "typed in the code"
    edited["States"]["Nap"] = {"Type": "Wait", "Seconds": 3, "Next": "Done"}
    edited["States"]["Done"] = edited["States"].pop("B")
    type_code(page, json.dumps(edited, indent=2))
    expect(node(page, "/States/Done")).to_be_visible()
    expect(node(page, "/States/B")).to_have_count(0)
    expect(page.get_by_test_id("code-status")).to_have_text("In sync")
    expect(page.get_by_test_id("inspector-comment")).to_have_value("typed in the code")
    assert node_paths(page) == ["/States/A", "/States/Done", "/States/Nap"]
    select_node(page, "/States/Nap")
    expect(page.get_by_test_id("wait-value")).to_have_value("3")
    expect(page.get_by_test_id("inspector-next")).to_have_value("Done")
    expect(page.get_by_test_id("save-state")).to_have_text("unsaved changes")


def test_invalid_next_is_reported_where_it_is(
    page: Page, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(TWO)
    open_designer(page, workflow["id"])
    show_code(page)
    expect(page.get_by_test_id("diagnostics-none")).to_be_visible()

    broken = json.loads(json.dumps(TWO))
    broken["States"]["Nap"]["Next"] = "Nowhere"
    type_code(page, json.dumps(broken, indent=2))

    # Two problems: the Next pointing nowhere, and B that nothing reaches any more.
    expect(page.get_by_test_id("diagnostics-count")).to_have_text("2 errors, 0 warnings")
    problems = page.locator('[data-testid^="diagnostic-"]')
    problem = problems.filter(has_text="/States/Nap/Next")
    expect(problem).to_contain_text("Nowhere")
    expect(problems.filter(has_text="UNREACHABLE_STATE")).to_contain_text("/States/B")
    # the problem is on the state in the graph and underlined in the editor, at the Next value
    expect(node(page, "/States/Nap").get_by_test_id("state-problems")).to_have_text("1")
    underline = page.locator('[data-testid="code-editor"] .cm-lintRange-error')
    expect(underline.filter(has_text="Nowhere")).to_have_count(1)
    line = page.locator('[data-testid="code-editor"] .cm-line').filter(
        has=page.locator(".cm-lintRange-error", has_text="Nowhere")
    )
    expect(line).to_contain_text('"Next": "Nowhere"')

    # Clicking the problem selects the state (inspector, graph) and reveals it in the code.
    page.get_by_test_id("workflow-graph").locator(".react-flow__pane").click(
        position={"x": 5, "y": 5}
    )
    expect(page.get_by_test_id("inspector-empty")).to_be_visible()
    problem.click()
    expect(page.get_by_test_id("inspector-state-picker")).to_have_value("/States/Nap")
    expect(page.get_by_test_id("inspector-type")).to_have_text("Wait")
    expect(node(page, "/States/Nap")).to_have_class(re.compile(r"\bsy-selected\b"))
    nowhere = underline.filter(has_text="Nowhere")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=code-editor] .cm-selectionBackground')"
    )
    assert selection_covers(page, nowhere)
