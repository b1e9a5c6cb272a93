"""History events between the engine, the database and the wire.

The engine's events carry JSON values; rows store the same details (values,
not JSON text); the API and websockets send ``engine.history.render_event``
shapes, exactly what AWS's GetExecutionHistory returns.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from designer.models import Execution, ExecutionEvent
from engine.history import details, details_key, render_event


def events_to_rows(execution: Execution, events: list[dict[str, Any]]) -> list[ExecutionEvent]:
    return [
        ExecutionEvent(
            execution=execution,
            event_id=event["id"],
            previous_event_id=event["previousEventId"],
            type=event["type"],
            timestamp=datetime.fromtimestamp(event["timestamp"], tz=UTC),
            details=details(event),
        )
        for event in events
    ]


def row_to_event(row: ExecutionEvent) -> dict[str, Any]:
    event: dict[str, Any] = {
        "timestamp": row.timestamp.timestamp(),
        "type": row.type,
        "id": row.event_id,
        "previousEventId": row.previous_event_id,
    }
    if row.details:
        event[details_key(row.type)] = row.details
    return event


def rendered(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [render_event(e) for e in events]


def rows_rendered(rows: Any) -> list[dict[str, Any]]:
    return [render_event(row_to_event(r)) for r in rows]
