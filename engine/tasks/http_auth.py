"""What a connection adds to an HTTP Task's request, and OAuth client-credentials tokens.

The engine knows nothing about where connections are stored: the web app
passes ``resolve_connection(arn) -> ConnectionAuth`` to
``engine.tasks.http.register``. ``OAuthTokens`` fetches a client-credentials
token from the token endpoint (through the same address guard as every task
call) and caches it until shortly before it expires.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from engine.tasks.http_guard import AddressRefused, BodyTooLarge, Credentials, GuardedHttp

CONNECTION_ERROR = "Events.ConnectionResource.InvalidConnectionState"
TOKEN_EARLY_REFRESH = 60.0  # seconds before expiry a cached token is fetched again
DEFAULT_TOKEN_LIFETIME = 3600.0


@dataclass(frozen=True)
class ConnectionAuth:
    """Headers, query parameters and body fields a connection adds (its values win)."""

    headers: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    body: Mapping[str, Any] = field(default_factory=dict)


class ConnectionFailed(Exception):
    """The connection cannot be used; the task fails with ``error`` and this message as cause."""

    def __init__(self, message: str, error: str = CONNECTION_ERROR) -> None:
        super().__init__(message)
        self.error = error


ConnectionResolver = Callable[[str], ConnectionAuth]


def basic_header(username: str, password: str) -> str:
    raw = f"{username}:{password}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


@dataclass(frozen=True)
class OAuthClient:
    """An OAuth 2.0 client-credentials grant (RFC 6749 section 4.4)."""

    token_url: str
    client_id: str
    client_secret: str
    method: str = "POST"
    scope: str = ""
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    extra_query: Mapping[str, str] = field(default_factory=dict)
    extra_body: Mapping[str, str] = field(default_factory=dict)


class OAuthTokens:
    """Access tokens per key (e.g. connection id and revision), fetched once and reused."""

    def __init__(self, http: GuardedHttp, clock: Callable[[], float] = time.monotonic) -> None:
        self.http = http
        self.clock = clock
        self.fetches = 0  # how many tokens were fetched (for tests and metrics)
        self._tokens: dict[str, tuple[str, float]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def token(self, key: str, client: OAuthClient) -> str:
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # one fetch per key at a time; the others wait and reuse it
            cached = self._tokens.get(key)
            if cached is not None and cached[1] > self.clock():
                return cached[0]
            token, lifetime = self._fetch(client)
            self.fetches += 1
            self._tokens[key] = (token, self.clock() + max(0.0, lifetime - TOKEN_EARLY_REFRESH))
            return token

    def forget(self, key: str) -> None:
        self._tokens.pop(key, None)

    def _fetch(self, client: OAuthClient) -> tuple[str, float]:
        fields = {"grant_type": "client_credentials", **dict(client.extra_body)}
        if client.scope:
            fields["scope"] = client.scope
        form = urllib.parse.urlencode(fields)
        headers = {
            "Authorization": basic_header(client.client_id, client.client_secret),
            "Accept": "application/json",
            **dict(client.extra_headers),
        }
        url = client.token_url
        content: bytes | None = None
        if client.method.upper() == "GET":
            url = _with_query(url, {**dict(client.extra_query), **fields})
        else:
            url = _with_query(url, dict(client.extra_query))
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            content = form.encode()
        try:
            result = self.http.request(
                client.method.upper(),
                url,
                headers=headers,
                content=content,
                max_body=1 << 20,
                credentials=Credentials.of(
                    headers, {**dict(client.extra_query), **fields}, body=content is not None
                ),
            )
        except AddressRefused as refused:
            raise ConnectionFailed(f"The OAuth token endpoint was refused: {refused}") from None
        except (httpx.HTTPError, BodyTooLarge) as error:
            raise ConnectionFailed(f"Could not reach the OAuth token endpoint: {error}") from None
        if not 200 <= result.status < 300:
            raise ConnectionFailed(
                f"The OAuth token endpoint answered {result.status} {result.reason}."
            )
        try:
            data = json.loads(result.body)
            token = data["access_token"]
        except (ValueError, KeyError, TypeError):
            raise ConnectionFailed("The OAuth token endpoint sent no access_token.") from None
        if not isinstance(token, str) or not token:
            raise ConnectionFailed("The OAuth token endpoint sent no access_token.")
        lifetime = data.get("expires_in", DEFAULT_TOKEN_LIFETIME)
        if not isinstance(lifetime, int | float) or isinstance(lifetime, bool):
            lifetime = DEFAULT_TOKEN_LIFETIME
        return token, float(lifetime)


def _with_query(url: str, query: Mapping[str, str]) -> str:
    if not query:
        return url
    return str(httpx.URL(url).copy_merge_params(dict(query)))
