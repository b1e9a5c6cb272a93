"""Functions for measuring Distributed Maps (``bench/distributed_map.py``) and their tests.

``sleep-ms`` waits ``event["ms"]`` milliseconds (10 when not given) and returns
its input's ``n``: a stand-in for a child's real work of known duration.
"""

from __future__ import annotations

import time
from typing import Any

from engine.tasks.functions import LambdaContext, function


@function("sleep-ms")
def sleep_ms(event: Any, context: LambdaContext) -> dict[str, Any]:
    data = event if isinstance(event, dict) else {}
    time.sleep(float(data.get("ms", 10)) / 1000.0)
    return {"n": data.get("n")}
