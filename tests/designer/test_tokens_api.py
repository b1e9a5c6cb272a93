"""API tokens: created once, listed without secrets, revocable, and used as Bearer tokens."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from designer.models import ApiToken, Team
from tests.designer.conftest import ApiClientFor

pytestmark = pytest.mark.django_db


def bearer(key: str, keyword: str = "Bearer") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


def test_create_returns_the_secret_once_and_stores_only_a_hash(
    owner: Any, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(owner)
    response = client.post("/api/tokens/", {"name": "ci"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "prefix", "created_at", "last_used_at", "token"}
    assert body["name"] == "ci" and body["last_used_at"] is None
    assert body["token"].startswith(f"sy_{body['prefix']}_")
    stored = ApiToken.objects.get(pk=body["id"])
    assert stored.user == owner
    secret = body["token"].split("_", 2)[2]
    assert secret not in stored.key_hash and body["token"] not in stored.key_hash
    listed = client.get("/api/tokens/").json()
    assert [t["id"] for t in listed] == [body["id"]]
    assert "token" not in listed[0] and "key_hash" not in listed[0]


def test_list_shows_only_my_working_tokens(
    owner: Any, viewer: Any, api_client_for: ApiClientFor
) -> None:
    mine = api_client_for(owner).post("/api/tokens/", {"name": "a"}, format="json").json()
    gone = api_client_for(owner).post("/api/tokens/", {"name": "b"}, format="json").json()
    api_client_for(viewer).post("/api/tokens/", {"name": "theirs"}, format="json")
    api_client_for(owner).delete(f"/api/tokens/{gone['id']}/")
    response = api_client_for(owner).get("/api/tokens/")
    assert response.status_code == 200
    assert [(t["id"], t["name"]) for t in response.json()] == [(mine["id"], "a")]


def test_bearer_token_authenticates_and_records_use(
    owner: Any, team: Team, api_client_for: ApiClientFor
) -> None:
    body = api_client_for(owner).post("/api/tokens/", {"name": "cli"}, format="json").json()
    response = bearer(body["token"]).get("/api/teams/")
    assert response.status_code == 200
    assert [t["slug"] for t in response.json()] == ["acme"]
    assert ApiToken.objects.get(pk=body["id"]).last_used_at is not None
    assert bearer(body["token"], "Token").get("/api/teams/acme/").status_code == 200


def test_bearer_requests_need_no_csrf_token_but_sessions_do(
    owner: Any, bearer_client_for: ApiClientFor
) -> None:
    response = bearer_client_for(owner).post("/api/teams/", {"name": "Scripted"}, format="json")
    assert response.status_code == 201
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(owner)
    refused = session.post("/api/teams/", {"name": "Forged"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["message"]
    names = sorted(owner.memberships.values_list("team__name", flat=True))
    assert names == ["Scripted"]


def test_revoked_token_gets_401(owner: Any, api_client_for: ApiClientFor) -> None:
    body = api_client_for(owner).post("/api/tokens/", {"name": "old"}, format="json").json()
    client = bearer(body["token"])
    assert client.get("/api/tokens/").status_code == 200
    assert client.delete(f"/api/tokens/{body['id']}/").status_code == 204
    assert ApiToken.objects.get(pk=body["id"]).revoked_at is not None
    response = client.get("/api/teams/")
    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "message": "Invalid or revoked token.",
        "details": None,
    }


@pytest.mark.parametrize("key", ["sy_nothing_here", "sy_abc", "garbage", "sy_00000000_xyz"])
def test_wrong_tokens_get_401(key: str, owner: Any, bearer_client_for: ApiClientFor) -> None:
    bearer_client_for(owner)  # a real token exists
    assert bearer(key).get("/api/teams/").status_code == 401


def test_a_tampered_secret_is_refused(owner: Any, api_client_for: ApiClientFor) -> None:
    body = api_client_for(owner).post("/api/tokens/", {"name": "x"}, format="json").json()
    tampered = body["token"][:-2] + ("AA" if not body["token"].endswith("AA") else "BB")
    assert bearer(tampered).get("/api/teams/").status_code == 401


def test_cannot_revoke_someone_elses_or_unknown_tokens(
    owner: Any, viewer: Any, api_client_for: ApiClientFor
) -> None:
    theirs = api_client_for(viewer).post("/api/tokens/", {"name": "v"}, format="json").json()
    client = api_client_for(owner)
    response = client.delete(f"/api/tokens/{theirs['id']}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert ApiToken.objects.get(pk=theirs["id"]).revoked_at is None
    assert client.delete("/api/tokens/999999/").status_code == 404


def test_revoking_twice_is_404(owner: Any, api_client_for: ApiClientFor) -> None:
    client = api_client_for(owner)
    token = client.post("/api/tokens/", {"name": "x"}, format="json").json()
    assert client.delete(f"/api/tokens/{token['id']}/").status_code == 204
    assert client.delete(f"/api/tokens/{token['id']}/").status_code == 404


@pytest.mark.parametrize("payload", [{}, {"name": ""}, {"name": "x" * 81}])
def test_create_needs_a_name(
    payload: dict[str, Any] | None, owner: Any, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(owner).post("/api/tokens/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed" and "name" in response.json()["details"]
    assert not ApiToken.objects.exists()


def test_anonymous_cannot_use_token_endpoints(owner: Any, api_client_for: ApiClientFor) -> None:
    client = api_client_for(None)
    assert client.get("/api/tokens/").status_code == 401
    assert client.post("/api/tokens/", {"name": "x"}, format="json").status_code == 401
    assert not ApiToken.objects.exists()


def test_inactive_users_tokens_stop_working(owner: Any, bearer_client_for: ApiClientFor) -> None:
    client = bearer_client_for(owner)
    owner.is_active = False
    owner.save()
    assert client.get("/api/teams/").status_code == 401
