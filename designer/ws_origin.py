"""Websocket handshakes: which ``Origin`` may open a socket.

A browser always sends ``Origin`` on a websocket handshake, and always sends
the site's cookies with it: a handshake from a foreign page would ride the
session (cross-site websocket hijacking). So a handshake whose ``Origin`` is
not one of ``ALLOWED_HOSTS`` is refused (HTTP 403), and so is one without
``Origin`` that only has the cookie to show.

A script (no browser) sends no ``Origin``. When its handshake carries an API
token (``Authorization: Bearer``, the ``stateyard.token`` subprotocol or the
deprecated ``?token=``), no page can have made it for someone else: a page
cannot read another site's token, and a browser would have added its
``Origin``. Such a handshake goes on without an ``Origin``; the token decides
(``designer.ws_auth``).
"""

from __future__ import annotations

from typing import Any

from channels.security.websocket import AllowedHostsOriginValidator

from designer.ws_auth import token_from_scope


def _has_origin(scope: dict[str, Any]) -> bool:
    return any(name.lower() == b"origin" for name, _ in scope.get("headers", []))


class WebsocketOriginCheck:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.validated = AllowedHostsOriginValidator(app)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if not _has_origin(scope) and token_from_scope(scope)[0] is not None:
            return await self.app(scope, receive, send)
        return await self.validated(scope, receive, send)
