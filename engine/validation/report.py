"""The codes the validator emits and the collector that gathers its diagnostics.

Every check appends to one ``Report``; nothing raises. Codes are stable
identifiers that clients may match on, so they are listed once here with a
one-line meaning (``CODES``) and never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.diagnostics import Diagnostic, Severity, pointer
from engine.jsonvalue import to_json

Path = tuple[str | int, ...]

CODES: dict[str, str] = {
    "DEFINITION_NOT_OBJECT": "the definition (or a state machine scope) is not a JSON object",
    "SYNTAX_ERROR": "the definition text is not valid JSON or YAML",
    "DUPLICATE_KEY": "an object in the definition text repeats a key",
    "SCHEMA_MISSING_FIELD": "a required field is absent",
    "SCHEMA_UNKNOWN_FIELD": "a field that this object does not accept",
    "SCHEMA_WRONG_TYPE": "a field holds a value of the wrong JSON type",
    "SCHEMA_INVALID_VALUE": "a field has the right type but a value out of range or not allowed",
    "FIELD_WRONG_QUERY_LANGUAGE": "a field that only exists in the other query language",
    "QUERY_LANGUAGE_CONFLICT": "a JSONPath state inside a machine whose top level is JSONata",
    "EXCLUSIVE_FIELDS": "two fields that may not be used together",
    "MISSING_ONE_OF": "none of a set of fields of which exactly one is required",
    "INVALID_STATE_TYPE": "Type is not one of the eight state types",
    "MISSING_TRANSITION": "a non-terminal state with neither Next nor End",
    "CONFLICTING_TRANSITION": "a state with both Next and End",
    "EMPTY_STATES": "States has no state in it",
    "START_AT_NOT_FOUND": "StartAt names a state that this scope does not have",
    "DANGLING_NEXT": "Next/Default/Catch Next names a state that this scope does not have",
    "UNREACHABLE_STATE": "no transition from StartAt leads to this state",
    "NO_TERMINAL_STATE": "no Succeed, Fail or End state is reachable from StartAt (endless loop)",
    "DUPLICATE_STATE_NAME": "a state name used twice in the machine (all scopes)",
    "STATE_NAME_TOO_LONG": "a state name longer than 80 characters",
    "CHOICES_EMPTY": "a Choice state with an empty Choices array",
    "CHOICE_RULE_NO_OPERATOR": "a Choice rule with no comparison operator",
    "CHOICE_RULE_MULTIPLE_OPERATORS": "a Choice rule with more than one comparison operator",
    "CHOICE_RULE_MISSING_NEXT": "a top-level Choice rule without Next",
    "CHOICE_RULE_NESTED_NEXT": "Next inside a rule nested in And/Or/Not",
    "ERROR_EQUALS_EMPTY": "a Retrier or Catcher whose ErrorEquals is empty",
    "STATES_ALL_NOT_ALONE": "States.ALL listed together with other error names",
    "STATES_ALL_NOT_LAST": "a Retrier/Catcher matching States.ALL that is not the last one",
    "HEARTBEAT_NOT_BELOW_TIMEOUT": "HeartbeatSeconds is not smaller than TimeoutSeconds",
    "INVALID_PATH": "a JSONPath path or reference path that does not compile",
    "INVALID_INTRINSIC": "an intrinsic function call that does not compile",
    "INVALID_JSONATA": "a {% %} JSONata expression that does not compile",
    "INVALID_VARIABLE_NAME": "an Assign key that is not a valid variable name",
    "RESERVED_VARIABLE_NAME": "an Assign key that uses a reserved name (states)",
    "VARIABLE_SCOPE_CONFLICT": "an inner scope assigns a variable that an outer scope assigns",
    "VARIABLE_NOT_IN_SCOPE": "a variable read where it is not visible (assigned in another scope)",
    "INVALID_STATES_REFERENCE": "a $states field that does not exist in that field of that state",
    "JSONATA_IN_JSONPATH_STATE": "warning: a {% %} string in a JSONPath state is plain text",
    "PATH_WITHOUT_DOLLAR_SUFFIX": "warning: a value that looks like a path under a key without .$",
    "DISTRIBUTED_ONLY_FIELD": "a Distributed Map field on an inline Map (an error for "
    "ItemReader, ItemBatcher and ResultWriter, a warning otherwise)",
    "INVALID_RESOURCE_ARN": "a Resource that is not a well-formed ARN of what the field may name",
    "INTRINSIC_NOT_A_STRING": "ErrorPath/CausePath calls an intrinsic that returns no string",
    "NESTING_TOO_DEEP": "the definition nests deeper than the validator follows",
    "EXPRESSION_CHECK_FAILED": "warning: an expression compiler failed unexpectedly",
    "INTERNAL_ERROR": "the validator itself failed; the other diagnostics may be incomplete",
}


def describe(value: object) -> str:
    """A short rendering of a value for a message (JSON text, truncated)."""
    try:
        text = to_json(value)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class Report:
    """Collects diagnostics in the order the checks find them."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, code: str, where: Path, message: str, severity: Severity = "error") -> None:
        self.items.append(Diagnostic(code, message, pointer(*where), severity))

    def error(self, code: str, where: Path, message: str) -> None:
        self.add(code, where, message, "error")

    def warning(self, code: str, where: Path, message: str) -> None:
        self.add(code, where, message, "warning")
