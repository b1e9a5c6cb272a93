"""Benchmark: the designer in headless Chromium on a 300-state workflow, against 10 states.

Run from the repository root (the studio bundle must be built: ``make frontend``)::

    .venv/bin/python bench/studio_300.py              # 300 states vs 10, 3 repeats each
    .venv/bin/python bench/studio_300.py --states 600 --repeats 5

It starts the studio as ``make run`` does (embedded mode: SQLite in a temporary
directory, ``STATEYARD_DEV=1``, uvicorn; ``tests/e2e/server.py``), stores two
generated workflows of the same shape (segments of Pass -> Choice -> Parallel of
two 2-state branches -> Map of a 2-state item processor: 10 states a segment, so
a mix of Pass/Choice/Parallel/Map), opens each in the designer in headless
Chromium (``/usr/bin/chromium``) and measures, in the page, from the page's own clocks:

1. first nodes: navigation start to the first ``[data-testid=state-node]`` in the DOM;
2. all nodes: to every state's node in the DOM (the canvas renders them all);
3. layout ready: to the graph's ``data-layout="ready"`` (ELK, in a web worker, done)
   with every node present;
4. select -> inspector: a click on a state (the ``mousedown`` event's timestamp) to the
   inspector showing that state, plus the next animation frame (painted);
5. rename -> graph: ``Enter`` in the inspector's name field (the ``keydown`` timestamp)
   to the renamed node in the graph (next frame), and to the layout being ready again.

Each figure is the median of ``--repeats`` page loads (4 and 5: of every click/edit).
It prints a table with the ratio large/small. There are no pass/fail thresholds:
the numbers are for people (does the 300-state designer stay interactive?).

Two bundles, one run: ``--against DIR`` (a copy of an earlier ``static/dist``, e.g.
``cp -r static/dist /tmp/studio-baseline`` before a change) opens the large workflow
with that bundle and with the current one, alternately, and prints both and the ratio
current/against (below 1: the current bundle is faster). Times on a shared machine
move with its load; the ratio, measured side by side, much less. Both bundles are
served by the same server: the other bundle's files (content-hashed names) are put
beside the current ones for the run and removed after, and the page's asset tags are
swapped for the other bundle's (``bundle_tags``). It also prints work counts at
layout ready (elements in the document, xyflow nodes and edges drawn), the main
thread's long tasks until then, and the DOM changes a selection click makes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from designer.templatetags.vite import ENTRY, asset_tags  # noqa: E402
from tests.e2e.server import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORD,
    StudioServer,
    built_bundle,
    embedded_server,
)

SEGMENT = 10  # states per generated segment


def generate(states: int) -> dict[str, Any]:
    """A valid workflow of ``states`` states (a multiple of 10): a chain of segments."""
    if states % SEGMENT or states <= 0:
        raise SystemExit(f"--states must be a positive multiple of {SEGMENT}")
    count = states // SEGMENT
    machine: dict[str, Any] = {"Comment": f"{states} states", "StartAt": "Step 0", "States": {}}
    top = machine["States"]
    for i in range(count):
        last = i == count - 1
        top[f"Step {i}"] = {"Type": "Pass", "Result": {"segment": i}, "ResultPath": "$.seg"}
        top[f"Step {i}"]["Next"] = f"Route {i}"
        top[f"Route {i}"] = {
            "Type": "Choice",
            "Choices": [{"Variable": "$.n", "NumericGreaterThan": i, "Next": f"Fan {i}"}],
            "Default": f"Each {i}",
        }
        top[f"Fan {i}"] = {
            "Type": "Parallel",
            "Branches": [
                {
                    "StartAt": f"Left {i}.1",
                    "States": {
                        f"Left {i}.1": {"Type": "Pass", "Next": f"Left {i}.2"},
                        f"Left {i}.2": {"Type": "Pass", "End": True},
                    },
                },
                {
                    "StartAt": f"Right {i}.1",
                    "States": {
                        f"Right {i}.1": {"Type": "Pass", "Next": f"Right {i}.2"},
                        f"Right {i}.2": {"Type": "Pass", "End": True},
                    },
                },
            ],
            "ResultPath": None,
            "Next": f"Each {i}",
        }
        each: dict[str, Any] = {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": f"Item {i}.1",
                "States": {
                    f"Item {i}.1": {"Type": "Pass", "Next": f"Item {i}.2"},
                    f"Item {i}.2": {"Type": "Pass", "End": True},
                },
            },
            "ResultPath": "$.mapped",
        }
        if last:
            each["End"] = True
        else:
            each["Next"] = f"Step {i + 1}"
        top[f"Each {i}"] = each
    return machine


# Installed before the page's scripts: records when nodes appear and the layout is ready.
OBSERVE = """
(() => {
  const marks = {firstNode: null, allNodes: null, layoutReady: null, longTasks: 0,
                 elements: 0, flowNodes: 0, flowEdges: 0};
  window.__bench = marks;
  try {
    new PerformanceObserver((list) => {
      for (const task of list.getEntries()) {
        if (marks.layoutReady === null || task.startTime < marks.layoutReady)
          marks.longTasks += task.duration;
      }
    }).observe({type: 'longtask', buffered: true});
  } catch (e) { /* no long task timing */ }
  const expected = Number(sessionStorage.getItem('bench-expected') || 0);
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  // A canvas that draws only what is in view: every state is in the minimap (the whole
  // graph, laid out) and every state the minimap shows inside the view is drawn.
  const viewCovered = () => {
    const mini = document.querySelectorAll('.react-flow__minimap-node.sy-mini-state');
    const pane = document.querySelector('[data-testid="designer-canvas"] .react-flow');
    const viewport = pane && pane.querySelector('.react-flow__viewport');
    if (mini.length < expected || !viewport) return false;
    const m = new DOMMatrix(getComputedStyle(viewport).transform);
    const r = pane.getBoundingClientRect();
    const view = {left: -m.e / m.a, top: -m.f / m.a};
    view.right = view.left + r.width / m.a;
    view.bottom = view.top + r.height / m.a;
    let inView = 0;
    for (const rect of mini) {
      const x = Number(rect.getAttribute('x')), y = Number(rect.getAttribute('y'));
      const box = {left: x, top: y, right: x + Number(rect.getAttribute('width')),
                   bottom: y + Number(rect.getAttribute('height'))};
      if (overlap(box, view)) inView++;
    }
    let drawn = 0;
    for (const el of document.querySelectorAll('[data-testid="state-node"]'))
      if (overlap(el.getBoundingClientRect(), r)) drawn++;
    return inView > 0 && drawn >= inView;
  };
  const check = () => {
    const nodes = document.querySelectorAll('[data-testid="state-node"]').length;
    const now = performance.now();
    if (nodes > 0 && marks.firstNode === null) marks.firstNode = now;
    if (nodes >= expected && expected > 0 && marks.allNodes === null) marks.allNodes = now;
    const graph = document.querySelector('[data-testid="workflow-graph"]');
    if (marks.layoutReady === null && graph && graph.getAttribute('data-layout') === 'ready'
        && (marks.allNodes !== null || viewCovered())) {
      marks.layoutReady = now;
      marks.elements = document.getElementsByTagName('*').length;
      marks.flowNodes = document.querySelectorAll('.react-flow__node').length;
      marks.flowEdges = document.querySelectorAll('.react-flow__edge').length;
    }
    if (marks.layoutReady !== null) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, {subtree: true, childList: true, attributes: true,
                              attributeFilter: ['data-layout']});
})();
"""

# Start timing an interaction: t0 is the timestamp of the triggering event, t1 the first
# DOM change after which `check` holds, plus one animation frame (the change is painted).
MEASURE = """
([eventType, key, check, settle]) => {
  const holds = new Function('return (' + check + ')()');
  const ready = settle ? new Function('return (' + settle + ')()') : null;
  window.__measure = new Promise((resolve) => {
    let t0 = null, shown = null, changes = 0;
    const onEvent = (e) => { if (t0 === null && (!key || e.key === key)) t0 = e.timeStamp; };
    window.addEventListener(eventType, onEvent, {capture: true});
    const done = () => {
      observer.disconnect();
      window.removeEventListener(eventType, onEvent, {capture: true});
      resolve({shown: shown - t0, settled: performance.now() - t0, changes});
    };
    const observer = new MutationObserver((records) => {
      if (t0 === null) return;
      if (shown === null) changes += records.length;
      if (shown === null && holds()) {
        requestAnimationFrame(() => {
          shown = performance.now();
          if (!ready || ready()) done();
        });
      } else if (shown !== null && ready && ready()) done();
    });
    observer.observe(document.body, {subtree: true, childList: true, attributes: true,
                                     characterData: true});
  });
}
"""

VISIBLE_TOP_LEVEL = """
() => {
  const pane = document.querySelector('[data-testid="designer-canvas"]').getBoundingClientRect();
  return [...document.querySelectorAll('[data-testid="state-node"]')]
    .filter((el) => el.dataset.statePath.split('/States/').length === 2)
    .filter((el) => {
      const r = el.getBoundingClientRect();
      return r.left >= pane.left + 40 && r.right <= pane.right - 200 && r.top >= pane.top + 40
        && r.bottom <= pane.bottom - 40 && r.width > 0;
    })
    .map((el) => el.dataset.statePath.slice('/States/'.length));
}
"""

LAYOUT_READY = (
    "() => document.querySelector('[data-testid=\"workflow-graph\"]')"
    ".getAttribute('data-layout') === 'ready'"
)


def measure(page: Any, event: str, key: str | None, check: str, settle: str | None = None) -> Any:
    page.evaluate(MEASURE, [event, key, check, settle])
    return None


def node_selector(path: str) -> str:
    return f'[data-testid="state-node"][data-state-path="{path}"]'


def sample(
    server: StudioServer,
    browser: Any,
    workflow: dict[str, Any],
    states: int,
    tags: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """One page load and three click/rename rounds; ``tags``: (served, wanted) asset tags."""
    context = browser.new_context(
        base_url=server.url, viewport={"width": 1440, "height": 900}, storage_state=LOGIN[0]
    )
    context.set_default_timeout(120_000)
    context.add_init_script(f"sessionStorage.setItem('bench-expected', '{states}');")
    context.add_init_script(OBSERVE)
    if tags is not None:
        context.route(f"{server.url}/workflows/{workflow['id']}/", swap_tags(*tags))
    page = context.new_page()
    page.goto(f"/workflows/{workflow['id']}/")
    page.wait_for_function(
        "() => window.__bench && window.__bench.layoutReady !== null", polling=100
    )
    marks = page.evaluate("() => window.__bench")
    result: dict[str, Any] = {
        "first nodes": marks["firstNode"],
        "all nodes": marks["allNodes"],
        "layout ready": marks["layoutReady"],
        "long tasks to ready": marks["longTasks"],
        "elements at ready": marks["elements"],
        "flow nodes drawn": marks["flowNodes"],
        "flow edges drawn": marks["flowEdges"],
        "select -> inspector": [],
        "select DOM changes": [],
        "rename -> graph": [],
        "rename -> layout ready": [],
    }
    # three top-level states on screen (a big graph does not fit), each clicked then renamed
    names = page.evaluate(VISIBLE_TOP_LEVEL)[:3]
    zoom = float(
        page.evaluate(
            "() => new DOMMatrix(getComputedStyle("
            "document.querySelector('.react-flow__viewport')).transform).a"
        )
    )
    assert len(names) == 3, names
    for round_, name in enumerate(names):
        path = f"/States/{name}"
        # selection click -> inspector shows the state
        check = (
            "() => { const el = document.querySelector('[data-testid=\"inspector-name\"]');"
            f" return el && el.value === {name!r}; }}"
        )
        measure(page, "mousedown", None, check)
        target = page.locator(node_selector(path))
        box = target.bounding_box()
        assert box is not None
        # left of the middle, in a container's header: at a small zoom the handles (top,
        # bottom, right) cover a node's centre, and a container's middle is its lanes
        y = min(box["height"] / 2, 12 * zoom)
        target.click(position={"x": box["width"] * 0.2, "y": y}, timeout=10_000)
        timing = page.evaluate("() => window.__measure")
        result["select -> inspector"].append(timing["shown"])
        result["select DOM changes"].append(timing["changes"])
        # field edit in the inspector (rename) -> the graph shows the new node
        new = f"{name} r{round_}"
        field = page.get_by_test_id("inspector-name")
        field.fill(new)
        check = f"() => !!document.querySelector({node_selector('/States/' + new)!r})"
        measure(page, "keydown", "Enter", check, LAYOUT_READY)
        field.press("Enter")
        timing = page.evaluate("() => window.__measure")
        result["rename -> graph"].append(timing["shown"])
        result["rename -> layout ready"].append(timing["settled"])
        page.wait_for_function(LAYOUT_READY)
    context.close()
    return result


# ---- two bundles in one run (--against) ----

DIST = REPO / "static" / "dist"


def read_manifest(dist: Path) -> dict[str, Any]:
    for candidate in (dist / ".vite" / "manifest.json", dist / "manifest.json"):
        if candidate.is_file():
            return dict(json.loads(candidate.read_text(encoding="utf-8")))
    raise SystemExit(f"{dist} holds no Vite manifest (a copy of a built static/dist?)")


def bundle_tags(chunks: dict[str, Any], page: str = "designer") -> str:
    """The ``{% vite_assets page=... %}`` tags of a manifest (designer/templatetags/vite.py)."""
    return str(asset_tags(chunks, ENTRY, page, "/static/dist/{}".format))


def swap_tags(served: str, wanted: str) -> Any:
    """A route handler: the designer page with its asset tags ``served`` replaced by ``wanted``."""

    def handle(route: Any) -> None:
        response = route.fetch()
        body = response.text()
        if served not in body:
            raise RuntimeError("the page's asset tags are not the ones expected (bundle_tags)")
        route.fulfill(response=response, body=body.replace(served, wanted))

    return handle


@contextmanager
def bundle_beside(other: Path) -> Iterator[str]:
    """Put ``other``'s files that the current bundle lacks into static/dist (before the
    server starts: it lists its static files then); yield their asset tags; remove them."""
    added: list[Path] = []
    try:
        for source in sorted((other / "assets").iterdir()):
            target = DIST / "assets" / source.name
            if not target.exists():
                shutil.copy2(source, target)
                added.append(target)
        yield bundle_tags(read_manifest(other))
    finally:
        for path in added:
            path.unlink(missing_ok=True)


LOGIN: list[Any] = [None]


def log_in(server: StudioServer, browser: Any) -> None:
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    LOGIN[0] = context.storage_state()
    context.close()


def median_of(samples: list[dict[str, Any]], key: str) -> float | None:
    """The median of a measure over the samples (None: it never happened, e.g. `all nodes`
    on a canvas that draws only what is in view)."""
    values: list[float] = []
    for s in samples:
        v = s[key]
        values.extend(x for x in (v if isinstance(v, list) else [v]) if x is not None)
    return float(statistics.median(values)) if values else None


def cells(a: float | None, b: float | None) -> str:
    """Two medians and their ratio, as table cells."""
    shown = "".join(f"{'-' if v is None else f'{v:.0f}':>10}" for v in (a, b))
    ratio = f"{b / a:>8.2f}x" if a and b is not None else f"{'-':>9}"
    return shown + ratio


KEYS = [
    "first nodes",
    "all nodes",
    "layout ready",
    "select -> inspector",
    "rename -> graph",
    "rename -> layout ready",
]
# work counts (--against): what the page did, not how long it took
COUNTS = [
    "long tasks to ready",
    "elements at ready",
    "flow nodes drawn",
    "flow edges drawn",
    "select DOM changes",
]


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def create_workflows(api: Any, sizes: list[int]) -> dict[int, dict[str, Any]] | None:
    workflows = {}
    for size in sizes:
        created = api.post(
            "/teams/acme/workflows/",
            json={"name": f"bench-{size}", "definition": generate(size)},
        )
        created.raise_for_status()
        body = created.json()
        errors = [d for d in body.get("diagnostics", []) if d["severity"] == "error"]
        if errors:
            print(f"generated workflow has errors: {errors[:3]}", file=sys.stderr)
            return None
        workflows[size] = body
    return workflows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--states", type=int, default=300)
    parser.add_argument("--baseline", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--against",
        type=Path,
        default=None,
        help="a copy of an earlier static/dist: compare it with the current bundle",
    )
    args = parser.parse_args()
    if built_bundle() is None:
        print("the studio bundle is not built: run `make frontend`", file=sys.stderr)
        return 2
    if args.against is not None:
        return compare(args.against, args.states, args.baseline, args.repeats)
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory(prefix="studio-bench-") as tmp,
        embedded_server(Path(tmp)) as server,
        sync_playwright() as pw,
        server.api() as api,
    ):
        workflows = create_workflows(api, [args.baseline, args.states])
        if workflows is None:
            return 1
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        log_in(server, browser)
        sample(server, browser, workflows[args.baseline], args.baseline)  # warm-up
        results: dict[int, list[dict[str, Any]]] = {args.baseline: [], args.states: []}
        for _ in range(args.repeats):  # interleaved, so drift hits both sides alike
            for size in (args.baseline, args.states):
                results[size].append(sample(server, browser, workflows[size], size))
        browser.close()

    small, large = args.baseline, args.states
    print(
        f"\nDesigner in headless Chromium: {large} states vs {small}"
        f" (median ms, {args.repeats} loads each)"
    )
    print(f"{'measure':<26}{small:>10}{large:>10}{'ratio':>9}")
    for key in KEYS:
        print(f"{key:<26}{cells(median_of(results[small], key), median_of(results[large], key))}")
    return 0


def compare(other: Path, states: int, warm: int, repeats: int) -> int:
    """The large workflow with the ``other`` bundle and the current one, alternately."""
    from playwright.sync_api import sync_playwright

    current = bundle_tags(read_manifest(DIST))
    loads = [load_average()]
    with (
        bundle_beside(other) as against,
        tempfile.TemporaryDirectory(prefix="studio-bench-") as tmp,
        embedded_server(Path(tmp)) as server,
        sync_playwright() as pw,
        server.api() as api,
    ):
        workflows = create_workflows(api, [warm, states])
        if workflows is None:
            return 1
        variants = {"against": (current, against), "current": (current, current)}
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        log_in(server, browser)
        for tags in variants.values():  # warm-up: the server, the browser, each bundle once
            sample(server, browser, workflows[warm], warm, tags)
        results: dict[str, list[dict[str, Any]]] = {name: [] for name in variants}
        for i in range(repeats):  # alternating, and in turn first, so drift hits both alike
            order = list(variants) if i % 2 == 0 else list(reversed(variants))
            for name in order:
                results[name].append(
                    sample(server, browser, workflows[states], states, variants[name])
                )
        browser.close()
    loads.append(load_average())
    print(
        f"\nDesigner in headless Chromium, {states} states: current bundle vs {other}"
        f" (median, {repeats} loads each; load average {loads[0]} -> {loads[1]})"
    )
    print(f"{'measure':<26}{'against':>10}{'current':>10}{'ratio':>9}")
    for key in KEYS + COUNTS:
        before, after = median_of(results["against"], key), median_of(results["current"], key)
        print(f"{key:<26}{cells(before, after)}")
    print("(ms, except the counts below `rename -> layout ready`; long tasks: ms of them)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
