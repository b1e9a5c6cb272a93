"""Page helpers for the studio: stable ``data-testid`` selectors and condition waits."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Locator, Page, expect


def open_designer(page: Page, workflow_id: str) -> None:
    page.goto(f"/workflows/{workflow_id}/")
    expect(page.get_by_test_id("toolbar")).to_be_visible()
    wait_layout(page)


def wait_layout(page: Page) -> None:
    """Until ELK has laid the graph out (``data-layout="ready"``)."""
    page.wait_for_selector('[data-testid="workflow-graph"][data-layout="ready"]')


def node(page: Page, path: str) -> Locator:
    return page.locator(f'[data-testid="state-node"][data-state-path="{path}"]')


def edge_label(page: Page, source: str, kind: str = "next") -> Locator:
    return page.locator(
        f'[data-testid="edge-label"][data-source-path="{source}"][data-edge-kind="{kind}"]'
    )


def lane(page: Page, scope: str) -> Locator:
    return page.locator(f'[data-testid="lane"][data-scope-path="{scope}"]')


def node_paths(page: Page) -> list[str]:
    return sorted(
        page.eval_on_selector_all(
            '[data-testid="state-node"]', "els => els.map(e => e.dataset.statePath)"
        )
    )


def select_node(page: Page, path: str) -> None:
    node(page, path).click()
    expect(page.get_by_test_id("inspector-state-picker")).to_have_value(path)


def settled(locator: Locator, tries: int = 40) -> None:
    """Until ``locator``'s box stops moving (a fit or a layout may still be moving it)."""
    before = None
    for _ in range(tries):
        box = locator.bounding_box()
        if box is not None and box == before:
            return
        before = box
        locator.page.wait_for_timeout(50)
    raise AssertionError(f"{locator} kept moving")


def drag_palette(page: Page, item: str, target: Locator, **kwargs: Any) -> None:
    """An HTML5 drag from the palette item onto ``target`` (a node, edge label or lane).

    ``force``: an edge's label sits under its wider invisible drop path (both are drop
    targets for the same edge), which Playwright's hit check would call "covered".
    """
    settled(target)
    page.get_by_test_id(f"palette-item-{item}").drag_to(target, force=True, **kwargs)


def show_code(page: Page) -> None:
    """Open the code view (closed by default; the choice is remembered per browser)."""
    if page.get_by_test_id("code-panel").count() == 0:
        page.get_by_test_id("toolbar-code").click()
    expect(page.get_by_test_id("code-editor")).to_be_visible()


def code_text(page: Page) -> str:
    """The code view's text (the small test workflows fit in CodeMirror's rendered viewport)."""
    text: str = page.locator('[data-testid="code-editor"] .cm-content').inner_text()
    return text.replace("\u00a0", " ")


def code_json(page: Page) -> Any:
    return json.loads(code_text(page))


def type_code(page: Page, text: str) -> None:
    """Replace the code view's text by keyboard: select all, then type (insert) the new text."""
    page.locator('[data-testid="code-editor"] .cm-content').click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def wait_saved(page: Page, revision: int) -> None:
    expect(page.get_by_test_id("save-state")).to_have_text(f"saved · revision {revision}")


def fit(page: Page) -> None:
    """Fit the whole graph in view (the toolbar's Fit) once the layout is ready."""
    wait_layout(page)
    page.get_by_test_id("toolbar-fit").click()
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def handle(page: Page, path: str, handle_id: str) -> Locator:
    return page.locator(f'.react-flow__node[data-id="{path}"] [data-handleid="{handle_id}"]')


def connect(page: Page, source: str, target: str) -> None:
    """Drag (pointer) from ``source``'s out handle to ``target``'s in handle."""
    start = handle(page, source, "out").bounding_box()
    end = handle(page, target, "in").bounding_box()
    assert start and end, "handles not on screen"
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    x, y = end["x"] + end["width"] / 2, end["y"] + end["height"] / 2
    page.mouse.move(x, y, steps=8)
    page.mouse.up()


def selection_covers(page: Page, target: Locator) -> bool:
    """Whether CodeMirror's drawn selection covers the middle of ``target`` (the editor
    need not have focus: the selection layer is drawn either way)."""
    box = target.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    covered: bool = page.evaluate(
        """([x, y]) => [...document.querySelectorAll(
                '[data-testid=code-editor] .cm-selectionBackground')].some((el) => {
            const r = el.getBoundingClientRect();
            return r.left <= x && x <= r.right && r.top <= y && y <= r.bottom;
        })""",
        [x, y],
    )
    return covered
