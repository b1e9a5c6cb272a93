"""Check objects against the field tables of ``schema.py``, and values against their kind.

``check_object`` reports unknown fields, missing required fields, fields of
the other query language, and hands every known field to ``check_value``,
which dispatches on the field's kind through ``_CHECKERS``. Templates
(Parameters, Arguments, Output, Assign...) are walked iteratively so deep
values cannot exhaust the stack.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

from engine.jsonvalue import is_integer_value, type_name
from engine.validation import expressions as ex
from engine.validation.report import Path, Report, describe
from engine.validation.schema import (
    JSONATA,
    JSONPATH,
    MAX_VARIABLE_NAME_LENGTH,
    QUERY_LANGUAGES,
    RESERVED_VARIABLES,
    Field,
    Lang,
)

_TIMESTAMP: Final = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE
)


def check_object(
    report: Report,
    where: Path,
    obj: Mapping[Any, Any],
    table: Mapping[str, Field],
    lang: Lang,
    required: tuple[str, ...] = (),
    what: str = "This object",
) -> None:
    """Unknown, missing, wrong-language and wrongly typed fields of one object."""
    for name in required:
        if name not in obj:
            report.error(
                "SCHEMA_MISSING_FIELD", where, f"{what} is missing the required field {name}."
            )
    for name, value in obj.items():
        if not isinstance(name, str):
            report.error(
                "SCHEMA_WRONG_TYPE", (*where, str(name)), f"{what} has a non-string key {name!r}."
            )
            continue
        spec = table.get(name)
        if spec is None:
            allowed = ", ".join(sorted(table))
            report.error(
                "SCHEMA_UNKNOWN_FIELD",
                (*where, name),
                f"{what} does not accept the field {name!r} (allowed: {allowed}).",
            )
        elif spec.lang is not None and spec.lang != lang:
            report.error(
                "FIELD_WRONG_QUERY_LANGUAGE",
                (*where, name),
                f"{what} uses {name}, which only exists with QueryLanguage {spec.lang}; "
                f"this state uses {lang}.",
            )
        else:
            check_value(report, (*where, name), name, value, spec, lang)


def check_value(
    report: Report, where: Path, name: str, value: Any, spec: Field, lang: Lang
) -> None:
    """Check one field value against its kind (a JSONata expression where allowed)."""
    if lang == JSONATA and spec.expr and ex.is_jsonata(value):
        ex.check_jsonata(report, where, value, name)
        return
    kind, _, arg = spec.kind.partition(":")
    checker = _CHECKERS.get(kind)
    if checker is not None:
        checker(report, where, name, value, lang, arg)


def wrong_type(report: Report, where: Path, name: str, value: Any, expected: str) -> None:
    report.error(
        "SCHEMA_WRONG_TYPE",
        where,
        f"{name} must be {expected}, but it is the {type_name(value)} {describe(value)}.",
    )


def is_nonneg_int(value: Any) -> bool:
    return is_integer_value(value) and value >= 0


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


Checker = Callable[[Report, Path, str, Any, Lang, str], None]


def _string(report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str) -> None:
    if not isinstance(value, str):
        wrong_type(report, where, name, value, "a string")


def _bool(report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str) -> None:
    if not isinstance(value, bool):
        wrong_type(report, where, name, value, "a boolean")


def _object(report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str) -> None:
    if not isinstance(value, dict):
        wrong_type(report, where, name, value, "an object")


def _array(report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str) -> None:
    if not isinstance(value, list):
        wrong_type(report, where, name, value, "an array")


def _integer(minimum: int) -> Checker:
    def check(report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str) -> None:
        expected = "a positive integer" if minimum > 0 else "a non-negative integer"
        if lang == JSONATA and isinstance(value, str):
            expected += " or a {% %} JSONata expression"
        if not is_integer_value(value):
            wrong_type(report, where, name, value, expected)
        elif value < minimum:
            report.error(
                "SCHEMA_INVALID_VALUE", where, f"{name} must be {expected}, but it is {value}."
            )

    return check


def _bounded(low: float, high: float | None, text: str) -> Checker:
    def check(report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str) -> None:
        if not is_number(value):
            wrong_type(report, where, name, value, "a number")
        elif value < low or (high is not None and value > high):
            report.error(
                "SCHEMA_INVALID_VALUE", where, f"{name} must be {text}, but it is {value}."
            )

    return check


def _enum(report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str) -> None:
    allowed = arg.split("|")
    if not isinstance(value, str):
        wrong_type(report, where, name, value, "a string")
    elif value not in allowed:
        report.error(
            "SCHEMA_INVALID_VALUE",
            where,
            f"{name} must be one of {', '.join(allowed)}, but it is {describe(value)}.",
        )


def _query_language(
    report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str
) -> None:
    _enum(report, where, name, value, lang, "|".join(QUERY_LANGUAGES))


def _timestamp(report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str) -> None:
    if not isinstance(value, str):
        wrong_type(report, where, name, value, "an RFC 3339 timestamp string")
    elif not _TIMESTAMP.match(value):
        report.error(
            "SCHEMA_INVALID_VALUE",
            where,
            f"{name} must be an RFC 3339 timestamp such as 2016-03-14T01:59:00Z, "
            f"but it is {describe(value)}.",
        )


def _string_list(report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str) -> None:
    if not isinstance(value, list):
        wrong_type(report, where, name, value, "an array of strings")
        return
    for index, item in enumerate(value):
        if not isinstance(item, str):
            wrong_type(report, (*where, index), f"{name}[{index}]", item, "a string")


def _path(report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str) -> None:
    if value is None:
        return
    if isinstance(value, str):
        ex.check_path(report, where, value, f"{name} {describe(value)}")
    else:
        wrong_type(report, where, name, value, "a path string or null")


def _result_path(report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str) -> None:
    if value is None:
        return
    if isinstance(value, str):
        ex.check_result_path(report, where, value, f"{name} {describe(value)}")
    else:
        wrong_type(report, where, name, value, "a reference path string or null")


def _reference(report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str) -> None:
    if isinstance(value, str):
        ex.check_reference(report, where, value, f"{name} {describe(value)}")
    else:
        wrong_type(report, where, name, value, "a reference path string")


def _path_or_intrinsic(
    report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str
) -> None:
    if isinstance(value, str):
        ex.check_path_or_intrinsic(report, where, value, f"{name} {describe(value)}")
    else:
        wrong_type(report, where, name, value, "a path or intrinsic function string")


def _payload(report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str) -> None:
    if lang == JSONATA:
        check_jsonata_template(report, where, name, value)
    elif not isinstance(value, dict):
        wrong_type(report, where, name, value, "an object (a payload template)")
    else:
        check_payload_template(report, where, name, value)


def _template(report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str) -> None:
    """Parameters: any JSON value (AWS accepts strings, numbers, arrays...), objects at any
    depth being payload templates. AWS's ASL schema allows every type here:
    https://github.com/aws/amazon-states-language-service/pull/83"""
    if lang == JSONATA:
        check_jsonata_template(report, where, name, value)
    else:
        check_payload_template(report, where, name, value)


def _jsonata(report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str) -> None:
    check_jsonata_template(report, where, name, value)


def _items(report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str) -> None:
    if isinstance(value, list):
        check_jsonata_template(report, where, name, value)
    elif ex.is_jsonata(value):
        ex.check_jsonata(report, where, value, name)
    else:
        wrong_type(report, where, name, value, "an array or a {% %} JSONata expression")


def _assign(report: Report, where: Path, name: str, value: Any, lang: Lang, arg: str) -> None:
    if not isinstance(value, dict):
        wrong_type(report, where, name, value, "an object of variable names to values")
        return
    for key, item in value.items():
        if not isinstance(key, str):
            report.error(
                "SCHEMA_WRONG_TYPE", (*where, str(key)), f"Assign has a non-string key {key!r}."
            )
            continue
        dollar = lang == JSONPATH and key.endswith(".$")
        check_variable_name(report, (*where, key), key[:-2] if dollar else key)
        if lang == JSONATA:
            check_jsonata_template(report, (*where, key), f"Assign/{key}", item)
        elif dollar:
            _path_or_intrinsic(report, (*where, key), f"Assign/{key}", item, lang, "")
        else:
            check_payload_template(report, (*where, key), f"Assign/{key}", item)


def check_variable_name(report: Report, where: Path, name: str) -> None:
    """Variable names follow Unicode identifier rules, at most 80 characters, not ``states``."""
    if name in RESERVED_VARIABLES:
        report.error(
            "RESERVED_VARIABLE_NAME",
            where,
            f"The variable name {name!r} is reserved ($states is the JSONata state context).",
        )
    elif not name.isidentifier() or len(name) > MAX_VARIABLE_NAME_LENGTH:
        report.error(
            "INVALID_VARIABLE_NAME",
            where,
            f"The variable name {describe(name)} is invalid: a name starts with a letter or '_', "
            f"continues with letters, digits or '_', and has at most "
            f"{MAX_VARIABLE_NAME_LENGTH} characters.",
        )


def walk(value: Any, where: Path) -> Iterator[tuple[Path, Any, Any]]:
    """Every (location, key or None, value) inside a JSON value, iteratively, outermost first."""
    stack: list[tuple[Path, Any, Any]] = [(where, None, value)]
    seen: set[int] = set()  # a value reached twice (YAML aliases, shared objects) is walked once
    while stack:
        path, key, item = stack.pop()
        yield path, key, item
        if isinstance(item, (dict, list)):
            if id(item) in seen:
                continue
            seen.add(id(item))
        if isinstance(item, dict):
            children = [((*path, str(k)), k, v) for k, v in item.items()]
            stack.extend(reversed(children))
        elif isinstance(item, list):
            stack.extend(reversed([((*path, i), i, v) for i, v in enumerate(item)]))


def check_payload_template(report: Report, where: Path, name: str, value: Any) -> None:
    """JSONPath payload template: keys ending in ``.$`` hold a path or an intrinsic call."""
    for path, key, item in walk(value, where):
        label = name if key is None else f"{name} field {key!r}"
        if isinstance(key, str) and key.endswith(".$"):
            if isinstance(item, str):
                ex.check_path_or_intrinsic(report, path, item, f"The value of {label}")
            else:
                wrong_type(report, path, label, item, "a path or intrinsic function string")
        elif isinstance(item, str):
            _hint_plain_string(report, path, label, key, item)


def _hint_plain_string(report: Report, where: Path, label: str, key: Any, text: str) -> None:
    if ex.is_jsonata(text):
        report.warning(
            "JSONATA_IN_JSONPATH_STATE",
            where,
            f"{label} holds {describe(text)}, which is plain text in a JSONPath state; "
            f"set QueryLanguage to JSONata to evaluate it.",
        )
    elif isinstance(key, str) and (text.startswith(("$.", "$$."))):
        report.warning(
            "PATH_WITHOUT_DOLLAR_SUFFIX",
            where,
            f"{label} holds {describe(text)}, which looks like a path but is kept as a literal "
            f"string; name the key {key + '.$'!r} to evaluate it.",
        )


def check_jsonata_template(report: Report, where: Path, name: str, value: Any) -> None:
    """JSONata template: every ``{% %}`` string at any depth must compile."""
    for path, _key, item in walk(value, where):
        if isinstance(item, str) and ex.is_jsonata(item):
            field = "/".join([name, *(str(p) for p in path[len(where) :])])
            ex.check_jsonata(report, path, item, field)


_CHECKERS: Final[dict[str, Checker]] = {
    "string": _string,
    "state_name": _string,
    "bool": _bool,
    "object": _object,
    "array": _array,
    "pos_int": _integer(1),
    "nonneg_int": _integer(0),
    "number": _bounded(float("-inf"), None, "a number"),
    "percentage": _bounded(0, 100, "a number from 0 to 100"),
    "backoff": _bounded(1.0, None, "a number of at least 1.0"),
    "enum": _enum,
    "query_language": _query_language,
    "timestamp": _timestamp,
    "string_list": _string_list,
    "path": _path,
    "ref_path": _result_path,
    "ref_path_strict": _reference,
    "path_or_intrinsic": _path_or_intrinsic,
    "payload": _payload,
    "template": _template,
    "jsonata": _jsonata,
    "items": _items,
    "assign": _assign,
}
