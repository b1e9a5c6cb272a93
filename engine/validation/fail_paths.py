"""A Fail state's ``ErrorPath`` and ``CausePath``: a path, or an intrinsic returning a string.

The guide (https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html)
lists the intrinsics allowed there: States.Format, States.JsonToString,
States.ArrayGetItem, States.Base64Encode, States.Base64Decode, States.Hash and
States.UUID. Any other intrinsic (States.MathAdd, States.Array,
States.StringToJson...) cannot give the error name or cause, and AWS rejects
the definition. Whether the call itself compiles is checked by the field
table (``path_or_intrinsic``); this rule only looks at the outermost name.
"""

from __future__ import annotations

import re
from typing import Any, Final

from engine.validation.report import Path, Report, describe
from engine.validation.schema import JSONPATH, Lang

STRING_INTRINSICS: Final = frozenset(
    {
        "States.Format",
        "States.JsonToString",
        "States.ArrayGetItem",
        "States.Base64Encode",
        "States.Base64Decode",
        "States.Hash",
        "States.UUID",
    }
)
_CALL: Final = re.compile(r"^\s*(States\.[A-Za-z0-9]+)\s*\(")


def check_fail_paths(
    report: Report, where: Path, state: dict[Any, Any], lang: Lang, what: str
) -> None:
    if lang != JSONPATH:
        return  # ErrorPath/CausePath are JSONPath-only; the field table said so
    for field in ("ErrorPath", "CausePath"):
        value = state.get(field)
        if not isinstance(value, str):
            continue
        match = _CALL.match(value)
        if match and match.group(1) not in STRING_INTRINSICS:
            report.error(
                "INTRINSIC_NOT_A_STRING",
                (*where, field),
                f"{field} of {what} calls {match.group(1)}, which does not return a string; "
                f"use a path or one of {', '.join(sorted(STRING_INTRINSICS))} "
                f"(got {describe(value)}).",
            )
