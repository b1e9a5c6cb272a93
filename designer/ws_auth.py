"""Websocket authentication: the session cookie (browsers) or an API token (scripts).

Browsers are authenticated by their session cookie (Channels' AuthMiddleware).
Scripts send an API token, in order of preference:

* ``Authorization: Bearer sy_...`` on the handshake request;
* the subprotocols ``stateyard.token, sy_...`` (``Sec-WebSocket-Protocol``, for
  clients that cannot set headers); the server accepts ``stateyard.token``;
* ``?token=sy_...`` (deprecated: URLs are logged; ``designer.log_redaction``
  masks the value in the server's logs).

A token, when sent, decides: a wrong or revoked one leaves the socket
anonymous (refused), it never falls back to the cookie. Wrong tokens count
against the address like on the API (``designer.services.throttle``); while
the address is locked every token is refused. The token's id is kept
in ``scope["api_token_id"]`` so the consumer can re-check it later.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser

from designer.services.throttle import token_failed, token_retry_after
from designer.services.tokens import token_find

TOKEN_SUBPROTOCOL = "stateyard.token"


def _header(scope: dict[str, Any], name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


def token_from_scope(scope: dict[str, Any]) -> tuple[str | None, str | None]:
    """The token the handshake carries and the subprotocol to accept (or None)."""
    parts = _header(scope, b"authorization").split()
    if len(parts) == 2 and parts[0].lower() in ("bearer", "token"):
        return parts[1], None
    subprotocols = list(scope.get("subprotocols") or [])
    if TOKEN_SUBPROTOCOL in subprotocols:
        offered = [p for p in subprotocols if p.startswith("sy_")]
        return (offered[0] if offered else ""), TOKEN_SUBPROTOCOL
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return (query.get("token") or [None])[0], None


def _client_ip(scope: dict[str, Any]) -> str:
    client = scope.get("client") or ("unknown", 0)
    return str(client[0])


def _token_checked(token: str, ip: str) -> Any:
    if token_retry_after(ip):
        return None
    found = token_find(token) if token else None
    if found is None:
        token_failed(ip)
    return found


class TokenAuthMiddleware(BaseMiddleware):  # type: ignore[misc]
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        token, subprotocol = token_from_scope(scope)
        if token is not None:
            found = await database_sync_to_async(_token_checked)(token, _client_ip(scope))
            if found is None:
                scope = {**scope, "user": AnonymousUser(), "api_token_id": None}
            else:
                scope = {**scope, "user": found.user, "api_token_id": found.pk}
            if subprotocol:
                scope["accept_subprotocol"] = subprotocol
        return await super().__call__(scope, receive, send)
