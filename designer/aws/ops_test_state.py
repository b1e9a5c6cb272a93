"""TestState: one state on one input (``designer.services.test_state``, the inspector's service).

``definition`` is a state, or a whole state machine with ``stateName`` naming
the state to test (found at any depth, in branches and item processors too;
the machine's ``QueryLanguage`` applies unless the state has its own).
``input``, ``variables``, ``context`` and ``mock.result`` are JSON text;
``mock.errorOutput`` makes the Task fail; ``stateConfiguration.retrierRetryCount``
says how many retries already happened. Map and Parallel states are tested
with a mock of their whole result or error (``engine.teststate_containers``),
with ``errorCausedByState``, ``mapIterationFailureCount`` and
``mapItemReaderData`` (the ItemReader's source as text, read by the Map Run's
own readers). ``mock.fieldValidationMode`` (``STRICT`` by default,
``PRESENT``, ``NONE``) checks a mocked result of an AWS SDK integration
against botocore's model of that API, and a Map's or Parallel's mocked result
against the state (``mock_shapes``). Problems with the request rather than
the state (a mock where none applies, a configuration for another kind of
state) are ValidationExceptions, as on AWS; problems with the state are
InvalidDefinition with each diagnostic's JSON Pointer.
"""

from __future__ import annotations

from typing import Any

from designer.aws.errors import AwsError, diagnostics_text, from_domain
from designer.aws.mock_shapes import check_mock_result
from designer.aws.wire import json_text, json_value, state_tables
from designer.errors import DomainError, ValidationFailed
from designer.services.access_keys import KeyHolder
from designer.services.map_run_readers import ReadFailed, items_from_text
from designer.services.test_state import test_state_run
from engine.teststate import DEFAULT_STATE_NAME

_REQUEST_CODES = frozenset(
    {"TEST_STATE_MOCK", "TEST_STATE_NEEDS_MOCK", "TEST_STATE_CONFIGURATION", "TEST_STATE_NAME"}
)
_TEXT_STAGES = (
    "input",
    "afterInputPath",
    "afterParameters",
    "afterArguments",
    "result",
    "afterResultSelector",
    "afterResultPath",
    "variables",
    "afterItemsPath",
    "afterItemSelector",
    "afterItemBatcher",
    "afterItemsPointer",
)


def _the_state(definition: Any, state_name: str | None) -> tuple[Any, str | None, str | None]:
    """(state definition, its name, the machine's query language) to test."""
    if not isinstance(definition, dict) or "States" not in definition:
        return definition, state_name, None
    language = definition.get("QueryLanguage")
    name = state_name or definition.get("StartAt")
    for states in state_tables(definition):
        if isinstance(name, str) and name in states:
            return states[name], name, language
    raise AwsError(
        "ValidationException", f"The state machine definition has no state named {name!r}."
    )


def _mock(state: Any, mock: dict[str, Any] | None) -> dict[str, Any] | None:
    if not mock:
        return None
    if "result" in mock:
        result = json_value(mock["result"], "ValidationException", "mock result")
        check_mock_result(state, result, mock.get("fieldValidationMode", "STRICT"))
        return {"result": result}
    if "errorOutput" in mock:
        return {"errorOutput": dict(mock["errorOutput"])}
    raise AwsError("ValidationException", "A mock has a result or an errorOutput.")


def _inspection(data: dict[str, Any]) -> dict[str, Any]:
    return {k: json_text(v) if k in _TEXT_STAGES else v for k, v in data.items()}


def _reader_items(state: Any, config: dict[str, Any]) -> list[Any] | None:
    """``mapItemReaderData`` read as the Map's ItemReader reads its source."""
    text = config.get("mapItemReaderData")
    if text is None:
        return None
    reader = state.get("ItemReader") if isinstance(state, dict) else None
    if not isinstance(reader, dict):
        raise AwsError(
            "ValidationException", "mapItemReaderData applies to a Map state with an ItemReader."
        )
    spec = {"resource": reader.get("Resource"), "config": reader.get("ReaderConfig") or {}}
    try:
        return items_from_text(str(text), spec)
    except ReadFailed as err:
        raise AwsError("ValidationException", str(err)) from None


def _refused(err: ValidationFailed) -> AwsError:
    details = err.details if isinstance(err.details, dict) else {}
    found = details.get("diagnostics") or []
    codes = {d.get("code") for d in found if isinstance(d, dict)}
    if found and codes <= _REQUEST_CODES:
        return AwsError("ValidationException", "; ".join(d["message"] for d in found))
    return AwsError("InvalidDefinition", f"{err.message} {diagnostics_text(found)}".strip())


def test_state(holder: KeyHolder, params: dict[str, Any]) -> dict[str, Any]:
    config = params.get("stateConfiguration") or {}
    definition = json_value(params["definition"], "InvalidDefinition", "definition")
    state, name, language = _the_state(definition, params.get("stateName"))
    failures = config.get("mapIterationFailureCount")
    try:
        result = test_state_run(
            holder.user,
            definition=state,
            input_value=json_value(params.get("input"), "InvalidExecutionInput", "input"),
            team_slug=holder.team.slug,
            query_language=(state.get("QueryLanguage") if isinstance(state, dict) else None)
            or language,
            variables=json_value(params.get("variables"), "ValidationException", "variables"),
            context=json_value(params.get("context"), "ValidationException", "context"),
            mock=_mock(state, params.get("mock")),
            inspection_level=params.get("inspectionLevel", "INFO"),
            state_name=name or DEFAULT_STATE_NAME,
            retrier_retry_count=int(config.get("retrierRetryCount", 0)),
            error_caused_by_state=config.get("errorCausedByState"),
            map_iteration_failure_count=None if failures is None else int(failures),
            map_reader_items=_reader_items(state, config),
        )
    except ValidationFailed as err:
        raise _refused(err) from None
    except DomainError as err:
        raise from_domain(err) from None
    out: dict[str, Any] = {"status": result["status"]}
    if result.get("output") is not None or result["status"] in ("SUCCEEDED", "CAUGHT_ERROR"):
        out["output"] = json_text(result.get("output"))
    for key in ("error", "cause", "nextState"):
        if result.get(key) is not None:
            out[key] = result[key]
    if "inspectionData" in result:
        out["inspectionData"] = _inspection(result["inspectionData"])
    return out


test_state.__test__ = False  # type: ignore[attr-defined]  # not a pytest test

OPERATIONS = {"TestState": test_state}
