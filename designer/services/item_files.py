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

from designer.errors import Conflict, NotFound, ValidationFailed
from designer.services.access import EDIT, VIEW, team_get_for
from designer.services.audit import audit_record
from designer.services.s3_storage import Lines, StorageFailed

UPLOADS_BUCKET = "stateyard-uploads"
KEY_RULE = re.compile(r"^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._/-]{0,511}$")
KEY_MESSAGE = (
    "key must be 1-512 characters: letters, digits, '.', '_', '-' and '/' (a letter or digit "
    "first; no '..', no empty or '.' part such as 'a//b' or 'a/./b', not ending in '/')."
)


def key_valid(key: Any) -> bool:
    """Whether ``key`` names a file one way only (no ``a//b`` or ``a/./b`` aliases of ``a/b``)."""
    if not isinstance(key, str) or not KEY_RULE.match(key):
        return False
    return all(part not in ("", ".") for part in key.split("/"))


def _storage(team_id: int) -> FileSystemStorage:
    root = Path(settings.STATEYARD_ITEM_FILES_DIR) / str(team_id)
    return FileSystemStorage(location=str(root))


def _check_key(key: Any) -> str:
    if not key_valid(key):
        raise ValidationFailed(KEY_MESSAGE, {"key": key if isinstance(key, str) else None})
    return str(key)


def _check_free(storage: FileSystemStorage, key: str) -> None:
    """Refuse a key that is a folder of other files, or lies under a file (409)."""
    root = Path(storage.location)
    if (root / key).is_dir():
        raise Conflict(
            f"'{key}' is a folder of other item files; delete them or choose another key."
        )
    parts = key.split("/")
    for depth in range(1, len(parts)):
        above = "/".join(parts[:depth])
        if (root / above).is_file():
            raise Conflict(
                f"'{above}' is an item file, so '{key}' cannot be put under it; "
                "choose another key or delete that file."
            )


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
    """Store ``upload`` under ``key``; an existing file of that key is replaced, and the
    answer says so (``replaced``). A key that is a folder or lies under a file: 409."""
    team = team_get_for(actor, team_slug, EDIT)
    key = _check_key(key)
    storage = _storage(team.pk)
    _check_free(storage, key)
    replaced = storage.exists(key)
    if replaced:
        storage.delete(key)
    storage.save(key, upload)
    audit_record(team, actor, "item_file.upload", key, size=storage.size(key), replaced=replaced)
    return {**_describe(storage, key), "replaced": replaced}


def item_file_delete(*, actor: Any, team_slug: str, key: Any) -> None:
    team = team_get_for(actor, team_slug, EDIT)
    key = _check_key(key)
    storage = _storage(team.pk)
    path = Path(storage.location) / key
    if path.is_dir():
        raise ValidationFailed(
            f"'{key}' is a folder, not an item file: delete the files in it one by one."
        )
    if not path.is_file():
        raise NotFound(f"No item file '{key}'.")
    storage.delete(key)
    _prune(Path(storage.location), path.parent)
    audit_record(team, actor, "item_file.delete", key)


def _prune(root: Path, folder: Path) -> None:
    """Remove the folders the deletion left empty (so their names are free again)."""
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


class Uploads(Lines):
    """A team's uploaded item files, read like the objects of a bucket."""

    bucket = UPLOADS_BUCKET
    read_errors = (OSError,)

    def __init__(self, team_id: int) -> None:
        self.storage = _storage(team_id)

    def open(self, key: str, start: int = 0) -> Any:
        if not key_valid(key) or not (Path(self.storage.location) / key).is_file():
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
