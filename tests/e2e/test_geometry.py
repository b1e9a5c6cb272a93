"""What a person sees in the studio at 1280x720, 1440x900 and 1920x1080.

Geometry from the browser's boxes, not just the DOM: the designer fits a 9-state
workflow (a Choice, a Parallel with two branches, a Map) readably inside its
canvas, no panel overlaps another (with the code view closed, as it opens, and
opened), the minimap shows only for a graph that does not fit and never covers a
state, edges go around containers in both directions, icons and the font are the
shipped ones, and Tab/Enter reach states. The execution view draws the whole
graph in its panel with every run status told apart (colour, border and icon)
and a legend. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Login
from tests.e2e.geometry import (
    MIN_LABEL_PX,
    Rect,
    edge_crossings,
    label_sizes,
    overlapping,
    overlapping_states,
    pan_by,
    rect,
    settle,
    shoot,
    state_rects,
    unreadable,
    visible_part,
)
from tests.e2e.studio import open_designer, type_code

SIZES = [
    pytest.param((1280, 720), id="1280x720"),
    pytest.param((1440, 900), id="1440x900"),
    pytest.param((1920, 1080), id="1920x1080"),
]

# 9 states: a Choice whose rule and default skip past a Parallel (2 branches) and a Map.
GEOMETRY: dict[str, Any] = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {"Type": "Pass", "Next": "Route"},
        "Route": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.mode", "StringEquals": "fan", "Next": "Fan out"}],
            "Default": "Each item",
        },
        "Fan out": {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": "Boom",
                    "States": {"Boom": {"Type": "Fail", "Error": "Order.Rejected", "Cause": "x"}},
                },
                {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 30, "End": True}}},
            ],
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Hold"}],
            "Next": "Each item",
        },
        "Hold": {"Type": "Wait", "Seconds": 3600, "Next": "Each item"},
        "Each item": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Work",
                "States": {"Work": {"Type": "Pass", "End": True}},
            },
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}
PATHS = {
    "/States/Prepare",
    "/States/Route",
    "/States/Fan out",
    "/States/Fan out/Branches/0/States/Boom",
    "/States/Fan out/Branches/1/States/Nap",
    "/States/Hold",
    "/States/Each item",
    "/States/Each item/ItemProcessor/States/Work",
    "/States/Done",
}
CHAIN: dict[str, Any] = {
    "StartAt": "Step 1",
    "States": {
        **{f"Step {i}": {"Type": "Pass", "Next": f"Step {i + 1}"} for i in range(1, 30)},
        "Step 30": {"Type": "Succeed"},
    },
}
MIN_BOX = (60, 20)
CANVAS = '[data-testid="designer-canvas"] .react-flow'
MINIMAP = '[data-testid="minimap-strip"] .react-flow__minimap'


def sized_page(login: Login, size: tuple[int, int]) -> Page:
    page: Page = login("alice").new_page()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    return page


def too_small(states: dict[str, Rect]) -> dict[str, tuple[float, float]]:
    return {
        p: (round(r.width), round(r.height))
        for p, r in states.items()
        if r.width < MIN_BOX[0] or r.height < MIN_BOX[1]
    }


def outside(states: dict[str, Rect], canvas: Rect) -> list[str]:
    return sorted(p for p, r in states.items() if not canvas.contains(r))


def check_fit_or_pan(page: Page, root: str, canvas_selector: str, start: str) -> None:
    """The view's contract: every state's label is readable (>= MIN_LABEL_PX on screen);
    a graph that fits (data-fit="whole") is entirely inside the canvas; one that does not
    (data-fit="pan") shows its start state whole and the rest is reached by panning."""
    canvas = rect(page, canvas_selector)
    states = state_rects(page, root)
    assert unreadable(page, root) == {}
    assert len(label_sizes(page, root)) == len(states) > 0
    assert canvas.contains(states[start]), "the flow's first state is in view"
    fit = page.locator(f"{root} [data-testid=workflow-graph]").get_attribute("data-fit")
    if fit == "whole":
        assert outside(states, canvas) == []
        return
    assert fit == "pan"
    hidden = set(outside(states, canvas))
    # Panning brings the rest in: drag along the flow until every state has been seen whole.
    vertical = (
        page.locator(f"{root} [data-testid=workflow-graph]").get_attribute("data-direction") != "LR"
    )
    for _ in range(10):
        if not hidden:
            break
        step = -canvas.height / 2 if vertical else -canvas.width / 2
        pan_by(page, canvas, 0 if vertical else step, step if vertical else 0)
        states = state_rects(page, root)
        hidden -= {p for p, r in states.items() if canvas.contains(r)}
        assert unreadable(page, root) == {}
    assert hidden == set(), f"not reachable by panning: {sorted(hidden)}"


def designer_panels(page: Page) -> dict[str, Rect]:
    ids = ["toolbar", "palette-panel", "designer-canvas", "inspector-panel"]
    # Problems and Executions share a dock that a short window starts folded (its title bar shows)
    if page.get_by_test_id("dock-panel").get_attribute("data-open") == "true":
        ids += ["diagnostics-panel", "workflow-executions"]
    else:
        ids.append("dock-panel")
    if page.get_by_test_id("code-panel").count():
        ids.append("code-panel")
    return {name: rect(page, f'[data-testid="{name}"]') for name in ids}


def check_frame(page: Page, size: tuple[int, int]) -> None:
    """No panel overlaps another; each is on screen and not squashed to nothing."""
    panels = designer_panels(page)
    assert overlapping(panels) == []
    screen = Rect(0, 0, *size)
    assert [n for n, r in panels.items() if not screen.contains(r)] == []
    # open panels are not squashed to nothing; a folded side panel is a rail with its unfold button
    rails = {
        n
        for n in panels
        if page.get_by_test_id(n).get_attribute("data-open") == "false" and n != "dock-panel"
    }
    assert [
        n for n, r in panels.items() if n not in rails and (r.width < 40 or r.height < 24)
    ] == []
    assert [n for n in rails if panels[n].width < 24 or panels[n].height < 200] == []
    for name in rails:
        expect(page.get_by_test_id(name).get_by_role("button").first).to_be_visible()


def check_icons_and_font(page: Page) -> None:
    """Every state's icon is a drawn SVG (not an empty glyph box); labels use the bundled Inter."""
    icons = page.eval_on_selector_all(
        '[data-testid="state-node"]',
        """els => els.map(e => {
            const svg = e.querySelector('[data-testid="state-icon"] svg');
            const box = svg ? svg.getBBox() : null;
            const shown = svg ? svg.getBoundingClientRect() : null;
            const shapes = svg ? svg.querySelectorAll('path, circle, rect, line, polyline') : [];
            return {type: e.dataset.stateType, drawn: shapes.length,
                    bbox: box ? box.width * box.height : 0,
                    screen: shown ? shown.width * shown.height : 0};
        })""",
    )
    types = {"Pass", "Choice", "Parallel", "Fail", "Wait", "Map", "Succeed"}
    assert {i["type"] for i in icons} == types
    assert [i for i in icons if not (i["drawn"] > 0 and i["bbox"] > 20 and i["screen"] > 50)] == []
    fonts = page.evaluate(
        """async () => {
            await document.fonts.ready;
            const label = document.querySelector('[data-testid="state-node"] .sy-label');
            const family = getComputedStyle(label).fontFamily;
            const faces = [...document.fonts]
                .filter(f => f.family.replace(/["']/g, '') === 'Inter' && f.status === 'loaded');
            return {family, loaded: faces.map(f => f.weight)};
        }"""
    )
    assert fonts["family"].split(",")[0].strip().strip("\"'") == "Inter"
    assert fonts["loaded"], "the bundled Inter font is loaded (not a system font)"


def minimap_clear(page: Page) -> Rect | None:
    """The minimap's box if shown; asserts it covers no visible part of a state."""
    if page.locator(MINIMAP).count() == 0:
        return None
    minimap = rect(page, MINIMAP)
    canvas = rect(page, CANVAS)
    covered = [
        path
        for path, box in state_rects(page).items()
        if (seen := visible_part(box, canvas)) is not None and seen.overlaps(minimap)
    ]
    assert covered == [], f"the minimap covers {covered}"
    return minimap


@pytest.mark.parametrize("size", SIZES)
def test_designer_fits_readable_states_and_no_panel_overlaps(
    size: tuple[int, int], login: Login, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(GEOMETRY)
    page = sized_page(login, size)
    label = f"{size[0]}x{size[1]}"
    open_designer(page, workflow["id"])
    settle(page)
    shoot(page, f"designer-{label}")

    # As the page opens: the code view is closed, every state is on the canvas and readable.
    expect(page.get_by_test_id("code-panel")).to_have_count(0)
    canvas = rect(page, CANVAS)
    states = state_rects(page)
    assert set(states) == PATHS
    assert too_small(states) == {}
    assert overlapping_states(states) == []
    assert unreadable(page) == {}, f"labels under {MIN_LABEL_PX} px on screen"
    check_frame(page, size)
    check_icons_and_font(page)
    # Edges go around the Parallel and the Map, not through them.
    routes = edge_crossings(page)
    assert routes["containers"] == 2 and routes["sampled"] > 100
    assert routes["crossings"] == []
    fit = page.get_by_test_id("workflow-graph").get_attribute("data-fit")
    if size[0] >= 1440:
        # a large window fits the whole graph readably, so no minimap
        assert fit == "whole"
        assert outside(states, canvas) == []
        expect(page.locator(MINIMAP)).to_have_count(0)
    else:
        # a small window: readable first; the whole graph if it fits, else its start and a pan
        assert minimap_clear(page) is not None or fit == "whole"
        check_fit_or_pan(page, "body", CANVAS, "/States/Prepare")
        page.reload()  # the view is the user's after a pan: a fresh page fits it again
        settle(page)

    # The code view opened: it takes its room beside the canvas, overlapping nothing.
    page.get_by_test_id("toolbar-code").click()
    expect(page.get_by_test_id("code-panel")).to_be_visible()
    settle(page)
    shoot(page, f"designer-{label}-code")
    check_frame(page, size)
    assert rect(page, '[data-testid="code-panel"]').width >= 280
    states = state_rects(page)
    assert too_small(states) == {}
    assert unreadable(page) == {}
    minimap_clear(page)

    # Closed again: the canvas fits again (the whole graph, or its start when it pans).
    page.get_by_test_id("toolbar-code").click()
    expect(page.get_by_test_id("code-panel")).to_have_count(0)
    settle(page)
    check_fit_or_pan(page, "body", CANVAS, "/States/Prepare")

    # The problems dock (folded in a short window) opened: Problems and Executions overlap nothing.
    dock = page.get_by_test_id("dock-panel")
    if dock.get_attribute("data-open") != "true":
        page.get_by_test_id("dock-panel-toggle").click()
        expect(dock).to_have_attribute("data-open", "true")
        settle(page)
        shoot(page, f"designer-{label}-dock")
        check_frame(page, size)
        assert too_small(state_rects(page)) == {}
        minimap_clear(page)
        page.get_by_test_id("dock-panel-toggle").click()
        settle(page)

    # Left to right: fitted again (from the start if it does not fit), readable, routed around.
    page.get_by_test_id("direction-lr").click()
    expect(page.get_by_test_id("workflow-graph")).to_have_attribute("data-direction", "LR")
    settle(page)
    shoot(page, f"designer-{label}-lr")
    states = state_rects(page)
    assert too_small(states) == {}
    assert overlapping_states(states) == []
    minimap_clear(page)
    assert edge_crossings(page)["crossings"] == []
    check_fit_or_pan(page, "body", CANVAS, "/States/Prepare")


def test_a_long_status_message_keeps_the_toolbar_on_one_row(
    login: Login, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(GEOMETRY)
    page = sized_page(login, (1280, 720))
    open_designer(page, workflow["id"])
    settle(page)
    toolbar = rect(page, '[data-testid="toolbar"]')
    canvas = rect(page, CANVAS)
    expect(page.get_by_test_id("save-state")).to_contain_text("saved · revision")
    page.get_by_test_id("toolbar-code").click()
    type_code(page, "{ ,")
    # the code view's text differs from the saved definition (it does not even parse)
    expect(page.get_by_test_id("save-state")).to_have_text("unsaved changes")
    page.get_by_test_id("toolbar-save").click()
    status = page.get_by_test_id("toolbar-status")
    expect(status).to_contain_text("Not saved: the code view has a syntax error")
    shoot(page, "designer-1280x720-long-status")
    # one row: the toolbar and the canvas below it do not move; the full text is on hover
    assert rect(page, '[data-testid="toolbar"]').height == toolbar.height
    assert rect(page, CANVAS).y == canvas.y
    assert status.get_attribute("title") == status.text_content()
    assert rect(page, '[data-testid="toolbar"]').contains(
        rect(page, '[data-testid="toolbar-status"]')
    )


@pytest.mark.parametrize("size", SIZES)
def test_long_chain_pans_readably_with_a_minimap_beside_it(
    size: tuple[int, int], login: Login, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(CHAIN)
    page = sized_page(login, size)
    open_designer(page, workflow["id"])
    settle(page)
    shoot(page, f"designer-chain-{size[0]}x{size[1]}")
    graph = page.get_by_test_id("workflow-graph")
    expect(graph).to_have_attribute("data-fit", "pan")
    canvas = rect(page, CANVAS)
    states = state_rects(page)
    seen = {p: b for p, b in states.items() if visible_part(b, canvas) is not None}
    # too long to fit readably: it starts at the top at a readable size, the rest is a pan away
    assert canvas.contains(states["/States/Step 1"])
    assert too_small(states) == {}
    assert unreadable(page) == {}
    assert len(seen) < len(states)
    minimap = minimap_clear(page)
    assert minimap is not None, "a graph that does not fit shows the minimap"
    check_frame(page, size)
    # the minimap can be hidden (and stays hidden)
    page.get_by_test_id("minimap-toggle").click()
    expect(page.locator(MINIMAP)).to_have_count(0)
    page.reload()
    settle(page)
    expect(page.locator(MINIMAP)).to_have_count(0)
    expect(page.get_by_test_id("minimap-toggle")).to_have_attribute("aria-pressed", "false")


def test_an_import_fits_the_new_workflow_in_view(
    login: Login, create_workflow: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    workflow = create_workflow(CHAIN)
    page = sized_page(login, (1280, 720))
    open_designer(page, workflow["id"])
    settle(page)
    # the user zooms in with the wheel: the view is theirs now (a resize alone would not refit it)
    canvas = rect(page, CANVAS)
    page.mouse.move(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2)
    for _ in range(4):
        page.mouse.wheel(0, -200)
    page.wait_for_function(
        "() => parseFloat(getComputedStyle(document.querySelector('.react-flow__viewport'))"
        ".transform.split(',')[3]) > 0.9"
    )
    source = tmp_path / "geometry.asl.json"
    source.write_text(json.dumps(GEOMETRY))
    with page.expect_file_chooser() as chooser:
        page.get_by_test_id("toolbar-import").click()
    chooser.value.set_files(source)
    page.get_by_test_id("import-confirm").click()
    expect(page.get_by_test_id("state-node")).to_have_count(len(PATHS))
    settle(page)
    shoot(page, "designer-imported-1280x720")
    states = state_rects(page)
    assert set(states) == PATHS
    assert outside(states, rect(page, CANVAS)) == []
    assert too_small(states) == {}


def test_code_view_closed_by_default_resizable_and_remembered(
    login: Login, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(GEOMETRY)
    page = sized_page(login, (1440, 900))
    open_designer(page, workflow["id"])
    settle(page)
    expect(page.get_by_test_id("code-panel")).to_have_count(0)
    page.get_by_test_id("toolbar-code").click()
    panel = page.get_by_test_id("code-panel")
    expect(panel).to_be_visible()
    before = rect(page, '[data-testid="code-panel"]').width
    splitter = page.get_by_test_id("code-splitter")
    splitter.focus()
    for _ in range(4):
        page.keyboard.press("ArrowLeft")  # the code view is on the splitter's right: it grows
    page.wait_for_function(
        "least => document.querySelector('[data-testid=code-panel]')"
        ".getBoundingClientRect().width >= least",
        arg=before + 60,
    )
    # by pointer too: drag the splitter 80 px to the right, the code view narrows
    box = rect(page, '[data-testid="code-splitter"]')
    grown = rect(page, '[data-testid="code-panel"]').width
    page.mouse.move(box.x + box.width / 2, box.y + 100)
    page.mouse.down()
    page.mouse.move(box.x + box.width / 2 + 80, box.y + 100, steps=5)
    page.mouse.up()
    width = rect(page, '[data-testid="code-panel"]').width
    assert abs(width - (grown - 80)) <= 2

    page.reload()
    settle(page)
    expect(page.get_by_test_id("code-panel")).to_be_visible()
    assert abs(rect(page, '[data-testid="code-panel"]').width - width) <= 2
    page.get_by_test_id("toolbar-code").click()
    page.reload()
    settle(page)
    expect(page.get_by_test_id("code-panel")).to_have_count(0)


FOCUSED_STATE = (
    "() => document.activeElement.querySelector(':scope > [data-testid=state-node]')"
    "?.dataset.statePath || ''"
)


def tab_back_to_a_state(page: Page) -> str:
    """Shift+Tab until a state node has the focus (markers and edges come in between)."""
    for _ in range(12):
        page.keyboard.press("Shift+Tab")
        path: str = page.evaluate(FOCUSED_STATE)
        if path:
            return path
    return ""


def test_tab_shows_a_focus_ring_and_enter_or_space_selects(
    login: Login, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(GEOMETRY)
    page = sized_page(login, (1440, 900))
    open_designer(page, workflow["id"])
    settle(page)
    # from the canvas controls, Shift+Tab walks back into the nodes
    page.locator(".react-flow__controls-zoomin").focus()
    focused = tab_back_to_a_state(page)
    assert focused, "Tab reaches a state"
    ring = page.evaluate(
        """() => {
            const s = getComputedStyle(
                document.activeElement.querySelector(':scope > [data-testid=state-node]'));
            return {style: s.outlineStyle, width: parseFloat(s.outlineWidth)};
        }"""
    )
    assert ring["style"] != "none" and ring["width"] >= 2, ring
    shoot(page, "designer-focus-ring")
    expect(page.get_by_test_id("inspector-empty")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("inspector-state-picker")).to_have_value(focused)

    # Space on the previous state selects that one
    other = tab_back_to_a_state(page)
    assert other and other != focused
    page.keyboard.press(" ")
    expect(page.get_by_test_id("inspector-state-picker")).to_have_value(other)

    # Forward from the palette's search: edges and markers are not Tab stops, a state is near
    # (the palette's list, the canvas's direction and minimap tools, then the states).
    page.get_by_test_id("palette-search").focus()
    presses = 0
    while presses < 8 and not page.evaluate(FOCUSED_STATE):
        page.keyboard.press("Tab")
        presses += 1
    assert page.evaluate(FOCUSED_STATE), "Tab from the palette reaches a state within 8 presses"
    stops = page.evaluate(
        "() => document.querySelectorAll("
        '\'.react-flow__edge[tabindex="0"], .react-flow__node-marker[tabindex="0"]\').length'
    )
    assert stops == 0 and presses <= 8


# ---- the execution view ----

RUN_STATUSES = ["succeeded", "running", "failed", "caught", "cancelled", "notrun"]


def start(api: httpx.Client, workflow_id: str, data: dict[str, Any]) -> str:
    response = api.post(f"/workflows/{workflow_id}/executions/", json={"input": data})
    assert response.status_code in (200, 201), response.text
    return str(response.json()["id"])


def wait_status(api: httpx.Client, execution_id: str, wanted: str) -> None:
    deadline = time.monotonic() + 20
    while api.get(f"/executions/{execution_id}/").json()["status"] != wanted:
        assert time.monotonic() < deadline, f"{execution_id} never became {wanted}"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def runs(studio_server: Any) -> Iterator[dict[str, str]]:
    """A workflow and two executions: one finished, one waiting (1 h) after a caught failure."""
    with studio_server.api("alice") as api:
        response = api.post(
            "/teams/acme/workflows/", json={"name": "geometry-runs", "definition": GEOMETRY}
        )
        assert response.status_code == 201, response.text
        workflow_id = response.json()["id"]
        finished = start(api, workflow_id, {"mode": "each", "items": [1, 2]})
        waiting = start(api, workflow_id, {"mode": "fan", "items": [1, 2]})
        wait_status(api, finished, "SUCCEEDED")
        yield {"finished": finished, "waiting": waiting, "workflow": workflow_id}
        api.post(f"/executions/{waiting}/stop/", json={})


def run_looks(page: Page) -> dict[str, dict[str, Any]]:
    """Per state: its status class and how it is drawn (fill, border, status icon)."""
    looks: dict[str, dict[str, Any]] = {}
    found = page.eval_on_selector_all(
        '[data-testid="state-node"]',
        """els => els.map(e => {
            const status = [...e.classList].find(c => c.startsWith('sy-status-'))?.slice(10) || '';
            const drawn = e.classList.contains('sy-choice') ? e.querySelector('.sy-diamond') : e;
            const s = getComputedStyle(drawn);
            const icon = e.querySelector(
                ':scope > [data-testid=status-icon], :scope > div > [data-testid=status-icon]');
            const svg = icon?.querySelector('svg');
            const r = svg ? svg.getBoundingClientRect() : null;
            return {path: e.dataset.statePath, status, fill: s.backgroundColor,
                    border: `${s.borderTopStyle} ${s.borderTopColor}`,
                    icon: icon?.dataset.icon || '', iconArea: r ? r.width * r.height : 0};
        })""",
    )
    for item in found:
        looks[item["path"]] = item
    return looks


def check_execution_page(page: Page, name: str, statuses: set[str]) -> None:
    graph = page.get_by_test_id("execution-graph")
    expect(graph).to_be_visible()
    settle(page)
    shoot(page, name)
    panel = rect(page, '[data-testid="execution-graph"]')
    canvas = rect(page, '[data-testid="execution-graph"] .react-flow')
    viewport = page.viewport_size
    assert viewport is not None
    assert Rect(0, 0, viewport["width"], viewport["height"]).contains(panel)
    # the canvas fills its panel (the blank Graph tab had a 0 px tall canvas)
    # (a graph that pans shows the minimap in its own strip beside the canvas)
    strip = page.locator('[data-testid="execution-graph"] [data-testid="minimap-strip"]')
    beside = (
        rect(page, '[data-testid="execution-graph"] [data-testid="minimap-strip"]').width
        if (strip.count())
        else 0.0
    )
    assert canvas.height >= 0.6 * panel.height
    assert canvas.width + beside >= 0.95 * panel.width - 14
    assert canvas.height >= 200
    states = state_rects(page, '[data-testid="execution-graph"]')
    assert set(states) == PATHS
    assert too_small(states) == {}
    assert overlapping_states(states) == []
    legend = rect(page, '[data-testid="graph-legend"]')
    assert panel.contains(legend) and not legend.overlaps(canvas)
    swatches: dict[str, tuple[str, str]] = {}
    for status in RUN_STATUSES:
        entry = page.get_by_test_id(f"legend-{status}")
        expect(entry).to_be_visible()
        assert entry.locator("svg").count() == 1
        swatches[status] = entry.locator(".sy-swatch").evaluate(
            "e => [getComputedStyle(e).backgroundColor,"
            " `${getComputedStyle(e).borderTopStyle} ${getComputedStyle(e).borderTopColor}`]"
        )
    # every status (cancelled too) has its own fill and border in the legend
    assert len(set(map(tuple, swatches.values()))) == len(RUN_STATUSES), swatches
    side = rect(page, '[data-testid="execution-side"]')
    assert not side.overlaps(panel)

    looks = run_looks(page)
    by_status: dict[str, dict[str, Any]] = {}
    for look in looks.values():
        by_status.setdefault(look["status"], look)
    assert set(by_status) == statuses, looks
    drawn = {s: (v["fill"], v["border"]) for s, v in by_status.items()}
    assert len(set(drawn.values())) == len(drawn), f"statuses drawn alike: {drawn}"
    icons = {s: v["icon"] for s, v in by_status.items()}
    assert icons == {s: s for s in statuses}
    assert [s for s, v in by_status.items() if v["iconArea"] < 60] == []
    # readable, and the whole graph in view (or its start, the rest a pan away): checked last,
    # as panning moves the view
    check_fit_or_pan(
        page,
        '[data-testid="execution-graph"]',
        '[data-testid="execution-graph"] .react-flow',
        "/States/Prepare",
    )


@pytest.mark.parametrize("size", SIZES)
def test_execution_view_draws_the_whole_graph_with_statuses_told_apart(
    size: tuple[int, int], login: Login, runs: dict[str, str]
) -> None:
    page = sized_page(login, size)
    label = f"{size[0]}x{size[1]}"

    page.goto(f"/executions/{runs['waiting']}/")
    expect(page.get_by_test_id("state-status-/States/Hold")).to_have_attribute(
        "data-status", "running"
    )
    expect(page.get_by_test_id("state-status-/States/Fan out")).to_have_attribute(
        "data-status", "caught"
    )
    check_execution_page(page, f"execution-running-{label}", set(RUN_STATUSES) - {"cancelled"})
    header_running = rect(page, ".exec-header")

    # the other tabs scroll inside their panel: the page itself never scrolls
    for tab in ("table", "events"):
        page.get_by_test_id(f"tab-{tab}").click()
        expect(page.get_by_test_id(f"tab-{tab}")).to_have_attribute("aria-selected", "true")
        shoot(page, f"execution-running-{label}-{tab}")
        overflow = page.evaluate(
            "() => document.scrollingElement.scrollHeight - window.innerHeight"
        )
        assert overflow <= 0
        assert rect(page, '[data-testid="execution-side"]').bottom <= size[1]

    page.goto(f"/executions/{runs['finished']}/")
    expect(page.get_by_test_id("execution-status")).to_have_attribute("data-status", "SUCCEEDED")
    header_done = rect(page, ".exec-header")
    # the header keeps its one line when Stop goes away: nothing below jumps
    assert abs(header_done.height - header_running.height) <= 1, (header_running, header_done)
    check_execution_page(page, f"execution-finished-{label}", {"succeeded", "notrun"})

    # Left to right: fitted again, edges still around the containers, and remembered on reload
    page.get_by_test_id("direction-lr").click()
    page.reload()
    graph = page.get_by_test_id("workflow-graph")
    expect(graph).to_have_attribute("data-direction", "LR")
    settle(page)
    shoot(page, f"execution-finished-{label}-lr")
    states = state_rects(page, '[data-testid="execution-graph"]')
    assert too_small(states) == {}
    assert edge_crossings(page)["crossings"] == []
    check_fit_or_pan(
        page,
        '[data-testid="execution-graph"]',
        '[data-testid="execution-graph"] .react-flow',
        "/States/Prepare",
    )


@pytest.mark.parametrize("size", SIZES)
def test_the_dock_opens_tall_enough_for_three_executions_inside_the_window(
    size: tuple[int, int], login: Login, runs: dict[str, str]
) -> None:
    page = sized_page(login, size)
    open_designer(page, runs["workflow"])
    settle(page)
    dock = page.get_by_test_id("dock-panel")
    if dock.get_attribute("data-open") != "true":
        page.get_by_test_id("dock-panel-toggle").click()
        expect(dock).to_have_attribute("data-open", "true")
        settle(page)
    rows = [page.get_by_test_id(f"execution-row-{runs[k]}") for k in ("finished", "waiting")]
    for row in rows:
        expect(row).to_be_visible()
    shoot(page, f"designer-{size[0]}x{size[1]}-dock-executions")
    check_frame(page, size)
    listing = rect(page, '[data-testid="workflow-executions"]')
    window = Rect(0, 0, *size)
    boxes = [
        rect(page, f'[data-testid="execution-row-{runs[k]}"]') for k in ("finished", "waiting")
    ]
    # every row is whole inside the list and the window (not cut by the window's bottom edge)
    assert [b for b in boxes if not (listing.contains(b) and window.contains(b))] == []
    # and there is room for a third row below the last one
    last = max(boxes, key=lambda b: b.bottom)
    assert min(listing.bottom, window.bottom) - last.bottom >= last.height - 1, (listing, last)
