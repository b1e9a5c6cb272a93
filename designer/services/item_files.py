"""Files a team uploads to feed Distributed Maps without S3 storage.

A team's editors upload item files (JSON, JSON Lines, CSV, ...) under a key;
an ItemReader reads them as objects of the pseudo-bucket ``stateyard-uploads``
(``"Parameters": {"Bucket": "stateyard-uploads", "Key": "<key>"}``; a
``listObjectsV2`` lists them). They are stored on the server's disk under
``STATEYARD_ITEM_FILES_DIR``, one folder per team, so every worker must see that
folder (one machine, or a shared volume); S3 storage has no such limit.
Viewers list them; editors and owners upload and delete; other teams get 404.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage

from designer.errors import NotFound, ValidationFailed
from designer.services.access import EDIT, VIEW, team_get_for
from designer.services.audit import audit_record
from designer.services.s3_storage import Lines, StorageFailed

UPLOADS_BUCKET = "stateyard-uploads"
KEY_RULE = re.compile(r"^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._/-]{0,511}$")


def _storage(team_id: int) -> FileSystemStorage:
    root = Path(settings.STATEYARD_ITEM_FILES_DIR) / str(team_id)
    return FileSystemStorage(location=str(root))


def _check_key(key: Any) -> str:
    if not isinstance(key, str) or not KEY_RULE.match(key) or key.endswith("/"):
        raise ValidationFailed(
            "key must be 1-512 characters: letters, digits, '.', '_', '-' and '/' "
            "(not first, no '..', not ending in '/')."
        )
    return key


def _files(storage: FileSystemStorage, folder: str = "") -> Iterator[str]:
    if not storage.exists(folder or "."):
        return
    folders, names = storage.listdir(folder or ".")
    for name in sorted(names):
        yield f"{folder}{name}"
    for sub in sorted(folders):
        yield from _files(storage, f"{folder}{sub}/")


def _describe(storage: FileSystemStorage, key: str) -> dict[str, Any]:
    return {
        "key": key,
        "size": storage.size(key),
        "modified": storage.get_modified_time(key).astimezone(UTC),
    }


def item_file_list(*, actor: Any, team_slug: str) -> list[dict[str, Any]]:
    team = team_get_for(actor, team_slug, VIEW)
    storage = _storage(team.pk)
    return [_describe(storage, key) for key in sorted(_files(storage))]


def item_file_upload(*, actor: Any, team_slug: str, key: Any, upload: File[Any]) -> dict[str, Any]:
    """Store ``upload`` under ``key`` (replacing what was there)."""
    team = team_get_for(actor, team_slug, EDIT)
    key = _check_key(key)
    storage = _storage(team.pk)
    if storage.exists(key):
        storage.delete(key)
    storage.save(key, upload)
    audit_record(team, actor, "item_file.upload", key, size=storage.size(key))
    return _describe(storage, key)


def item_file_delete(*, actor: Any, team_slug: str, key: Any) -> None:
    team = team_get_for(actor, team_slug, EDIT)
    key = _check_key(key)
    storage = _storage(team.pk)
    if not storage.exists(key):
        raise NotFound(f"No item file '{key}'.")
    storage.delete(key)
    audit_record(team, actor, "item_file.delete", key)


class Uploads(Lines):
    """A team's uploaded item files, read like the objects of a bucket."""

    bucket = UPLOADS_BUCKET
    read_errors = (OSError,)

    def __init__(self, team_id: int) -> None:
        self.storage = _storage(team_id)

    def open(self, key: str, start: int = 0) -> Any:
        if not isinstance(key, str) or not KEY_RULE.match(key) or not self.storage.exists(key):
            raise StorageFailed(f"Could not read {self.where(key)}: no such uploaded file.")
        handle = self.storage.open(key, "rb")
        handle.seek(start)
        return handle

    def list_objects(self, prefix: str, start_after: str = "") -> Iterator[dict[str, Any]]:
        for key in sorted(_files(self.storage)):
            if key.startswith(prefix) and key > start_after:
                described = _describe(self.storage, key)
                yield {
                    "Key": key,
                    "Size": described["size"],
                    "LastModified": described["modified"],
                    "ETag": "",
                    "StorageClass": "STANDARD",
                }
