"""A URL that only lacks its trailing slash: a redirect that works, never a 500.

Django's ``CommonMiddleware`` (``APPEND_SLASH``) answers ``GET /api/teams``
with an empty HTML 301, and ``POST``/``PUT``/``PATCH``/``DELETE`` without the
slash with a ``RuntimeError`` under ``DEBUG`` (a 500), else a 301 that clients
follow with a ``GET`` and no body. ``MissingSlashMiddleware`` sits before it
and answers first when the path does not resolve but the path with a slash
does:

* ``GET``/``HEAD``: 301 to the URL with the slash;
* any other method: 308 Permanent Redirect, which keeps the method and the
  body (HTTP clients re-send both to the same origin; so does a browser's
  form post);
* under ``/api/`` the body is the API's JSON (``moved_permanently`` or
  ``permanent_redirect``) with the URL in ``details.location``; elsewhere a
  ``GET`` is left to Django's redirect and a 308 has an empty body.

Every other path passes on unchanged (an unknown one is still a 404).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import is_valid_path
from django.utils.http import escape_leading_slashes

from designer.api.middleware import error_json, is_api

KEEPS_METHOD = 308


def slash_target(request: HttpRequest) -> str | None:
    """The URL (path and query) with the slash the path lacks, or None."""
    path = request.path_info
    if not settings.APPEND_SLASH or path.endswith("/"):
        return None
    urlconf = getattr(request, "urlconf", None)
    if is_valid_path(path, urlconf) or not is_valid_path(f"{path}/", urlconf):
        return None
    return escape_leading_slashes(request.get_full_path(force_append_slash=True))


class MissingSlashMiddleware:
    """Put it before ``CommonMiddleware`` (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        target = slash_target(request)
        if target is None:
            return self.get_response(request)
        safe = request.method in ("GET", "HEAD")
        if is_api(request):
            code, status = ("moved_permanently", 301) if safe else ("permanent_redirect", 308)
            response = error_json(
                code, f"This URL ends with a slash: {target}", {"location": target}, status
            )
        elif safe:
            return self.get_response(request)  # Django's own redirect
        else:
            response = HttpResponse(status=KEEPS_METHOD)
        response["Location"] = target
        return response
