"""``Authorization: Bearer sy_...`` (or ``Token sy_...``) authentication for scripts.

Wrong tokens are counted per IP address (``designer.services.throttle``); past
the limit every token from that address gets 429 with ``Retry-After``. A token
this process verified in the last few seconds (``designer.services.tokens``) is
answered from memory, before the throttle is asked: that keeps the cache's
round trip off every request, and a lock can only follow failures, which a
remembered token is not (a remembered token from a locked address is refused
once the process has forgotten it, within ``CACHE_SECONDS``).
"""

from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions
from rest_framework.request import Request

from designer.services.throttle import client_ip, token_failed, token_retry_after
from designer.services.tokens import token_authenticate, token_remembered


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if len(header) != 2 or header[0].lower() not in self.keywords:
            return None
        known = token_remembered(header[1])
        if known is not None:  # verified moments ago: no database, no throttle round trip
            return known, None
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
