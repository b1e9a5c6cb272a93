"""Building a workflow with a Choice, a Parallel and a Map by mouse and keyboard only."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.studio import (
    connect,
    drag_palette,
    edge_label,
    fit,
    lane,
    node,
    open_designer,
    select_node,
    wait_saved,
)

ITEMS = "/States/Map/ItemProcessor/States"
BRANCH = "/States/Parallel/Branches/0/States"
EXPECTED: dict[str, Any] = {
    "StartAt": "Start",
    "States": {
        "Start": {"Type": "Pass", "Next": "Choice"},
        "Choice": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.mode", "StringEquals": "fan-out", "Next": "Parallel"}],
            "Default": "Map",
        },
        "Parallel": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "Branch step",
                    "States": {
                        "Branch step": {"Type": "Pass", "Next": "Succeed"},
                        "Succeed": {"Type": "Succeed"},
                    },
                }
            ],
            "End": True,
        },
        "Map": {
            "Type": "Map",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Item step",
                "States": {
                    "Item step": {"Type": "Pass", "Next": "Wait"},
                    "Wait": {"Type": "Wait", "Seconds": 5, "End": True},
                },
            },
            "ItemsPath": "$",
            "End": True,
        },
    },
}
SEED = {"StartAt": "Start", "States": {"Start": {"Type": "Pass", "End": True}}}


def test_build_choice_parallel_map_by_mouse_and_keyboard(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(SEED)
    open_designer(page, workflow["id"])

    # Keyboard: select Start, Tab-free path into the palette search, filter, Enter inserts after it.
    select_node(page, "/States/Start")
    search = page.get_by_test_id("palette-search")
    search.click()
    search.fill("parallel")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_test_id("palette-item-parallel")).to_be_focused()
    page.keyboard.press("Enter")
    expect(node(page, "/States/Parallel")).to_be_visible()
    search.fill("")

    # Mouse: a Choice dropped on the Start -> Parallel transition.
    fit(page)
    drag_palette(page, "choice", edge_label(page, "/States/Start"))
    expect(node(page, "/States/Choice")).to_be_visible()

    # Mouse: a Map dropped on the empty canvas (top level, unconnected so far).
    fit(page)
    drag_palette(page, "map", page.locator(".react-flow__pane"), target_position={"x": 30, "y": 30})
    expect(node(page, "/States/Map")).to_be_visible()

    # Mouse: a Wait dropped on the transition inside the Map's lane.
    fit(page)
    drag_palette(page, "wait", edge_label(page, f"{ITEMS}/Item step", "end"))
    expect(node(page, f"{ITEMS}/Wait")).to_be_visible()

    # Mouse: a Succeed dropped in the Parallel's lane, then connected from the branch's step
    # by dragging from its out handle to the Succeed's in handle.
    fit(page)
    drag_palette(
        page,
        "succeed",
        lane(page, "/States/Parallel/Branches/0"),
        target_position={"x": 12, "y": 40},
    )
    expect(node(page, f"{BRANCH}/Succeed")).to_be_visible()
    fit(page)
    connect(page, f"{BRANCH}/Branch step", f"{BRANCH}/Succeed")
    expect(edge_label(page, f"{BRANCH}/Branch step")).to_have_attribute(
        "data-target-path", f"{BRANCH}/Succeed"
    )

    # A drop on a state drawn in a lane goes into that lane; Ctrl+Z takes it back.
    fit(page)
    drag_palette(page, "pass", node(page, f"{ITEMS}/Wait"))
    expect(node(page, f"{ITEMS}/Pass")).to_be_visible()
    page.keyboard.press("ControlOrMeta+z")
    expect(node(page, f"{ITEMS}/Pass")).to_have_count(0)

    # Inspector (mouse and keyboard): the Choice's rule and its Default.
    select_node(page, "/States/Choice")
    rule = "choice-0-rule"
    page.get_by_test_id(f"{rule}-operator").select_option("StringEquals")
    variable = page.get_by_test_id(f"{rule}-variable")
    variable.fill("$.mode")
    variable.press("Enter")
    value = page.get_by_test_id(f"{rule}-value")
    value.fill("fan-out")
    value.press("Enter")
    page.get_by_test_id("choice-0-next").select_option("Parallel")
    page.get_by_test_id("choice-default").select_option("Map")
    expect(page.get_by_test_id("diagnostics-none")).to_be_visible()

    # Save with the keyboard shortcut.
    page.get_by_test_id("designer-canvas").click(position={"x": 5, "y": 5})
    page.keyboard.press("ControlOrMeta+s")
    wait_saved(page, 2)

    saved = api.get(f"/workflows/{workflow['id']}/").json()
    assert saved["revision"] == 2
    assert saved["definition"] == EXPECTED, json.dumps(saved["definition"], indent=1)
    assert saved["diagnostics"] == []
    types = page.eval_on_selector_all(
        '[data-testid="state-node"]',
        "els => els.map(e => [e.dataset.statePath, e.dataset.stateType])",
    )
    assert dict(types) == {
        "/States/Start": "Pass",
        "/States/Choice": "Choice",
        "/States/Parallel": "Parallel",
        f"{BRANCH}/Branch step": "Pass",
        f"{BRANCH}/Succeed": "Succeed",
        "/States/Map": "Map",
        f"{ITEMS}/Item step": "Pass",
        f"{ITEMS}/Wait": "Wait",
    }
    checked = api.post(f"/workflows/{workflow['id']}/validate/", json={}).json()
    assert checked == {"valid": True, "diagnostics": []}
