"""The limits the web app enforces, read from settings (``docs/limits.md`` lists them).

``limit(name)`` is ``settings.STATEYARD_LIMITS[name]``: the engine's value
(``engine.limits``) unless the environment overrides it with
``STATEYARD_LIMIT_<NAME>`` (see ``stateyard/settings.py``), plus the limits
only the web app has (``REQUEST_MAX_BYTES``: the largest request body; websocket
messages; aliases and versions per workflow; connection parameters). Tests lower
them with Django's ``settings`` fixture. The tag and page-size limits are AWS's or
the API schema's: constants, not settings.
"""

from __future__ import annotations

from typing import Final

from django.conf import settings

from engine import limits as engine_limits

#: The largest request body the API reads (Django's DATA_UPLOAD_MAX_MEMORY_SIZE as well):
#: a 1 MB definition sent as escaped text inside JSON still fits.
REQUEST_MAX_BYTES: Final = 4 * 1024 * 1024

#: A message a client sends on a websocket (the studio only sends ``{"type": "ping"}``);
#: uvicorn refuses larger frames too (``scripts/serve.sh``: ``--ws-max-size``).
WS_MESSAGE_MAX_BYTES: Final = 4096
#: Messages one websocket may send in any minute (the studio pings every 30 seconds).
WS_MESSAGES_PER_MINUTE: Final = 60

#: AWS: a state machine has at most 100 aliases and 1,000 published versions.
ALIASES_PER_WORKFLOW_MAX: Final = 100
VERSIONS_PER_WORKFLOW_MAX: Final = 1000

#: AWS's tag quotas: 50 tags on a resource, keys of 128 characters, values of 256.
TAGS_MAX: Final = 50
TAG_KEY_MAX_CHARS: Final = 128
TAG_VALUE_MAX_CHARS: Final = 256

#: The most rows one page of executions or history events holds (``?limit=``).
PAGE_MAX: Final = 1000

#: A connection's non-secret HTTP parameters: at most this many headers, query parameters
#: and body fields each, names of at most 256 characters and values of at most 2,048.
CONNECTION_PARAMETERS_MAX: Final = 100

_OWN: Final = {
    "REQUEST_MAX_BYTES": REQUEST_MAX_BYTES,
    "WS_MESSAGE_MAX_BYTES": WS_MESSAGE_MAX_BYTES,
    "WS_MESSAGES_PER_MINUTE": WS_MESSAGES_PER_MINUTE,
    "ALIASES_PER_WORKFLOW_MAX": ALIASES_PER_WORKFLOW_MAX,
    "VERSIONS_PER_WORKFLOW_MAX": VERSIONS_PER_WORKFLOW_MAX,
    "CONNECTION_PARAMETERS_MAX": CONNECTION_PARAMETERS_MAX,
}

NAMES: Final = (
    *_OWN,
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
    if name in _OWN:
        return _OWN[name]
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
