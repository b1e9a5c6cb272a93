"""Benchmark: the execution view's Timeline tab in headless Chromium, 2,001 spans against 41.

Run from the repository root (the studio bundle must be built: ``make frontend``)::

    .venv/bin/python bench/timeline.py                 # 1000 Map iterations vs 20, 3 repeats
    .venv/bin/python bench/timeline.py --items 3000 --repeats 5

It starts the studio as ``make run`` does (embedded mode, ``tests/e2e/server.py``), runs
one workflow twice: a Map whose iterations each run two Pass states, over ``--items``
items and over ``--baseline`` items (2 x items + 1 spans, 3 x items + 1 rows). Each
sample opens the finished execution in a new page, waits until its whole history is
folded, then measures in the page, from the triggering event's timestamp to the first
animation frame after the DOM shows the result (``bench/studio_300.py``'s ``MEASURE``):

1. open tab: a click on "Timeline" to its bars on screen;
2. scroll to end: the scroller jumps to the last row, to that row rendered;
3. collapse all / expand all: a click to the rows folded (one row) and back.

It also counts the rows in the DOM after opening (virtualised: about a screenful,
whatever the size). The table gives medians and the ratio large/small; no thresholds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.studio_300 import LOGIN, log_in, measure  # noqa: E402
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, built_bundle, embedded_server  # noqa: E402

MAP = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "First",
                "States": {
                    "First": {"Type": "Pass", "Next": "Second"},
                    "Second": {"Type": "Pass", "End": True},
                },
            },
            "End": True,
        }
    },
}

BARS = "() => document.querySelectorAll('[data-testid=\"timeline-bar\"]').length > 0"
ROWS = "document.querySelectorAll('[data-testid=\"timeline-row\"]').length"


def run_map(api: Any, workflow_id: str, items: int) -> str:
    started = api.post(
        f"/workflows/{workflow_id}/executions/", json={"input": {"items": list(range(items))}}
    )
    started.raise_for_status()
    execution_id = str(started.json()["id"])
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        described = api.get(f"/executions/{execution_id}/").json()
        if described["status"] != "RUNNING":
            if described["status"] != "SUCCEEDED":
                raise SystemExit(f"the {items}-item run ended {described['status']}")
            return execution_id
        time.sleep(0.5)
    raise SystemExit(f"the {items}-item run did not finish")


def timed(page: Any, event: str, check: str, act: Any) -> float:
    measure(page, event, None, check)
    act()
    return float(page.evaluate("() => window.__measure")["shown"])


def sample(server: Any, browser: Any, execution_id: str, items: int) -> dict[str, Any]:
    context = browser.new_context(
        base_url=server.url, viewport={"width": 1440, "height": 900}, storage_state=LOGIN[0]
    )
    context.set_default_timeout(120_000)
    page = context.new_page()
    page.goto(f"/executions/{execution_id}/")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"live-state\"]')?.textContent === 'Complete'"
    )
    result: dict[str, Any] = {}
    tab = page.get_by_test_id("tab-timeline")
    result["open tab"] = timed(page, "click", BARS, tab.click)
    result["rows in the DOM"] = page.evaluate(f"() => {ROWS}")
    last = f"/i{items - 1}"
    scrolls = page.evaluate(
        "() => { const s = document.querySelector('[data-testid=\"timeline-scroll\"]');"
        " return s.scrollHeight > s.clientHeight; }"
    )
    if not scrolls:
        raise SystemExit(f"{items} items fit on one screen: nothing to scroll (raise --baseline)")
    result["scroll to end"] = timed(
        page,
        "scroll",
        f'() => !!document.querySelector(\'[data-testid="timeline-row"][data-key$="{last}"]\')',
        lambda: page.evaluate(
            "() => { const s = document.querySelector('[data-testid=\"timeline-scroll\"]');"
            " s.scrollTop = s.scrollHeight; }"
        ),
    )
    result["collapse all"] = timed(
        page, "click", f"() => {ROWS} === 1", page.get_by_test_id("timeline-collapse-all").click
    )
    result["expand all"] = timed(
        page, "click", f"() => {ROWS} > 1", page.get_by_test_id("timeline-expand-all").click
    )
    context.close()
    return result


KEYS = ["open tab", "scroll to end", "collapse all", "expand all", "rows in the DOM"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--baseline", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if built_bundle() is None:
        print("the studio bundle is not built: run `make frontend`", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory(prefix="timeline-bench-") as tmp,
        embedded_server(Path(tmp)) as server,
        sync_playwright() as pw,
        server.api() as api,
    ):
        created = api.post("/teams/acme/workflows/", json={"name": "bench-map", "definition": MAP})
        created.raise_for_status()
        workflow_id = created.json()["id"]
        runs = {}
        for size in (args.baseline, args.items):
            began = time.monotonic()
            runs[size] = run_map(api, workflow_id, size)
            print(f"ran {size} items in {time.monotonic() - began:.1f} s", file=sys.stderr)
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        log_in(server, browser)
        sample(server, browser, runs[args.baseline], args.baseline)  # warm-up
        results: dict[int, list[dict[str, Any]]] = {args.baseline: [], args.items: []}
        for _ in range(args.repeats):  # interleaved, so drift hits both sides alike
            for size in (args.baseline, args.items):
                results[size].append(sample(server, browser, runs[size], size))
        browser.close()

    small, large = args.baseline, args.items
    spans = {size: 2 * size + 1 for size in (small, large)}
    print(
        f"\nTimeline tab in headless Chromium: {spans[large]} spans vs {spans[small]}"
        f" (median ms, {args.repeats} loads each)"
    )
    print(f"{'measure':<20}{spans[small]:>10}{spans[large]:>10}{'ratio':>9}")
    for key in KEYS:
        a = float(statistics.median(s[key] for s in results[small]))
        b = float(statistics.median(s[key] for s in results[large]))
        print(f"{key:<20}{a:>10.0f}{b:>10.0f}{b / a:>8.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
