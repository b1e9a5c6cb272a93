"""The team, member and invitation API: every endpoint, every role, and outsiders."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.utils import timezone

from designer.models import AuditEntry, Invitation, Membership, Role, Team
from designer.services.teams import invitation_create
from tests.designer.conftest import ApiClientFor, MakeUser

pytestmark = pytest.mark.django_db

NON_OWNERS = ("editor", "runner", "viewer")


def role_in(team: Team, user: Any) -> str | None:
    m = Membership.objects.filter(team=team, user=user).first()
    return m.role if m else None


def make_invitation(team: Team, owner: Any, email: str | None = None, role: str = "editor") -> Any:
    return invitation_create(team, owner, email, role, base_url="http://testserver")


# teams -----------------------------------------------------------------------------------


def test_anonymous_gets_401(api_client_for: ApiClientFor) -> None:
    response = api_client_for(None).get("/api/teams/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("role", ["owner", "editor", "runner", "viewer"])
def test_list_teams_shows_only_mine_with_my_role(
    role: str, members: dict[str, Any], other_team: Team, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(members[role]).get("/api/teams/")
    assert response.status_code == 200
    assert [(t["slug"], t["name"], t["role"]) for t in response.json()] == [("acme", "Acme", role)]


def test_create_team_makes_creator_owner_with_unique_slug(
    owner: Any, team: Team, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(owner).post("/api/teams/", {"name": "Acme"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "acme-2" and body["name"] == "Acme" and body["role"] == "owner"
    created = Team.objects.get(slug="acme-2")
    assert role_in(created, owner) == Role.OWNER
    assert Membership.objects.filter(team=created).count() == 1
    assert AuditEntry.objects.filter(team=created, action="team.create", actor=owner).exists()


def test_create_team_never_takes_reserved_or_empty_slugs(
    outsider: Any, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(outsider)
    assert client.post("/api/teams/", {"name": "New"}, format="json").json()["slug"] == "new-2"
    assert client.post("/api/teams/", {"name": "!!!"}, format="json").json()["slug"] == "team"


@pytest.mark.parametrize("payload", [{}, {"name": ""}, {"name": "   "}, {"name": "x" * 81}])
def test_create_team_rejects_bad_names(
    payload: dict[str, Any] | None, outsider: Any, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(outsider).post("/api/teams/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed" and "name" in body["details"]
    assert not Team.objects.exists()


@pytest.mark.parametrize("role", ["owner", "editor", "runner", "viewer"])
def test_team_detail_for_each_role(
    role: str, members: dict[str, Any], api_client_for: ApiClientFor
) -> None:
    response = api_client_for(members[role]).get("/api/teams/acme/")
    assert response.status_code == 200
    assert response.json()["slug"] == "acme" and response.json()["role"] == role


def test_unknown_team_and_foreign_team_look_the_same(
    team: Team, outsider: Any, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(outsider)
    foreign = client.get("/api/teams/acme/")
    missing = client.get("/api/teams/nope/")
    assert foreign.status_code == missing.status_code == 404
    assert (
        foreign.json()
        == missing.json()
        == {
            "code": "not_found",
            "message": "No such team.",
            "details": None,
        }
    )


TEAM_ENDPOINTS = [
    ("get", "/api/teams/acme/", None),
    ("get", "/api/teams/acme/members/", None),
    ("post", "/api/teams/acme/members/", {"username": "oscar", "role": "owner"}),
    ("patch", "/api/teams/acme/members/{viewer}/", {"role": "owner"}),
    ("delete", "/api/teams/acme/members/{viewer}/", None),
    ("post", "/api/teams/acme/leave/", None),
    ("get", "/api/teams/acme/invitations/", None),
    ("post", "/api/teams/acme/invitations/", {"role": "owner"}),
    ("delete", "/api/teams/acme/invitations/{invitation}/", None),
]


@pytest.mark.parametrize(("method", "url", "payload"), TEAM_ENDPOINTS)
def test_outsider_gets_404_from_every_team_endpoint(
    method: str,
    url: str,
    payload: dict[str, Any] | None,
    team: Team,
    owner: Any,
    viewer: Any,
    outsider: Any,
    other_team: Team,
    api_client_for: ApiClientFor,
) -> None:
    invitation = make_invitation(team, owner)
    url = url.format(viewer=viewer.pk, invitation=invitation.pk)
    before = (Membership.objects.count(), Invitation.objects.count())
    response = getattr(api_client_for(outsider), method)(url, payload, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert (Membership.objects.count(), Invitation.objects.count()) == before
    assert role_in(team, viewer) == Role.VIEWER
    assert not Invitation.objects.get(pk=invitation.pk).revoked


# members ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "editor", "runner", "viewer"])
def test_every_member_sees_the_members(
    role: str, members: dict[str, Any], api_client_for: ApiClientFor
) -> None:
    response = api_client_for(members[role]).get("/api/teams/acme/members/")
    assert response.status_code == 200
    rows = {m["username"]: m for m in response.json()}
    assert {u: r["role"] for u, r in rows.items()} == {
        "olivia": "owner",
        "eddie": "editor",
        "rita": "runner",
        "victor": "viewer",
    }
    assert rows["olivia"]["user_id"] == members["owner"].pk
    assert rows["olivia"]["email"] == "olivia@example.com"
    assert rows["olivia"]["joined_at"]


def test_owner_adds_an_existing_user(
    team: Team, owner: Any, outsider: Any, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(owner).post(
        "/api/teams/acme/members/", {"username": "OSCAR", "role": "runner"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["username"] == "oscar" and response.json()["role"] == "runner"
    assert role_in(team, outsider) == Role.RUNNER
    assert AuditEntry.objects.filter(team=team, action="membership.create", target="oscar").exists()


@pytest.mark.parametrize("role", NON_OWNERS)
def test_only_owners_add_members(
    role: str, members: dict[str, Any], team: Team, outsider: Any, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(members[role]).post(
        "/api/teams/acme/members/", {"username": "oscar"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert role_in(team, outsider) is None


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"username": "eddie", "role": "viewer"}, 409, "conflict"),
        ({"username": "ghost", "role": "viewer"}, 400, "validation_failed"),
        ({"username": "oscar", "role": "admin"}, 400, "validation_failed"),
        ({}, 400, "validation_failed"),
    ],
)
def test_add_member_errors(
    payload: dict[str, Any] | None,
    status: int,
    code: str,
    team: Team,
    owner: Any,
    outsider: Any,
    api_client_for: ApiClientFor,
) -> None:
    before = Membership.objects.count()
    response = api_client_for(owner).post("/api/teams/acme/members/", payload, format="json")
    assert response.status_code == status
    assert response.json()["code"] == code
    assert Membership.objects.count() == before


def test_owner_changes_a_role(
    team: Team, owner: Any, editor: Any, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(owner).patch(
        f"/api/teams/acme/members/{editor.pk}/", {"role": "viewer"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["role"] == "viewer" and response.json()["user_id"] == editor.pk
    assert role_in(team, editor) == Role.VIEWER
    entry = AuditEntry.objects.get(team=team, action="membership.role_change")
    assert entry.actor == owner and entry.target == "eddie"
    assert entry.details == {"old": "editor", "new": "viewer"}


@pytest.mark.parametrize("role", NON_OWNERS)
def test_only_owners_change_roles(
    role: str, members: dict[str, Any], team: Team, viewer: Any, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(members[role]).patch(
        f"/api/teams/acme/members/{members[role].pk}/", {"role": "owner"}, format="json"
    )
    assert response.status_code == 403
    assert role_in(team, members[role]) == role
    response = api_client_for(members[role]).patch(
        f"/api/teams/acme/members/{viewer.pk}/", {"role": "editor"}, format="json"
    )
    assert response.status_code == 403
    assert role_in(team, viewer) == Role.VIEWER


def test_last_owner_cannot_be_demoted(
    team: Team, owner: Any, editor: Any, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(owner)
    response = client.patch(
        f"/api/teams/acme/members/{owner.pk}/", {"role": "editor"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict" and "last owner" in response.json()["message"]
    assert role_in(team, owner) == Role.OWNER
    # with a second owner, the first may step down
    client.patch(f"/api/teams/acme/members/{editor.pk}/", {"role": "owner"}, format="json")
    response = client.patch(
        f"/api/teams/acme/members/{owner.pk}/", {"role": "editor"}, format="json"
    )
    assert response.status_code == 200
    assert role_in(team, owner) == Role.EDITOR and role_in(team, editor) == Role.OWNER


def test_change_role_errors(
    team: Team, owner: Any, outsider: Any, other_team: Team, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(owner)
    assert (
        client.patch(f"/api/teams/acme/members/{outsider.pk}/", {"role": "viewer"}).status_code
        == 404
    )
    assert client.patch("/api/teams/acme/members/999999/", {"role": "viewer"}).status_code == 404
    bad = client.patch(f"/api/teams/acme/members/{owner.pk}/", {"role": "god"}, format="json")
    assert bad.status_code == 400 and "role" in bad.json()["details"]


def test_owner_removes_a_member(
    team: Team, owner: Any, viewer: Any, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(owner).delete(f"/api/teams/acme/members/{viewer.pk}/")
    assert response.status_code == 204
    assert role_in(team, viewer) is None
    assert AuditEntry.objects.filter(
        team=team, action="membership.remove", target="victor"
    ).exists()
    # the removed user no longer sees the team
    assert api_client_for(viewer).get("/api/teams/acme/").status_code == 404


def test_owner_may_remove_another_owner(
    team: Team, owner: Any, editor: Any, api_client_for: ApiClientFor
) -> None:
    Membership.objects.filter(team=team, user=editor).update(role=Role.OWNER)
    assert api_client_for(owner).delete(f"/api/teams/acme/members/{editor.pk}/").status_code == 204
    assert role_in(team, editor) is None


@pytest.mark.parametrize("role", NON_OWNERS)
def test_only_owners_remove_members(
    role: str,
    members: dict[str, Any],
    team: Team,
    viewer: Any,
    owner: Any,
    api_client_for: ApiClientFor,
) -> None:
    client = api_client_for(members[role])
    assert client.delete(f"/api/teams/acme/members/{owner.pk}/").status_code == 403
    assert client.delete(f"/api/teams/acme/members/{viewer.pk}/").status_code == 403
    assert Membership.objects.filter(team=team).count() == 4


def test_remove_errors(
    team: Team, owner: Any, outsider: Any, other_team: Team, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(owner)
    response = client.delete(f"/api/teams/acme/members/{owner.pk}/")
    assert response.status_code == 400 and "leave" in response.json()["message"]
    assert role_in(team, owner) == Role.OWNER
    assert client.delete(f"/api/teams/acme/members/{outsider.pk}/").status_code == 404
    assert role_in(other_team, outsider) == Role.OWNER


# leaving ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", NON_OWNERS)
def test_members_may_leave(
    role: str, members: dict[str, Any], team: Team, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(members[role]).post("/api/teams/acme/leave/")
    assert response.status_code == 204
    assert role_in(team, members[role]) is None
    assert AuditEntry.objects.filter(team=team, action="membership.leave").exists()


def test_last_owner_cannot_leave_while_others_remain(
    team: Team, owner: Any, editor: Any, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(owner).post("/api/teams/acme/leave/")
    assert response.status_code == 409
    assert "last owner" in response.json()["message"]
    assert role_in(team, owner) == Role.OWNER
    # another owner makes leaving possible
    Membership.objects.filter(team=team, user=editor).update(role=Role.OWNER)
    assert api_client_for(owner).post("/api/teams/acme/leave/").status_code == 204
    assert role_in(team, owner) is None


def test_the_only_owner_cannot_leave_even_as_the_only_member(
    outsider: Any, other_team: Team, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(outsider)
    response = client.post("/api/teams/rivals/leave/")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict" and "last owner" in body["message"]
    assert role_in(other_team, outsider) == Role.OWNER
    assert [t["slug"] for t in client.get("/api/teams/").json()] == ["rivals"]


# invitations -----------------------------------------------------------------------------


def test_owner_invites_by_email_and_the_mail_holds_the_link(
    team: Team, owner: Any, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(owner).post(
        "/api/teams/acme/invitations/",
        {"email": "new@example.com", "role": "runner"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    invitation = Invitation.objects.get(pk=body["id"])
    assert body["email"] == "new@example.com" and body["role"] == "runner"
    assert body["status"] == "pending" and body["invited_by"] == "olivia"
    assert body["url"] == f"http://testserver/invitations/{invitation.token}/"
    assert invitation.team == team and invitation.invited_by == owner
    assert invitation.expires_at > timezone.now() + timedelta(days=6)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.com"]
    assert "Acme" in message.subject
    assert body["url"] in message.body
    assert AuditEntry.objects.filter(team=team, action="invitation.create").exists()


def test_owner_creates_a_link_invitation_without_mail(
    team: Team, owner: Any, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(owner).post(
        "/api/teams/acme/invitations/", {"role": "editor"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["email"] is None and response.json()["role"] == "editor"
    assert Invitation.objects.get(pk=response.json()["id"]).email == ""
    assert mail.outbox == []


@pytest.mark.parametrize("role", NON_OWNERS)
def test_only_owners_invite_list_and_revoke(
    role: str, members: dict[str, Any], team: Team, owner: Any, api_client_for: ApiClientFor
) -> None:
    invitation = make_invitation(team, owner)
    client = api_client_for(members[role])
    assert client.get("/api/teams/acme/invitations/").status_code == 403
    response = client.post(
        "/api/teams/acme/invitations/", {"email": "x@example.com"}, format="json"
    )
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert client.delete(f"/api/teams/acme/invitations/{invitation.pk}/").status_code == 403
    assert Invitation.objects.count() == 1 and not Invitation.objects.get().revoked
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"email": "not-an-address"}, 400),
        ({"email": "a@example.com", "role": "boss"}, 400),
        ({"email": "EDDIE@example.com"}, 409),  # already a member
    ],
)
def test_invitation_errors(
    payload: dict[str, Any] | None,
    status: int,
    team: Team,
    owner: Any,
    api_client_for: ApiClientFor,
) -> None:
    response = api_client_for(owner).post("/api/teams/acme/invitations/", payload, format="json")
    assert response.status_code == status
    assert Invitation.objects.count() == 0 and mail.outbox == []


def test_a_second_pending_invitation_to_the_same_address_conflicts(
    team: Team, owner: Any, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(owner)
    url = "/api/teams/acme/invitations/"
    assert client.post(url, {"email": "a@example.com"}, format="json").status_code == 201
    again = client.post(url, {"email": "A@example.com"}, format="json")
    assert again.status_code == 409 and again.json()["details"] == {"email": ["Already invited."]}
    assert Invitation.objects.count() == 1


def test_pending_list_leaves_out_used_revoked_and_expired(
    team: Team, owner: Any, outsider: Any, api_client_for: ApiClientFor
) -> None:
    pending = make_invitation(team, owner, "p@example.com")
    revoked = make_invitation(team, owner, "r@example.com")
    Invitation.objects.filter(pk=revoked.pk).update(revoked=True)
    expired = make_invitation(team, owner, "e@example.com")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(1))
    used = make_invitation(team, owner)
    api_client_for(outsider).post(f"/api/invitations/{used.token}/accept/")
    response = api_client_for(owner).get("/api/teams/acme/invitations/")
    assert response.status_code == 200
    assert [i["id"] for i in response.json()] == [pending.pk]
    assert response.json()[0]["url"].endswith(f"/invitations/{pending.token}/")


def test_owner_revokes_an_invitation(
    team: Team, owner: Any, outsider: Any, api_client_for: ApiClientFor
) -> None:
    invitation = make_invitation(team, owner)
    response = api_client_for(owner).delete(f"/api/teams/acme/invitations/{invitation.pk}/")
    assert response.status_code == 204
    assert Invitation.objects.get(pk=invitation.pk).revoked
    assert AuditEntry.objects.filter(team=team, action="invitation.revoke").exists()
    accept = api_client_for(outsider).post(f"/api/invitations/{invitation.token}/accept/")
    assert accept.status_code == 409 and "revoked" in accept.json()["message"]
    assert role_in(team, outsider) is None


def test_revoke_errors(
    team: Team,
    owner: Any,
    outsider: Any,
    other_team: Team,
    make_user: MakeUser,
    api_client_for: ApiClientFor,
) -> None:
    foreign = make_invitation(other_team, outsider)
    client = api_client_for(owner)
    assert client.delete(f"/api/teams/acme/invitations/{foreign.pk}/").status_code == 404
    assert not Invitation.objects.get(pk=foreign.pk).revoked
    used = make_invitation(team, owner)
    api_client_for(make_user("newbie")).post(f"/api/invitations/{used.token}/accept/")
    response = client.delete(f"/api/teams/acme/invitations/{used.pk}/")
    assert response.status_code == 409


def test_link_invitation_is_accepted_once(
    team: Team, owner: Any, outsider: Any, make_user: MakeUser, api_client_for: ApiClientFor
) -> None:
    invitation = make_invitation(team, owner, role="runner")
    response = api_client_for(outsider).post(f"/api/invitations/{invitation.token}/accept/")
    assert response.status_code == 200
    assert response.json() == {
        "team": {
            "slug": "acme",
            "name": "Acme",
            "role": "runner",
            "created_at": response.json()["team"]["created_at"],
        },
        "role": "runner",
    }
    assert role_in(team, outsider) == Role.RUNNER
    invitation.refresh_from_db()
    assert invitation.accepted_by == outsider and invitation.accepted_at is not None
    assert AuditEntry.objects.filter(team=team, action="invitation.accept", actor=outsider).exists()
    again = api_client_for(make_user("late")).post(f"/api/invitations/{invitation.token}/accept/")
    assert again.status_code == 409
    assert again.json()["details"] == {"status": "accepted"}
    assert "already been used" in again.json()["message"]


def test_expired_invitation_is_refused(
    team: Team, owner: Any, outsider: Any, api_client_for: ApiClientFor
) -> None:
    invitation = make_invitation(team, owner)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    response = api_client_for(outsider).post(f"/api/invitations/{invitation.token}/accept/")
    assert response.status_code == 409
    assert response.json()["details"] == {"status": "expired"}
    assert "expired" in response.json()["message"]
    assert role_in(team, outsider) is None


def test_email_invitation_only_for_that_address(
    team: Team, owner: Any, outsider: Any, make_user: MakeUser, api_client_for: ApiClientFor
) -> None:
    invitation = make_invitation(team, owner, "Newcomer@Example.com", role="editor")
    wrong = api_client_for(outsider).post(f"/api/invitations/{invitation.token}/accept/")
    assert wrong.status_code == 403 and wrong.json()["details"] == {"status": "wrong_email"}
    assert role_in(team, outsider) is None
    newcomer = make_user("newcomer", email="newcomer@example.com")
    right = api_client_for(newcomer).post(f"/api/invitations/{invitation.token}/accept/")
    assert right.status_code == 200
    assert role_in(team, newcomer) == Role.EDITOR


def test_members_cannot_accept_again_and_the_invitation_stays_usable(
    team: Team, owner: Any, viewer: Any, outsider: Any, api_client_for: ApiClientFor
) -> None:
    invitation = make_invitation(team, owner, role="owner")
    response = api_client_for(viewer).post(f"/api/invitations/{invitation.token}/accept/")
    assert response.status_code == 409 and response.json()["details"] == {"status": "member"}
    assert role_in(team, viewer) == Role.VIEWER
    assert (
        api_client_for(outsider).post(f"/api/invitations/{invitation.token}/accept/").status_code
        == 200
    )


def test_accept_unknown_token_and_anonymous(
    team: Team, owner: Any, outsider: Any, api_client_for: ApiClientFor
) -> None:
    invitation = make_invitation(team, owner)
    assert api_client_for(outsider).post("/api/invitations/nope/accept/").status_code == 404
    assert (
        api_client_for(None).post(f"/api/invitations/{invitation.token}/accept/").status_code == 401
    )
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_email_invitation_end_to_end(
    team: Team, owner: Any, make_user: MakeUser, api_client_for: ApiClientFor
) -> None:
    api_client_for(owner).post(
        "/api/teams/acme/invitations/",
        {"email": "zoe@example.com", "role": "editor"},
        format="json",
    )
    link = re.search(r"http://testserver/invitations/\S+/", str(mail.outbox[0].body))
    assert link is not None
    token = urlparse(link.group(0)).path.split("/")[2]
    zoe = make_user("zoe", email="zoe@example.com")
    response = api_client_for(zoe).post(f"/api/invitations/{token}/accept/")
    assert response.status_code == 200
    teams = api_client_for(zoe).get("/api/teams/").json()
    assert [(t["slug"], t["role"]) for t in teams] == [("acme", "editor")]
    members = api_client_for(zoe).get("/api/teams/acme/members/").json()
    assert "zoe" in {m["username"] for m in members}


# schema ----------------------------------------------------------------------------------


def test_schema_documents_every_team_and_token_endpoint(
    owner: Any, api_client_for: ApiClientFor
) -> None:
    response = api_client_for(owner).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    expected = {
        "/api/teams/": {"get", "post"},
        "/api/teams/{slug}/": {"get"},
        "/api/teams/{slug}/members/": {"get", "post"},
        "/api/teams/{slug}/members/{user_id}/": {"patch", "delete"},
        "/api/teams/{slug}/leave/": {"post"},
        "/api/teams/{slug}/invitations/": {"get", "post"},
        "/api/teams/{slug}/invitations/{invitation_id}/": {"delete"},
        "/api/invitations/{token}/accept/": {"post"},
        "/api/tokens/": {"get", "post"},
        "/api/tokens/{token_id}/": {"delete"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    create = paths["/api/teams/{slug}/invitations/"]["post"]
    assert "requestBody" in create and {"201", "403", "404", "409"} <= set(create["responses"])
    token_post = paths["/api/tokens/"]["post"]["responses"]["201"]
    ref = token_post["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "token" in schema["components"]["schemas"][ref]["properties"]
