"""The AWS API page in a browser: a person makes an access key, sees its secret once, uses it
with boto3 against the embedded server (``make run``'s shape), and revokes it."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from playwright.sync_api import Dialog, expect

from tests.e2e.conftest import Login
from tests.e2e.geometry import rect, shoot
from tests.e2e.server import StudioServer


def sfn(url: str, key_id: str, secret: str) -> object:
    return boto3.client(
        "stepfunctions",
        endpoint_url=f"{url}/aws",
        region_name="us-east-1",
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        config=Config(inject_host_prefix=False, retries={"max_attempts": 1}),
    )


def test_a_key_is_made_shown_once_used_and_revoked(
    login: Login, studio_server: StudioServer
) -> None:
    page = login("alice").new_page()
    page.goto("/teams/acme/")
    page.get_by_role("link", name="AWS API access keys").click()
    expect(page.get_by_role("heading", name="AWS API", exact=True)).to_be_visible()
    account = page.get_by_test_id("account-id").inner_text()
    assert len(account) == 12 and account.isdigit()
    page.get_by_label("Description").fill("e2e laptop")
    page.get_by_role("button", name="Create access key").click()
    shown = page.get_by_test_id("new-key")
    expect(shown).to_be_visible()
    key_id = page.get_by_label("Access key ID").input_value()
    secret = page.get_by_label("Secret access key").input_value()
    assert key_id.startswith("AKIA") and len(secret) == 40
    # both values are readable: inside the card, not cut off
    card = rect(page, '[data-testid="new-key"]')
    for field in ("#new-key-id", "#new-key-secret"):
        box = rect(page, field)
        assert card.contains(box) and box.width > 200, (field, box)
    shoot(page, "aws-access-key-created")

    client = sfn(studio_server.url, key_id, secret)
    machines = client.list_state_machines()["stateMachines"]  # type: ignore[attr-defined]
    assert all(m["stateMachineArn"].split(":")[4] == account for m in machines)

    page.reload()  # the page was the answer to a redirect: a reload re-submits nothing
    expect(page.get_by_text(key_id)).to_be_visible()
    expect(page.get_by_test_id("new-key")).to_have_count(0)
    assert secret not in page.content()  # shown once, never again
    assert page.get_by_role("row").filter(has_text="e2e laptop").count() == 1  # one key made
    row = page.get_by_role("row").filter(has_text=key_id)
    questions: list[str] = []

    def answer(accept: bool) -> None:
        def reply(dialog: Dialog) -> None:
            questions.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        page.once("dialog", reply)

    answer(False)  # Revoke asks first; "Cancel" keeps the key
    row.get_by_role("button", name="Revoke").click()
    expect(row.get_by_role("button", name="Revoke")).to_be_visible()
    assert questions and key_id in questions[0]
    assert client.list_state_machines()["stateMachines"] is not None  # type: ignore[attr-defined]
    answer(True)
    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text(f"Access key {key_id} revoked.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=key_id).get_by_text("revoked")).to_be_visible()
    shoot(page, "aws-access-key-revoked")
    with pytest.raises(ClientError) as caught:
        client.list_state_machines()  # type: ignore[attr-defined]
    assert caught.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_another_team_cannot_open_the_page(login: Login) -> None:
    page = login("oscar").new_page()
    answer = page.goto("/teams/acme/aws/")
    assert answer is not None and answer.status == 404
