"""The command line against hostile files and values: one clear line and exit 2, never a
traceback (found by a new user trying the CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.cli import main
from engine.validation import validate_text

PASS_ADD = {
    "StartAt": "P",
    "States": {"P": {"Type": "Pass", "Parameters": {"a.$": "States.MathAdd($.x, 0)"}, "End": True}},
}
TASK = {
    "StartAt": "T",
    "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": True}},
}


def _file(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return str(path)


@pytest.mark.parametrize("command", ["validate", "run", "conformance"])
def test_a_file_that_is_not_utf8_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    path = _file(tmp_path, "bin.json", b"\xff\xfe\x00garbage\x80")
    assert main([command, path]) == 2
    assert "is not UTF-8 text" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_input_that_is_not_json_numbers_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    path = _file(tmp_path, "d.json", json.dumps(PASS_ADD))
    assert main(["run", path, "--input", f'{{"x": {value}}}']) == 2
    assert "--input is not JSON" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["NaN", "Infinity", "1e400"])
def test_the_validator_refuses_what_json_has_not(value: str) -> None:
    text = '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":VALUE,"End":true}}}'
    text = text.replace("VALUE", value)
    codes = [d.code for d in validate_text(text)]
    assert codes == ["SYNTAX_ERROR"]


def test_an_infinite_intrinsic_argument_is_an_intrinsic_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    definition = json.loads(json.dumps(PASS_ADD).replace("$.x", "1e400"))
    path = _file(tmp_path, "d.json", json.dumps(definition))
    assert main(["run", path]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["error"] == "States.IntrinsicFailure"
    assert "finite number" in result["cause"]


def test_a_mock_without_return_or_throw_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    definition = _file(tmp_path, "d.json", json.dumps(TASK))
    mocks = _file(tmp_path, "m.json", json.dumps({"T": [{"Error": "E", "Cause": "c"}]}))
    assert main(["run", definition, "--mocks", mocks]) == 2
    assert "mocks must be" in capsys.readouterr().err


def test_conformance_on_a_file_of_other_json_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, "d.json", json.dumps(PASS_ADD))
    assert main(["conformance", path]) == 2
    assert "is not a recorded case" in capsys.readouterr().err


def test_history_with_a_lone_surrogate_is_printed_as_json_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = '{"StartAt":"A\\ud800","States":{"A\\ud800":{"Type":"Succeed"}}}'
    path = _file(tmp_path, "d.json", text)
    main(["run", path, "--history"])
    out = capsys.readouterr().out
    assert "\\ud800" in out
    json.loads(out)
