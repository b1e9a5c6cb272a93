"""Access keys (settings page, management command, storage) and the mock configuration API."""

from __future__ import annotations

import html
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from rest_framework.test import APIClient

from designer.models import AccessKey, Membership, Team
from designer.services.access_keys import (
    access_key_cache_clear,
    access_key_create,
    access_key_holder,
)

pytestmark = pytest.mark.django_db

MOCKS = {
    "StateMachines": {
        "Orders": {"TestCases": {"Happy": {"Charge": "Charged"}, "Sad": {"Charge": "Refused"}}}
    },
    "MockedResponses": {
        "Charged": {"0": {"Return": {"ok": True}}},
        "Refused": {"0-1": {"Throw": {"Error": "Busy", "Cause": "later"}}, "2": {"Return": {}}},
    },
}


def page_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_makes_a_key_shown_once_and_revokes_it(viewer: Any, team: Team) -> None:
    client = page_client(viewer)
    page = client.get("/teams/acme/aws/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f"{team.pk:012d}" in text and "/aws" in text and "No keys yet." in text
    made = client.post("/teams/acme/aws/keys/", {"description": "laptop"})
    assert made.status_code == 302 and made["Location"] == "/teams/acme/aws/"  # Post/Redirect/Get
    key = AccessKey.objects.get(user=viewer, team=team)
    holder = access_key_holder(key.key_id)
    assert holder is not None and holder.role == "viewer"
    assert holder.secret not in made.content.decode()
    shown = client.get("/teams/acme/aws/").content.decode()
    assert holder.secret in shown and 'data-testid="new-key"' in shown  # shown once...
    assert holder.secret not in key.secret  # ...stored encrypted, never in the clear
    listed = client.get("/teams/acme/aws/").content.decode()  # a reload
    assert key.key_id in listed and holder.secret not in listed  # ...and never again
    assert AccessKey.objects.filter(user=viewer, team=team).count() == 1  # no second key
    assert f'data-confirm="Revoke access key {key.key_id}?' in listed
    assert "confirm-submit.js" in listed and "docs/aws-api.md" in listed
    revoked = client.post(f"/teams/acme/aws/keys/{key.pk}/revoke/")
    assert revoked.status_code == 302
    assert access_key_holder(key.key_id) is None


def test_keys_are_private_to_their_user_and_team(
    owner: Any, viewer: Any, team: Team, outsider: Any, other_team: Team
) -> None:
    key = access_key_create(owner, "acme").key
    assert page_client(viewer).post(f"/teams/acme/aws/keys/{key.pk}/revoke/").status_code == 404
    assert page_client(outsider).get("/teams/acme/aws/").status_code == 404
    assert page_client(outsider).post("/teams/acme/aws/keys/").status_code == 404
    assert access_key_holder(key.key_id) is not None
    Membership.objects.filter(user=owner, team=team).delete()  # left the team: the key stops
    assert access_key_holder(key.key_id) is None


def test_the_command_prints_a_key_pair(owner: Any, team: Team) -> None:
    out = io.StringIO()
    call_command("stateyard_access_key", owner.username, "acme", stdout=out)
    pair = json.loads(out.getvalue())
    assert set(pair) == {"AccessKeyId", "SecretAccessKey"}
    holder = access_key_holder(pair["AccessKeyId"])
    assert holder is not None and holder.secret == pair["SecretAccessKey"]
    assert pair["AccessKeyId"].startswith("AKIA") and len(pair["SecretAccessKey"]) == 40
    with pytest.raises(CommandError, match="No such team"):
        call_command("stateyard_access_key", owner.username, "rivals-or-none")
    with pytest.raises(CommandError, match="No active user"):
        call_command("stateyard_access_key", "nobody", "acme")


def test_editors_upload_the_mock_configuration(
    editor: Any, runner: Any, team: Team, outsider: Any, other_team: Team
) -> None:
    api = APIClient()
    api.force_login(editor)
    assert api.get("/api/teams/acme/mock-config/").json() == {}
    saved = api.put("/api/teams/acme/mock-config/", MOCKS, format="json")
    assert saved.status_code == 200 and saved.json() == MOCKS
    broken = {
        "StateMachines": {"Orders": {"TestCases": {"Happy": {"Charge": "Missing"}}}},
        "MockedResponses": {"Gappy": {"0": {"Return": 1}, "2": {"Return": 2}}},
    }
    refused = api.put("/api/teams/acme/mock-config/", broken, format="json")
    assert refused.status_code == 400
    problems = refused.json()["details"]["problems"]
    assert any(p.startswith("/MockedResponses/Gappy:") for p in problems)
    assert any(p.startswith("/StateMachines/Orders/TestCases/Happy/Charge:") for p in problems)
    as_runner = APIClient()
    as_runner.force_login(runner)
    assert as_runner.get("/api/teams/acme/mock-config/").json() == MOCKS
    assert as_runner.put("/api/teams/acme/mock-config/", {}, format="json").status_code == 403
    as_outsider = APIClient()
    as_outsider.force_login(outsider)
    assert as_outsider.get("/api/teams/acme/mock-config/").status_code == 404
    page = page_client(editor).post("/teams/acme/aws/mock-config/", {"config": "{not json"})
    assert page.status_code == 400 and "not JSON" in page.content.decode()
    bad = {"config": json.dumps(broken)}
    listed = page_client(editor).post("/teams/acme/aws/mock-config/", bad)
    shown = listed.content.decode()
    assert listed.status_code == 400 and "more)" not in shown  # every problem, not the first
    for problem in problems:
        assert html.escape(problem) in shown, problem
    upload = io.BytesIO(json.dumps(MOCKS).encode())
    upload.name = "MockConfigFile.json"
    posted = page_client(editor).post("/teams/acme/aws/mock-config/", {"file": upload})
    assert posted.status_code == 302


def test_keys_survive_a_secret_key_rotation_with_fallbacks(
    viewer: Any, team: Team, settings: Any
) -> None:
    """A rotated SECRET_KEY made every access key unreadable; the previous key listed in
    SECRET_KEY_FALLBACKS still decrypts it (and without it the key stops, never a 500)."""
    old = settings.SECRET_KEY
    made = access_key_create(viewer, team.slug, "before the rotation")
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "rotated-" + old, [old]
    access_key_cache_clear()
    holder = access_key_holder(made.key.key_id)
    assert holder is not None and holder.secret == made.secret
    settings.SECRET_KEY_FALLBACKS = []
    access_key_cache_clear()
    assert access_key_holder(made.key.key_id) is None
