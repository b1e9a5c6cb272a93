"""``parse(definition) -> StateMachine``: validate once, compile every expression once.

The validator has already said everything that is wrong with a definition, so
this module assumes a valid shape and only builds the frozen model of
``engine.model``. Each state's expressions are compiled here, never at run time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from engine import choice, jsonata_lang, payload
from engine.diagnostics import Diagnostic
from engine.errors import DefinitionError, ExpressionSyntaxError
from engine.intrinsics import compile_intrinsic, is_intrinsic
from engine.jsonpath import compile_reference, compile_result_path
from engine.model import (
    ABSENT,
    JSONATA,
    JSONPATH,
    Catcher,
    ChoiceBranch,
    ChoiceState,
    ErrorHandling,
    FailState,
    IntegerField,
    ItemBatcher,
    MapState,
    ParallelState,
    PassState,
    Program,
    QueryLanguage,
    Retrier,
    S3Block,
    State,
    StateMachine,
    SucceedState,
    TaskState,
    WaitState,
)
from engine.validation import validate

Json = Mapping[str, Any]
_TOP = "top-level-language"  # a placeholder program that carries the machine's language


def parse(definition: Any, *, tolerate: frozenset[str] = frozenset()) -> StateMachine:
    """Validate ``definition`` and compile it; DefinitionError lists every problem.

    ``tolerate`` names validation codes not to treat as errors (TestState runs one
    state, which need not be a whole machine that can finish)."""
    errors = [d for d in validate(definition) if d.severity == "error" and d.code not in tolerate]
    if errors:
        raise DefinitionError(list(errors))
    language: QueryLanguage = definition.get("QueryLanguage", JSONPATH)
    programs: dict[str, Program] = {_TOP: Program(_TOP, "", {}, language)}
    try:
        _build_program("", definition, language, programs)
    except ExpressionSyntaxError as err:  # a check the validator does not make (yet)
        raise DefinitionError([Diagnostic(_syntax_code(err), err.message, "")]) from None
    del programs[_TOP]
    return StateMachine(
        definition=definition,
        programs=programs,
        query_language=language,
        timeout_seconds=definition.get("TimeoutSeconds"),
        comment=definition.get("Comment"),
    )


def _syntax_code(err: ExpressionSyntaxError) -> str:
    text = err.message
    if "JSONata" in text:
        return "INVALID_JSONATA"
    return "INVALID_INTRINSIC" if "intrinsic" in text.lower() else "INVALID_PATH"


def _build_program(
    program_id: str, body: Json, inherited: QueryLanguage, programs: dict[str, Program]
) -> None:
    language: QueryLanguage = body.get("QueryLanguage", inherited)
    states: dict[str, State] = {}
    for name, raw in body["States"].items():
        pointer = f"{program_id}/States/{_escape(name)}"
        states[name] = _build_state(name, raw, pointer, language, programs)
    programs[program_id] = Program(program_id, body["StartAt"], states, language)


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _build_state(
    name: str, raw: Json, pointer: str, inherited: QueryLanguage, programs: dict[str, Program]
) -> State:
    language: QueryLanguage = raw.get("QueryLanguage", inherited)
    builder = _BUILDERS[raw["Type"]]
    common = _common_fields(name, raw, pointer, language)
    return builder(raw, common, language, programs)


def _common_fields(name: str, raw: Json, pointer: str, language: QueryLanguage) -> dict[str, Any]:
    jsonata = language == JSONATA
    return {
        "name": name,
        "type": raw["Type"],
        "pointer": pointer,
        "query_language": language,
        "next": raw.get("Next"),
        "end": bool(raw.get("End", False)),
        "input_path": ABSENT if jsonata else _optional_reference(raw, "InputPath"),
        "output_path": ABSENT if jsonata else _optional_reference(raw, "OutputPath"),
        "output": _template(raw, "Output") if jsonata else None,
        "assign": _assign(raw.get("Assign"), language),
        "needs_context": _reads_context(raw),
    }


def _reads_context(raw: Json) -> bool:
    """True when any expression of the state can read the context object."""
    text = repr(raw)
    return "$$" in text or ("$states" in text and "context" in text)


def _optional_reference(raw: Json, key: str) -> Any:
    if key not in raw:
        return ABSENT
    value = raw[key]
    return None if value is None else compile_reference(value)


def _optional_result_path(raw: Json) -> Any:
    if "ResultPath" not in raw:
        return ABSENT
    value = raw["ResultPath"]
    return None if value is None else compile_result_path(value)


def _template(raw: Json, key: str, field_name: str | None = None) -> Any:
    if key not in raw:
        return None
    return jsonata_lang.compile_template(raw[key], field_name or key)


def _assign(value: Any, language: QueryLanguage) -> Any:
    if value is None:
        return None
    if language == JSONATA:
        return jsonata_lang.compile_template(value, "Assign")
    return payload.compile_payload(value, "Assign")


def _payload(raw: Json, key: str) -> Any:
    return payload.compile_payload(raw[key], key) if key in raw else None


def _path_or_intrinsic(text: str) -> Any:
    return compile_intrinsic(text) if is_intrinsic(text) else compile_reference(text)


def _integer_field(
    raw: Json, name: str, language: QueryLanguage, parent: str = ""
) -> IntegerField | None:
    value = raw.get(name)
    path_text = raw.get(name + "Path")
    if value is None and path_text is None:
        return None
    if isinstance(value, str) and language == JSONATA:
        location = f"{parent}/{name}" if parent else name  # like 'Output/a' for nested fields
        return IntegerField(name, template=jsonata_lang.compile_template(value, location))
    path = compile_reference(path_text) if path_text is not None else None
    return IntegerField(name, value=value, path=path, path_text=path_text)


def _item_batcher(raw: Any, language: QueryLanguage) -> ItemBatcher | None:
    if not isinstance(raw, dict):
        return None
    batch_input: Any = None
    if "BatchInput" in raw:
        batch_input = (
            jsonata_lang.compile_template(raw["BatchInput"], "ItemBatcher/BatchInput")
            if language == JSONATA
            else payload.compile_payload(raw["BatchInput"], "BatchInput")
        )
    return ItemBatcher(
        max_items=_integer_field(raw, "MaxItemsPerBatch", language, "ItemBatcher"),
        max_bytes=_integer_field(raw, "MaxInputBytesPerBatch", language, "ItemBatcher"),
        batch_input=batch_input,
    )


def _s3_block(raw: Any, language: QueryLanguage, name: str, config_key: str) -> S3Block | None:
    if not isinstance(raw, dict):
        return None
    if language == JSONATA:
        parameters = _template(raw, "Arguments", f"{name}/Arguments")
    else:
        parameters = (
            payload.compile_payload(raw["Parameters"], f"{name}/Parameters")
            if "Parameters" in raw
            else None
        )
    found = raw.get(config_key)
    config: dict[str, Any] = found if isinstance(found, dict) else {}
    max_items = _integer_field(config, "MaxItems", language, config_key) if config else None
    return S3Block(
        resource=raw.get("Resource"), parameters=parameters, config=config, max_items=max_items
    )


def _error_handling(raw: Json, language: QueryLanguage) -> ErrorHandling:
    retry = tuple(_retrier(r) for r in raw.get("Retry", ()))
    catch = tuple(_catcher(c, language) for c in raw.get("Catch", ()))
    return ErrorHandling(retry=retry, catch=catch)


def _retrier(raw: Json) -> Retrier:
    return Retrier(
        error_equals=tuple(raw["ErrorEquals"]),
        interval_seconds=raw.get("IntervalSeconds", 1),
        max_attempts=raw.get("MaxAttempts", 3),
        backoff_rate=raw.get("BackoffRate", 2.0),
        max_delay_seconds=raw.get("MaxDelaySeconds"),
        jitter=raw.get("JitterStrategy", "NONE"),
    )


def _catcher(raw: Json, language: QueryLanguage) -> Catcher:
    jsonata = raw.get("QueryLanguage", language) == JSONATA
    return Catcher(
        error_equals=tuple(raw["ErrorEquals"]),
        next=raw["Next"],
        result_path=ABSENT if jsonata else _optional_result_path(raw),
        output=_template(raw, "Output") if jsonata else None,
        assign=_assign(raw.get("Assign"), JSONATA if jsonata else JSONPATH),
    )


Builder = Callable[[Json, dict[str, Any], QueryLanguage, dict[str, Program]], State]


def _pass(raw: Json, common: dict[str, Any], lang: QueryLanguage, _: dict[str, Program]) -> State:
    return PassState(
        **common,
        result=raw.get("Result", ABSENT),
        parameters=None if lang == JSONATA else _payload(raw, "Parameters"),
        result_path=ABSENT if lang == JSONATA else _optional_result_path(raw),
    )


def _succeed(
    raw: Json, common: dict[str, Any], lang: QueryLanguage, _: dict[str, Program]
) -> State:
    return SucceedState(**common)


def _fail(raw: Json, common: dict[str, Any], lang: QueryLanguage, _: dict[str, Program]) -> State:
    if lang == JSONATA:
        return FailState(
            **common,
            error=_maybe_template(raw.get("Error"), "Error"),
            cause=_maybe_template(raw.get("Cause"), "Cause"),
        )
    return FailState(
        **common,
        error=raw.get("Error"),
        cause=raw.get("Cause"),
        error_path=_path_or_intrinsic(raw["ErrorPath"]) if "ErrorPath" in raw else None,
        cause_path=_path_or_intrinsic(raw["CausePath"]) if "CausePath" in raw else None,
    )


def _maybe_template(value: Any, field_name: str) -> Any:
    if value is None or not jsonata_lang.is_jsonata_expression(value):
        return value
    return jsonata_lang.compile_template(value, field_name)


def _wait(raw: Json, common: dict[str, Any], lang: QueryLanguage, _: dict[str, Program]) -> State:
    timestamp = raw.get("Timestamp")
    if lang == JSONATA:
        timestamp = _maybe_template(timestamp, "Timestamp")
    path_text = raw.get("TimestampPath")
    return WaitState(
        **common,
        seconds=_integer_field(raw, "Seconds", lang),
        timestamp=timestamp,
        timestamp_path=compile_reference(path_text) if path_text is not None else None,
        timestamp_path_text=path_text,
    )


def _choice(raw: Json, common: dict[str, Any], lang: QueryLanguage, _: dict[str, Program]) -> State:
    pointer = common["pointer"]
    branches = tuple(
        _choice_branch(rule, lang, f"{pointer}/Choices/{i}")
        for i, rule in enumerate(raw.get("Choices", ()))
    )
    return ChoiceState(**common, choices=branches, default=raw.get("Default"))


def _choice_branch(raw: Json, lang: QueryLanguage, location: str) -> ChoiceBranch:
    return ChoiceBranch(
        rule=choice.compile_rule(raw, lang, location),
        next=raw["Next"],
        output=_template(raw, "Output") if lang == JSONATA else None,
        assign=_assign(raw.get("Assign"), lang),
    )


def _task(raw: Json, common: dict[str, Any], lang: QueryLanguage, _: dict[str, Program]) -> State:
    jsonata = lang == JSONATA
    return TaskState(
        **common,
        resource=raw["Resource"],
        parameters=None if jsonata else _payload(raw, "Parameters"),
        arguments=_template(raw, "Arguments") if jsonata else None,
        result_selector=None if jsonata else _payload(raw, "ResultSelector"),
        result_path=ABSENT if jsonata else _optional_result_path(raw),
        timeout=_integer_field(raw, "TimeoutSeconds", lang),
        heartbeat=_integer_field(raw, "HeartbeatSeconds", lang),
        credentials=raw.get("Credentials"),
        handling=_error_handling(raw, lang),
    )


def _parallel(
    raw: Json, common: dict[str, Any], lang: QueryLanguage, programs: dict[str, Program]
) -> State:
    jsonata = lang == JSONATA
    branch_ids = []
    for i, branch in enumerate(raw["Branches"]):
        branch_id = f"{common['pointer']}/Branches/{i}"
        _build_program(branch_id, branch, programs[_TOP].query_language, programs)
        branch_ids.append(branch_id)
    return ParallelState(
        **common,
        branches=tuple(branch_ids),
        parameters=None if jsonata else _payload(raw, "Parameters"),
        arguments=_template(raw, "Arguments") if jsonata else None,
        result_selector=None if jsonata else _payload(raw, "ResultSelector"),
        result_path=ABSENT if jsonata else _optional_result_path(raw),
        handling=_error_handling(raw, lang),
    )


def _map(
    raw: Json, common: dict[str, Any], lang: QueryLanguage, programs: dict[str, Program]
) -> State:
    jsonata = lang == JSONATA
    processor_key = "ItemProcessor" if "ItemProcessor" in raw else "Iterator"
    processor = raw[processor_key]
    processor_id = f"{common['pointer']}/{processor_key}"
    _build_program(processor_id, processor, programs[_TOP].query_language, programs)
    selector_key = "ItemSelector" if "ItemSelector" in raw else "Parameters"
    selector: Any = None
    if selector_key in raw:
        selector = (
            jsonata_lang.compile_template(raw[selector_key], selector_key)
            if jsonata
            else payload.compile_payload(raw[selector_key], selector_key)
        )
    items: Any = None
    if jsonata and "Items" in raw:
        items = jsonata_lang.compile_template(raw["Items"], "Items")
    return MapState(
        **common,
        processor=processor_id,
        mode=processor.get("ProcessorConfig", {}).get("Mode", "INLINE"),
        items_path=ABSENT if jsonata else _optional_reference(raw, "ItemsPath"),
        items=items,
        item_selector=selector,
        item_selector_field=selector_key,
        result_selector=None if jsonata else _payload(raw, "ResultSelector"),
        result_path=ABSENT if jsonata else _optional_result_path(raw),
        max_concurrency=_integer_field(raw, "MaxConcurrency", lang),
        tolerated_count=_integer_field(raw, "ToleratedFailureCount", lang),
        tolerated_percentage=_integer_field(raw, "ToleratedFailurePercentage", lang),
        item_batcher=_item_batcher(raw.get("ItemBatcher"), lang),
        item_reader=_s3_block(raw.get("ItemReader"), lang, "ItemReader", "ReaderConfig"),
        result_writer=_s3_block(raw.get("ResultWriter"), lang, "ResultWriter", "WriterConfig"),
        execution_type=processor.get("ProcessorConfig", {}).get("ExecutionType", "STANDARD"),
        label=raw.get("Label"),
        handling=_error_handling(raw, lang),
    )


_BUILDERS: dict[str, Builder] = {
    "Pass": _pass,
    "Succeed": _succeed,
    "Fail": _fail,
    "Wait": _wait,
    "Choice": _choice,
    "Task": _task,
    "Parallel": _parallel,
    "Map": _map,
}
