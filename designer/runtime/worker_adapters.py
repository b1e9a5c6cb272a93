"""The adapters background workers call: HTTP and Python functions (from ``engine.tasks``).

Each adapter module in ``engine.tasks`` that exists registers itself here; the
registry is built once per process.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

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
        module.register(registry)
    return registry
