"""The browser-protection headers for answers made outside Django's middleware.

Django's ``SecurityMiddleware`` (nosniff, Referrer-Policy,
Cross-Origin-Opener-Policy, HSTS on https), ``XFrameOptionsMiddleware`` and
``designer.csp`` put them on every response Django makes, error pages
included. The ASGI wrapper ``designer.body_limit`` answers before Django
runs: ``security_headers`` gives it the same headers, from the same settings.
"""

from __future__ import annotations

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from designer import csp


def _known(host: str) -> str:
    """``host`` when it is one of ``ALLOWED_HOSTS`` (as Django's ``get_host`` checks), else ""."""
    allowed = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    domain, _ = split_domain_port(host.lower())
    return host if domain and validate_host(domain, allowed) else ""


def security_headers(host: str, path: str, secure: bool) -> list[tuple[str, str]]:
    """The headers for an answer to ``path`` on ``host`` (the raw Host header: a host that
    is not allowed is left out of the policy)."""
    headers = [
        (csp.HEADER, csp.policy(_known(host), path)),
        ("X-Frame-Options", str(getattr(settings, "X_FRAME_OPTIONS", "DENY")).upper()),
    ]
    if getattr(settings, "SECURE_CONTENT_TYPE_NOSNIFF", True):
        headers.append(("X-Content-Type-Options", "nosniff"))
    referrer = getattr(settings, "SECURE_REFERRER_POLICY", "same-origin")
    if referrer:
        value = referrer if isinstance(referrer, str) else ",".join(referrer)
        headers.append(("Referrer-Policy", value))
    opener = getattr(settings, "SECURE_CROSS_ORIGIN_OPENER_POLICY", "same-origin")
    if opener:
        headers.append(("Cross-Origin-Opener-Policy", opener))
    seconds = int(getattr(settings, "SECURE_HSTS_SECONDS", 0) or 0)
    if secure and seconds:
        hsts = f"max-age={seconds}"
        if getattr(settings, "SECURE_HSTS_INCLUDE_SUBDOMAINS", False):
            hsts += "; includeSubDomains"
        if getattr(settings, "SECURE_HSTS_PRELOAD", False):
            hsts += "; preload"
        headers.append(("Strict-Transport-Security", hsts))
    return headers
