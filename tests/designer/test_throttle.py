"""Log-in and API token throttling: per account, per address, shared through the cache."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any, cast

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client, override_settings
from rest_framework.test import APIClient

from designer.services import throttle
from designer.services.tokens import token_create
from tests.designer.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LIMITS = {
    "LOGIN_FAILURES": 3,
    "LOGIN_IP_FAILURES": 6,
    "TOKEN_IP_FAILURES": 4,
    "WINDOW_SECONDS": 600,
}


@pytest.fixture(autouse=True)
def small_limits() -> Iterator[None]:
    with override_settings(STATEYARD_THROTTLE=LIMITS):
        yield


def log_in(username: str, password: str, ip: str = "10.0.0.1") -> Any:
    return Client(REMOTE_ADDR=ip).post(
        "/accounts/login/", {"username": username, "password": password}
    )


def test_an_account_is_locked_after_repeated_wrong_passwords(owner: Any, editor: Any) -> None:
    for attempt in range(LIMITS["LOGIN_FAILURES"] - 1):
        wrong = log_in("olivia", f"wrong-{attempt}")
        assert wrong.status_code == 200 and "Retry-After" not in wrong
    locked = log_in("olivia", "wrong-last")
    assert locked.status_code == 429
    assert 0 < int(locked["Retry-After"]) <= LIMITS["WINDOW_SECONDS"]
    assert "Too many failed log-ins" in locked.content.decode()
    # even the right password waits, from any address, for any spelling of the name
    for name, ip in (("olivia", "10.0.0.1"), ("OLIVIA", "10.9.9.9")):
        again = log_in(name, PASSWORD, ip)
        assert again.status_code == 429 and "_auth_user_id" not in again.client.session
    # other accounts are not affected
    assert log_in("eddie", PASSWORD).status_code == 302


def test_a_success_clears_the_accounts_count(owner: Any) -> None:
    for _ in range(LIMITS["LOGIN_FAILURES"] - 1):
        log_in("olivia", "wrong")
    assert log_in("olivia", PASSWORD).status_code == 302
    assert log_in("olivia", "wrong").status_code == 200  # counting starts over


def test_an_address_is_locked_after_failures_across_accounts(owner: Any) -> None:
    for n in range(LIMITS["LOGIN_IP_FAILURES"]):
        log_in(f"nobody-{n}", "wrong", ip="10.6.6.6")
    assert log_in("olivia", PASSWORD, ip="10.6.6.6").status_code == 429
    assert log_in("olivia", PASSWORD, ip="10.7.7.7").status_code == 302


def test_the_admin_log_in_goes_through_the_same_throttle(owner: Any) -> None:
    owner.is_staff = True
    owner.save(update_fields=["is_staff"])
    admin_log_in = {"username": "olivia", "password": PASSWORD}
    before = Client(REMOTE_ADDR="10.1.1.1")
    assert before.post("/admin/login/", admin_log_in).status_code == 302  # staff may log in
    for _ in range(LIMITS["LOGIN_FAILURES"]):
        log_in("olivia", "wrong")
    client = Client(REMOTE_ADDR="10.1.1.1")
    client.post("/admin/login/", admin_log_in)
    assert "_auth_user_id" not in client.session


def test_wrong_bearer_tokens_are_throttled_per_address(owner: Any) -> None:
    _, good = token_create(owner, "script")
    bad = APIClient(REMOTE_ADDR="10.2.2.2")
    bad.credentials(HTTP_AUTHORIZATION="Bearer sy_00000000_guess")
    for _ in range(LIMITS["TOKEN_IP_FAILURES"]):
        assert bad.get("/api/teams/").status_code in (401, 403)
    refused = bad.get("/api/teams/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "throttled"
    assert set(refused.json()) == {"code", "message", "details"}
    same_address = APIClient(REMOTE_ADDR="10.2.2.2")
    same_address.credentials(HTTP_AUTHORIZATION=f"Bearer {good}")
    assert same_address.get("/api/teams/").status_code == 429  # locked for every token
    elsewhere = APIClient(REMOTE_ADDR="10.3.3.3")
    elsewhere.credentials(HTTP_AUTHORIZATION=f"Bearer {good}")
    assert elsewhere.get("/api/teams/").status_code == 200


def test_counters_are_shared_through_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two cache handles (as two worker processes have) see the same lock."""
    prefix = f"test-{uuid.uuid4().hex}"
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": settings.REDIS_URL,
        "KEY_PREFIX": prefix,
    }
    with override_settings(CACHES={"default": redis_cache}):
        first, second = caches.create_connection("default"), caches.create_connection("default")
        try:
            monkeypatch.setattr(throttle, "cache", first)
            for _ in range(LIMITS["LOGIN_FAILURES"]):
                throttle.login_failed("olivia", "10.4.4.4")
            monkeypatch.setattr(throttle, "cache", second)
            assert throttle.login_retry_after("olivia", "10.5.5.5") > 0
        finally:
            for kind, value in (("login-user", "olivia"), ("login-ip", "10.4.4.4")):
                second.delete_many(list(throttle._keys(kind, value)))


def test_websocket_handshakes_share_the_token_throttle(owner: Any) -> None:
    from designer.ws_auth import _token_checked

    token, good = token_create(owner, "socket")
    for _ in range(LIMITS["TOKEN_IP_FAILURES"]):
        assert _token_checked("sy_00000000_guess", "10.8.8.8") is None
    assert _token_checked(good, "10.8.8.8") is None  # locked for every token
    found = _token_checked(good, "10.9.9.9")
    assert found is not None and found.pk == token.pk


def test_the_redis_cache_keeps_one_client_per_process() -> None:
    """Cache handles (one per request under ASGI) share one client and connection pool."""
    redis_cache = {
        "BACKEND": "stateyard.redis_cache.RedisCache",
        "LOCATION": settings.REDIS_URL,
        "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
    with override_settings(CACHES={"default": redis_cache}):
        first, second = caches.create_connection("default"), caches.create_connection("default")
        assert first is not second
        first.set("k", 1, 30)
        assert second.get("k") == 1
        one, other = cast(Any, first), cast(Any, second)
        assert one._cache.get_client() is other._cache.get_client(write=True)
        first.delete("k")
