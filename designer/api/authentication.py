"""``Authorization: Bearer sy_...`` (or ``Token sy_...``) authentication for scripts.

Wrong tokens are counted per IP address (``designer.services.throttle``); past
the limit every token from that address gets 429 with ``Retry-After``, a token
the process remembers too. The lock is one read over the process's pooled
Redis connection (``stateyard.redis_cache``); the token itself is looked up
once per burst (``designer.services.tokens``).
"""

from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions
from rest_framework.request import Request

from designer.services.throttle import client_ip, token_failed, token_retry_after
from designer.services.tokens import token_authenticate


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if len(header) != 2 or header[0].lower() not in self.keywords:
            return None
        ip = client_ip(request)
        wait = token_retry_after(ip)
        if wait:
            raise exceptions.Throttled(wait, "Too many invalid tokens from this address.")
        user = token_authenticate(header[1])
        if user is None:
            token_failed(ip)
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        return user, None

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
