"""Step Functions Local's mock configuration file, checked and turned into per-state scripts.

The file is a JSON object with two members:

* ``StateMachines``: ``{machine name: {"TestCases": {case: {state: response name}}}}``;
* ``MockedResponses``: ``{response name: {invocations: response}}`` where
  ``invocations`` is ``"0"`` or a range ``"1-2"`` (0-based, inclusive, together
  covering ``0..n`` without gaps or overlaps) and a response is
  ``{"Return": value}`` or ``{"Throw": {"Error": text, "Cause": text}}``.

``mock_config_problems`` lists every problem at once, each with the JSON
Pointer where it is; ``test_case_script`` turns one test case into what
``engine.adapters.MockTasks`` runs: ``{state: [response for invocation 0, 1, ...]}``
(the last response repeats for later invocations).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Script = dict[str, list[dict[str, Any]]]
MAX_INVOCATIONS = 1000  # a range may reach invocation 999 at most


class MockConfigError(ValueError):
    """The configuration, or the machine or test case asked for, does not fit."""


def _pointer(*parts: str) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


def _invocations(key: str) -> tuple[int, int] | None:
    first, dash, last = key.partition("-")
    if not first.isdigit() or (dash and not last.isdigit()):
        return None
    low, high = int(first), int(last if dash else first)
    return (low, high) if low <= high else None


def _response_problems(name: str, ranges: Any) -> list[str]:
    at = ("MockedResponses", name)
    if not isinstance(ranges, Mapping) or not ranges:
        return [f'{_pointer(*at)}: an object of invocation ranges ("0", "1-2") to responses']
    problems: list[str] = []
    covered: list[tuple[int, int]] = []
    for key, response in ranges.items():
        span = _invocations(str(key))
        if span is None or span[1] >= MAX_INVOCATIONS:
            problems.append(
                f"{_pointer(*at, str(key))}: not an invocation number or range "
                f"(0 to {MAX_INVOCATIONS - 1})"
            )
            continue
        covered.append(span)
        problems.extend(_one_response(response, (*at, str(key))))
    covered.sort()
    expected = 0
    for low, high in covered:
        if low != expected:
            problems.append(
                f"{_pointer(*at)}: invocation {expected} has no response (ranges must follow "
                "each other from 0, without gaps or overlaps)"
            )
            break
        expected = high + 1
    return problems


def _one_response(response: Any, at: tuple[str, ...]) -> list[str]:
    if not isinstance(response, Mapping) or len({"Return", "Throw"} & set(response)) != 1:
        return [f"{_pointer(*at)}: exactly one of Return and Throw"]
    unknown = sorted(set(response) - {"Return", "Throw"})
    if unknown:
        return [f"{_pointer(*at)}: unknown field {unknown[0]}"]
    throw = response.get("Throw")
    if "Throw" in response:
        if not isinstance(throw, Mapping) or set(throw) - {"Error", "Cause"}:
            return [f"{_pointer(*at, 'Throw')}: an object with Error and Cause"]
        for field in ("Error", "Cause"):
            if field in throw and not isinstance(throw[field], str):
                return [f"{_pointer(*at, 'Throw', field)}: must be text"]
    return []


def _machine_problems(name: str, machine: Any, responses: Mapping[str, Any]) -> list[str]:
    at = ("StateMachines", name)
    cases = machine.get("TestCases") if isinstance(machine, Mapping) else None
    if not isinstance(cases, Mapping):
        return [f"{_pointer(*at)}: an object with TestCases"]
    problems: list[str] = []
    for case, states in cases.items():
        if not isinstance(states, Mapping):
            problems.append(f"{_pointer(*at, 'TestCases', case)}: an object of state -> response")
            continue
        for state, response in states.items():
            where = _pointer(*at, "TestCases", case, state)
            if not isinstance(response, str):
                problems.append(f"{where}: the name of a mocked response")
            elif response not in responses:
                problems.append(f"{where}: MockedResponses has no {response!r}")
    return problems


def mock_config_problems(config: Any) -> list[str]:
    """Every problem of a mock configuration, as ``"<JSON Pointer>: <what is wrong>"``."""
    if not isinstance(config, Mapping):
        return ["(root): a JSON object with StateMachines and MockedResponses"]
    problems = [
        f"/{key}: unknown field"
        for key in config
        if key not in ("StateMachines", "MockedResponses")
    ]
    machines, responses = config.get("StateMachines", {}), config.get("MockedResponses", {})
    if not isinstance(responses, Mapping):
        return [*problems, "/MockedResponses: an object of response name -> invocations"]
    if not isinstance(machines, Mapping):
        return [*problems, "/StateMachines: an object of state machine name -> TestCases"]
    for name, ranges in responses.items():
        problems.extend(_response_problems(name, ranges))
    for name, machine in machines.items():
        problems.extend(_machine_problems(name, machine, responses))
    return problems


def test_case_script(config: Mapping[str, Any], machine: str, case: str) -> Script:
    """The per-state script of test case ``case`` of ``machine`` (MockConfigError if none)."""
    machines = config.get("StateMachines") or {}
    if machine not in machines:
        known = ", ".join(sorted(machines)) or "none"
        raise MockConfigError(
            f"The mock configuration has no state machine {machine!r} (it has: {known})."
        )
    cases = machines[machine].get("TestCases") or {}
    if case not in cases:
        known = ", ".join(sorted(cases)) or "none"
        raise MockConfigError(
            f"State machine {machine!r} has no test case {case!r} (it has: {known})."
        )
    responses = config.get("MockedResponses") or {}
    return {state: _expand(responses[name]) for state, name in cases[case].items()}


test_case_script.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def _expand(ranges: Mapping[str, Any]) -> list[dict[str, Any]]:
    table: dict[int, dict[str, Any]] = {}
    for key, response in ranges.items():
        span = _invocations(str(key))
        if span is None or span[1] >= MAX_INVOCATIONS:
            raise MockConfigError(f"{key!r} is not an invocation number or range.")
        for invocation in range(span[0], span[1] + 1):
            table[invocation] = dict(response)
    return [table[i] for i in sorted(table)]
