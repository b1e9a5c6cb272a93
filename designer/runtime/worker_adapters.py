"""The adapters background workers call: HTTP and Python functions (from ``engine.tasks``).

Each adapter module in ``engine.tasks`` that exists registers itself here; the
registry is built once per process. The HTTP Task gets the hosts an
administrator allows (``STATEYARD_HTTP_ALLOW_HOSTS``: comma separated ``host``
or ``host:port``) and the team connections (``designer.services.connections``).
"""

from __future__ import annotations

import importlib
import os
from functools import lru_cache
from typing import Any

from engine.adapters import AdapterRegistry

ADAPTER_MODULES = ("engine.tasks.http", "engine.tasks.functions")


@lru_cache(maxsize=1)
def worker_registry() -> AdapterRegistry:
    registry = AdapterRegistry()
    for name in ADAPTER_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name is None or not name.startswith(missing.name):
                raise
            continue
        module.register(registry, **_options(name))
    return registry


def _options(module_name: str) -> dict[str, Any]:
    """What an adapter module needs from the web app (HTTP: allowed hosts, connections)."""
    if module_name == "engine.tasks.functions":
        from designer.limits import limit

        return {"max_memory_bytes": limit("FUNCTION_MAX_MEMORY_BYTES")}
    if module_name != "engine.tasks.http":
        return {}
    from designer.services.connections import ConnectionResolver
    from engine.tasks.http_guard import GuardedHttp, parse_allow_hosts

    allow_hosts = parse_allow_hosts(os.environ.get("STATEYARD_HTTP_ALLOW_HOSTS"))
    return {
        "allow_hosts": allow_hosts,
        "resolve_connection": ConnectionResolver(GuardedHttp(allow_hosts)),
    }
