"""API tokens for scripts: created once (the secret is shown only then), revocable.

A token reads ``sy_<prefix>_<secret>``; only a SHA-256 hash of the secret is
stored (the secret has 256 bits of entropy, so a slow hash adds nothing).
Revoking a token closes the websockets it opened (``access_events``).

Each process remembers a token an API request has checked for ``CACHE_SECONDS``
(keyed by its prefix and hash, never the secret), so a script's burst of
requests looks the token up once. A revoked or deleted token, or a changed
user, is forgotten at once by every process: the change is announced after it
commits (``designer.token_changes``), and a process that is not listening to
the announcements (Redis is away) remembers nothing. A lookup that was under
way when a change came is not remembered.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import secrets
import threading
import time
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from designer import token_changes
from designer.errors import NotFound
from designer.models import ApiToken
from designer.services.access_events import access_changed


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token and its plaintext (which is never stored or shown again)."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:80] or "token", prefix=prefix, key_hash=_hash(secret)
    )
    return token, f"sy_{prefix}_{secret}"


def token_revoke(user: Any, token_id: int) -> None:
    token = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound("No such token.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])  # token_changed: every process forgets it
    access_changed(token.user_id)


CACHE_SECONDS = 5.0
_CACHE_MAX = 1024
_cache: dict[str, tuple[float, Any]] = {}  # digest -> (expires, user)
_cache_lock = threading.Lock()
_generation = [0]  # bumped by every clear: a lookup begun before one is not remembered


def token_cache_clear(**_: Any) -> None:
    """Forget every remembered token in this process."""
    with _cache_lock:
        _cache.clear()
        _generation[0] += 1


def token_changed(
    sender: Any = None, update_fields: Any = None, created: bool = False, **_: Any
) -> None:
    """A token or a user changed: forget every remembered token here, and everywhere else
    once the change has committed. Connected to every save or delete of a user or a token
    (``DesignerConfig.ready``); a new one, or a log-in's ``last_login`` update, changes
    nothing anyone remembers."""
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    token_cache_clear()
    transaction.on_commit(token_changes.announce)


def _remembered(digest: str) -> Any:
    if not token_changes.listening(token_cache_clear):
        return None
    with _cache_lock:
        hit = _cache.get(digest)
    if hit is None or hit[0] < time.monotonic():
        return None
    return copy.copy(hit[1])  # each request gets its own user object


def _remember(digest: str, user: Any, generation: int) -> None:
    with _cache_lock:
        if generation != _generation[0]:
            return  # something changed while it was looked up
        if len(_cache) >= _CACHE_MAX:
            _cache.clear()
        _cache[digest] = (time.monotonic() + CACHE_SECONDS, copy.copy(user))


LAST_USED_RESOLUTION = timedelta(minutes=1)


def _touch(token: ApiToken) -> None:
    """Record use, at most once a minute (no write on every request)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


def _remembered_as(key: str) -> str:
    parts = key.split("_", 2)
    well_formed = len(parts) == 3 and parts[0] == "sy"
    return f"{parts[1]}:{_hash(parts[2])}" if well_formed else ""


def token_remembered(key: str) -> Any:
    """The user of a token this process verified in the last ``CACHE_SECONDS``, else None."""
    remembered_as = _remembered_as(key)
    return _remembered(remembered_as) if remembered_as else None


def token_authenticate(key: str) -> Any:
    """The user a token belongs to, or None for a wrong, unknown or revoked token."""
    user = token_remembered(key)
    if user is not None:
        return user
    remembered_as = _remembered_as(key)
    generation = _generation[0]
    token = token_find(key)
    if token is None:
        return None
    _remember(remembered_as, token.user, generation)
    return token.user


def token_is_valid(token_id: Any) -> bool:
    """Whether the token is still usable (not revoked, its user active)."""
    return ApiToken.objects.filter(
        pk=token_id, revoked_at__isnull=True, user__is_active=True
    ).exists()


def token_find(key: str) -> ApiToken | None:
    """The valid token ``key`` names (its use recorded), or None."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != "sy":
        return None
    _, prefix, secret = parts
    digest = _hash(secret)
    for token in ApiToken.objects.select_related("user").filter(
        prefix=prefix, revoked_at__isnull=True
    ):
        if hmac.compare_digest(token.key_hash, digest) and token.user.is_active:
            _touch(token)
            return token
    return None
