"""Every operation the endpoint serves: its name in botocore's model -> its handler.

A handler takes the key holder and the checked parameters and returns the
output members; a coroutine handler (marked ``is_async``) waits without a thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from designer.aws import (
    ops_activities,
    ops_executions,
    ops_machines,
    ops_resources,
    ops_test_state,
    ops_versions,
)

HANDLERS: dict[str, Callable[..., Any]] = {
    **ops_machines.OPERATIONS,
    **ops_versions.OPERATIONS,
    **ops_executions.OPERATIONS,
    **ops_activities.OPERATIONS,
    **ops_test_state.OPERATIONS,
    **ops_resources.OPERATIONS,
}
