"""Connections: every endpoint by role, secrets never shown and encrypted at rest, and the
resolver the HTTP Task uses (API key, basic auth, OAuth client credentials) against a real
local server."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import include, path

from designer.models import AuditEntry, Connection, Team
from designer.services import connections as services
from engine.interpreter.effects import InvokeTask
from engine.tasks import http
from engine.tasks.http_auth import ConnectionFailed
from engine.tasks.http_guard import GuardedHttp
from tests.engine.test_http_task import LocalServer, Seen, json_reply

# The connection routes with the project's (until designer/api/urls.py includes them).
urlpatterns = [
    path("api/", include("designer.api.urls_connections")),
    path("", include("stateyard.urls")),
]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

ROLES = ("owner", "editor", "runner", "viewer", "outsider")
MANAGE = {"owner": 200, "editor": 200, "runner": 403, "viewer": 403, "outsider": 404}
CREATE = {**MANAGE, "owner": 201, "editor": 201}
DELETE = {**MANAGE, "owner": 204, "editor": 204}
SECRET = "s3cr3t-value-never-shown"
API_KEY = {"api_key_name": "x-api-key", "api_key_value": SECRET}


@pytest.fixture
def users(members: dict[str, Any], outsider: Any, other_team: Team) -> dict[str, Any]:
    return {**members, "outsider": outsider}


@pytest.fixture
def connection(team: Team, owner: Any) -> Connection:
    return services.connection_create(
        actor=owner, team_slug="acme", name="payments", auth_type="API_KEY", auth=API_KEY
    )


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    yield local
    local.stop()


def url(connection: Connection) -> str:
    return f"/api/connections/{connection.id}/"


# --- every endpoint x every role ---


@pytest.mark.parametrize("role", ROLES)
def test_list(
    api_client_for: Any, users: dict[str, Any], connection: Connection, role: str
) -> None:
    response = api_client_for(users[role]).get("/api/teams/acme/connections/")
    assert response.status_code == MANAGE[role]
    if response.status_code == 200:
        assert [c["name"] for c in response.json()] == ["payments"]
        assert SECRET not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_create(api_client_for: Any, users: dict[str, Any], team: Team, role: str) -> None:
    response = api_client_for(users[role]).post(
        "/api/teams/acme/connections/",
        {
            "name": f"api-{role}",
            "auth_type": "BASIC",
            "auth": {"username": "u", "password": SECRET},
        },
        format="json",
    )
    assert response.status_code == CREATE[role], response.json()
    if response.status_code == 201:
        body = response.json()
        assert body["auth_type"] == "BASIC"
        assert body["auth"] == {"username": "u"}
        assert body["arn"] == (
            f"arn:aws:events:us-east-1:000000000000:connection/api-{role}/{body['id']}"
        )
        assert SECRET not in response.content.decode()
        assert AuditEntry.objects.filter(action="connection.create", actor=users[role]).exists()
    else:
        assert not Connection.objects.filter(name=f"api-{role}").exists()


@pytest.mark.parametrize("role", ROLES)
def test_retrieve(
    api_client_for: Any, users: dict[str, Any], connection: Connection, role: str
) -> None:
    response = api_client_for(users[role]).get(url(connection))
    assert response.status_code == MANAGE[role]
    if response.status_code == 200:
        assert response.json()["auth"] == {"api_key_name": "x-api-key"}
        assert SECRET not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_patch(
    api_client_for: Any, users: dict[str, Any], connection: Connection, role: str
) -> None:
    response = api_client_for(users[role]).patch(
        url(connection), {"description": "Stripe"}, format="json"
    )
    assert response.status_code == MANAGE[role]
    connection.refresh_from_db()
    assert (connection.description == "Stripe") == (response.status_code == 200)


@pytest.mark.parametrize("role", ROLES)
def test_delete(
    api_client_for: Any, users: dict[str, Any], connection: Connection, role: str
) -> None:
    response = api_client_for(users[role]).delete(url(connection))
    assert response.status_code == DELETE[role]
    assert Connection.objects.filter(pk=connection.pk).exists() == (response.status_code != 204)


def test_anonymous_gets_no_access(api_client_for: Any, connection: Connection) -> None:
    assert api_client_for(None).get(url(connection)).status_code in (401, 403)


# --- rules ---


def test_secrets_are_encrypted_at_rest(connection: Connection) -> None:
    stored = Connection.objects.get(pk=connection.pk)
    assert SECRET not in stored.secret
    assert SECRET not in json.dumps(stored.parameters)
    assert services.decrypt_secrets(stored.secret) == {"api_key_value": SECRET}


def test_patch_keeps_secrets_not_sent_and_refuses_a_new_name(
    api_client_for: Any, owner: Any, connection: Connection
) -> None:
    client = api_client_for(owner)
    response = client.patch(url(connection), {"auth": {"api_key_name": "X-Key"}}, format="json")
    assert response.json()["auth"] == {"api_key_name": "X-Key"}
    connection.refresh_from_db()
    assert services.decrypt_secrets(connection.secret) == {"api_key_value": SECRET}
    renamed = client.patch(url(connection), {"name": "other"}, format="json")
    assert renamed.status_code == 400
    changed = client.patch(
        url(connection),
        {"auth_type": "BASIC", "auth": {"username": "u", "password": "p"}},
        format="json",
    )
    assert changed.json()["auth_type"] == "BASIC"
    assert changed.json()["auth"] == {"username": "u"}


def test_auth_type_switch_needs_the_new_secrets(
    api_client_for: Any, owner: Any, connection: Connection
) -> None:
    response = api_client_for(owner).patch(
        url(connection), {"auth_type": "BASIC", "auth": {"username": "u"}}, format="json"
    )
    assert response.status_code == 400
    assert "password" in response.json()["message"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"name": "bad name", "auth_type": "API_KEY", "auth": API_KEY}, "letters"),
        ({"name": "n", "auth_type": "API_KEY", "auth": {"api_key_name": "x"}}, "api_key_value"),
        ({"name": "n", "auth_type": "API_KEY", "auth": {**API_KEY, "extra": 1}}, "extra"),
        (
            {
                "name": "n",
                "auth_type": "OAUTH_CLIENT_CREDENTIALS",
                "auth": {
                    "authorization_endpoint": "ftp://x",
                    "client_id": "i",
                    "client_secret": "s",
                },
            },
            "authorization_endpoint",
        ),
    ],
)
def test_invalid_connections(
    api_client_for: Any, owner: Any, team: Team, body: dict[str, Any], fragment: str
) -> None:
    response = api_client_for(owner).post("/api/teams/acme/connections/", body, format="json")
    assert response.status_code == 400
    assert fragment in json.dumps(response.json())


def test_duplicate_name_conflicts(api_client_for: Any, owner: Any, connection: Connection) -> None:
    response = api_client_for(owner).post(
        "/api/teams/acme/connections/",
        {"name": "payments", "auth_type": "API_KEY", "auth": API_KEY},
        format="json",
    )
    assert response.status_code == 409


# --- the resolver the HTTP Task uses ---


def invoke(adapter: http.HttpInvoke, endpoint: str, arn: str) -> Any:
    parameters = {
        "ApiEndpoint": endpoint,
        "Method": "GET",
        "Authentication": {"ConnectionArn": arn},
    }
    acme = Team.objects.get(slug="acme")
    with services.team_scope(acme.pk):  # calls run on behalf of the connection's own team
        return adapter.invoke(InvokeTask(1, http.RESOURCE, parameters, "Call"))


def adapter_with_connections(*hosts: str) -> http.HttpInvoke:
    resolver = services.ConnectionResolver(GuardedHttp(hosts))
    return http.HttpInvoke(allow_hosts=hosts, resolve_connection=resolver)


def test_api_key_header_arrives(server: LocalServer, connection: Connection) -> None:
    server.routes["/api"] = lambda seen: json_reply({})
    response = invoke(adapter_with_connections(server.host), server.url("/api"), connection.arn)
    assert not response.failed, response.cause
    assert server.seen[0].headers["x-api-key"] == SECRET


def test_basic_auth_arrives(server: LocalServer, owner: Any, team: Team) -> None:
    basic = services.connection_create(
        actor=owner,
        team_slug="acme",
        name="basic",
        auth_type="BASIC",
        auth={"username": "ann", "password": "pw:1"},
        invocation_http_parameters={"headers": {"X-Tenant": "acme"}, "query": {"v": "2"}},
    )
    server.routes["/api"] = lambda seen: json_reply({})
    invoke(adapter_with_connections(server.host), server.url("/api"), basic.arn)
    seen = server.seen[0]
    assert seen.headers["Authorization"] == "Basic " + base64.b64encode(b"ann:pw:1").decode()
    assert (seen.headers["X-Tenant"], seen.query) == ("acme", [("v", "2")])


def test_oauth_token_fetched_once_and_reused(server: LocalServer, owner: Any, team: Team) -> None:
    def token(seen: Seen) -> Any:
        return json_reply({"access_token": "tok-42", "token_type": "Bearer", "expires_in": 600})

    server.routes["/oauth/token"] = token
    server.routes["/api"] = lambda seen: json_reply({"auth": seen.headers.get("Authorization")})
    oauth = services.connection_create(
        actor=owner,
        team_slug="acme",
        name="oauth",
        auth_type="OAUTH_CLIENT_CREDENTIALS",
        auth={
            "authorization_endpoint": server.url("/oauth/token"),
            "client_id": "cid",
            "client_secret": SECRET,
            "scope": "orders:read",
        },
    )
    adapter = adapter_with_connections(server.host)
    for _ in range(3):
        response = invoke(adapter, server.url("/api"), oauth.arn)
        assert response.output["ResponseBody"] == {"auth": "Bearer tok-42"}
    token_calls = [s for s in server.seen if s.path == "/oauth/token"]
    assert len(token_calls) == 1
    assert token_calls[0].headers["Authorization"] == (
        "Basic " + base64.b64encode(f"cid:{SECRET}".encode()).decode()
    )


def test_oauth_token_endpoint_is_guarded(owner: Any, team: Team) -> None:
    oauth = services.connection_create(
        actor=owner,
        team_slug="acme",
        name="meta",
        auth_type="OAUTH_CLIENT_CREDENTIALS",
        auth={
            "authorization_endpoint": "http://169.254.169.254/token",
            "client_id": "cid",
            "client_secret": "s",
        },
    )
    response = invoke(adapter_with_connections(), "https://example.com/", oauth.arn)
    assert response.error == "Events.ConnectionResource.InvalidConnectionState"
    assert "metadata" in (response.cause or "")


def test_another_teams_execution_cannot_use_the_connection(
    server: LocalServer, connection: Connection, other_team: Team
) -> None:
    server.routes["/api"] = lambda seen: json_reply({})
    adapter = adapter_with_connections(server.host)
    parameters = {
        "ApiEndpoint": server.url("/api"),
        "Method": "GET",
        "Authentication": {"ConnectionArn": connection.arn},
    }
    with services.team_scope(other_team.pk):
        response = adapter.invoke(InvokeTask(1, http.RESOURCE, parameters, "Call"))
    assert response.failed
    assert response.error == "Events.ConnectionResource.InvalidConnectionState"
    assert "does not exist" in (response.cause or "")
    assert server.seen == []  # nothing was sent, the secret never left


def test_unknown_connection_arn_fails_clearly() -> None:
    resolver = services.ConnectionResolver(GuardedHttp())
    with pytest.raises(ConnectionFailed, match="does not exist"):
        resolver(
            "arn:aws:events:us-east-1:000000000000:connection/x/"
            "00000000-0000-0000-0000-000000000000"
        )
    with pytest.raises(ConnectionFailed, match="not a connection ARN"):
        resolver("arn:aws:states:::nope")
