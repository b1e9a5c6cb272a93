"""Django's Redis cache with one connection pool per process, not one per request.

Django keeps a cache object per thread and per asynchronous context, and its
``RedisCache`` gives each object a connection pool of its own; under ASGI
every request runs in a new context, so every request that touched the cache
(the log-in and token throttles, ``designer.services.throttle``) opened a new
TCP connection to Redis and built a new client. ``RedisCache`` here shares one
pool and one client per process and server (redis-py's client and pool are
thread-safe); a forked child makes its own.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

_clients: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()


class SharedRedisCacheClient(RedisCacheClient):
    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        this: Any = self  # Django's client keeps these untyped
        index = this._get_connection_pool_index(write)
        server, options = this._servers[index], this._pool_options
        shared = (os.getpid(), server, tuple(sorted((k, repr(v)) for k, v in options.items())))
        client = _clients.get(shared)
        if client is None:
            with _lock:
                client = _clients.get(shared)
                if client is None:
                    pool = this._pool_class.from_url(server, **options)
                    client = _clients[shared] = this._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedRedisCacheClient
