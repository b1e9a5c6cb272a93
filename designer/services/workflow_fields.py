"""Rules of the workflow settings beyond the draft: tags, retention, and what Express can run.

* Tags follow AWS's limits for a state machine: at most 50, keys of 1-128 and
  values of 0-256 characters, made of letters, digits, spaces and ``_ . : / = + - @``,
  keys not starting with ``aws:`` (reserved).
* ``retention_days``: how long finished executions (and their history) are
  kept, 1 to 3650 days (``designer.services.retention`` applies it).
* An Express workflow cannot use ``.sync``, ``.sync:2`` or ``.waitForTaskToken``
  integrations nor activities: ``check_express`` refuses such a definition with
  one problem per state (``engine.express``), each with a JSON Pointer.
"""

from __future__ import annotations

from typing import Any

from designer import limits
from designer.errors import ValidationFailed
from designer.models import WorkflowType
from engine.express import express_problems

MAX_TAGS = limits.TAGS_MAX
MAX_TAG_KEY = limits.TAG_KEY_MAX_CHARS
MAX_TAG_VALUE = limits.TAG_VALUE_MAX_CHARS
MAX_RETENTION_DAYS = 3650
TAG_PUNCTUATION = frozenset("_.:/=+-@")


def _tag_text(text: str) -> bool:
    """Letters, digits, spaces and ``_ . : / = + - @`` only (AWS's tag character set)."""
    return all(ch.isalnum() or ch == " " or ch in TAG_PUNCTUATION for ch in text)


def check_tags(tags: Any) -> dict[str, str]:
    """``{key: value}`` within AWS's tag limits, or ValidationFailed naming each bad tag."""
    if tags is None:
        return {}
    if not isinstance(tags, dict):
        raise ValidationFailed(
            "Tags must be a JSON object of key to value.", {"tags": ["Must be an object."]}
        )
    if len(tags) > MAX_TAGS:
        raise ValidationFailed(
            f"A workflow has at most {MAX_TAGS} tags; {len(tags)} were sent.",
            {"tags": [f"At most {MAX_TAGS} tags."]},
        )
    problems: dict[str, list[str]] = {}
    for key, value in tags.items():
        found = []
        if not 1 <= len(key) <= MAX_TAG_KEY:
            found.append(f"A key has 1-{MAX_TAG_KEY} characters.")
        if key.lower().startswith("aws:"):
            found.append("Keys starting with 'aws:' are reserved.")
        if not _tag_text(key):
            found.append("A key holds letters, digits, spaces and _ . : / = + - @ only.")
        if not isinstance(value, str):
            found.append("A value must be a string.")
        elif len(value) > MAX_TAG_VALUE:
            found.append(f"A value has at most {MAX_TAG_VALUE} characters.")
        elif not _tag_text(value):
            found.append("A value holds letters, digits, spaces and _ . : / = + - @ only.")
        if found:
            problems[key] = found
    if problems:
        raise ValidationFailed("Some tags are not allowed.", {"tags": problems})
    return dict(tags)


def check_retention(days: Any) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_RETENTION_DAYS:
        raise ValidationFailed(
            f"Keep executions for 1 to {MAX_RETENTION_DAYS} days.",
            {"retention_days": [f"A whole number from 1 to {MAX_RETENTION_DAYS}."]},
        )
    return int(days)


def check_express(kind: str, definition: Any) -> None:
    """Refuse an Express workflow whose definition uses what Express cannot run."""
    if kind != WorkflowType.EXPRESS:
        return
    problems = express_problems(definition)
    if problems:
        first = problems[0]
        more = f" ({len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ValidationFailed(
            f"An Express workflow cannot run this definition: {first.message}{more}",
            {
                "type": ["Express cannot run this definition."],
                "problems": [p.to_dict() for p in problems],
            },
        )
