"""Benchmark: state transitions per second of our engine against moto's interpreter.

Run from the repository root::

    .venv/bin/python bench/engine.py            # full sizes (about a minute)
    .venv/bin/python bench/engine.py --quick    # tiny sizes, a smoke check

For every workload of ``bench/workloads.py`` (a Choice loop, an inline Map and a
looped Parallel, each in JSONPath and JSONata) it measures:

- ours: ``engine.parse`` once outside the clock, then the best of at least
  ``--repeats`` timed ``engine.run`` calls (more, up to 30, until half a second
  of runs, since ours are short); transitions are counted from the run's history
  (``*StateEntered`` events) and the output is checked against the expected one;
- moto: the same definition through moto's Step Functions interpreter
  (``mock_aws`` with ``execute_state_machine``) in the same process, timed from
  ``start_execution`` until moto's execution thread has finished (moto runs each
  execution in a daemon thread, which we join instead of polling, so that the
  poller does not compete for the GIL), minus moto's own parse of the definition
  (it re-parses on every execution; ours is parsed outside the clock), best of
  ``--repeats``; transitions are counted from ``get_execution_history``.

The number that matters is the ratio ours/moto, measured in the same run on the
same machine: absolute figures on shared machines are noisy. A workload moto
cannot run (moto ships no JSONata evaluator) is reported as
``moto: unsupported``; one moto fails or times out at full size is retried at a
tenth of the size, and the reduced size is printed.

Exit status: 0, or 1 if our engine failed a workload or produced a wrong
output or transition count (so the benchmark never silently times a broken run).
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import math
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

# Run as ``python bench/engine.py`` Python puts bench/ first on sys.path, where
# this very file would shadow the ``engine`` package: drop bench/ and put the
# repository root first instead (``bench`` is then a package of it).
_BENCH_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _BENCH_DIR.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH_DIR]
sys.path.insert(0, str(_REPO_ROOT))

from bench import workloads  # noqa: E402
from bench.workloads import Workload  # noqa: E402

REGION = "us-east-1"
ROLE_ARN = "arn:aws:iam::123456789012:role/x"
MOTO_TIMEOUT_S = 300.0
"""A moto execution still running after this long counts as failed."""
OURS_MIN_SECONDS = 0.5
OURS_MAX_RUNS = 30
NO_JSONATA = "'NoneType' object is not callable"
"""moto's failure when it evaluates JSONata: its evaluator hook is left unset."""
MOTO_REDUCTION = 10
"""When moto fails a workload at full size it is retried at size // MOTO_REDUCTION."""


def count_transitions(events: list[dict[str, Any]]) -> int:
    """Number of states entered: the ``*StateEntered`` events of a history."""
    return sum(1 for event in events if str(event.get("type", "")).endswith("StateEntered"))


@dataclass
class Measurement:
    """The best of a few timed runs of one workload on one interpreter."""

    transitions: int = 0
    seconds: float = math.inf
    size: int = 0
    error: str | None = None
    skipped: bool = False
    subtracted: float = 0.0
    """Seconds taken off the best run (moto's parse of the definition)."""
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and self.transitions > 0 and math.isfinite(self.seconds)

    @property
    def rate(self) -> float:
        """Transitions per second (0.0 when not measured)."""
        if not self.ok or self.seconds <= 0:
            return 0.0
        return self.transitions / self.seconds


# --------------------------------------------------------------------------- ours


def load_engine() -> tuple[ModuleType | None, str | None]:
    """Import our engine; return (module, None) or (None, why it is not usable)."""
    try:
        module = importlib.import_module("engine")
    except Exception as exc:
        return None, f"cannot import engine: {type(exc).__name__}: {exc}"
    missing = [name for name in ("parse", "run") if not hasattr(module, name)]
    if missing:
        return None, f"engine has no {', '.join(missing)} yet"
    return module, None


def measure_ours(engine: ModuleType, workload: Workload, repeats: int) -> Measurement:
    """Parse once, then time ``engine.run`` ``repeats`` times and keep the best."""
    result = Measurement(size=workload.size)
    try:
        machine = engine.parse(workload.definition)
    except Exception as exc:
        result.error = f"parse failed: {type(exc).__name__}: {exc}"
        return result
    spent = 0.0
    runs = 0
    # Our runs are short: keep going past ``repeats`` until OURS_MIN_SECONDS of
    # timed work (at most OURS_MAX_RUNS runs) so the best-of is not one sample.
    while runs < repeats or (spent < OURS_MIN_SECONDS and runs < OURS_MAX_RUNS):
        runs += 1
        start = time.perf_counter()
        try:
            run = engine.run(machine, workload.input)
        except Exception as exc:
            result.error = f"run raised {type(exc).__name__}: {exc}"
            return result
        elapsed = time.perf_counter() - start
        problem = check_run(
            workload, run.status, run.output, count_transitions(run.events), run.error, run.cause
        )
        if problem:
            result.error = problem
            return result
        spent += elapsed
        result.transitions = workload.expected_transitions
        result.seconds = min(result.seconds, elapsed)
    return result


def check_run(
    workload: Workload,
    status: Any,
    output: Any,
    transitions: int,
    error: Any = None,
    cause: Any = None,
) -> str | None:
    """Why a run is not the correct run of ``workload``, or None if it is."""
    if status != "SUCCEEDED":
        return f"{status}: {error}: {str(cause)[:200]}"
    if output != workload.expected_output:
        return f"wrong output: {json.dumps(output)[:200]}"
    if transitions != workload.expected_transitions:
        return f"{transitions} transitions, expected {workload.expected_transitions}"
    return None


# --------------------------------------------------------------------------- moto


class MotoRunner:
    """moto's Step Functions interpreter, driven through boto3 inside ``mock_aws``."""

    def __init__(self) -> None:
        for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            os.environ[key] = "testing"
        os.environ["AWS_DEFAULT_REGION"] = REGION
        # moto logs every evaluation error with the whole parse tree: keep quiet.
        logging.getLogger("moto").setLevel(logging.CRITICAL)
        from moto import mock_aws

        self._mock = mock_aws(config={"stepfunctions": {"execute_state_machine": True}})
        self._client: Any = None
        self._threads: list[threading.Thread] | None = None
        self._parse: Any = None
        self._counter = 0

    def __enter__(self) -> MotoRunner:
        import boto3

        self._mock.start()
        self._client = boto3.client("stepfunctions", region_name=REGION)
        try:
            from moto.stepfunctions.parser.utils import TMP_THREADS
        except ImportError:  # another moto layout: poll describe_execution instead
            pass
        else:
            self._threads = TMP_THREADS
        try:
            from moto.stepfunctions.parser.asl.parse.asl_parser import (
                AmazonStateLanguageParser,
            )
        except ImportError:  # without antlr4 moto fails every workload, reported as such
            pass
        else:
            self._parse = AmazonStateLanguageParser.parse
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._mock.stop()

    def _name(self, workload: Workload, size: int) -> str:
        self._counter += 1
        return f"{workload.name}-{size}-{self._counter}"

    def parse_seconds(self, definition_text: str, repeats: int) -> float:
        """Best time moto takes to parse the definition (it does so per execution)."""
        if self._parse is None:
            return 0.0
        best = math.inf
        for _ in range(repeats):
            start = time.perf_counter()
            self._parse(definition_text)
            best = min(best, time.perf_counter() - start)
        return best

    def run_once(
        self, workload: Workload, arn: str, with_history: bool
    ) -> tuple[float, dict[str, Any]]:
        """Start one execution, wait for its end; return (seconds, describe_execution).

        With ``with_history`` the description also gets ``transitions``, counted
        from the execution history (fetched after the clock has stopped).
        """
        client = self._client
        name = self._name(workload, workload.size)
        threads = self._threads
        first_new = len(threads) if threads is not None else 0
        start = time.perf_counter()
        execution_arn = client.start_execution(
            stateMachineArn=arn, name=name, input=json.dumps(workload.input)
        )["executionArn"]
        # moto's ExecutionWorker.start() appends its thread to TMP_THREADS and
        # starts it before start_execution returns: join it.
        if threads is not None and len(threads) > first_new:
            threads[first_new].join(MOTO_TIMEOUT_S)
            elapsed = time.perf_counter() - start
            description = client.describe_execution(executionArn=execution_arn)
        else:
            description = {"status": "RUNNING"}
            elapsed = 0.0
        deadline = start + MOTO_TIMEOUT_S
        while description["status"] == "RUNNING" and time.perf_counter() < deadline:
            description = client.describe_execution(executionArn=execution_arn)
            elapsed = time.perf_counter() - start
        if description["status"] == "RUNNING":
            client.stop_execution(executionArn=execution_arn, error="Bench.Timeout")
        if with_history:
            description["transitions"] = self.history_transitions(execution_arn)
        return elapsed, description

    def history_transitions(self, execution_arn: str) -> int:
        paginator = self._client.get_paginator("get_execution_history")
        total = 0
        for page in paginator.paginate(executionArn=execution_arn):
            total += count_transitions(page["events"])
        return total

    def measure_size(self, workload: Workload, repeats: int) -> Measurement:
        """Best of ``repeats`` moto runs of ``workload`` at its own size."""
        result = Measurement(size=workload.size)
        text = json.dumps(workload.definition)
        try:
            arn = self._client.create_state_machine(
                name=self._name(workload, workload.size), definition=text, roleArn=ROLE_ARN
            )["stateMachineArn"]
        except Exception as exc:
            result.error = f"create_state_machine failed: {type(exc).__name__}: {exc}"
            return result
        best = math.inf
        for attempt in range(repeats):
            try:
                seconds, description = self.run_once(workload, arn, with_history=attempt == 0)
            except Exception as exc:
                result.error = f"{type(exc).__name__}: {exc}"
                return result
            output = description.get("output")
            problem = check_run(
                workload,
                description["status"],
                json.loads(output) if output is not None else None,
                description.get("transitions", workload.expected_transitions),
                description.get("error"),
                description.get("cause"),
            )
            if problem:
                if workload.query_language == workloads.JSONATA and NO_JSONATA in problem:
                    problem = f"no JSONata evaluator in moto: {NO_JSONATA}"
                result.error = problem
                return result
            best = min(best, seconds)
        parse = self.parse_seconds(text, repeats)
        result.subtracted = parse
        result.transitions = workload.expected_transitions
        result.seconds = max(best - parse, 1e-9)
        return result

    def measure(self, workload: Workload, repeats: int) -> Measurement:
        """Measure at full size; if moto fails there, retry once at a reduced size."""
        full = self.measure_size(workload, repeats)
        if full.ok or workload.size < MOTO_REDUCTION * 2:
            return full
        smaller = workloads.build(
            workload.family, workload.size // MOTO_REDUCTION, workload.query_language
        )
        reduced = self.measure_size(smaller, repeats)
        if not reduced.ok:
            return full
        reduced.notes.insert(
            0, f"moto failed at size {workload.size} ({full.error}); measured at {smaller.size}"
        )
        return reduced


# --------------------------------------------------------------------------- report


def _rate_text(value: float) -> str:
    return f"{value:,.0f}"


def summary_line(workload: Workload, ours: Measurement | None, moto: Measurement) -> str:
    """``choice_loop_jsonpath: 123456 transitions/s, moto 1000/s, ratio 123.4x``."""
    if ours is None:
        ours_text = "ours: engine not available"
    elif not ours.ok:
        ours_text = f"ours: FAILED ({ours.error})"
    else:
        ours_text = f"{ours.rate:.0f} transitions/s"
    if moto.skipped:
        moto_text = "moto: skipped"
    elif not moto.ok:
        reason = (moto.error or "").splitlines()[0] if moto.error else ""
        if len(reason) > 100:
            reason = reason[:97] + "..."
        moto_text = "moto: unsupported" + (f" ({reason})" if reason else "")
    else:
        moto_text = f"moto {moto.rate:.0f}/s"
        if moto.size != workload.size:
            moto_text += f" (at size {moto.size})"
    line = f"{workload.name}: {ours_text}, {moto_text}"
    if ours is not None and ours.ok and moto.ok:
        line += f", ratio {ours.rate / moto.rate:.1f}x"
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, a smoke check")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per side (best)")
    parser.add_argument("--no-moto", action="store_true", help="measure our engine only")
    parser.add_argument(
        "--only", default=None, help="comma-separated workload names or families to run"
    )
    args = parser.parse_args(argv)
    sizes = workloads.QUICK_SIZES if args.quick else workloads.FULL_SIZES
    repeats = args.repeats or (2 if args.quick else 3)
    selected = workloads.all_workloads(sizes)
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        selected = [w for w in selected if w.name in wanted or w.family in wanted]

    engine, why_not = load_engine()
    if why_not:
        print(f"our engine: {why_not}; measuring moto only")
    print(
        f"sizes: {', '.join(f'{k}={v}' for k, v in sizes.items())}; "
        f"best of {repeats} runs per side; Python {sys.version.split()[0]}"
    )
    header = (
        f"{'workload':<26}{'transitions':>12}{'ours/s':>12}{'moto/s':>12}"
        f"{'ours/moto':>11}{'moto parse':>12}"
    )
    print(header)
    print("-" * len(header))

    results: list[tuple[Workload, Measurement | None, Measurement]] = []
    failed = False
    moto_runner = None if args.no_moto else MotoRunner()
    try:
        if moto_runner is not None:
            moto_runner.__enter__()
        for workload in selected:
            ours = measure_ours(engine, workload, repeats) if engine is not None else None
            if ours is not None and not ours.ok:
                failed = True
            if moto_runner is not None:
                moto = moto_runner.measure(workload, repeats)
            else:
                moto = Measurement(error="skipped (--no-moto)", skipped=True)
            results.append((workload, ours, moto))
            ours_cell = _rate_text(ours.rate) if ours and ours.ok else "-"
            if ours is not None and not ours.ok:
                ours_cell = "FAILED"
            moto_cell = _rate_text(moto.rate) if moto.ok else "unsupported"
            if moto.skipped:
                moto_cell = "skipped"
            parse_cell = f"{moto.subtracted * 1000:.1f} ms" if moto.ok else "-"
            ratio_cell = f"{ours.rate / moto.rate:.1f}x" if ours and ours.ok and moto.ok else "-"
            print(
                f"{workload.name:<26}{workload.expected_transitions:>12}"
                f"{ours_cell:>12}{moto_cell:>12}{ratio_cell:>11}{parse_cell:>12}",
                flush=True,
            )
            for note in moto.notes:
                print(f"{'':<26}  note: {note}")
    finally:
        if moto_runner is not None:
            moto_runner.__exit__(None, None, None)

    print()
    for workload, ours, moto in results:
        print(summary_line(workload, ours, moto))
    ratios = [ours.rate / moto.rate for _, ours, moto in results if ours and ours.ok and moto.ok]
    ours_rates = [ours.rate for _, ours, _ in results if ours and ours.ok]
    moto_rates = [moto.rate for _, _, moto in results if moto.ok]
    parts = []
    if ours_rates:
        parts.append(f"ours geomean {_geomean(ours_rates):.0f} transitions/s")
    if moto_rates:
        parts.append(f"moto geomean {_geomean(moto_rates):.0f}/s")
    if ratios:
        parts.append(f"ratio geomean {_geomean(ratios):.1f}x over {len(ratios)} workloads")
    print("overall: " + (", ".join(parts) if parts else "nothing measured"))
    if failed:
        print("FAILED: our engine did not run every workload correctly (see above)")
    return 1 if failed else 0


def _geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


if __name__ == "__main__":
    sys.exit(main())
