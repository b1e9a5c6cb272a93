"""A large workflow in the designer (200 states, bench/studio_300.py's shape): the canvas
draws only what is in view, and what a pan brings into view is drawn, readable, wired
to its neighbours by ELK's routes and selectable like any other state.

Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from bench.studio_300 import generate
from tests.e2e.conftest import Login
from tests.e2e.geometry import Rect, pan_by, rect, settle, shoot, state_rects, unreadable
from tests.e2e.studio import node, open_designer

CANVAS = '[data-testid="designer-canvas"] .react-flow'
STATES = 200


def drawn_in_view(page: Page, canvas: Rect) -> tuple[dict[str, Rect], list[str]]:
    """The state nodes in the document, and those of them that lie wholly outside the canvas."""
    states = state_rects(page)
    outside = [p for p, r in states.items() if not r.overlaps(canvas)]
    return states, outside


def edge_routes(page: Page) -> dict[str, int]:
    """How the drawn edges are drawn: ELK's route (``elk``) or the fallback (``step``)."""
    kinds: list[str] = page.eval_on_selector_all(
        '[data-testid="designer-canvas"] .react-flow__edge-path',
        "els => els.map(e => e.getAttribute('data-routed') || '')",
    )
    return {kind: kinds.count(kind) for kind in set(kinds)}


def test_a_large_workflow_draws_what_is_in_view_and_panning_brings_the_rest(
    login: Login, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(generate(STATES))
    page: Page = login("alice").new_page()
    page.set_viewport_size({"width": 1440, "height": 900})
    open_designer(page, workflow["id"])
    settle(page)
    shoot(page, "designer-large-start")
    canvas = rect(page, CANVAS)
    states, outside = drawn_in_view(page, canvas)
    # a readable start at the top, a small part of the graph drawn, nothing drawn off screen
    assert canvas.contains(states["/States/Step 0"])
    assert 0 < len(states) < STATES / 4
    assert outside == []
    assert unreadable(page) == {}
    # every drawn edge follows ELK's route, also those whose other end is not drawn
    assert set(edge_routes(page)) == {"elk"}
    first = set(states)

    # pan along the flow until a top-level state that was not drawn at first is in view
    target = None
    for _ in range(8):
        pan_by(page, canvas, 0, -canvas.height / 2)
        settle(page)
        states, outside = drawn_in_view(page, canvas)
        assert outside == [], f"drawn off screen: {outside[:5]}"
        assert unreadable(page) == {}
        fresh = [
            p
            for p, r in states.items()
            if p not in first and p.count("/States/") == 1 and canvas.contains(r)
        ]
        if fresh:
            target = fresh[0]
            break
    assert target is not None, "panning brought no new state into view"
    shoot(page, "designer-large-panned")
    assert set(edge_routes(page)) == {"elk"}

    # the state a pan brought in is a state like any other: a click shows it in the inspector
    box = node(page, target).bounding_box()
    assert box is not None
    node(page, target).click(position={"x": box["width"] * 0.2, "y": min(box["height"] / 2, 10)})
    expect(page.get_by_test_id("inspector-name")).to_have_value(target.removeprefix("/States/"))
    expect(node(page, target)).to_have_class(re.compile(r"\bsy-selected\b"))
    shoot(page, "designer-large-selected")
