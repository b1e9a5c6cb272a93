"""Choice state rules: one comparison operator each, And/Or/Not shape, Next placement.

JSONPath rules compare a ``Variable`` with one operator from ``OPERATORS``
(the value's kind is what the operator compares) or combine rules with
``And``/``Or``/``Not``; JSONata rules hold a ``Condition``. Only top-level
rules carry ``Next`` (and ``Assign``/``Output``).
"""

from __future__ import annotations

from typing import Any, Final

from engine.validation import expressions as ex
from engine.validation.fields import check_object, check_value, is_number, wrong_type
from engine.validation.report import Path, Report, describe
from engine.validation.schema import JSONATA, JSONPATH, Field, Lang

_COMPARED: Final = {"String": "string", "Numeric": "number", "Timestamp": "timestamp"}
_SUFFIXES: Final = ("Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals")


def _operator_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for prefix, kind in _COMPARED.items():
        for suffix in _SUFFIXES:
            table[prefix + suffix] = kind
            table[prefix + suffix + "Path"] = "path"
    table.update(BooleanEquals="bool", BooleanEqualsPath="path", StringMatches="string")
    for test in ("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"):
        table[test] = "bool"
    return table


OPERATORS: Final = _operator_table()
BOOLEAN_OPERATORS: Final = ("And", "Or", "Not")
MAX_RULE_DEPTH: Final = 50

JSONATA_RULE: Final = {
    "Condition": Field("bool", expr=True),
    "Next": Field("state_name"),
    "Comment": Field("string"),
    "Assign": Field("assign"),
    "Output": Field("jsonata"),
}
_JSONPATH_TOP: Final = {
    "Next": Field("state_name"),
    "Comment": Field("string"),
    "Assign": Field("assign"),
}
_EXPECTED: Final = {
    "string": "a string",
    "number": "a number",
    "timestamp": "a timestamp string",
    "bool": "a boolean",
    "path": "a reference path string",
}


def check_choices(report: Report, where: Path, choices: Any, lang: Lang) -> None:
    """All rules of a Choice state's ``Choices`` array."""
    if not isinstance(choices, list):
        return  # the field table already reported the type
    if not choices:
        report.error(
            "CHOICES_EMPTY", where, "Choices must hold at least one rule, but it is empty."
        )
    for index, rule in enumerate(choices):
        at = (*where, index)
        if not isinstance(rule, dict):
            wrong_type(report, at, f"Choices[{index}]", rule, "an object (a Choice rule)")
        elif lang == JSONATA:
            _jsonata_rule(report, at, rule, index)
        else:
            _jsonpath_rule(report, at, rule, f"Choices[{index}]", 0)


def _jsonata_rule(report: Report, where: Path, rule: dict[Any, Any], index: int) -> None:
    check_object(report, where, rule, JSONATA_RULE, JSONATA, ("Condition",), f"Choices[{index}]")
    if "Next" not in rule:
        report.error("CHOICE_RULE_MISSING_NEXT", where, f"Choices[{index}] has no Next state.")


def _jsonpath_rule(
    report: Report, where: Path, rule: dict[Any, Any], what: str, depth: int
) -> None:
    if depth > MAX_RULE_DEPTH:
        report.error("NESTING_TOO_DEEP", where, f"{what} nests And/Or/Not too deeply to check.")
        return
    top = depth == 0
    _rule_fields(report, where, rule, what, top)
    ops = [key for key in rule if key in OPERATORS or key in BOOLEAN_OPERATORS]
    if not ops:
        report.error(
            "CHOICE_RULE_NO_OPERATOR",
            where,
            f"{what} has no comparison operator (such as StringEquals or IsPresent) "
            "and no And/Or/Not.",
        )
    elif len(ops) > 1:
        report.error(
            "CHOICE_RULE_MULTIPLE_OPERATORS",
            where,
            f"{what} has {len(ops)} operators ({', '.join(ops)}); a rule holds exactly one.",
        )
    else:
        _operator(report, where, rule, ops[0], what, depth)
    if top and "Next" not in rule:
        report.error("CHOICE_RULE_MISSING_NEXT", where, f"{what} has no Next state.")


def _rule_fields(report: Report, where: Path, rule: dict[Any, Any], what: str, top: bool) -> None:
    for key, value in rule.items():
        at = (*where, str(key))
        if key in OPERATORS or key in BOOLEAN_OPERATORS or key == "Variable":
            continue
        if key in _JSONPATH_TOP and top:
            check_value(report, at, str(key), value, _JSONPATH_TOP[key], JSONPATH)
        elif key == "Next":
            report.error(
                "CHOICE_RULE_NESTED_NEXT",
                at,
                f"{what} is nested inside And/Or/Not, where Next is not allowed.",
            )
        elif key == "Comment":
            check_value(report, at, key, value, _JSONPATH_TOP[key], JSONPATH)
        else:
            report.error("SCHEMA_UNKNOWN_FIELD", at, f"{what} does not accept the field {key!r}.")


def _operator(
    report: Report, where: Path, rule: dict[Any, Any], op: str, what: str, depth: int
) -> None:
    at = (*where, op)
    value = rule[op]
    if op in BOOLEAN_OPERATORS:
        if "Variable" in rule:
            report.error(
                "EXCLUSIVE_FIELDS",
                (*where, "Variable"),
                f"{what} combines rules with {op}, so it cannot also have a Variable.",
            )
        _boolean(report, at, value, op, what, depth)
        return
    variable = rule.get("Variable")
    if "Variable" not in rule:
        report.error("SCHEMA_MISSING_FIELD", where, f"{what} uses {op} but has no Variable.")
    elif isinstance(variable, str):
        ex.check_reference(report, (*where, "Variable"), variable, f"Variable {describe(variable)}")
    else:
        wrong_type(report, (*where, "Variable"), "Variable", variable, "a path string")
    _operand(report, at, op, value)


def _boolean(report: Report, at: Path, value: Any, op: str, what: str, depth: int) -> None:
    if op == "Not":
        if isinstance(value, dict):
            _jsonpath_rule(report, at, value, f"{what}.Not", depth + 1)
        else:
            wrong_type(report, at, f"{what}.Not", value, "an object (a Choice rule)")
        return
    if not isinstance(value, list) or not value:
        wrong_type(report, at, f"{what}.{op}", value, "a non-empty array of Choice rules")
        return
    for index, sub in enumerate(value):
        label = f"{what}.{op}[{index}]"
        if isinstance(sub, dict):
            _jsonpath_rule(report, (*at, index), sub, label, depth + 1)
        else:
            wrong_type(report, (*at, index), label, sub, "an object (a Choice rule)")


def _operand(report: Report, at: Path, op: str, value: Any) -> None:
    kind = OPERATORS[op]
    fine = {
        "string": isinstance(value, str),
        "timestamp": isinstance(value, str),
        "number": is_number(value),
        "bool": isinstance(value, bool),
        "path": isinstance(value, str),
    }[kind]
    if not fine:
        wrong_type(report, at, op, value, _EXPECTED[kind])
    elif kind == "path":
        ex.check_reference(report, at, value, f"{op} {describe(value)}")
