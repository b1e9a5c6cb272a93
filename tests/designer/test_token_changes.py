"""A token revoked by another process is refused here at once, not after the memory expires.

Each process remembers verified tokens for ``CACHE_SECONDS`` (5 s); a change
anywhere is announced on Redis and every listening process forgets. Here the
other process is a real one (``python -c``) that revokes the token in the
database; this process, which remembered the token a moment before, must
refuse it well within the memory's lifetime.
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import pytest
from rest_framework.test import APIClient

from designer import token_changes
from designer.services import tokens
from designer.services.tokens import token_cache_clear, token_create, token_remembered
from tests.designer.processes import REPO, child_env, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

REVOKE = """
import django
django.setup()
from designer.models import ApiToken
from designer.services.tokens import token_revoke
token = ApiToken.objects.get(pk={pk})
token_revoke(token.user, token.pk)
"""


def test_a_token_revoked_in_another_process_is_refused_here_at_once(runner: Any) -> None:
    token, plaintext = token_create(runner, "script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    wait_for(lambda: token_changes.listening(token_cache_clear), timeout=20)

    def remembered() -> bool:  # a change announced by an earlier test may still arrive
        assert client.get("/api/executions/").status_code == 200
        return token_remembered(plaintext) is not None

    wait_for(remembered, timeout=20)
    subprocess.run(
        [sys.executable, "-c", REVOKE.format(pk=token.pk)],
        cwd=REPO,
        env=child_env(),
        check=True,
        timeout=120,
    )
    deadline = time.monotonic() + 1.0  # far less than the 5 s the memory would last
    while token_remembered(plaintext) is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert token_remembered(plaintext) is None
    assert client.get("/api/executions/").status_code == 401
    assert tokens.CACHE_SECONDS >= 5


def test_a_process_that_does_not_hear_changes_remembers_nothing(
    runner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, plaintext = token_create(runner, "script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    monkeypatch.setattr(token_changes, "listening", lambda on_change: False)  # Redis away
    token_cache_clear()
    for _ in range(2):
        assert client.get("/api/executions/").status_code == 200
    assert token_remembered(plaintext) is None
