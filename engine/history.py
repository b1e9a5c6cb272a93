"""History events with the names and shapes of AWS's GetExecutionHistory.

Inside the engine an event is a dict ``{"timestamp", "type", "id",
"previousEventId", "<type>EventDetails": {...}}`` whose ``input``, ``output``,
``parameters`` and ``assignedVariables`` hold JSON *values*. ``render_event``
turns one into exactly what AWS returns, with those fields as JSON text, their
``...Details`` companions, and an ISO 8601 timestamp. Keeping values until
rendering lets an Express run record its full history at in-memory speed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from engine.jsonvalue import to_json

Event = dict[str, Any]

_JSON_TEXT_FIELDS = ("input", "output", "parameters")


def details_key(event_type: str) -> str:
    """The details key of an event type.

    ``PassStateEntered`` -> ``stateEnteredEventDetails``; ``MapRunStarted`` ->
    ``mapRunStartedEventDetails``.
    """
    if event_type.endswith("StateEntered"):
        return "stateEnteredEventDetails"
    if event_type.endswith("StateExited"):
        return "stateExitedEventDetails"
    return event_type[0].lower() + event_type[1:] + "EventDetails"


def details(event: Event) -> dict[str, Any]:
    """The details part of an event ({} when it has none)."""
    for key, value in event.items():
        if key.endswith("EventDetails"):
            return value  # type: ignore[no-any-return]
    return {}


def iso_timestamp(epoch_seconds: float) -> str:
    """AWS's rendering of a point in time: ``2024-01-02T03:04:05.678Z``."""
    moment = datetime.fromtimestamp(epoch_seconds, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def render_event(event: Event) -> dict[str, Any]:
    """The event as AWS's GetExecutionHistory returns it (JSON text for payloads)."""
    out: dict[str, Any] = {}
    for key, value in event.items():
        if key == "timestamp":
            out[key] = iso_timestamp(value)
        elif key.endswith("EventDetails"):
            out[key] = _render_details(value)
        else:
            out[key] = value
    return out


def _render_details(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _JSON_TEXT_FIELDS:
            out[key] = to_json(value)
            if key != "parameters":
                out[key + "Details"] = {"truncated": False}
        elif key == "assignedVariables":
            out[key] = {name: to_json(v) for name, v in value.items()}
            out["assignedVariablesDetails"] = {"truncated": False}
        else:
            out[key] = value
    return out


def state_event_prefix(state_type: str) -> str:
    """The prefix of a state's events: ``Pass`` -> ``PassState``, ``Task`` -> ``TaskState``."""
    return state_type + "State"
