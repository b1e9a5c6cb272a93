"""Items from an HTTPS URL: an ItemReader with ``"Parameters": {"Url": "https://..."}``.

A Stateyard extension (AWS reads items from S3 only): the object is fetched with
a GET through the same address guard as HTTP Tasks (``engine.tasks.http_guard``:
no loopback, private or link-local address unless ``STATEYARD_HTTP_ALLOW_HOSTS``
lets the host in, every redirect checked again), streamed, and resumed with a
``Range`` header. Plain ``http://`` is refused unless its host is allow-listed.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

import httpx

from designer.services.s3_storage import Lines, StorageFailed
from engine.tasks.http_guard import AddressRefused, GuardedHttp, parse_allow_hosts

MAX_REDIRECTS = 5


@lru_cache(maxsize=1)
def _http() -> GuardedHttp:
    return GuardedHttp(parse_allow_hosts(os.environ.get("STATEYARD_HTTP_ALLOW_HOSTS")))


class _Body:
    """A streamed response read like a file (``read`` gives the next chunk)."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.chunks = response.iter_bytes()

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            return b"".join(self.chunks)
        return next(self.chunks, b"")

    def close(self) -> None:
        self.response.close()


class HttpsSource(Lines):
    """One URL; its "key" is the URL itself."""

    bucket = "https"
    read_errors = (httpx.HTTPError, AddressRefused)

    def where(self, key: str) -> str:
        return key

    def open(self, key: str, start: int = 0) -> Any:
        http = _http()
        url = httpx.URL(key)
        allowed = f"{url.host}:{url.port}" in http.guard.allow_hosts or url.host in (
            http.guard.allow_hosts
        )
        if url.scheme != "https" and not (url.scheme == "http" and allowed):
            raise StorageFailed(f"Could not read {key}: items are read from https:// URLs only.")
        headers = {"User-Agent": http.user_agent}
        if start:
            headers["Range"] = f"bytes={start}-"
        try:
            for _ in range(MAX_REDIRECTS + 1):
                request = http.client.build_request("GET", url, headers=headers, timeout=60.0)
                response = http.client.send(request, stream=True)
                location = response.headers.get("location")
                if response.status_code in (301, 302, 303, 307, 308) and location:
                    response.close()
                    url = url.join(location)
                    continue
                break
        except (httpx.HTTPError, AddressRefused) as err:
            raise StorageFailed(f"Could not read {key}: {err}") from None
        if response.status_code >= 400 or (start and response.status_code != 206):
            response.close()
            raise StorageFailed(
                f"Could not read {key}: the server answered {response.status_code}."
            )
        return _Body(response)
