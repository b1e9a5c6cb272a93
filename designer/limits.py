"""The limits the web app enforces, read from settings (``docs/limits.md`` lists them).

``limit(name)`` is ``settings.STATEYARD_LIMITS[name]``: the engine's value
(``engine.limits``) unless the environment overrides it with
``STATEYARD_LIMIT_<NAME>`` (see ``stateyard/settings.py``), plus the limits
only the web app has (``REQUEST_MAX_BYTES``: the largest request body).
Tests lower them with Django's ``settings`` fixture.
"""

from __future__ import annotations

from typing import Final

from django.conf import settings

from engine import limits as engine_limits

#: The largest request body the API reads (Django's DATA_UPLOAD_MAX_MEMORY_SIZE as well):
#: a 1 MB definition sent as escaped text inside JSON still fits.
REQUEST_MAX_BYTES: Final = 4 * 1024 * 1024

NAMES: Final = (
    "REQUEST_MAX_BYTES",
    "PAYLOAD_MAX_BYTES",
    "DEFINITION_MAX_BYTES",
    "JSON_MAX_DEPTH",
    "YAML_MAX_ALIASES",
    "YAML_MAX_EXPANDED_BYTES",
    "HISTORY_MAX_EVENTS",
    "EXPRESS_MAX_SECONDS",
    "STANDARD_MAX_SECONDS",
    "JSONATA_MAX_SECONDS",
    "TEST_STATE_MAX_SECONDS",
    "FUNCTION_DEFAULT_SECONDS",
    "FUNCTION_MAX_MEMORY_BYTES",
)


def default(name: str) -> int:
    """The built-in value of limit ``name``."""
    if name == "REQUEST_MAX_BYTES":
        return REQUEST_MAX_BYTES
    value = getattr(engine_limits, name)
    assert isinstance(value, int)
    return value


def limit(name: str) -> int:
    """The limit in force: the setting when there is one, else the built-in value."""
    if name not in NAMES:
        raise KeyError(f"No limit is called {name!r}; see docs/limits.md.")
    configured = getattr(settings, "STATEYARD_LIMITS", {})
    value = configured.get(name)
    return int(value) if value is not None else default(name)
