"""Secrets encrypted at rest: Fernet (``cryptography``) under a key derived from SECRET_KEY.

Each purpose (connection secrets, access key secrets) has its own key, derived
from ``settings.SECRET_KEY`` with HKDF-SHA256 and the purpose's salt and info,
so a secret of one kind can never be decrypted as another.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

__all__ = ["Fernet", "InvalidToken", "box"]


@lru_cache(maxsize=8)
def _fernet(secret_key: str, salt: bytes, info: bytes) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def box(salt: bytes, info: bytes) -> Fernet:
    """The Fernet for one purpose under the current SECRET_KEY."""
    return _fernet(settings.SECRET_KEY, salt, info)
