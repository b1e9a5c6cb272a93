"""Run recorded AWS cases (the ``shared/conformance`` JSONL format) and compare.

Each case is a definition, an input and what real AWS did: the status, the
output or error and cause, and (where usable) the history events. A case
passes when the result matches and, for usable histories, every event matches
by type, id, name, index, length, error, cause, location, state, input, output
and assigned variables. ``previousEventId`` mismatches are reported separately
(``link`` failures), as the corpus README asks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from engine.errors import DefinitionError
from engine.history import Event, details
from engine.parser import parse
from engine.runner import run

_EXACT_FIELDS = ("name", "index", "length", "error", "cause", "location", "state")
_VALUE_FIELDS = ("input", "output", "assignedVariables")


@dataclass
class CaseReport:
    id: str
    ok: bool
    problems: list[str] = field(default_factory=list)
    link_problems: list[str] = field(default_factory=list)


def load_cases(path: str) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def same_json(a: Any, b: Any) -> bool:
    """JSON equality: key order ignored, 1 == 1.0, but true != 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def run_case(case: dict[str, Any]) -> CaseReport:
    report = CaseReport(case["id"], ok=True)
    try:
        machine = parse(case["definition"])
    except DefinitionError as err:
        report.problems.append(f"definition rejected: {err}")
        report.ok = False
        return report
    result = run(machine, case["input"])
    expected = case["expected"]
    _compare_result(result.to_dict(), expected, report)
    if expected.get("events") and not expected.get("events_unreliable"):
        _compare_events(result.events, expected["events"], report)
    report.ok = not report.problems
    return report


def _compare_result(actual: dict[str, Any], expected: dict[str, Any], report: CaseReport) -> None:
    if actual["status"] != expected["status"]:
        report.problems.append(
            f"status {actual['status']} != {expected['status']}"
            f" (error={actual.get('error')!r}, cause={actual.get('cause')!r})"
        )
        return
    if expected["status"] == "SUCCEEDED":
        if not same_json(actual.get("output"), expected.get("output")):
            report.problems.append(
                f"output {json.dumps(actual.get('output'))[:300]} != "
                f"{json.dumps(expected.get('output'))[:300]}"
            )
        return
    for key in ("error", "cause"):
        if key in expected and actual.get(key) != expected[key]:
            report.problems.append(f"{key} {actual.get(key)!r} != {expected[key]!r}")


def _compare_events(
    actual: list[Event], expected: list[dict[str, Any]], report: CaseReport
) -> None:
    for position, want in enumerate(expected):
        if position >= len(actual):
            report.problems.append(f"event #{position + 1} missing: expected {want['type']}")
            return
        got = actual[position]
        problems = _event_problems(got, want)
        if problems:
            report.problems.append(
                f"event #{position + 1} ({want['type']}): " + "; ".join(problems)
            )
            return
        linked = "previousEventId" in want and "previousEventId" not in want.get("omitted", {})
        if linked and got["previousEventId"] != want["previousEventId"]:
            report.link_problems.append(
                f"event #{position + 1} ({want['type']}) previousEventId "
                f"{got['previousEventId']} != {want['previousEventId']}"
            )
    if len(actual) > len(expected):
        extra = [e["type"] for e in actual[len(expected) :]]
        report.problems.append(f"{len(extra)} extra events: {extra[:5]}")


def _event_problems(got: Event, want: dict[str, Any]) -> list[str]:
    omitted = want.get("omitted", {})
    info = details(got)
    problems = []
    if got["type"] != want["type"]:
        return [f"type {got['type']} != {want['type']}"]
    if "id" in want and "id" not in omitted and got["id"] != want["id"]:
        problems.append(f"id {got['id']} != {want['id']}")
    for key in _EXACT_FIELDS:
        if key in want and key not in omitted and info.get(key) != want[key]:
            problems.append(f"{key} {info.get(key)!r} != {want[key]!r}")
    for key in _VALUE_FIELDS:
        if key in want and key not in omitted and not same_json(info.get(key), want[key]):
            problems.append(
                f"{key} {json.dumps(info.get(key))[:200]} != {json.dumps(want[key])[:200]}"
            )
    return problems


def run_cases(cases: Iterable[dict[str, Any]]) -> list[CaseReport]:
    return [run_case(case) for case in cases]
