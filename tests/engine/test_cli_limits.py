"""Issue #13: the command line holds a run to the web app's quotas, in the web app's words.

A definition over 1 MB (``DEFINITION_MAX_BYTES``) and an input over 256 KiB
(``PAYLOAD_MAX_BYTES``) are refused with one line and exit 2; a state output over
the payload quota fails the run with ``States.DataLimitExceeded``, as on the server.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine import limits
from engine.cli import main
from engine.jsonvalue import definition_too_large, input_too_large

PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def _write(tmp_path: Path, name: str, value: object) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(value))
    return str(path)


def _big_definition() -> dict[str, object]:
    filler = "x" * (limits.DEFINITION_MAX_BYTES + 10)
    return {"Comment": filler, **PASS}


def test_a_definition_over_the_quota_is_refused_with_the_servers_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    definition = _big_definition()
    path = _write(tmp_path, "big.json", definition)
    assert main(["run", path]) == 2
    err = capsys.readouterr().err
    expected = definition_too_large(definition)
    assert expected is not None and expected in err
    assert f"the limit is {limits.DEFINITION_MAX_BYTES} bytes" in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_validate_refuses_it_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "big.json", _big_definition())
    assert main(["validate", path]) == 2
    assert "AWS's quota for a state machine definition" in capsys.readouterr().err


def test_a_yaml_definition_is_measured_as_its_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(
        "StartAt: P\nComment: " + "y" * (limits.DEFINITION_MAX_BYTES + 10) + "\n"
        "States:\n  P:\n    Type: Pass\n    End: true\n"
    )
    assert main(["run", str(path)]) == 2
    assert "the limit is 1048576 bytes" in capsys.readouterr().err


def test_a_definition_at_the_quota_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    room = limits.DEFINITION_MAX_BYTES - len(
        json.dumps({"Comment": "", **PASS}, separators=(",", ":"))
    )
    definition = {"Comment": "x" * room, **PASS}
    assert definition_too_large(definition) is None
    assert main(["run", _write(tmp_path, "d.json", definition)]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "SUCCEEDED"


@pytest.mark.parametrize("as_file", [False, True])
def test_an_input_over_the_payload_quota_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], as_file: bool
) -> None:
    value = {"x": "a" * limits.PAYLOAD_MAX_BYTES}
    text = json.dumps(value)
    argument = "@" + _write(tmp_path, "input.json", value) if as_file else text
    assert main(["run", _write(tmp_path, "d.json", PASS), "--input", argument]) == 2
    err = capsys.readouterr().err
    assert err == f"error: --input: {input_too_large(value)}\n"
    assert "larger than the 256 KiB payload quota" in err


def test_an_input_within_the_quota_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    value = {"x": "a" * (limits.PAYLOAD_MAX_BYTES - 100)}
    assert main(["run", _write(tmp_path, "d.json", PASS), "--input", json.dumps(value)]) == 0
    assert json.loads(capsys.readouterr().out)["output"] == value


def test_an_output_over_the_quota_fails_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = {
        "StartAt": "P",
        "States": {"P": {"Type": "Pass", "Result": "b" * limits.PAYLOAD_MAX_BYTES, "End": True}},
    }
    assert main(["run", _write(tmp_path, "d.json", big)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert (out["status"], out["error"]) == ("FAILED", "States.DataLimitExceeded")
