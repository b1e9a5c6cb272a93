"""Tell every process that API tokens changed, so none answers from a stale memory.

Each web process remembers the tokens it verified for a few seconds
(``designer.services.tokens``). A revoked token, a deleted one or a changed
user must be refused at once by every process, not only by the one that made
the change: ``announce`` publishes on a Redis channel after the change
commits, and each process listens on that channel in a daemon thread and
forgets everything it remembered when a message comes.

A process trusts its memory only while it is listening (``listening``): until
its subscription is confirmed, and from the moment the connection fails until
it is back (the memory is emptied then, since messages may have been missed),
tokens are looked up in the database on every request. Embedded mode (one
process, no Redis) needs no channel. The channel is named after the Redis
database, so checkouts sharing a server do not hear each other.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings

log = logging.getLogger(__name__)

RETRY_SECONDS = 2.0


def _channel() -> str:
    url = settings.REDIS_URL.rstrip("/")
    database = url.rsplit("/", 1)[-1] if url.count("/") > 2 else "0"
    return f"stateyard:{database}:tokens-changed"


def announce() -> None:
    """Tell every process (this one included) that a token or a user changed."""
    if settings.EMBEDDED:
        return
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
        )
        client.publish(_channel(), "1")
    except redis.RedisError as err:  # the others forget within CACHE_SECONDS anyway
        log.warning("could not announce a token change: %s", err)


class _Listener:
    def __init__(self, on_change: Callable[[], None]) -> None:
        self.pid = os.getpid()
        self.on_change = on_change
        self.ready = threading.Event()
        self.pubsub: Any = None
        try:
            self._subscribe()  # at once, so the first requests may already trust memory
        except Exception as err:  # Redis is away: the thread keeps trying
            log.warning("not listening for token changes yet: %s", err)
        threading.Thread(target=self._run, name="token-changes", daemon=True).start()

    def _subscribe(self) -> None:
        import redis

        client = redis.Redis.from_url(
            settings.REDIS_URL, health_check_interval=10, socket_connect_timeout=2
        )
        pubsub = client.pubsub(ignore_subscribe_messages=False)
        pubsub.subscribe(_channel())
        confirmed = pubsub.get_message(timeout=5)
        if not confirmed or confirmed.get("type") != "subscribe":
            pubsub.close()
            raise ConnectionError("the subscription was not confirmed")
        self.pubsub = pubsub
        self.on_change()  # what was remembered before may have missed a message
        self.ready.set()

    def _run(self) -> None:
        while True:
            try:
                if self.pubsub is None:
                    self._subscribe()
                message = self.pubsub.get_message(timeout=5)
                if message and message.get("type") == "message":
                    self.on_change()
            except Exception as err:  # lost: trust nothing until subscribed again
                self.ready.clear()
                self.on_change()
                if self.pubsub is not None:
                    log.warning("stopped listening for token changes: %s", err)
                    try:
                        self.pubsub.close()
                    finally:
                        self.pubsub = None
                time.sleep(RETRY_SECONDS)


_listener: _Listener | None = None
_lock = threading.Lock()


def listening(on_change: Callable[[], None]) -> bool:
    """Whether this process hears token changes now (starting to listen if it does not)."""
    if settings.EMBEDDED:
        return True
    global _listener
    listener = _listener
    if listener is None or listener.pid != os.getpid():
        with _lock:
            if _listener is None or _listener.pid != os.getpid():
                _listener = _Listener(on_change)
            listener = _listener
    return listener.ready.is_set()
