"""Workflow definitions shared by the Map Run tests (service, API and browser)."""

from __future__ import annotations

from typing import Any


def distributed(processor_states: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """One Distributed Map ``Fan`` over ``$.items`` running ``processor_states`` as Standard
    children; ``extra`` adds fields to the Map state (MaxConcurrency, tolerances, ...)."""
    return {
        "StartAt": "Fan",
        "States": {
            "Fan": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": next(iter(processor_states)),
                    "States": processor_states,
                },
                "End": True,
                **extra,
            }
        },
    }
