"""Django over ASGI with one thread switch per request for synchronous views.

Django's ``ASGIHandler`` gives every request a thread of its own (asgiref's
``ThreadSensitiveContext``: a new thread, joined when the request ends) and,
with a synchronous view behind a chain of mostly synchronous middleware,
switches between the event loop and that thread several times: for the
``request_started`` signal, for each run of middleware of the other kind, for
the view and for closing the response. Measured on the 2-core machines this
project runs on, the thread alone cost about 0.4 ms of CPU and the switches
as much again, on requests (an API call with a token) that do 2-3 ms of work.

``ThreadedASGIHandler`` serves a request for a synchronous view (every view
but the activity long poll) as WSGI does: the ``request_started`` signal, the
whole middleware chain and the view, and for an ordinary (not streaming)
response its ``close`` (``request_finished``, which hands the database
connection back to the pool), all in one call on a worker thread; the event
loop reads the body before and sends the response after. A streaming
response is closed on the same thread after it was sent. Threads are kept
and reused (``IDLE_THREADS`` at most), never more than one request at a time
each, so a request's database connection is its thread's, as before; like
Django's handler it starts another thread whenever all are busy. Code that
calls ``async_to_sync`` from a view still runs on the server's event loop.

Requests for an asynchronous view take Django's own path unchanged (the
activity long poll waits there without holding a thread).
"""

from __future__ import annotations

import asyncio
import functools
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.base import BaseHandler
from django.urls import URLResolver, get_resolver, set_script_prefix

IDLE_THREADS = 32
"""Worker threads kept for the next requests; more are started while all are busy."""


class _Threads:
    """Single-thread executors, each lent to one request at a time (used on the loop only)."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self._idle: list[ThreadPoolExecutor] = []

    def take(self) -> ThreadPoolExecutor:
        if self._idle:
            return self._idle.pop()
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="request")

    def give(self, executor: ThreadPoolExecutor) -> None:
        if len(self._idle) < self.keep:
            self._idle.append(executor)
        else:
            executor.shutdown(wait=False)


class ThreadedASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        super().__init__()  # Django's asynchronous middleware chain, for async views
        self._sync = BaseHandler()
        self._sync.load_middleware(is_async=False)  # the chain a WSGI server would run
        self._threads = _Threads(IDLE_THREADS)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or _async_view(scope):
            await super().__call__(scope, receive, send)
            return
        await self._serve(scope, receive, send)

    async def _serve(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        try:
            body = await self.read_body(receive)
        except RequestAborted:  # the client went away before the body came
            return
        executor = self._threads.take()
        try:
            on_thread = sync_to_async(self._respond, thread_sensitive=False, executor=executor)
            response = await on_thread(scope, body)
            try:
                await self.send_response(response, send)
            except asyncio.CancelledError:
                pass  # the client went away while the response was being sent
            finally:
                if response.streaming:
                    await sync_to_async(response.close, thread_sensitive=False, executor=executor)()
        finally:
            self._threads.give(executor)
            body.close()

    def _respond(self, scope: dict[str, Any], body: Any) -> Any:
        """On the request's thread: the signal, the request, the chain and the view."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, refused = self.create_request(scope, body)
        response: Any = self._sync.get_response(request) if request is not None else refused
        response._handler_class = self.__class__
        if not response.streaming:
            response.close()  # the content is all there: request_finished, now, on this thread
        return response


def _async_view(scope: dict[str, Any]) -> bool:
    """Whether the path leads to an asynchronous view (an unknown path does not)."""
    path = scope.get("path", "")
    root = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    return any(route.match(path or "/") for route in _async_routes())


@functools.cache
def _async_routes() -> tuple[re.Pattern[str], ...]:
    """The regular expressions of every URL that leads to an asynchronous view.

    Read once from the URL configuration (each route's regex after its includes'
    prefixes), so a request is told apart with a match or two, not a full resolve.
    """
    found: list[re.Pattern[str]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for entry in patterns:
            part = entry.pattern.regex.pattern.removeprefix("^")
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + part)
            elif iscoroutinefunction(entry.callback):
                found.append(re.compile(prefix + part))

    root = get_resolver()
    walk(root.url_patterns, root.pattern.regex.pattern)
    return tuple(found)
