"""Answers made around the views: a URL without its slash, and the headers of every error.

* A path that only lacks its trailing slash is never a 500 (Django's
  ``APPEND_SLASH`` raised a ``RuntimeError`` for a POST under ``DEBUG``): under
  ``/api/`` a JSON 301 (GET/HEAD) or 308 (other methods, which keeps the
  method and the body) naming the right URL; a page's form post gets a 308.
* Every error under ``/api/`` (an unknown path's 404, 413, 500, 503, and the
  ASGI wrapper's own 413) carries the same security headers as any page and
  is rendered as compactly as DRF renders the views' errors.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from designer.body_limit import BodyLimit
from designer.models import Team

pytestmark = pytest.mark.django_db

SECURITY = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
)


def compact_json(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = json.loads(response.content)
    assert set(body) == {"code", "message", "details"} and body["code"] == code
    assert response.content == json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return body


def protected(headers: Any) -> None:
    for name in SECURITY:
        assert headers.get(name), f"{name} missing"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_an_unsafe_method_without_the_slash_is_a_json_308(
    bearer_client_for: Any, editor: Any, team: Team, settings: Any, method: str, debug: bool
) -> None:
    settings.DEBUG = debug  # DEBUG made Django raise a RuntimeError (a 500)
    client = bearer_client_for(editor)
    response = client.generic(
        method, "/api/teams?x=1", json.dumps({"name": "x"}), content_type="application/json"
    )
    body = compact_json(response, 308, "permanent_redirect")
    assert response["Location"] == "/api/teams/?x=1"
    assert body["details"] == {"location": "/api/teams/?x=1"}
    protected(response)


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_a_read_without_the_slash_is_a_json_301(
    bearer_client_for: Any, editor: Any, team: Team, method: str
) -> None:
    response = bearer_client_for(editor).generic(method, "/api/teams")
    assert response.status_code == 301 and response["Location"] == "/api/teams/"
    assert response["Content-Type"].startswith("application/json")
    if method == "GET":
        assert compact_json(response, 301, "moved_permanently")["details"] == {
            "location": "/api/teams/"
        }


def test_a_form_post_without_the_slash_is_not_a_500(settings: Any) -> None:
    settings.DEBUG = True
    response = Client().post("/accounts/login", {"username": "a", "password": "b"})
    assert response.status_code == 308 and response["Location"] == "/accounts/login/"
    protected(response)


def test_an_unknown_path_without_a_slash_is_still_a_404(
    bearer_client_for: Any, editor: Any
) -> None:
    response = bearer_client_for(editor).post("/api/no-such-thing", {}, format="json")
    compact_json(response, 404, "not_found")
    protected(response)


def test_an_unknown_api_path_has_the_security_headers(api_client_for: Any, editor: Any) -> None:
    response = api_client_for(editor).get("/api/no-such-thing/")
    compact_json(response, 404, "not_found")
    protected(response)


def test_a_declared_body_over_the_limit_has_the_security_headers(
    api_client_for: Any, editor: Any, team: Team, settings: Any
) -> None:
    settings.STATEYARD_LIMITS = {"REQUEST_MAX_BYTES": 1000}
    response = api_client_for(editor).post("/api/teams/", {"name": "x" * 2000}, format="json")
    compact_json(response, 413, "request_too_large")
    protected(response)


def test_a_500_and_a_503_have_the_security_headers(
    api_client_for: Any, editor: Any, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.backends.utils import CursorWrapper

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("a bug")

    client = api_client_for(editor)
    with monkeypatch.context() as patch:
        patch.setattr("designer.api.teams.TeamListView.get", broken)
        response = client.get("/api/teams/")
    compact_json(response, 500, "internal_error")
    protected(response)

    def down(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("the database is gone")

    with monkeypatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", down)
        response = client.get("/api/teams/")
    compact_json(response, 503, "service_unavailable")
    protected(response)


def test_a_500_made_by_another_middleware_has_the_security_headers(
    editor: Any, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(editor)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("a bug")

    monkeypatch.setattr(
        "django.contrib.sessions.middleware.SessionMiddleware.process_request", broken
    )
    response = client.get("/api/teams/")
    compact_json(response, 500, "internal_error")
    protected(response)


@pytest.mark.parametrize("path", ["/api/teams/", "/accounts/login/"])
def test_the_asgi_413_has_the_security_headers(settings: Any, path: str) -> None:
    settings.STATEYARD_LIMITS = {"REQUEST_MAX_BYTES": 1000}
    sent: list[Any] = []

    async def never(*args: Any) -> None:  # the wrapper answers before the app runs
        raise AssertionError("the application was called")

    async def receive() -> Any:
        raise AssertionError("the body was read")

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "scheme": "http",
        "path": path,
        "method": "POST",
        "headers": [(b"host", b"testserver"), (b"content-length", b"5000")],
    }
    asyncio.run(BodyLimit(never)(scope, receive, send))
    assert sent[0]["status"] == 413
    headers = {k.decode(): v.decode() for k, v in sent[0]["headers"]}
    protected({k.title(): v for k, v in headers.items()} | headers)
    assert "ws://testserver" in headers["content-security-policy"]
    if path.startswith("/api/"):
        body = json.loads(sent[1]["body"])
        assert body["code"] == "request_too_large"
        assert sent[1]["body"] == json.dumps(body, separators=(",", ":")).encode()


def test_the_asgi_413_leaves_a_foreign_host_out_of_the_policy(settings: Any) -> None:
    settings.STATEYARD_LIMITS = {"REQUEST_MAX_BYTES": 1000}
    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "path": "/api/teams/",
        "headers": [(b"host", b"evil.example"), (b"content-length", b"5000")],
    }
    asyncio.run(BodyLimit(None)(scope, None, send))  # type: ignore[arg-type]
    headers = dict(sent[0]["headers"])
    assert b"evil" not in headers[b"content-security-policy"]
