"""Content-Security-Policy on every response: scripts and styles from this server only.

The pages have no inline script, no inline event handler and no inline style
(``tests/designer/test_security_headers.py`` checks the templates); the studio
bundle is loaded with ``<script type="module" src=...>`` and its layout worker
from the same origin. CodeMirror writes its styles into a ``<style>`` element:
each response gets a fresh nonce (``request.csp_nonce``), ``base.html`` puts it
in ``<meta name="csp-nonce">`` and the code view hands it to CodeMirror. So:

``default-src 'self'; script-src 'self'; style-src 'self' 'nonce-<n>';
img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws://<host>
wss://<host>; worker-src 'self'; object-src 'none'; base-uri 'self';
form-action 'self'; frame-ancestors 'none'``

``<host>`` is the request's own host, so the websockets of this origin are
allowed and no other. The nonce admits styles only, never scripts. The Redoc
page (``/api/redoc/``) is the one exception: Redoc injects its styles and
starts a worker from a blob, so it gets ``style-src 'unsafe-inline'`` (no
nonce: a nonce would switch 'unsafe-inline' off) and ``worker-src blob:``
(never anything for scripts).
A response that already carries a policy keeps it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

HEADER = "Content-Security-Policy"


def policy_for(request: HttpRequest) -> str:
    return policy(request.get_host(), request.path, getattr(request, "csp_nonce", ""))


def policy(host: str, path: str, nonce: str = "") -> str:
    """The policy for a response to ``path`` on ``host`` (also for answers made outside
    Django: ``designer.security_headers``)."""
    styles = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    workers = "'self'"
    try:
        relaxed = path.startswith(reverse("api-redoc"))
    except NoReverseMatch:
        relaxed = False
    if relaxed:
        styles, workers = "'self' 'unsafe-inline'", "'self' blob:"
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            f"style-src {styles}",
            "img-src 'self' data:",
            "font-src 'self' data:",
            f"connect-src 'self' ws://{host} wss://{host}" if host else "connect-src 'self'",
            f"worker-src {workers}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(18)  # type: ignore[attr-defined]
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = policy_for(request)
        return response
