"""The task adapters an execution runs with.

Every execution gets the engine's registry; an execution started with mocked
task results (``mocks`` in its start request, stored on the execution)
answers those states from the script. Real resources (HTTP, Python
functions, activities, callbacks, child executions) register here.
"""

from __future__ import annotations

from typing import Any

from engine.adapters import AdapterRegistry, MockTasks


def registry_for(execution: Any, mocks: dict[str, Any] | None = None) -> AdapterRegistry:
    """Mocks (if the execution has any) and the adapters a worker may call directly."""
    from designer.runtime.worker_adapters import worker_registry

    registry = AdapterRegistry(adapters=dict(worker_registry().adapters))
    script = mocks if mocks is not None else _stored_mocks(execution)
    if script:
        registry.mock = _StatelessMocks(script)
    return registry


def _stored_mocks(execution: Any) -> dict[str, Any] | None:
    mocks = getattr(execution, "mocks", None)
    return mocks if isinstance(mocks, dict) else None


class _StatelessMocks(MockTasks):
    """Mocks that pick the response by the engine's attempt number, not by a call counter.

    A durable execution is advanced by many workers; each rebuilds its registry,
    so the attempt must come from the execution's own state.
    """

    def __init__(self, script: dict[str, Any]) -> None:
        super().__init__(dict(script))

    def invoke(self, request: Any) -> Any:
        self.calls[request.state_name] = request.attempt
        return super().invoke(request)
