"""Checks of one state: its fields, its query language, and the rules of its type.

``check_state`` resolves the state's query language, checks its fields
against ``schema.STATE_FIELDS`` and the relations between them, then runs
the type's extra rules from ``_TYPE_RULES`` (Choice rules, Retry/Catch,
Task timeouts, Resource and Credentials in ``resources.py``, Map
configuration and the Distributed Map blocks in ``distributed.py``, Fail
paths in ``fail_paths.py``). Nested state machines (Parallel
branches, Map processors) are walked by ``machine.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from engine.errors import ALL
from engine.jsonvalue import is_integer_value
from engine.validation import schema as s
from engine.validation.choice_rules import check_choices
from engine.validation.distributed import check_blocks, check_placement
from engine.validation.fail_paths import check_fail_paths
from engine.validation.fields import check_object, wrong_type
from engine.validation.report import Path, Report, describe
from engine.validation.resources import check_credentials, check_task_resource
from engine.validation.schema import JSONATA, JSONPATH, Lang

State = dict[Any, Any]


def state_language(state: State, top: Lang) -> Lang:
    """The query language a state uses: its own QueryLanguage, else the machine's."""
    own = state.get("QueryLanguage")
    return JSONATA if own == JSONATA else JSONPATH if own == JSONPATH else top


def check_state(report: Report, where: Path, name: str, state: Any, top: Lang) -> str | None:
    """Check one state; returns its type when it is a known one."""
    what = f"State {name!r}"
    if not isinstance(state, dict):
        wrong_type(report, where, what, state, "an object")
        return None
    kind = state.get("Type")
    if "Type" not in state:
        report.error("SCHEMA_MISSING_FIELD", where, f"{what} has no Type.")
        return None
    if not isinstance(kind, str) or kind not in s.STATE_FIELDS:
        report.error(
            "INVALID_STATE_TYPE",
            (*where, "Type"),
            f"{what} has Type {describe(kind)}; it must be one of {', '.join(s.STATE_TYPES)}.",
        )
        return None
    lang = state_language(state, top)
    if top == JSONATA and state.get("QueryLanguage") == JSONPATH:
        report.error(
            "QUERY_LANGUAGE_CONFLICT",
            (*where, "QueryLanguage"),
            f"{what} uses JSONPath, but the state machine's QueryLanguage is JSONata; "
            "a JSONata machine cannot contain JSONPath states.",
        )
    what = f"{kind} state {name!r}"
    check_object(report, where, state, s.STATE_FIELDS[kind], lang, s.REQUIRED.get(kind, ()), what)
    _relations(report, where, state, kind, what)
    _transition(report, where, state, kind, what)
    for rule in _TYPE_RULES.get(kind, ()):
        rule(report, where, state, lang, what)
    return kind


def _relations(report: Report, where: Path, state: State, kind: str, what: str) -> None:
    for group in s.EXCLUSIVE.get(kind, ()):
        present = [field for field in group if field in state]
        if len(present) > 1:
            report.error(
                "EXCLUSIVE_FIELDS",
                (*where, present[1]),
                f"{what} has {' and '.join(present)}; use only one of {', '.join(group)}.",
            )
    for group in s.ONE_OF.get(kind, ()):
        if not any(field in state for field in group):
            report.error(
                "MISSING_ONE_OF",
                where,
                f"{what} needs exactly one of {', '.join(group)}, but has none.",
            )


def _transition(report: Report, where: Path, state: State, kind: str, what: str) -> None:
    if kind in s.NO_TRANSITION_TYPES:
        return  # Next/End are unknown fields there; the field table reported them
    has_next, ends = "Next" in state, state.get("End") is True
    if has_next and ends:
        report.error(
            "CONFLICTING_TRANSITION",
            (*where, "End"),
            f"{what} has both Next and End; a state either goes on or ends the machine.",
        )
    elif not has_next and not ends:
        report.error(
            "MISSING_TRANSITION",
            where,
            f'{what} has neither Next nor "End": true; add one so the machine knows where to go.',
        )


def _choice(report: Report, where: Path, state: State, lang: Lang, what: str) -> None:
    check_choices(report, (*where, "Choices"), state.get("Choices"), lang)


def _handlers(report: Report, where: Path, state: State, lang: Lang, what: str) -> None:
    for field, table, required in (
        ("Retry", s.RETRIER, s.RETRIER_REQUIRED),
        ("Catch", s.CATCHER, s.CATCHER_REQUIRED),
    ):
        items = state.get(field)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            at, label = (*where, field, index), f"{field}[{index}] of {what}"
            if not isinstance(item, dict):
                wrong_type(report, at, label, item, "an object")
                continue
            check_object(report, at, item, table, lang, required, label)
            _error_equals(report, at, item, label, last=index == len(items) - 1)
            if field == "Retry":
                _retry_limits(report, at, item, label)


def _error_equals(report: Report, at: Path, item: State, label: str, last: bool) -> None:
    names = item.get("ErrorEquals")
    if not isinstance(names, list):
        return
    if not names:
        report.error(
            "ERROR_EQUALS_EMPTY", (*at, "ErrorEquals"), f"{label} has an empty ErrorEquals."
        )
    if ALL in names and len(names) > 1:
        report.error(
            "STATES_ALL_NOT_ALONE",
            (*at, "ErrorEquals"),
            f"{label} lists {ALL} with other error names; {ALL} must appear alone.",
        )
    if ALL in names and not last:
        report.error(
            "STATES_ALL_NOT_LAST",
            (*at, "ErrorEquals"),
            f"{label} matches {ALL} but is not the last one, so the ones after it never run.",
        )


def _retry_limits(report: Report, at: Path, item: State, label: str) -> None:
    for field, limit in (
        ("MaxAttempts", s.MAX_ATTEMPTS_LIMIT),
        ("MaxDelaySeconds", s.MAX_DELAY_LIMIT),
    ):
        value = item.get(field)
        if isinstance(value, (int, float)) and is_integer_value(value) and value > limit:
            report.error(
                "SCHEMA_INVALID_VALUE",
                (*at, field),
                f"{field} of {label} is {value}; the most AWS allows is {limit}.",
            )


def _integer(value: Any) -> int | None:
    return int(value) if is_integer_value(value) else None


def _task(report: Report, where: Path, state: State, lang: Lang, what: str) -> None:
    check_task_resource(report, (*where, "Resource"), state.get("Resource"), what)
    if "Credentials" in state:
        check_credentials(report, (*where, "Credentials"), state["Credentials"], lang, what)
    timeout = _integer(state.get("TimeoutSeconds"))
    heartbeat = _integer(state.get("HeartbeatSeconds"))
    if timeout is not None and heartbeat is not None and heartbeat >= timeout:
        report.error(
            "HEARTBEAT_NOT_BELOW_TIMEOUT",
            (*where, "HeartbeatSeconds"),
            f"{what} has HeartbeatSeconds {heartbeat}, which must be smaller than "
            f"TimeoutSeconds {timeout}.",
        )


def map_mode(state: State) -> str:
    """INLINE or DISTRIBUTED, from the processor's ProcessorConfig (INLINE by default)."""
    processor = state.get("ItemProcessor", state.get("Iterator"))
    config = processor.get("ProcessorConfig") if isinstance(processor, dict) else None
    mode = config.get("Mode") if isinstance(config, dict) else None
    return "DISTRIBUTED" if mode == "DISTRIBUTED" else "INLINE"


def _map(report: Report, where: Path, state: State, lang: Lang, what: str) -> None:
    for field in ("ItemProcessor", "Iterator"):
        processor = state.get(field)
        if isinstance(processor, dict) and "ProcessorConfig" in processor:
            _processor_config(report, (*where, field, "ProcessorConfig"), processor, lang)
    distributed = map_mode(state) == "DISTRIBUTED"
    check_placement(report, where, state, distributed, what)
    check_blocks(report, where, state, lang, what)
    for field in s.DISTRIBUTED_ONLY:
        if field in state and not distributed:
            report.warning(
                "DISTRIBUTED_ONLY_FIELD",
                (*where, field),
                f"{what} is an inline Map, where {field} has no effect; it needs "
                '"ProcessorConfig": {"Mode": "DISTRIBUTED"}.',
            )


def _processor_config(report: Report, at: Path, processor: State, lang: Lang) -> None:
    config = processor["ProcessorConfig"]
    if not isinstance(config, dict):
        return  # the field table already reported the type
    check_object(report, at, config, s.PROCESSOR_CONFIG, lang, (), "ProcessorConfig")
    if config.get("Mode") == "DISTRIBUTED" and "ExecutionType" not in config:
        report.error(
            "SCHEMA_MISSING_FIELD",
            at,
            "ProcessorConfig with Mode DISTRIBUTED needs ExecutionType (STANDARD or EXPRESS).",
        )


Rule = Callable[[Report, Path, State, Lang, str], None]

_TYPE_RULES: Final[dict[str, tuple[Rule, ...]]] = {
    "Choice": (_choice,),
    "Task": (_handlers, _task),
    "Parallel": (_handlers,),
    "Map": (_handlers, _map),
    "Fail": (check_fail_paths,),
}
