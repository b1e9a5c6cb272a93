"""Production static files: hashed names for long-lived caching, gzip and brotli copies.

``collectstatic`` (``make serve`` runs it) copies every static file into
``STATIC_ROOT`` and post-processes it with :class:`StudioStaticFilesStorage`:
Django's manifest storage gives each file a content-hashed name
(``css/app.css`` -> ``css/app.0345b50592c5.css``, recorded in
``staticfiles.json``), and WhiteNoise writes ``.br`` and ``.gz`` copies that it
serves to clients that accept them (``Brotli`` must be installed for ``.br``).

The studio bundle under ``dist/`` is the exception to the renaming: Vite
already names every file by its content (``assets/main-DcKETUAj.js``) and its
chunks import one another, their CSS and the layout worker by those names.
Renaming them again would leave the entry's renamed copy importing the
originals, so they keep their names and the manifest maps each one to itself.
``stateyard.static_cache.immutable_file_test`` treats exactly the manifest's
target names as cacheable forever.

Only those target names are compressed: templates never link an unhashed
original, and brotli at its best quality is what makes ``collectstatic`` slow.
Source maps (the admin's and API docs' third-party ones; the studio build
writes none) are collected as shipped but not compressed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage

VITE_PREFIX = "dist/"


class StudioStaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    def hashed_name(self, name: str, content: Any = None, filename: str | None = None) -> str:
        if name.replace("\\", "/").startswith(VITE_PREFIX):
            return name
        return str(super().hashed_name(name, content, filename))

    def compress_files(self, paths: Iterable[str]) -> Iterator[tuple[str, str]]:
        targets = set(self.hashed_files.values())
        wanted = [p for p in paths if p in targets and not p.endswith(".map")]
        yield from super().compress_files(wanted)
