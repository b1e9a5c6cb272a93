"""Which static files WhiteNoise may tell browsers to cache forever (``immutable``).

``WHITENOISE_IMMUTABLE_FILE_TEST`` in the settings: a file is immutable when the
static files manifest maps some original name to exactly its name, i.e. its
name carries its content's hash (Django's for most files, Vite's own for the
studio bundle, which the manifest maps to itself; see
``stateyard.static_storage``). Everything else (an unhashed original, any file
when there is no manifest, as in development) gets WhiteNoise's short
``max-age``. The settings import this module, so it imports Django lazily.
"""

from __future__ import annotations

import posixpath


def _without_django_hash(name: str) -> str:
    """``css/app.3f2a9c0d1b7e.css`` -> ``css/app.css`` (a name without one is unchanged)."""
    stem, ext = posixpath.splitext(name)
    return posixpath.splitext(stem)[0] + ext


def immutable_file_test(path: str, url: str) -> bool:
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage

    prefix = "/" + str(settings.STATIC_URL).lstrip("/")
    if not url.startswith(prefix):
        return False
    name = url[len(prefix) :]
    hashed: dict[str, str] = getattr(staticfiles_storage, "hashed_files", None) or {}
    return any(hashed.get(original) == name for original in (name, _without_django_hash(name)))
