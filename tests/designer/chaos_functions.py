"""A Python function for the chaos test: it records every call it gets in a file.

``chaos-count`` appends one JSON line per call to the file named by
``STATEYARD_CHAOS_CALLS`` (``O_APPEND``: whole lines, from any process):
``[key, pid, ppid]``, where ``key`` names the Task attempt (execution, state,
Map item, retry count) from the event. The test reads the file to count how
many times each attempt ran.
"""

from __future__ import annotations

import json
import os
from typing import Any

from engine.tasks.functions import LambdaContext, function


@function("chaos-count")
def chaos_count(event: Any, context: LambdaContext) -> dict[str, Any]:
    key = [event.get("execution"), event.get("state"), event.get("item"), event.get("attempt")]
    line = json.dumps([key, os.getpid(), os.getppid()]) + "\n"
    fd = os.open(os.environ["STATEYARD_CHAOS_CALLS"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)
    return {"seen": event.get("value")}
