"""Websocket authentication by API token (``?token=sy_...``), for scripts.

Browsers are authenticated by their session cookie (Channels' AuthMiddleware);
a token in the query string, when present and valid, takes precedence.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware

from designer.services.tokens import token_authenticate


class TokenAuthMiddleware(BaseMiddleware):  # type: ignore[misc]
    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        query = parse_qs(scope.get("query_string", b"").decode())
        token = (query.get("token") or [None])[0]
        if token:
            user = await database_sync_to_async(token_authenticate)(token)
            if user is not None:
                scope = {**scope, "user": user}
        return await super().__call__(scope, receive, send)
