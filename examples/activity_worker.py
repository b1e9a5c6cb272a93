"""An example activity worker: greets people, slowly if asked to, and fails on request.

    python examples/activity_worker.py --url http://127.0.0.1:8000 --token sy_... \\
        --activity arn:aws:states:us-east-1:000000000000:activity:greeter

The URL and token may also come from STATEYARD_URL and STATEYARD_TOKEN. Input
fields it understands: ``name`` (who to greet), ``seconds`` (how long the work
takes; heartbeats keep the Task alive meanwhile) and ``fail`` (an error name to
fail the Task with). Stop it with Ctrl-C or SIGTERM: it finishes the task in hand.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

try:
    from stateyard_worker import ActivityTask, ActivityWorker, TaskError
except ModuleNotFoundError:  # run from a checkout: the package sits next to examples/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from stateyard_worker import ActivityTask, ActivityWorker, TaskError


def greet(task_input: Any, task: ActivityTask) -> Any:
    data = task_input if isinstance(task_input, dict) else {}
    if data.get("fail"):
        raise TaskError(str(data["fail"]), f"asked to fail for {data.get('name', 'nobody')}")
    deadline = time.monotonic() + float(data.get("seconds", 0))
    while time.monotonic() < deadline:
        if task.timed_out.is_set():
            return None  # the Task is over; nobody wants the answer now
        time.sleep(0.1)
    return {"greeting": f"Hello, {data.get('name', 'world')}!", "worker": task.worker.worker_name}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("STATEYARD_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--token", default=os.environ.get("STATEYARD_TOKEN"))
    parser.add_argument("--activity", required=True, help="the activity's ARN or id")
    parser.add_argument("--name", help="worker name shown in the Task's details")
    parser.add_argument("--wait", type=float, default=60.0, help="long-poll seconds (max 60)")
    parser.add_argument("--heartbeat", type=float, default=5.0, help="seconds between heartbeats")
    parser.add_argument("--max-tasks", type=int, help="stop after this many tasks")
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("an API token is required (--token or STATEYARD_TOKEN)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    worker = ActivityWorker(
        args.url,
        args.token,
        args.activity,
        worker_name=args.name,
        wait=args.wait,
        heartbeat_every=args.heartbeat or None,
    )
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    try:
        done = worker.run(greet, max_tasks=args.max_tasks)
    except KeyboardInterrupt:
        return 130
    logging.info("done: %d task(s)", done)
    return 0


if __name__ == "__main__":
    sys.exit(main())
