"""Publish what an advance committed to every websocket that watches it.

Called after the transaction commits, so a viewer never sees an event that
could still roll back. Groups: ``execution.<uuid>`` gets the events,
``workflow.<uuid>.executions`` gets status changes.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


def execution_group(execution_id: Any) -> str:
    return f"execution.{execution_id}"


def workflow_group(workflow_id: Any) -> str:
    return f"workflow.{workflow_id}.executions"


def publish(
    execution_id: Any, workflow_id: Any, events: list[dict[str, Any]], status: dict[str, Any] | None
) -> None:
    """Send new events (AWS-shaped) and, if the status changed, the new status."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        if events:
            async_to_sync(layer.group_send)(
                execution_group(execution_id), {"type": "execution.events", "events": events}
            )
        if status is not None:
            async_to_sync(layer.group_send)(
                workflow_group(workflow_id), {"type": "execution.status", "execution": status}
            )
    except (OSError, RedisError) as err:  # Redis is away: viewers catch up from the history
        log.warning("could not publish events of execution %s: %s", execution_id, err)
    except Exception:  # a broken channel layer must not fail an execution
        log.exception("could not publish events of execution %s", execution_id)
