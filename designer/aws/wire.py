"""Values on AWS's wire: JSON payloads as text, tags as ``[{key, value}]``, page tokens.

Payloads (an execution's input, a task's output, a definition) travel as JSON
text; Stateyard stores JSON values, so they are parsed on the way in (bad text
is the operation's ``Invalid...`` error) and written compactly on the way out.
List pages carry an opaque ``nextToken``: the offset for short lists, the
keyset cursor of ``designer.selectors.executions`` for executions and history.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from designer.aws.errors import AwsError
from designer.limits import limit
from engine.jsonvalue import json_problem, to_json

T = TypeVar("T")
DEFAULT_PAGE = 100
MAX_PAGE = 1000


def json_text(value: Any) -> str:
    return to_json(value)


def json_value(text: Any, code: str, what: str) -> Any:
    """Parse payload text; ``code`` is the operation's error for text that is not JSON."""
    if text is None:
        return None
    most = limit("JSON_MAX_DEPTH")
    try:
        value = json.loads(text)
    except ValueError as err:
        raise AwsError(code, f"Invalid {what}: {err}") from None
    except RecursionError:
        raise AwsError(code, f"Invalid {what}: it nests deeper than {most} levels.") from None
    problem = json_problem(value, most)
    if problem is not None:
        where, why = problem
        raise AwsError(code, f"Invalid {what}: at {where or '/'}, {why}.")
    return value


def tags_in(tags: Any) -> dict[str, str]:
    return {tag["key"]: tag.get("value", "") for tag in tags or []}


def tags_out(tags: Any) -> list[dict[str, str]]:
    return [{"key": key, "value": value} for key, value in (tags or {}).items()]


def page_size(params: dict[str, Any]) -> int:
    size = params.get("maxResults") or DEFAULT_PAGE  # 0 means the default, as on AWS
    return min(int(size), MAX_PAGE)


def _invalid_token() -> AwsError:
    return AwsError("InvalidToken", "Invalid Token: the nextToken is not one this API gave.")


def offset_page(items: Sequence[T], params: dict[str, Any]) -> tuple[list[T], str | None]:
    """One page of a short list and the token of the next one (or None)."""
    start = 0
    token = params.get("nextToken")
    if token:
        try:
            start = int(base64.urlsafe_b64decode(token.encode() + b"==").decode())
        except ValueError:
            raise _invalid_token() from None
        if start < 0 or start > len(items):
            raise _invalid_token()
    size = page_size(params)
    page = list(items[start : start + size])
    more = start + size < len(items)
    return page, (base64.urlsafe_b64encode(str(start + size).encode()).decode() if more else None)


def state_tables(definition: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The state machine's state tables, nested ones (branches, item processors) included."""
    states = definition.get("States")
    if not isinstance(states, dict):
        return
    yield states
    for state in states.values():
        if not isinstance(state, dict):
            continue
        for branch in state.get("Branches") or []:
            if isinstance(branch, dict):
                yield from state_tables(branch)
        for key in ("ItemProcessor", "Iterator"):
            if isinstance(state.get(key), dict):
                yield from state_tables(state[key])
