"""Benchmark: what the JSONata size bounds cost an evaluation, against the unbounded evaluator.

Run from the repository root::

    .venv/bin/python bench/jsonata_bounds.py            # a few seconds
    .venv/bin/python bench/jsonata_bounds.py --repeats 30

Each workload is compiled twice in the same process: once as the engine compiles
it (``engine.jsonata_bounds.BoundedJsonata``: sizes checked where values are built,
every function's arguments and result checked) and once with the library's own
evaluator and no size checks (the baseline, as before the bounds). Runs of the two
alternate, and the best of ``--repeats`` of each is kept, so a busy machine slows
both alike. The number that matters is the ratio bounded/baseline.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from jsonata import Jsonata

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository, for engine

from engine import jsonata_bounds, jsonata_functions, jsonata_lang
from engine.jsonata_lang import compile_template
from engine.scope import Scope

WORKLOADS = {
    "map and strings": '$sum($map([1..1500], function($v){ $length($string($v) & "x") }))',
    "path and filter": "$count($states.input.items[price > 50].name)",
    "reduce": "$reduce([1..3000], function($a, $v){ $a + $v % 7 }, 0)",
    "regex": "$count($match($states.input.text, /[a-z]+[0-9]/))",
}
INPUT = {
    "items": [{"name": f"item{i}", "price": i % 100} for i in range(3000)],
    "text": "abc1 " * 2000,
}


@contextmanager
def unbounded() -> Iterator[None]:
    """Compile with the library's evaluator and no size checks (the baseline)."""
    saved_class = jsonata_bounds.BoundedJsonata
    saved_check = vars(jsonata_functions)["check_value"]
    saved_extensions = jsonata_lang._EXTENSIONS
    jsonata_bounds.BoundedJsonata = Jsonata  # type: ignore[misc]
    setattr(jsonata_functions, "check_value", lambda value: None)  # noqa: B010
    extensions = jsonata_functions.extensions()
    for function in extensions.values():
        if hasattr(function, "precheck"):
            function.precheck = None
    jsonata_lang._EXTENSIONS = extensions  # type: ignore[misc]
    try:
        yield
    finally:
        jsonata_bounds.BoundedJsonata = saved_class  # type: ignore[misc]
        setattr(jsonata_functions, "check_value", saved_check)  # noqa: B010
        jsonata_lang._EXTENSIONS = saved_extensions  # type: ignore[misc]


def _timer(expression: str) -> Callable[[], float]:
    template = compile_template("{% " + expression + " %}", "Output")
    scope = Scope(input=INPUT)

    def once() -> float:
        began = time.perf_counter()
        template.evaluate(scope)
        return time.perf_counter() - began

    return once


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args(argv)
    rows: list[tuple[str, float, float]] = []
    for name, expression in WORKLOADS.items():
        bounded = _timer(expression)
        with unbounded():
            baseline = _timer(expression)
        best: dict[str, float] = {"bounded": float("inf"), "baseline": float("inf")}
        for _ in range(args.repeats):
            with unbounded():
                best["baseline"] = min(best["baseline"], baseline())
            best["bounded"] = min(best["bounded"], bounded())
        rows.append((name, best["bounded"], best["baseline"]))
    print(f"{'workload':<18} {'bounded ms':>11} {'baseline ms':>12} {'ratio':>6}")
    for name, ours, base in rows:
        print(f"{name:<18} {ours * 1000:>11.1f} {base * 1000:>12.1f} {ours / base:>6.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
