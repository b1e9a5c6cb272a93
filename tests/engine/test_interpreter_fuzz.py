"""Property tests: no Python exception reaches a user, whatever the definition and input.

Generated definitions (both query languages, see ``strategies``) are parsed,
run with ``engine.run`` and through the CLI (``run`` and ``validate``): a bad
definition is a ``DefinitionError`` with diagnostics, a failing execution ends
FAILED with an ASL error name and a cause, and nothing else escapes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine import interpreter
from engine.cli import main
from engine.errors import DefinitionError
from engine.interpreter.effects import (
    InvokeTask,
    StartTimer,
    StopExecution,
    TaskFailed,
    TaskHeartbeat,
    TaskSucceeded,
    TimerFired,
)
from tests.engine.strategies import definitions, inputs, json_values, task_results

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _task_names(definition: Any) -> list[str]:
    names: list[str] = []

    def walk(body: dict[str, Any]) -> None:
        for name, state in body["States"].items():
            if state["Type"] == "Task":
                names.append(name)
            for branch in state.get("Branches", []):
                walk(branch)
            if "ItemProcessor" in state:
                walk(state["ItemProcessor"])

    walk(definition)
    return names


def _check(result: engine.ExecutionResult) -> None:
    assert result.status in ("SUCCEEDED", "FAILED"), result.status
    if result.status == "FAILED":  # a Fail state may set any (or no) Error and Cause
        assert result.error is None or isinstance(result.error, str), result
        assert result.cause is None or isinstance(result.cause, str), result


@SETTINGS
@given(definition=definitions(), data=inputs, answers=st.lists(task_results, min_size=1))
def test_run_never_raises(definition: dict[str, Any], data: Any, answers: list[Any]) -> None:
    try:
        machine = engine.parse(definition)
    except DefinitionError as err:
        assert err.diagnostics
        return
    mocks = dict.fromkeys(_task_names(definition), answers)
    _check(engine.run(machine, data, mocks=mocks, max_events=2_000))


@SETTINGS
@given(definition=definitions(), data=inputs)
def test_cli_never_raises(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], definition: dict[str, Any], data: Any
) -> None:
    path = tmp_path / "machine.json"
    path.write_text(json.dumps(definition), encoding="utf-8")
    mocks = tmp_path / "mocks.json"
    mocks.write_text(json.dumps({n: [{"Return": 1}] for n in _task_names(definition)}))
    assert main(["validate", str(path)]) in (0, 1)
    assert isinstance(json.loads(capsys.readouterr().out), list)
    code = main(["run", str(path), "--input", json.dumps(data), "--mocks", str(mocks)])
    assert code in (0, 1)
    assert json.loads(capsys.readouterr().out)["status"] in ("SUCCEEDED", "FAILED", "INVALID")


@pytest.mark.parametrize(
    "mocks",
    [
        "not json",
        "[1]",
        '{"T": 1}',
        '{"T": []}',
        '{"T": [{"Delay": "x"}]}',
        '{"T": [{"Throw": "boom"}]}',
        '{"T": [{"Heartbeats": [1, "a"]}]}',
    ],
)
def test_cli_rejects_bad_mocks_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mocks: str
) -> None:
    machine = tmp_path / "m.json"
    machine.write_text(json.dumps({"StartAt": "T", "States": {"T": {"Type": "Pass", "End": True}}}))
    (tmp_path / "mocks.json").write_text(mocks)
    assert main(["run", str(machine), "--mocks", str(tmp_path / "mocks.json")]) == 2
    assert capsys.readouterr().err.startswith("error: ")


# ---- the functional core, driven by arbitrary signals ---------------------------------

signal_choices = st.lists(
    st.tuples(
        st.sampled_from(["timer", "ok", "fail", "beat", "stale", "stop"]),
        st.integers(min_value=0, max_value=3),
        json_values,
    ),
    max_size=12,
)


def _signal(kind: str, pick: int, value: Any, effects: list[Any]) -> Any:
    """A signal for one of the outstanding effects (or a stale id when there is none)."""
    timers = [e.timer_id for e in effects if isinstance(e, StartTimer)]
    tasks = [e.task_id for e in effects if isinstance(e, InvokeTask)]
    if kind == "timer" and timers:
        return TimerFired(timers[pick % len(timers)])
    if kind in ("ok", "fail", "beat") and tasks:
        task_id = tasks[pick % len(tasks)]
        if kind == "ok":
            return TaskSucceeded(task_id, value)
        if kind == "fail":
            return TaskFailed(task_id, "E", None if value is None else str(value))
        return TaskHeartbeat(task_id)
    if kind == "stop":
        return StopExecution("Stopped", None)
    return TimerFired(10_000 + pick)  # unknown id: ignored


@SETTINGS
@given(definition=definitions(), data=inputs, signals=signal_choices)
def test_start_and_advance_never_raise(
    definition: dict[str, Any], data: Any, signals: list[tuple[str, int, Any]]
) -> None:
    try:
        machine = engine.parse(definition)
    except DefinitionError:
        return
    now = 1_700_000_000.0
    ex = interpreter.new_execution(machine, data, now)
    step = interpreter.start(machine, ex, now)
    effects = list(step.effects)
    for kind, pick, value in signals:
        if step.finished:
            break
        now += 1
        step = interpreter.advance(machine, ex, _signal(kind, pick, value, effects), now)
        effects.extend(step.effects)
    assert ex.status in ("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")
    if ex.status == "FAILED":
        assert ex.error is None or isinstance(ex.error, str)


def test_cli_input_nested_too_deeply_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    machine = tmp_path / "m.json"
    machine.write_text(json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))
    deep = "[" * 100_000 + "]" * 100_000
    assert main(["run", str(machine), "--input", deep]) == 2
    assert "nests too deeply" in capsys.readouterr().err


def _nested(depth: int) -> list[Any]:
    root: list[Any] = []
    node = root
    for _ in range(depth):
        child: list[Any] = []
        node.append(child)
        node = child
    return root


@pytest.mark.parametrize(
    ("definition", "error"),
    [
        (
            {
                "QueryLanguage": "JSONata",
                "StartAt": "A",
                "States": {"A": {"Type": "Pass", "Output": "{% $states.input[0] %}", "End": True}},
            },
            "States.QueryEvaluationError",
        ),
        (
            {
                "StartAt": "A",
                "States": {
                    "A": {
                        "Type": "Pass",
                        "Parameters": {"x.$": "States.ArrayUnique($)"},
                        "End": True,
                    }
                },
            },
            "States.IntrinsicFailure",
        ),
    ],
)
def test_values_deeper_than_json_fail_as_asl_errors(definition: dict[str, Any], error: str) -> None:
    # engine.run takes Python values, which can nest deeper than any JSON text.
    result = engine.run(engine.parse(definition), _nested(5_000))
    assert (result.status, result.error) == ("FAILED", error)
    assert "nest" in str(result.cause)
