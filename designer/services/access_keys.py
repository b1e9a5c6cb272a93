"""Access keys for the AWS API: an access key id and a secret, for one user in one team.

A member of a team (any role) creates keys for themselves in that team; the
secret is returned once and never shown again. A key acts with its user's
current role in its team, and only there: every ARN the AWS API reads is
resolved within the key's team. Revoking a key, removing its user from the
team or deactivating the user stops it at once in this process and within
``CACHE_SECONDS`` in the others.

SigV4 needs the secret itself to check a signature (it is an HMAC key), so the
secret is stored encrypted (``secret_box``, a key of its own derived from
``SECRET_KEY``), not hashed. Key ids look like AWS's: ``AKIA`` and 16
characters of base32; secrets are 40 characters, as AWS's are.
"""

from __future__ import annotations

import base64
import copy
import secrets
import threading
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from django.utils import timezone

from designer.errors import NotFound, ValidationFailed
from designer.models import AccessKey, Membership, Team
from designer.services.access import VIEW, team_get_for
from designer.services.audit import audit_record
from designer.services.secret_box import InvalidToken, MultiFernet, box

MAX_ACTIVE_KEYS = 10  # per user and team
CACHE_SECONDS = 5.0
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _box() -> MultiFernet:
    return box(b"stateyard.access-keys", b"access key secrets v1")


def _new_key_id() -> str:
    return "AKIA" + base64.b32encode(secrets.token_bytes(10)).decode()[:16]


def _new_secret() -> str:
    return base64.b64encode(secrets.token_bytes(30)).decode()  # 40 characters


@dataclass(frozen=True, slots=True)
class NewKey:
    """A key just made: the only time its secret is available."""

    key: AccessKey
    secret: str

    def as_aws(self) -> dict[str, str]:
        return {"AccessKeyId": self.key.key_id, "SecretAccessKey": self.secret}


def access_key_create(user: Any, team_slug: str, description: Any = "") -> NewKey:
    """A new key for ``user`` in the team (any member may make their own)."""
    team = team_get_for(user, team_slug, VIEW)
    if not isinstance(description, str) or len(description) > 80:
        raise ValidationFailed("The description is text of at most 80 characters.")
    active = AccessKey.objects.filter(user=user, team=team, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_KEYS:
        raise ValidationFailed(
            f"You have {active} active keys in this team; revoke one first "
            f"(at most {MAX_ACTIVE_KEYS})."
        )
    secret = _new_secret()
    key = AccessKey.objects.create(
        user=user,
        team=team,
        key_id=_new_key_id(),
        secret=_box().encrypt(secret.encode()).decode(),
        description=description.strip(),
    )
    audit_record(team, user, "access_key.create", key.key_id)
    return NewKey(key, secret)


def access_key_list(user: Any) -> list[AccessKey]:
    """The user's keys in every team (revoked ones too, newest first)."""
    return list(AccessKey.objects.filter(user=user).select_related("team"))


def access_key_revoke(user: Any, key_pk: Any) -> AccessKey:
    key = AccessKey.objects.filter(pk=key_pk, user=user, revoked_at__isnull=True).first()
    if key is None:
        raise NotFound("No such access key.")
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    audit_record(key.team, user, "access_key.revoke", key.key_id)
    access_key_cache_clear()
    return key


# ---- checking a request's key ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyHolder:
    """Who a valid key speaks for: the user, the team, their role there, and the secret."""

    key_pk: int
    key_id: str
    user: Any
    team: Team
    role: str
    secret: str


_cache: dict[str, tuple[float, KeyHolder]] = {}
_cache_lock = threading.Lock()


def access_key_cache_clear(**_: Any) -> None:
    """Forget remembered keys (a revocation, a changed membership or user)."""
    with _cache_lock:
        _cache.clear()


def access_key_holder(key_id: str) -> KeyHolder | None:
    """The holder of a usable key: not revoked, its user active and still in its team."""
    with _cache_lock:
        hit = _cache.get(key_id)
    if hit is not None and hit[0] > time.monotonic():
        return replace(hit[1], user=copy.copy(hit[1].user))  # each request its own user object
    key = (
        AccessKey.objects.select_related("user", "team")
        .filter(key_id=key_id, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if key is None:
        return None
    role = (
        Membership.objects.filter(team_id=key.team_id, user_id=key.user_id)
        .values_list("role", flat=True)
        .first()
    )
    if role is None:
        return None
    try:
        secret = _box().decrypt(key.secret.encode()).decode()
    except InvalidToken:  # SECRET_KEY changed: the key cannot be checked any more
        return None
    holder = KeyHolder(key.pk, key.key_id, copy.copy(key.user), key.team, role, secret)
    _touch(key)
    with _cache_lock:
        if len(_cache) > 1024:
            _cache.clear()
        _cache[key_id] = (time.monotonic() + CACHE_SECONDS, holder)
    return holder


def _touch(key: AccessKey) -> None:
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        AccessKey.objects.filter(pk=key.pk).update(last_used_at=now)
