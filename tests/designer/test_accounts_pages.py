"""HTML pages: sign-up, log-in/out, password reset, home, and the team pages."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from designer.models import AuditEntry, Invitation, Membership, Role, Team
from designer.services.teams import invitation_create
from tests.designer.conftest import PASSWORD, MakeUser, PageClientFor

pytestmark = pytest.mark.django_db
User = get_user_model()
NON_OWNERS = ("editor", "runner", "viewer")


def role_in(team: Team, user: Any) -> str | None:
    m = Membership.objects.filter(team=team, user=user).first()
    return m.role if m else None


def text(response: Any) -> str:
    return str(response.content.decode())


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# sign-up ---------------------------------------------------------------------------------


SIGN_UP = {
    "username": "ada",
    "email": "ada@example.com",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def link_in(message: Any) -> str:
    found = re.search(r"http://testserver(/\S+)", message.body)
    assert found, message.body
    return found.group(1)


def test_sign_up_mails_a_link_that_activates_and_logs_in() -> None:
    client = Client()
    page = client.get("/accounts/signup/")
    assert page.status_code == 200 and "csrfmiddlewaretoken" in text(page)
    response = client.post("/accounts/signup/", SIGN_UP)
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/sent/"
    assert "Check your e-mail" in text(client.get(response["Location"]))
    user = User.objects.get(username="ada")
    assert user.email == "ada@example.com" and user.check_password(PASSWORD)
    assert not user.is_active  # not before the address is confirmed
    assert "_auth_user_id" not in client.session
    assert (
        client.post("/accounts/login/", {"username": "ada", "password": PASSWORD}).status_code
        == 200
    )
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]
    link = link_in(mail.outbox[0])
    assert link.startswith("/accounts/activate/")
    activated = client.get(link)
    assert activated.status_code == 302 and activated["Location"] == "/"
    user.refresh_from_db()
    assert user.is_active and client.session["_auth_user_id"] == str(user.pk)
    home = client.get("/")
    assert home.status_code == 200 and home.context["user"] == user
    assert Client().get(link).status_code == 400  # a link works once


def test_sign_up_follows_a_safe_next_and_ignores_an_unsafe_one() -> None:
    data = {"email": "b@example.com", "password1": PASSWORD, "password2": PASSWORD}
    Client().post("/accounts/signup/?next=/teams/new/", {"username": "b", **data})
    assert Client().get(link_in(mail.outbox[-1]))["Location"] == "/teams/new/"
    data["email"] = "c@example.com"
    Client().post("/accounts/signup/", {"username": "c", "next": "https://evil.example/", **data})
    assert Client().get(link_in(mail.outbox[-1]))["Location"] == "/"


def test_sign_up_does_not_reveal_a_taken_name_or_address(owner: Any) -> None:
    answers = []
    for data in (
        {"username": "fresh", "email": "fresh@example.com"},
        {"username": "OLIVIA", "email": "someone@example.com"},  # the name is taken
        {"username": "another", "email": "OLIVIA@example.com"},  # the address has an account
    ):
        client = Client()
        response = client.post("/accounts/signup/", {**SIGN_UP, **data})
        followed = client.get(response["Location"])
        page = re.sub(r'(name="csp-nonce" content=")[^"]*', r"\1", text(followed))  # random
        answers.append((response.status_code, response["Location"], page))
    assert answers[0] == answers[1] == answers[2]
    assert set(User.objects.values_list("username", flat=True)) == {"olivia", "fresh"}
    assert User.objects.get(username="olivia").check_password(PASSWORD)
    fresh, taken, exists = mail.outbox
    assert fresh.to == ["fresh@example.com"] and "/accounts/activate/" in fresh.body
    assert taken.to == ["someone@example.com"] and "username is taken" in taken.body
    assert exists.to == ["olivia@example.com"] and "already has an account" in exists.body
    assert "/accounts/password-reset/" in exists.body


def test_without_verification_the_account_is_ready_at_once(settings: Any) -> None:
    settings.STATEYARD_SIGNUP_VERIFY_EMAIL = False
    response = Client().post("/accounts/signup/", SIGN_UP)
    assert response["Location"] == "/accounts/signup/sent/"
    assert User.objects.get(username="ada").is_active
    assert "is ready" in mail.outbox[0].body
    logged = Client().post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert logged.status_code == 302


def test_closed_sign_up_has_no_page(settings: Any) -> None:
    settings.STATEYARD_SIGNUP = "closed"
    client = Client()
    assert client.get("/accounts/signup/").status_code == 404
    assert client.post("/accounts/signup/", SIGN_UP).status_code == 404
    assert not User.objects.filter(username="ada").exists()
    assert "/accounts/signup/" not in text(client.get("/accounts/login/"))


def test_invite_only_sign_up_needs_a_pending_invitation(
    settings: Any, team: Team, owner: Any
) -> None:
    settings.STATEYARD_SIGNUP = "invite"
    client = Client()
    assert client.get("/accounts/signup/").status_code == 403
    assert client.post("/accounts/signup/", SIGN_UP).status_code == 403
    assert "/accounts/signup/" not in text(client.get("/accounts/login/"))
    invitation = invitation_create(team, owner, "ada@example.com", "viewer")
    accept = f"/invitations/{invitation.token}/"
    bogus = client.post("/accounts/signup/?next=/invitations/not-a-token/", SIGN_UP)
    assert bogus.status_code == 403
    assert not User.objects.filter(username="ada").exists()
    response = client.post(f"/accounts/signup/?next={accept}", SIGN_UP)
    assert response["Location"] == "/accounts/signup/sent/"
    assert client.get(link_in(mail.outbox[-1]))["Location"] == accept
    assert client.post(accept).status_code == 302
    assert role_in(team, User.objects.get(username="ada")) == "viewer"
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None  # used: it cannot open the sign-up again
    assert Client().get(f"/accounts/signup/?next={accept}").status_code == 403


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"username": "bad name!"}, "username", "valid username"),
        ({"email": "nope"}, "email", "valid email"),
        ({"password1": "123", "password2": "123"}, "password1", "too short"),
        ({"password1": "password", "password2": "password"}, "password1", "too common"),
        (
            {
                "password1": "grace-hopper-x",
                "password2": "grace-hopper-x",
                "username": "grace-hopper",
            },
            "password1",
            "too similar",
        ),
        ({"password2": "something-else-entirely"}, "password2", "differ"),
    ],
)
def test_sign_up_shows_errors_next_to_fields(
    data: dict[str, str], field: str, fragment: str, owner: Any
) -> None:
    payload = {
        "username": "newbie",
        "email": "newbie@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **data,
    }
    response = Client().post("/accounts/signup/", payload)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and fragment in " ".join(errors[field]).lower()
    assert f'id="id_{field}_errors"' in text(response)
    assert (
        not User.objects.filter(username__iexact=payload["username"]).exclude(pk=owner.pk).exists()
    )


def test_signed_in_users_are_sent_home_from_sign_up(
    owner: Any, page_client_for: PageClientFor
) -> None:
    assert page_client_for(owner).get("/accounts/signup/")["Location"] == "/"


# log in / log out ------------------------------------------------------------------------


def test_log_in_and_out(owner: Any) -> None:
    client = Client(enforce_csrf_checks=False)
    assert client.get("/accounts/login/").status_code == 200
    wrong = client.post("/accounts/login/", {"username": "olivia", "password": "nope"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert "_auth_user_id" not in client.session
    ok = client.post("/accounts/login/", {"username": "olivia", "password": PASSWORD})
    assert ok.status_code == 302 and ok["Location"] == "/"
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert client.get("/accounts/logout/").status_code == 405  # log-out is POST only
    out = client.post("/accounts/logout/")
    assert out.status_code == 302 and out["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert client.get("/")["Location"] == "/accounts/login/?next=/"


def test_csrf_is_enforced_on_pages(owner: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert (
        client.post("/accounts/login/", {"username": "olivia", "password": PASSWORD}).status_code
        == 403
    )
    client.force_login(owner)
    response = client.post("/teams/new/", {"name": "Forged"})
    assert response.status_code == 403
    assert not Team.objects.filter(name="Forged").exists()
    assert "Traceback" not in text(response)


# password reset --------------------------------------------------------------------------


def test_password_reset_end_to_end(owner: Any) -> None:
    client = Client()
    assert client.get("/accounts/password-reset/").status_code == 200
    response = client.post("/accounts/password-reset/", {"email": "OLIVIA@example.com"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    assert client.get(response["Location"]).status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["olivia@example.com"]
    assert mail.outbox[0].subject == "Reset your Stateyard password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "abc", "new_password2": "abc"})
    assert weak.status_code == 200 and "new_password2" in weak.context["form"].errors
    new = "a-brand-new-passphrase"
    done = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    assert client.get(done["Location"]).status_code == 200
    owner.refresh_from_db()
    assert owner.check_password(new)
    assert Client().login(username="olivia", password=new)
    reused = Client().get(link.group(1), follow=True)
    assert reused.status_code == 200 and not reused.context["validlink"]
    assert "no longer works" in text(reused)


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(db: None) -> None:
    response = Client().post("/accounts/password-reset/", {"email": "ghost@example.com"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


# home and navigation ---------------------------------------------------------------------


def test_home_lists_my_teams_and_the_nav_shows_them(
    owner: Any, team: Team, other_team: Team, page_client_for: PageClientFor
) -> None:
    response = page_client_for(owner).get("/")
    assert response.status_code == 200
    assert [t.slug for t in response.context["teams"]] == ["acme"]
    body = text(response)
    assert 'href="/teams/acme/"' in body and "Rivals" not in body
    assert "olivia" in body and 'action="/accounts/logout/"' in body
    assert 'href="/static/css/app.css"' in body
    assert "http://" not in body.split("<body>")[0] and "https://" not in body


def test_home_requires_log_in(db: None) -> None:
    assert Client().get("/")["Location"] == "/accounts/login/?next=/"


# team pages ------------------------------------------------------------------------------


def test_create_team_page(outsider: Any, page_client_for: PageClientFor) -> None:
    client = page_client_for(outsider)
    assert client.get("/teams/new/").status_code == 200
    blank = client.post("/teams/new/", {"name": ""})
    assert blank.status_code == 400 and "name" in blank.context["form"].errors
    response = client.post("/teams/new/", {"name": "Blue Sky"})
    assert response.status_code == 302 and response["Location"] == "/teams/blue-sky/"
    team = Team.objects.get(slug="blue-sky")
    assert role_in(team, outsider) == Role.OWNER
    page = client.get("/teams/blue-sky/")
    assert "Blue Sky" in text(page) and "Team “Blue Sky” created." in messages_of(page)


@pytest.mark.parametrize("role", ["owner", "editor", "runner", "viewer"])
def test_team_page_for_each_role(
    role: str, members: dict[str, Any], owner: Any, page_client_for: PageClientFor
) -> None:
    invitation_create(members["owner"].memberships.get().team, owner, None, "viewer")
    response = page_client_for(members[role]).get("/teams/acme/")
    assert response.status_code == 200
    assert response.context["role"] == role
    body = text(response)
    for name in ("olivia", "eddie", "rita", "victor"):
        assert name in body
    owner_only = ('action="/teams/acme/invite/"', "/revoke/", "/remove/", "/role/")
    for marker in owner_only:
        assert (marker in body) == (role == "owner"), marker
    # olivia is the only owner: her page offers no way to leave, demote or remove her
    assert ('action="/teams/acme/leave/"' in body) == (role != "owner")
    assert ('data-testid="team-leave-disabled"' in body) == (role == "owner")
    assert f'/members/{owner.pk}/role/"' not in body
    assert f'/members/{owner.pk}/remove/"' not in body


def test_team_page_is_404_for_outsiders_and_needs_log_in(
    team: Team, outsider: Any, page_client_for: PageClientFor
) -> None:
    response = page_client_for(outsider).get("/teams/acme/")
    assert response.status_code == 404 and "Not found" in text(response)
    assert page_client_for(outsider).get("/teams/nope/").status_code == 404
    assert Client().get("/teams/acme/")["Location"] == "/accounts/login/?next=/teams/acme/"
    for url in ("/teams/acme/invite/", "/teams/acme/leave/", "/teams/acme/members/1/remove/"):
        assert page_client_for(outsider).post(url, {"email": "x@example.com"}).status_code == 404
    assert Invitation.objects.count() == 0 and Membership.objects.filter(team=team).count() == 4


def test_invite_by_email_from_the_team_page(
    team: Team, owner: Any, page_client_for: PageClientFor
) -> None:
    client = page_client_for(owner)
    response = client.post("/teams/acme/invite/", {"email": "kim@example.com", "role": "runner"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "kim@example.com" and invitation.role == Role.RUNNER
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["kim@example.com"]
    assert f"http://testserver/invitations/{invitation.token}/" in mail.outbox[0].body
    page = client.get("/teams/acme/")
    assert "Invitation sent to kim@example.com." in messages_of(page)
    assert "kim@example.com" in text(page)


def test_invite_form_errors_stay_next_to_the_fields(
    team: Team, owner: Any, page_client_for: PageClientFor
) -> None:
    client = page_client_for(owner)
    bad = client.post("/teams/acme/invite/", {"email": "not-mail", "role": "viewer"})
    assert bad.status_code == 400 and "email" in bad.context["invite_form"].errors
    member = client.post("/teams/acme/invite/", {"email": "eddie@example.com", "role": "viewer"})
    assert member.status_code == 400
    assert member.context["invite_form"].errors["email"] == ["Already a member."]
    assert Invitation.objects.count() == 0 and mail.outbox == []


def test_create_a_link_and_revoke_it_from_the_team_page(
    team: Team, owner: Any, page_client_for: PageClientFor
) -> None:
    client = page_client_for(owner)
    assert client.post("/teams/acme/invite/", {"email": "", "role": "editor"}).status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "" and mail.outbox == []
    page = client.get("/teams/acme/")
    assert f"http://testserver/invitations/{invitation.token}/" in text(page)
    revoked = client.post(f"/teams/acme/invitations/{invitation.pk}/revoke/")
    assert revoked.status_code == 302
    assert Invitation.objects.get().revoked
    assert invitation.token not in text(client.get("/teams/acme/"))


@pytest.mark.parametrize("role", NON_OWNERS)
def test_non_owners_get_403_for_owner_actions(
    role: str,
    members: dict[str, Any],
    team: Team,
    owner: Any,
    viewer: Any,
    page_client_for: PageClientFor,
) -> None:
    invitation = invitation_create(team, owner, None, "viewer")
    client = page_client_for(members[role])
    posts = [
        ("/teams/acme/invite/", {"email": "x@example.com", "role": "owner"}),
        (f"/teams/acme/members/{viewer.pk}/role/", {"role": "owner"}),
        (f"/teams/acme/members/{owner.pk}/remove/", {}),
        (f"/teams/acme/invitations/{invitation.pk}/revoke/", {}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert "Not allowed" in text(response)
    assert role_in(team, viewer) == Role.VIEWER and role_in(team, owner) == Role.OWNER
    assert Invitation.objects.count() == 1 and not Invitation.objects.get().revoked


def test_change_role_and_remove_from_the_team_page(
    team: Team, owner: Any, editor: Any, viewer: Any, page_client_for: PageClientFor
) -> None:
    client = page_client_for(owner)
    response = client.post(
        f"/teams/acme/members/{viewer.pk}/role/", {"role": "editor"}, follow=True
    )
    assert role_in(team, viewer) == Role.EDITOR
    assert "victor is now Editor." in messages_of(response)
    response = client.post(f"/teams/acme/members/{editor.pk}/remove/", follow=True)
    assert role_in(team, editor) is None and "Member removed." in messages_of(response)
    assert AuditEntry.objects.filter(team=team, action="membership.remove").count() == 1


def test_last_owner_rules_on_the_team_page(
    team: Team, owner: Any, page_client_for: PageClientFor
) -> None:
    client = page_client_for(owner)
    demote = client.post(f"/teams/acme/members/{owner.pk}/role/", {"role": "viewer"}, follow=True)
    assert demote.status_code == 200
    assert any("last owner" in m for m in messages_of(demote))
    assert role_in(team, owner) == Role.OWNER
    leave = client.post("/teams/acme/leave/", follow=True)
    assert leave.redirect_chain[-1][0] == "/teams/acme/"
    assert any("last owner" in m for m in messages_of(leave))
    assert role_in(team, owner) == Role.OWNER
    page = client.get("/teams/acme/").content.decode()
    assert 'title="You are the last owner: make another member an owner before leaving."' in page


def test_leave_from_the_team_page(team: Team, viewer: Any, page_client_for: PageClientFor) -> None:
    response = page_client_for(viewer).post("/teams/acme/leave/", follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert role_in(team, viewer) is None
    assert "You left “Acme”." in messages_of(response)


# accepting invitations -------------------------------------------------------------------


def test_accept_page_needs_log_in_then_joins(team: Team, owner: Any, make_user: MakeUser) -> None:
    invitation = invitation_create(team, owner, None, "runner")
    url = f"/invitations/{invitation.token}/"
    client = Client()
    assert client.get(url)["Location"] == f"/accounts/login/?next={url}"
    # a newcomer signs up from there and comes back
    signup = client.post(
        f"/accounts/signup/?next={url}",
        {
            "username": "noor",
            "email": "noor@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert signup["Location"] == "/accounts/signup/sent/"
    assert client.get(link_in(mail.outbox[-1]))["Location"] == url  # the confirmation link
    page = client.get(url)
    assert page.status_code == 200 and page.context["problem"] is None
    assert "Join the team" in text(page) and "Acme" in text(page)
    joined = client.post(url)
    assert joined.status_code == 302 and joined["Location"] == "/teams/acme/"
    noor = User.objects.get(username="noor")
    assert role_in(team, noor) == Role.RUNNER
    again = client.post(url)
    assert again.status_code == 409 and "already been used" in text(again)


def test_accept_page_explains_why_an_invitation_cannot_be_used(
    team: Team, owner: Any, viewer: Any, outsider: Any, page_client_for: PageClientFor
) -> None:
    expired = invitation_create(team, owner, None, "viewer")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(1))
    page = page_client_for(outsider).get(f"/invitations/{expired.token}/")
    assert page.status_code == 200 and "expired" in page.context["problem"]
    assert "Join the team" not in text(page)
    emailed = invitation_create(team, owner, "someone@example.com", "viewer")
    page = page_client_for(outsider).get(f"/invitations/{emailed.token}/")
    assert "another e-mail address" in page.context["problem"]
    refused = page_client_for(outsider).post(f"/invitations/{emailed.token}/")
    assert refused.status_code == 409 and role_in(team, outsider) is None
    link = invitation_create(team, owner, None, "owner")
    page = page_client_for(viewer).get(f"/invitations/{link.token}/")
    assert "already a member" in page.context["problem"]
    assert page_client_for(outsider).get("/invitations/unknown/").status_code == 404


def test_email_invitation_flow_through_the_pages(
    team: Team, owner: Any, make_user: MakeUser, page_client_for: PageClientFor
) -> None:
    page_client_for(owner).post(
        "/teams/acme/invite/", {"email": "lee@example.com", "role": "editor"}
    )
    link = re.search(r"http://testserver(/invitations/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    lee = make_user("lee", email="lee@example.com")
    client = page_client_for(lee)
    assert client.get(link.group(1)).status_code == 200
    response = client.post(link.group(1), follow=True)
    assert response.redirect_chain[-1][0] == "/teams/acme/"
    assert role_in(team, lee) == Role.EDITOR
    assert "Welcome to “Acme”." in messages_of(response)
