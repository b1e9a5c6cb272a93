"""S3-compatible storage for Distributed Maps, through a team's S3 connection.

A team connection of auth type ``S3`` holds an endpoint (empty for AWS S3; MinIO,
Ceph, Garage or any other S3-compatible server otherwise), a region, an access
key id and, encrypted like every connection secret, the secret access key. It
may list the ``buckets`` it serves (comma-separated); an ItemReader or
ResultWriter on bucket B uses the team's S3 connection that lists B, else the
team's only S3 connection that lists none.

Objects are streamed (``object_lines``): nothing here holds a whole object in
memory. Every failure becomes ``StorageFailed`` with a cause that names the
bucket and key and says what went wrong (a missing object, refused credentials,
an unreachable endpoint), never a trace. The connection's region and endpoint are
checked when it is saved and again before each client is made: the endpoint goes
through the HTTP Tasks' address guard (``engine.tasks.http_guard``), so it cannot
reach a loopback, private, link-local or metadata address unless
``STATEYARD_HTTP_ALLOW_HOSTS`` lists the host.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from designer.errors import ValidationFailed
from designer.models import Connection, ConnectionAuthType
from designer.services.connections import decrypt_secrets, s3_endpoint_check, s3_region_check

READ_CHUNK = 1 << 16
_CLIENTS = threading.Lock()  # a boto3 session makes one client at a time


@lru_cache(maxsize=1)
def _session() -> Any:
    """One boto3 session per process: each new one loads botocore's data (about 10 MiB)."""
    return boto3.session.Session()


class StorageFailed(Exception):
    """An S3 call failed; ``str()`` is the cause to record."""


def connection_for_bucket(team_id: int, bucket: str) -> Connection:
    """The team's S3 connection that serves ``bucket`` (see the module's docstring)."""
    connections = list(Connection.objects.filter(team_id=team_id, auth_type=ConnectionAuthType.S3))
    listed = [c for c in connections if bucket in _buckets(c)]
    if listed:
        return listed[0]
    open_ones = [c for c in connections if not _buckets(c)]
    if len(open_ones) == 1:
        return open_ones[0]
    if not connections:
        raise StorageFailed(
            f"The team has no S3 connection to reach bucket '{bucket}' (create one with "
            "POST /api/teams/<team>/connections/, auth_type S3: see docs/runtime.md, "
            "Item sources)."
        )
    raise StorageFailed(
        f"No S3 connection of the team lists bucket '{bucket}' "
        "(set the bucket in one connection's buckets)."
    )


def _buckets(connection: Connection) -> set[str]:
    text = str((connection.parameters or {}).get("auth", {}).get("buckets", ""))
    return {b.strip() for b in text.split(",") if b.strip()}


class Lines:
    """Reading objects as lines and whole, for any source with ``open(key, start)``."""

    bucket = ""
    read_errors: tuple[type[BaseException], ...] = (ClientError, BotoCoreError)

    def open(self, key: str, start: int = 0) -> Any:
        raise NotImplementedError

    def list_objects(self, prefix: str, start_after: str = "") -> Iterator[dict[str, Any]]:
        raise StorageFailed(f"{self.where(prefix)} cannot be listed.")

    def where(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"

    def failed_read(self, err: BaseException, key: str) -> StorageFailed:
        return StorageFailed(f"Could not read {self.where(key)}: {err}")

    def object_lines(self, key: str, start: int = 0) -> Iterator[tuple[bytes, int]]:
        """Each line of the object (with its line break) and the byte offset after it."""
        body = self.open(key, start)
        offset = start
        pending = b""
        try:
            while True:
                chunk = body.read(READ_CHUNK)
                if not chunk:
                    break
                pending += chunk
                lines = pending.split(b"\n")
                pending = lines.pop()
                for line in lines:
                    offset += len(line) + 1
                    yield line + b"\n", offset
        except self.read_errors as err:
            raise self.failed_read(err, key) from None
        finally:
            body.close()
        if pending:
            yield pending, offset + len(pending)

    def read_all(self, key: str) -> bytes:
        body = self.open(key)
        try:
            return bytes(body.read())
        except self.read_errors as err:
            raise self.failed_read(err, key) from None
        finally:
            body.close()


def _vet(connection: Connection, public: dict[str, Any]) -> None:
    """Check the connection again before connecting: a region botocore accepts, and an
    endpoint the address guard lets through (it may resolve elsewhere since it was saved)."""
    try:
        s3_region_check(str(public.get("region") or "us-east-1"))
        if public.get("endpoint_url"):
            s3_endpoint_check(str(public["endpoint_url"]))
    except ValidationFailed as err:
        raise StorageFailed(
            f"The S3 connection '{connection.name}' cannot be used: {err}"
        ) from None


class Storage(Lines):
    """One S3 client for one bucket of a team."""

    def __init__(self, team_id: int, bucket: str) -> None:
        if not isinstance(bucket, str) or not bucket:
            raise StorageFailed("The S3 location needs a Bucket (a non-empty string).")
        connection = connection_for_bucket(team_id, bucket)
        public = dict((connection.parameters or {}).get("auth", {}))
        secret = decrypt_secrets(connection.secret)
        self.bucket = bucket
        _vet(connection, public)
        with _CLIENTS:
            self.client: Any = _session().client(
                "s3",
                endpoint_url=public.get("endpoint_url") or None,
                region_name=public.get("region") or "us-east-1",
                aws_access_key_id=public.get("access_key_id"),
                aws_secret_access_key=secret.get("secret_access_key"),
                config=Config(
                    retries={"max_attempts": 3, "mode": "standard"},
                    connect_timeout=10,
                    read_timeout=60,
                    s3={"addressing_style": "path"},
                ),
            )

    def _failed(self, err: Exception, key: str | None, verb: str) -> StorageFailed:
        where = f"s3://{self.bucket}/{key}" if key is not None else f"bucket '{self.bucket}'"
        if isinstance(err, ClientError):
            code = err.response.get("Error", {}).get("Code", "Error")
            message = err.response.get("Error", {}).get("Message", "")
            meaning = {
                "NoSuchKey": "the object does not exist",
                "404": "the object does not exist",
                "NoSuchBucket": "the bucket does not exist",
                "AccessDenied": "access was denied (check the connection's keys)",
                "403": "access was denied (check the connection's keys)",
                "InvalidAccessKeyId": "the access key id is not known to the server",
                "SignatureDoesNotMatch": "the secret access key does not match",
            }.get(code, message or code)
            return StorageFailed(f"Could not {verb} {where}: {meaning} ({code}).")
        return StorageFailed(f"Could not {verb} {where}: {err}")

    def open(self, key: str, start: int = 0) -> Any:
        """The object's streaming body, from byte ``start``."""
        try:
            extra = {"Range": f"bytes={start}-"} if start else {}
            return self.client.get_object(Bucket=self.bucket, Key=key, **extra)["Body"]
        except (ClientError, BotoCoreError) as err:
            raise self._failed(err, key, "read") from None

    def failed_read(self, err: BaseException, key: str) -> StorageFailed:
        return self._failed(err if isinstance(err, Exception) else Exception(err), key, "read")

    def list_objects(self, prefix: str, start_after: str = "") -> Iterator[dict[str, Any]]:
        """ListObjectsV2 pages, one object description at a time, in key order."""
        try:
            paginator = self.client.get_paginator("list_objects_v2")
            arguments = {"Bucket": self.bucket, "Prefix": prefix or ""}
            if start_after:
                arguments["StartAfter"] = start_after
            for page in paginator.paginate(**arguments):
                yield from page.get("Contents", ())
        except (ClientError, BotoCoreError) as err:
            raise self._failed(err, None, "list") from None

    def put(self, key: str, body: bytes, content_type: str = "application/json") -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType=content_type)
        except (ClientError, BotoCoreError) as err:
            raise self._failed(err, key, "write") from None
