"""Secrets encrypted at rest: Fernet (``cryptography``) under a key derived from SECRET_KEY.

Each purpose (connection secrets, access key secrets) has its own key, derived
from ``settings.SECRET_KEY`` with HKDF-SHA256 and the purpose's salt and info,
so a secret of one kind can never be decrypted as another. After a
``SECRET_KEY`` rotation, the previous keys listed in ``SECRET_KEY_FALLBACKS``
(Django's setting; the ``SECRET_KEY_FALLBACKS`` environment variable, comma
separated) still decrypt what they encrypted; new secrets use the current key.
Without them, every stored secret (access keys, connection secrets) is lost.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

__all__ = ["Fernet", "InvalidToken", "MultiFernet", "box"]


@lru_cache(maxsize=8)
def _fernet(secret_key: str, salt: bytes, info: bytes) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def box(salt: bytes, info: bytes) -> MultiFernet:
    """The Fernet for one purpose: encrypts under the current SECRET_KEY, decrypts under it
    or any of ``SECRET_KEY_FALLBACKS``."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key, salt, info) for key in keys])
