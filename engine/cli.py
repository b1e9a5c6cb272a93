"""The ``python -m engine`` command line: run, validate, conformance.

Output is JSON on stdout where a script reads it; problems go to stderr as one
clear line, never a traceback. Exit status: 0 success, 1 the execution failed or
the definition or cases have errors, 2 bad usage or unreadable files.

The web app's quotas hold here too, with its words (``engine.jsonvalue``): a
definition of at most 1 MB (``DEFINITION_MAX_BYTES``) and an input of at most
256 KiB (``PAYLOAD_MAX_BYTES``); every state's output and task result is held to
the payload quota at run time, as on the server (``States.DataLimitExceeded``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import sys
from pathlib import Path
from typing import Any

from engine.adapters import AdapterRegistry, MockTasks
from engine.conformance import load_cases, run_case
from engine.errors import DefinitionError
from engine.jsonvalue import definition_too_large, input_too_large
from engine.mock_config import MockConfigError, mock_config_problems, test_case_script
from engine.parser import parse
from engine.runner import run
from engine.validation import load_definition, validate_text


class UsageError(Exception):
    """Bad arguments or unreadable input: exit 2 with the message."""


def _read_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise UsageError(f"cannot read {path}: {err.strerror}") from None
    except UnicodeDecodeError as err:
        raise UsageError(f"{path} is not UTF-8 text (byte {err.start})") from None


def _strict_json(text: str) -> Any:
    """JSON as RFC 8259 has it: NaN, Infinity and numbers beyond a double are refused."""

    def refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not a JSON value")

    def finite(number: str) -> float:
        value = float(number)
        if not math.isfinite(value):
            raise ValueError(f"the number {number[:40]} is out of range")
        return value

    return json.loads(text, parse_constant=refuse_constant, parse_float=finite)


def _load_definition(path: str) -> Any:
    definition, problems = load_definition(_read_text(path))
    if problems and definition is None:
        raise UsageError("; ".join(f"{path}:{d.line}:{d.column}: {d.message}" for d in problems))
    too_large = definition_too_large(definition)
    if too_large is not None:
        raise UsageError(f"{path}: {too_large}")
    return definition


def _parse_input(text: str | None) -> Any:
    if text is None:
        return {}
    if text.startswith("@"):
        text = _read_text(text[1:])
    value = _input_json(text)
    too_large = input_too_large(value)
    if too_large is not None:
        raise UsageError(f"--input: {too_large}")
    return value


def _input_json(text: str) -> Any:
    try:
        return _strict_json(text)
    except json.JSONDecodeError as err:
        raise UsageError(
            f"--input is not JSON: {err.msg} at line {err.lineno} column {err.colno}"
        ) from None
    except ValueError as err:
        raise UsageError(f"--input is not JSON: {err}") from None
    except RecursionError:
        raise UsageError("--input nests too deeply to read") from None


def _load_mocks(path: str) -> MockTasks:
    """``--mocks``: a JSON object of state name -> list of responses."""
    try:
        value = _strict_json(_read_text(path))
    except json.JSONDecodeError as err:
        raise UsageError(f"{path}: not JSON ({err.msg} at line {err.lineno})") from None
    except ValueError as err:
        raise UsageError(f"{path}: not JSON ({err})") from None
    except RecursionError:
        raise UsageError(f"{path}: nests too deeply to read") from None
    valid = isinstance(value, dict) and all(
        isinstance(v, list) and v and all(_is_response(r) for r in v) for v in value.values()
    )
    if not valid:
        raise UsageError(
            f"{path}: mocks must be an object of state name -> [responses], each "
            '{"Return": value} or {"Throw": {"Error": e, "Cause": c}}, '
            'with optional numeric "Delay" and "Heartbeats"'
        )
    return MockTasks(value)


def _test_case(args: argparse.Namespace) -> MockTasks:
    """``--mock-config FILE --test-case NAME``: Step Functions Local's mock configuration."""
    if not (args.mock_config and args.test_case):
        raise UsageError("--mock-config and --test-case go together")
    try:
        config = _strict_json(_read_text(args.mock_config))
    except (ValueError, RecursionError) as err:
        raise UsageError(f"{args.mock_config}: not JSON ({err})") from None
    problems = mock_config_problems(config)
    if problems:
        raise UsageError(f"{args.mock_config}: {problems[0]}")
    machines = list(config.get("StateMachines") or {})
    machine = args.state_machine or (
        machines[0] if len(machines) == 1 else Path(args.definition).stem
    )
    try:
        script = test_case_script(config, machine, args.test_case)
        return MockTasks({state: list(responses) for state, responses in script.items()})
    except MockConfigError as err:
        raise UsageError(f"{args.mock_config}: {err}") from None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def _is_response(spec: Any) -> bool:
    if not isinstance(spec, dict) or len({"Return", "Throw"} & spec.keys()) != 1:
        return False  # exactly one of Return and Throw
    throw = spec.get("Throw", {})
    return (
        _is_number(spec.get("Delay", 0))
        and isinstance(spec.get("Heartbeats", []), list)
        and all(_is_number(b) for b in spec.get("Heartbeats", []))
        and isinstance(throw, dict)
        and all(isinstance(throw.get(k, ""), str) for k in ("Error", "Cause"))
    )


def cmd_run(args: argparse.Namespace) -> int:
    definition = _load_definition(args.definition)
    try:
        machine = parse(definition)
    except DefinitionError as err:
        _print_json({"status": "INVALID", "diagnostics": [d.to_dict() for d in err.diagnostics]})  # type: ignore[attr-defined]
        return 1
    mocks = _load_mocks(args.mocks) if args.mocks else None
    if args.mock_config or args.test_case:
        if mocks is not None:
            raise UsageError("use --mocks or --mock-config, not both")
        mocks = _test_case(args)
    result = run(
        machine,
        _parse_input(args.input),
        adapters=task_adapters(),
        mocks=mocks,
        real_time=args.real_time,
    )
    out = result.to_dict()
    if args.history:
        out["events"] = result.history()
    _print_json(out)
    return 0 if result.status == "SUCCEEDED" else 1


def task_adapters() -> AdapterRegistry:
    """The real task resources (HTTP, Python functions) available to ``run``."""
    registry = AdapterRegistry()
    for name in ("engine.tasks.http", "engine.tasks.functions"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        module.register(registry)
    return registry


def cmd_validate(args: argparse.Namespace) -> int:
    text = _read_text(args.definition)
    definition, _ = load_definition(text)
    too_large = definition_too_large(definition) if definition is not None else None
    if too_large is not None:
        raise UsageError(f"{args.definition}: {too_large}")
    diagnostics = validate_text(text)
    _print_json([d.to_dict() for d in diagnostics])
    return 1 if any(d.severity == "error" for d in diagnostics) else 0


def cmd_conformance(args: argparse.Namespace) -> int:
    try:
        cases = list(load_cases(args.cases))
    except OSError as err:
        raise UsageError(f"cannot read {args.cases}: {err.strerror}") from None
    except json.JSONDecodeError as err:
        raise UsageError(f"{args.cases}: not JSON Lines ({err.msg}, line {err.lineno})") from None
    except UnicodeDecodeError as err:
        raise UsageError(f"{args.cases} is not UTF-8 text (byte {err.start})") from None
    passed = failed = links = 0
    for number, case in enumerate(cases, 1):
        if not isinstance(case, dict) or not {"id", "definition", "expected"} <= case.keys():
            raise UsageError(f"{args.cases}: line {number} is not a recorded case")
        report = run_case(case)
        if report.ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {report.id}: {report.problems[0]}")
        if report.link_problems:
            links += 1
            if args.links:
                print(f"LINK {report.id}: {report.link_problems[0]}")
    if links:
        print(f"previousEventId: {links} cases differ from AWS's links (see --links)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def _print_json(value: Any) -> None:
    try:
        text = json.dumps(value, indent=2, ensure_ascii=False)
        sys.stdout.write(text + "\n")
    except UnicodeEncodeError:  # text UTF-8 cannot hold (a lone surrogate): as JSON escapes
        sys.stdout.write(json.dumps(value, indent=2) + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m engine", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run_p = sub.add_parser("run", help="run a state machine in memory")
    run_p.add_argument("definition", help="ASL definition file (JSON or YAML)")
    run_p.add_argument("--input", help="execution input: JSON text or @file")
    run_p.add_argument("--history", action="store_true", help="include the history events")
    run_p.add_argument("--mocks", help="JSON file: {state name: [responses per attempt]}")
    run_p.add_argument(
        "--mock-config", help="Step Functions Local's mock configuration file (MockConfigFile.json)"
    )
    run_p.add_argument("--test-case", help="the test case of --mock-config to run")
    run_p.add_argument(
        "--state-machine",
        help="its name in --mock-config (default: the only one, else the file's stem)",
    )
    run_p.add_argument("--real-time", action="store_true", help="really wait for Wait states")
    run_p.set_defaults(func=cmd_run)
    val_p = sub.add_parser("validate", help="list every problem in a definition")
    val_p.add_argument("definition")
    val_p.set_defaults(func=cmd_validate)
    conf_p = sub.add_parser("conformance", help="run recorded AWS cases (JSON Lines)")
    conf_p.add_argument("cases")
    conf_p.add_argument("--links", action="store_true", help="list previousEventId differences")
    conf_p.set_defaults(func=cmd_conformance)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = int(args.func(args))
        sys.stdout.flush()
        return code
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (``| head``): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
