"""Poll a Stateyard activity for work, run a handler, heartbeat meanwhile, send the answer.

The protocol is AWS's activity protocol over Stateyard's HTTP API:

* ``POST /api/activities/<id>/poll/`` ``{"wait": s, "workerName": n}`` holds the
  request open up to ``wait`` seconds (at most 60) and answers
  ``{"taskToken", "input"}``, or ``{}`` when no task came;
* ``POST /api/tasks/success/`` ``{"taskToken", "output"}``,
  ``/api/tasks/failure/`` ``{"taskToken", "error", "cause"}`` and
  ``/api/tasks/heartbeat/`` ``{"taskToken"}`` answer it. A task that timed out
  (``TimeoutSeconds``, or no heartbeat within ``HeartbeatSeconds``) answers
  409 with ``details.awsError == "TaskTimedOut"``.

Only the standard library is used (``urllib``), so this file can be copied
into any project.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

log = logging.getLogger("stateyard_worker")

MAX_WAIT = 60.0


class ApiError(Exception):
    """The server refused a request: HTTP status, Stateyard error code and AWS error name."""

    def __init__(self, status: int, body: Any) -> None:
        body = body if isinstance(body, dict) else {}
        details = body.get("details") if isinstance(body.get("details"), dict) else {}
        self.status = status
        self.code = str(body.get("code") or "error")
        self.aws_error = str(details.get("awsError") or "")
        self.message = str(body.get("message") or f"HTTP {status}")
        super().__init__(f"{status} {self.code}: {self.message}")


class TaskError(Exception):
    """Raise from a handler to fail the Task with this error name and cause."""

    def __init__(self, error: str, cause: str = "") -> None:
        super().__init__(cause or error)
        self.error = error
        self.cause = cause


class ActivityTask:
    """One task handed to this worker: its token and input, and a way to heartbeat."""

    def __init__(self, worker: ActivityWorker, token: str, task_input: Any) -> None:
        self.worker = worker
        self.token = token
        self.input = task_input
        self.timed_out = threading.Event()  # set once the server says the task is over

    def heartbeat(self) -> bool:
        """Tell the server the task is alive; False once it has timed out."""
        if self.timed_out.is_set():
            return False
        try:
            self.worker.request("/api/tasks/heartbeat/", {"taskToken": self.token})
        except ApiError as err:
            if err.aws_error in ("TaskTimedOut", "InvalidToken"):
                self.timed_out.set()
                return False
            raise
        return True


class ActivityWorker:
    """Poll one activity and run ``handler(input, task)`` on each task it gets.

    ``activity`` is the activity's ARN (as Task states name it) or its numeric id.
    The handler's return value is sent as the Task's output; a ``TaskError`` it
    raises fails the Task with that error and cause, and any other exception
    fails it with the exception's class name and message. While the handler
    runs, a heartbeat is sent every ``heartbeat_every`` seconds (None: never;
    the handler may call ``task.heartbeat()`` itself).
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        activity: str | int,
        *,
        worker_name: str | None = None,
        wait: float = MAX_WAIT,
        heartbeat_every: float | None = 10.0,
        request_timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.activity = activity
        self.worker_name = (worker_name or f"{socket.gethostname()}-{os.getpid()}")[:80]
        self.wait = max(0.0, min(float(wait), MAX_WAIT))
        self.heartbeat_every = heartbeat_every
        self.request_timeout = request_timeout
        self.stopping = threading.Event()
        self._activity_id: int | None = None

    # ---- HTTP -------------------------------------------------------------------------

    def request(
        self, path: str, body: Any = None, *, method: str = "POST", timeout: float | None = None
    ) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(req, timeout=timeout or self.request_timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as err:
            raw = err.read()
            try:
                parsed = json.loads(raw) if raw else None
            except ValueError:
                parsed = None
            raise ApiError(err.code, parsed) from None
        return json.loads(raw) if raw.strip() else None

    def activity_id(self) -> int:
        """The activity's id (an ARN is looked up once among the caller's teams' activities)."""
        if self._activity_id is None:
            if isinstance(self.activity, int) or str(self.activity).isdigit():
                self._activity_id = int(self.activity)
            else:
                query = urllib.parse.urlencode({"arn": self.activity})
                found = self.request(f"/api/activities/?{query}", method="GET") or []
                if len(found) != 1:
                    raise LookupError(
                        f"{len(found)} activities match {self.activity}; pass the id instead."
                    )
                self._activity_id = int(found[0]["id"])
        return self._activity_id

    # ---- the loop ---------------------------------------------------------------------

    def poll(self) -> ActivityTask | None:
        """One long poll: a task, or None when none came within ``wait`` seconds."""
        body = {"wait": self.wait, "workerName": self.worker_name}
        answer = self.request(
            f"/api/activities/{self.activity_id()}/poll/",
            body,
            timeout=self.wait + self.request_timeout,
        )
        if not isinstance(answer, dict) or not answer.get("taskToken"):
            return None
        return ActivityTask(self, answer["taskToken"], answer.get("input"))

    def process(self, task: ActivityTask, handler: Callable[[Any, ActivityTask], Any]) -> bool:
        """Run the handler on one task and send its answer. True when the answer was taken."""
        beating = threading.Event()
        beater = None
        if self.heartbeat_every:
            beater = threading.Thread(
                target=self._heartbeat_loop, args=(task, beating), daemon=True
            )
            beater.start()
        try:
            output = handler(task.input, task)
        except TaskError as err:
            return self._send(task, "/api/tasks/failure/", error=err.error, cause=err.cause)
        except Exception as err:
            log.exception("handler failed")
            return self._send(task, "/api/tasks/failure/", error=type(err).__name__, cause=str(err))
        finally:
            beating.set()
            if beater is not None:
                beater.join(timeout=5)
        return self._send(task, "/api/tasks/success/", output=output)

    def _send(self, task: ActivityTask, path: str, **fields: Any) -> bool:
        try:
            self.request(path, {"taskToken": task.token, **fields})
        except ApiError as err:
            if err.aws_error in ("TaskTimedOut", "InvalidToken"):
                log.warning("task answer refused: %s", err)
                return False
            raise
        return True

    def _heartbeat_loop(self, task: ActivityTask, done: threading.Event) -> None:
        assert self.heartbeat_every is not None
        while not done.wait(self.heartbeat_every):
            try:
                if not task.heartbeat():
                    return
            except (OSError, ApiError) as err:
                log.warning("heartbeat failed: %s", err)

    def run(
        self, handler: Callable[[Any, ActivityTask], Any], *, max_tasks: int | None = None
    ) -> int:
        """Poll and process until ``stop()`` (or ``max_tasks`` tasks); returns the tasks done."""
        done = 0
        backoff = 1.0
        while not self.stopping.is_set() and (max_tasks is None or done < max_tasks):
            try:
                task = self.poll()
            except (OSError, ValueError) as err:  # the server is away: retry, more slowly
                log.warning("poll failed: %s; retrying in %.0fs", err, backoff)
                self.stopping.wait(backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            backoff = 1.0
            if task is None:
                continue
            self.process(task, handler)
            done += 1
        return done

    def stop(self) -> None:
        """Finish the task in hand, then leave ``run`` (a poll in flight ends within ``wait``)."""
        self.stopping.set()
