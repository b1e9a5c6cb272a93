"""Parsed state machines, cached by the text of their definition (parse once, run many)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any

import engine
from engine.model import StateMachine

_CACHE_SIZE = 256
_cache: OrderedDict[str, StateMachine] = OrderedDict()
_lock = threading.Lock()


def machine_for(definition: Any) -> StateMachine:
    """The parsed machine for ``definition``; raises engine.DefinitionError when invalid."""
    key = hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()
    with _lock:
        machine = _cache.get(key)
        if machine is not None:
            _cache.move_to_end(key)
            return machine
    machine = engine.parse(definition)
    with _lock:
        _cache[key] = machine
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return machine
