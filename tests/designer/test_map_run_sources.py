"""Distributed Maps without S3: items from files a team uploads (pseudo-bucket
``stateyard-uploads``) and from a URL through the HTTP Tasks' address guard."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from designer.models import Team
from designer.services import https_source
from tests.designer.conftest import ApiClientFor
from tests.designer.test_map_run_storage import reader_map
from tests.designer.test_map_runs import drive, start

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _files_dir(settings: Any, tmp_path: Path) -> None:
    settings.STATEYARD_ITEM_FILES_DIR = str(tmp_path / "item-files")


def upload(client: Any, key: str, body: bytes) -> Any:
    data = {"key": key, "file": SimpleUploadedFile("x", body)}
    return client.post("/api/teams/acme/item-files/", data, format="multipart")


def test_editors_upload_viewers_list_others_get_404(
    team: Team,
    other_team: Team,
    members: dict[str, Any],
    outsider: Any,
    api_client_for: ApiClientFor,
) -> None:
    editor = api_client_for(members["editor"])
    response = upload(editor, "in/people.csv", b"name\nada\n")
    assert response.status_code == 201, response.json()
    assert response.json()["key"] == "in/people.csv" and response.json()["size"] == 9
    assert upload(api_client_for(members["viewer"]), "x.csv", b"a").status_code == 403
    assert upload(api_client_for(outsider), "x.csv", b"a").status_code == 404
    listed = api_client_for(members["viewer"]).get("/api/teams/acme/item-files/").json()
    assert [f["key"] for f in listed["results"]] == ["in/people.csv"]
    assert api_client_for(outsider).get("/api/teams/acme/item-files/").status_code == 404
    bad = upload(editor, "../escape", b"a")
    assert bad.status_code == 400 and "key must be" in bad.json()["message"]
    assert (
        api_client_for(members["runner"])
        .delete("/api/teams/acme/item-files/?key=in/people.csv")
        .status_code
        == 403
    )
    assert editor.delete("/api/teams/acme/item-files/?key=in/people.csv").status_code == 204
    assert editor.delete("/api/teams/acme/item-files/?key=in/people.csv").status_code == 404


def test_a_map_reads_an_uploaded_csv_and_lists_the_uploads(
    owner: Any, team: Team, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(owner)
    assert upload(client, "data/rows.csv", b"a,b\n1,2\n3,4\n").status_code == 201
    assert upload(client, "data/more.csv", b"a,b\n").status_code == 201
    reader = {
        "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket": "stateyard-uploads", "Key": "data/rows.csv"},
        "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
    }
    parent = drive(start(owner, team, reader_map(reader), {}).pk)
    assert parent.status == "SUCCEEDED", parent.cause
    assert parent.output == [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]
    listing = {
        "Resource": "arn:aws:states:::s3:listObjectsV2",
        "Parameters": {"Bucket": "stateyard-uploads", "Prefix": "data/"},
    }
    parent = drive(_second(owner, team, listing).pk)
    assert [item["Key"] for item in parent.output] == ["data/more.csv", "data/rows.csv"]


def _second(owner: Any, team: Team, reader: dict[str, Any]) -> Any:
    from designer.models import Workflow
    from designer.services.executions import execution_start

    workflow = Workflow.objects.create(team=team, name="listing", definition=reader_map(reader))
    execution, _ = execution_start(owner, workflow.pk, {})
    return execution


class _Items(BaseHTTPRequestHandler):
    body = b"".join(json.dumps({"n": i}).encode() + b"\n" for i in range(5))

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def items_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Items)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def url_reader(url: str) -> dict[str, Any]:
    return {
        "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Url": url},
        "ReaderConfig": {"InputType": "JSONL"},
    }


def test_a_url_goes_through_the_address_guard(
    owner: Any, team: Team, items_server: str, monkeypatch: Any
) -> None:
    monkeypatch.delenv("STATEYARD_HTTP_ALLOW_HOSTS", raising=False)
    https_source._http.cache_clear()
    refused = drive(
        start(owner, team, reader_map(url_reader(f"https://{items_server}/i.jsonl")), {}).pk
    )
    assert (refused.status, refused.error) == ("FAILED", "States.ItemReaderFailed")
    assert f"https://{items_server}/i.jsonl" in str(refused.cause)
    plain = _second(owner, team, url_reader(f"http://{items_server}/i.jsonl"))
    plain = drive(plain.pk)
    assert "https:// URLs only" in str(plain.cause)


def test_an_allowed_host_feeds_the_map(
    owner: Any, team: Team, items_server: str, monkeypatch: Any
) -> None:
    monkeypatch.setenv("STATEYARD_HTTP_ALLOW_HOSTS", items_server)
    https_source._http.cache_clear()
    try:
        parent = drive(
            start(owner, team, reader_map(url_reader(f"http://{items_server}/i.jsonl")), {}).pk
        )
    finally:
        https_source._http.cache_clear()
    assert parent.status == "SUCCEEDED", parent.cause
    assert parent.output == [{"n": i} for i in range(5)]


@pytest.mark.parametrize(
    ("key", "body", "where"),
    [
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "line 1, column 102"),
        ("deep.jsonl", b'{"ok":1}\n{"ok":2}\n' + b"[" * 100_000 + b"]" * 100_000, "line 3"),
        ("deeper.json", b'[{"a":1},\n' + b"[" * 150 + b"]" * 150 + b"]", "line 2, column 101"),
    ],
)
def test_deeply_nested_items_fail_the_run_naming_the_depth_limit(
    owner: Any, team: Team, api_client_for: ApiClientFor, key: str, body: bytes, where: str
) -> None:
    client = api_client_for(owner)
    assert upload(client, key, body).status_code == 201
    reader = {
        "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket": "stateyard-uploads", "Key": key},
        "ReaderConfig": {"InputType": "JSONL" if key.endswith("l") else "JSON"},
    }
    parent = drive(start(owner, team, reader_map(reader), {}).pk)
    assert (parent.status, parent.error) == ("FAILED", "States.ItemReaderFailed")
    assert key in str(parent.cause) and where in str(parent.cause), parent.cause
    assert "deeper than 100 levels" in str(parent.cause)
    from designer.models import MapRun

    assert MapRun.objects.get(execution=parent).status == "FAILED"


def test_an_item_over_the_payload_quota_fails_the_run(
    owner: Any, team: Team, api_client_for: ApiClientFor
) -> None:
    big = json.dumps({"blob": "x" * 300_000}).encode()
    assert upload(api_client_for(owner), "big.jsonl", b'{"n":1}\n' + big + b"\n").status_code == 201
    reader = {
        "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket": "stateyard-uploads", "Key": "big.jsonl"},
        "ReaderConfig": {"InputType": "JSONL"},
    }
    parent = drive(start(owner, team, reader_map(reader), {}).pk)
    assert (parent.status, parent.error) == ("FAILED", "States.DataLimitExceeded")
    assert "item at index 1" in str(parent.cause) and "256 KiB" in str(parent.cause)
    from designer.models import Execution

    assert not Execution.objects.filter(map_run__execution=parent, map_index=1).exists()
