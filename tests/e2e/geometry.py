"""What a person sees: on-screen boxes of the studio's panels and states, read in the browser.

``Rect`` is a box in CSS pixels of the viewport. ``state_rects`` reads every state
node, ``panel_rects`` the designer's frame, ``visible_part`` clips a box to the
canvas (xyflow clips what lies outside it). ``edge_crossings`` samples every drawn
edge path and names the containers it passes through. ``shoot`` saves a
screenshot into ``test-artifacts/screenshots/`` (created on demand).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.e2e.server import REPO

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @classmethod
    def of(cls, box: Mapping[str, Any]) -> Rect:
        return cls(float(box["x"]), float(box["y"]), float(box["width"]), float(box["height"]))

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def intersection(self, other: Rect) -> Rect | None:
        left, top = max(self.x, other.x), max(self.y, other.y)
        right, bottom = min(self.right, other.right), min(self.bottom, other.bottom)
        if right <= left or bottom <= top:
            return None
        return Rect(left, top, right - left, bottom - top)

    def overlaps(self, other: Rect, slack: float = 0.5) -> bool:
        """More than a hairline in common (borders may touch)."""
        common = self.intersection(other)
        return common is not None and common.width > slack and common.height > slack

    def contains(self, other: Rect, slack: float = 0.5) -> bool:
        return (
            other.x >= self.x - slack
            and other.y >= self.y - slack
            and other.right <= self.right + slack
            and other.bottom <= self.bottom + slack
        )


def rect(page: Page, selector: str) -> Rect:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not displayed"
    return Rect.of(box)


def state_rects(page: Page, root: str = "body") -> dict[str, Rect]:
    """Every state node's on-screen box, by state path."""
    found: list[dict[str, Any]] = page.eval_on_selector_all(
        f'{root} [data-testid="state-node"]',
        """els => els.map(e => {
            const r = e.getBoundingClientRect();
            return {path: e.dataset.statePath, x: r.x, y: r.y, width: r.width, height: r.height};
        })""",
    )
    return {f["path"]: Rect.of(f) for f in found}


def encloses(outer: str, inner: str) -> bool:
    """Whether state ``outer`` is ``inner`` or one of its containers (paths nest by prefix)."""
    return inner == outer or inner.startswith((f"{outer}/", f"{outer}#"))


def overlapping_states(states: dict[str, Rect]) -> list[tuple[str, str]]:
    """Pairs of state boxes that overlap, leaving out a container and what it holds."""
    paths = sorted(states)
    return [
        (a, b)
        for i, a in enumerate(paths)
        for b in paths[i + 1 :]
        if not encloses(a, b) and not encloses(b, a) and states[a].overlaps(states[b])
    ]


def overlapping(rects: dict[str, Rect]) -> list[tuple[str, str]]:
    names = sorted(rects)
    return [
        (a, b) for i, a in enumerate(names) for b in names[i + 1 :] if rects[a].overlaps(rects[b])
    ]


def visible_part(box: Rect, canvas: Rect) -> Rect | None:
    return box.intersection(canvas)


EDGE_CROSSINGS = """
() => {
  const containers = [...document.querySelectorAll('[data-testid="state-node"].sy-container')]
    .map(e => ({path: e.dataset.statePath, r: e.getBoundingClientRect()}));
  const encloses = (outer, inner) =>
    inner === outer || inner.startsWith(outer + '/') || inner.startsWith(outer + '#');
  const inside = (p, r, inset) =>
    p.x > r.left + inset && p.x < r.right - inset && p.y > r.top + inset && p.y < r.bottom - inset;
  const out = [];
  let sampled = 0;
  for (const label of document.querySelectorAll('[data-testid="edge-label"]')) {
    const id = label.dataset.edgeId;
    const source = label.dataset.sourcePath, target = label.dataset.targetPath;
    const path = document.querySelector(
      `[data-testid="rf__edge-${CSS.escape(id)}"] path.react-flow__edge-path`);
    if (!path) { out.push(`${id}: no path drawn`); continue; }
    const matrix = path.getScreenCTM();
    const length = path.getTotalLength();
    for (let t = 0; t <= length; t += 3) {
      const p = path.getPointAtLength(t).matrixTransform(matrix);
      sampled += 1;
      for (const c of containers) {
        if (encloses(c.path, source) || encloses(c.path, target)) continue;
        if (inside(p, c.r, 3)) {
          out.push(`${id} passes through ${c.path}`);
          break;
        }
      }
    }
  }
  return {crossings: [...new Set(out)], sampled, containers: containers.length};
}
"""


def edge_crossings(page: Page) -> dict[str, Any]:
    """Edges whose drawn path passes through a container that is not an ancestor of its ends."""
    result: dict[str, Any] = page.evaluate(EDGE_CROSSINGS)
    return result


def shoot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def settle(page: Page) -> None:
    """Until the graph is laid out and fitted, and two frames have been painted."""
    page.wait_for_selector('[data-testid="workflow-graph"][data-layout="ready"]')
    page.evaluate("() => document.fonts.ready.then(() => undefined)")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


MIN_LABEL_PX = 11.0
"""The smallest on-screen label font size (CSS px) a person reads comfortably."""


def label_sizes(page: Page, root: str = "body") -> dict[str, float]:
    """Every state label's on-screen font size: its computed font-size times the node's scale."""
    found: list[dict[str, Any]] = page.eval_on_selector_all(
        f'{root} [data-testid="state-node"]',
        """els => els.map(e => {
            const label = e.querySelector('.sy-label');
            const scale = e.offsetWidth ? e.getBoundingClientRect().width / e.offsetWidth : 0;
            const size = label ? parseFloat(getComputedStyle(label).fontSize) : 0;
            return {path: e.dataset.statePath, px: size * scale};
        })""",
    )
    return {f["path"]: float(f["px"]) for f in found}


def unreadable(page: Page, root: str = "body") -> dict[str, float]:
    """States whose label shows smaller than MIN_LABEL_PX on screen (rounded to 0.1 px)."""
    return {p: round(px, 1) for p, px in label_sizes(page, root).items() if px < MIN_LABEL_PX}


PANE_POINT = """
([left, top, right, bottom]) => {
  for (let fy = 0.25; fy <= 0.75; fy += 0.05)
    for (let fx = 0.02; fx <= 0.98; fx += 0.02) {
      const x = left + (right - left) * fx, y = top + (bottom - top) * fy;
      const hit = document.elementFromPoint(x, y);
      if (hit && hit.classList.contains('react-flow__pane')) return [x, y];
    }
  return null;
}
"""


def pan_by(page: Page, canvas: Rect, dx: float, dy: float) -> None:
    """Drag the canvas's empty pane by (dx, dy), as a person pans with the mouse."""
    point = page.evaluate(PANE_POINT, [canvas.x, canvas.y, canvas.right, canvas.bottom])
    assert point is not None, "no empty pane to drag"
    x, y = point
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=5)
    page.mouse.move(x + dx, y + dy, steps=5)
    page.mouse.up()
