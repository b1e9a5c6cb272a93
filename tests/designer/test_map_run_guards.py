"""Distributed Map defects a new user found: S3 connections whose region or endpoint
cannot work (or reach the machines next to the server) are refused when saved and
again when used, and a reader that fails in an unexpected way ends its Map Run
instead of leaving it RUNNING for ever."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import InvalidRegionError

from designer.models import Connection, MapRun, Team
from designer.services import item_files, map_run_readers, map_runs
from designer.services.connections import connection_create
from designer.services.execution_runtime import execution_advance
from tests.designer.conftest import ApiClientFor
from tests.designer.test_map_run_sources import upload
from tests.designer.test_map_run_storage import get_object, reader_map
from tests.designer.test_map_runs import drive, start

pytestmark = [pytest.mark.django_db]

S3 = {"region": "us-east-1", "access_key_id": "AKIA", "secret_access_key": "x"}


@pytest.fixture(autouse=True)
def _files_dir(settings: Any, tmp_path: Path) -> None:
    settings.STATEYARD_ITEM_FILES_DIR = str(tmp_path / "item-files")


def create(client: Any, **auth: str) -> Any:
    body = {"name": "storage", "auth_type": "S3", "auth": {**S3, **auth}}
    return client.post("/api/teams/acme/connections/", body, format="json")


@pytest.mark.parametrize(
    ("auth", "words"),
    [
        ({"region": "../../etc"}, "auth.region must be a region name"),
        ({"region": "us east 1"}, "auth.region must be a region name"),
        ({"endpoint_url": "ftp://s3.example.com"}, "auth.endpoint_url must be an http(s) URL"),
        ({"endpoint_url": "http://u:p@s3.example.com"}, "no user, query or fragment"),
        ({"endpoint_url": "http://169.254.169.254"}, "the cloud metadata address"),
        ({"endpoint_url": "http://127.0.0.1:8021/aws"}, "a loopback address"),
        ({"endpoint_url": "http://10.1.2.3:9000"}, "a private address"),
    ],
)
def test_an_s3_connection_that_cannot_work_is_refused_when_saved(
    owner: Any, team: Team, api_client_for: ApiClientFor, auth: dict[str, str], words: str
) -> None:
    response = create(api_client_for(owner), **auth)
    assert response.status_code == 400, response.json()
    assert words in response.json()["message"]
    assert not Connection.objects.filter(team=team).exists()


def test_an_allowed_local_endpoint_is_accepted(
    owner: Any, team: Team, api_client_for: ApiClientFor, monkeypatch: Any
) -> None:
    monkeypatch.setenv("STATEYARD_HTTP_ALLOW_HOSTS", "127.0.0.1:9000")
    client = api_client_for(owner)
    assert create(client, endpoint_url="http://127.0.0.1:9000").status_code == 201
    response = client.patch(
        f"/api/connections/{Connection.objects.get(team=team).id}/",
        {"auth": {**S3, "endpoint_url": "http://127.0.0.1:9001"}},
        format="json",
    )
    assert response.status_code == 400 and "a loopback address" in response.json()["message"]


def test_a_saved_endpoint_is_checked_again_before_connecting(
    owner: Any, team: Team, monkeypatch: Any
) -> None:
    monkeypatch.setenv("STATEYARD_HTTP_ALLOW_HOSTS", "127.0.0.1:9000")
    connection_create(
        actor=owner,
        team_slug=team.slug,
        name="storage",
        auth_type="S3",
        auth={**S3, "endpoint_url": "http://127.0.0.1:9000"},
    )
    monkeypatch.delenv("STATEYARD_HTTP_ALLOW_HOSTS")  # the administrator took it back
    parent = drive(start(owner, team, reader_map(get_object("b", "k.json")), {}).pk)
    assert (parent.status, parent.error) == ("FAILED", "States.ItemReaderFailed")
    assert "a loopback address" in str(parent.cause) and "'storage'" in str(parent.cause)


def test_a_bad_region_saved_before_the_check_fails_the_run(owner: Any, team: Team) -> None:
    connection = connection_create(
        actor=owner, team_slug=team.slug, name="storage", auth_type="S3", auth=S3
    )
    connection.parameters["auth"]["region"] = "../../etc"
    connection.save()
    parent = drive(start(owner, team, reader_map(get_object("b", "k.json")), {}).pk)
    assert (parent.status, parent.error) == ("FAILED", "States.ItemReaderFailed")
    assert "auth.region must be a region name" in str(parent.cause)
    assert MapRun.objects.get(execution=parent).status == "FAILED"


def uploaded_reader(client: Any) -> dict[str, Any]:
    assert upload(client, "in.jsonl", b'{"n":1}\n').status_code == 201
    return {
        "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket": "stateyard-uploads", "Key": "in.jsonl"},
        "ReaderConfig": {"InputType": "JSONL"},
    }


def test_a_botocore_or_io_error_while_reading_fails_the_run(
    owner: Any, team: Team, api_client_for: ApiClientFor, monkeypatch: Any
) -> None:
    reader = uploaded_reader(api_client_for(owner))

    def broken(self: Any, key: str, start: int = 0) -> Any:
        raise InvalidRegionError(region_name="../../etc")

    monkeypatch.setattr(item_files.Uploads, "open", broken)
    parent = drive(start(owner, team, reader_map(reader), {}).pk, rounds=5)
    assert (parent.status, parent.error) == ("FAILED", "States.ItemReaderFailed")
    assert "s3://stateyard-uploads/in.jsonl" in str(parent.cause)
    assert "InvalidRegionError" in str(parent.cause)


def test_an_internal_error_while_reading_ends_the_run_after_a_few_attempts(
    owner: Any, team: Team, api_client_for: ApiClientFor, monkeypatch: Any
) -> None:
    reader = uploaded_reader(api_client_for(owner))

    def bug(*args: Any) -> Any:
        raise KeyError("oops")

    monkeypatch.setattr(map_runs, "items_from", bug)
    parent = start(owner, team, reader_map(reader), {})
    execution_advance(parent.pk)
    run = MapRun.objects.get(execution=parent)
    for _ in range(map_runs.READ_ATTEMPTS):
        with pytest.raises(KeyError):
            map_runs.map_run_work(run.pk)
    map_runs.map_run_work(run.pk)  # the run is over: nothing more to do
    run.refresh_from_db()
    assert (run.status, run.error) == ("FAILED", "States.ItemReaderFailed")
    cause = str(run.cause)
    assert f"failed {map_runs.READ_ATTEMPTS} times" in cause and "KeyError" in cause
    parent = drive(parent.pk, rounds=3)
    assert (parent.status, parent.error) == ("FAILED", "States.ItemReaderFailed")


def test_upload_keys_that_collide_with_folders_or_files_get_clear_errors(
    owner: Any, team: Team, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(owner)
    assert upload(client, "a/b.json", b"[1]").status_code == 201
    assert upload(client, "up.json", b"[2]").status_code == 201
    folder = upload(client, "a", b"[3]")
    assert folder.status_code == 409 and "'a' is a folder" in folder.json()["message"]
    under = upload(client, "up.json/x", b"[4]")
    assert under.status_code == 409 and "'up.json' is an item file" in under.json()["message"]
    deleted = client.delete("/api/teams/acme/item-files/?key=a")
    assert deleted.status_code == 400 and "is a folder" in deleted.json()["message"]
    assert client.delete("/api/teams/acme/item-files/?key=a/b.json").status_code == 204
    assert upload(client, "a", b"[5]").status_code == 201  # the emptied folder is gone
    keys = [f["key"] for f in client.get("/api/teams/acme/item-files/").json()["results"]]
    assert keys == ["a", "up.json"]


@pytest.mark.parametrize("key", ["a//b.json", "a/./b.json", "a/.", "a/b.json/"])
def test_aliased_upload_keys_are_refused_everywhere(
    owner: Any, team: Team, api_client_for: ApiClientFor, key: str
) -> None:
    client = api_client_for(owner)
    assert upload(client, "a/b.json", b"[1]").status_code == 201
    refused = upload(client, key, b"[9]")
    assert refused.status_code == 400 and "no empty or '.' part" in refused.json()["message"]
    deleted = client.delete(f"/api/teams/acme/item-files/?key={key}")
    assert deleted.status_code == 400
    reader = {
        "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket": "stateyard-uploads", "Key": key},
    }
    parent = drive(start(owner, team, reader_map(reader), {}).pk)
    assert (parent.status, parent.error) == ("FAILED", "States.ItemReaderFailed")
    assert "no such uploaded file" in str(parent.cause)
    assert item_files.Uploads(team.pk).read_all("a/b.json") == b"[1]"


def test_a_blank_key_is_refused_and_a_replacement_is_announced(
    owner: Any, team: Team, api_client_for: ApiClientFor
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_client_for(owner)
    assert upload(client, "x", b"[1]").status_code == 201
    for blank in ("", "   "):
        data = {"key": blank, "file": SimpleUploadedFile("x", b"[2]")}
        response = client.post("/api/teams/acme/item-files/", data, format="multipart")
        assert response.status_code == 400 and "key is blank" in response.json()["message"]
    assert item_files.Uploads(team.pk).read_all("x") == b"[1]"
    nameless = {"file": SimpleUploadedFile("named.json", b"[3]")}
    response = client.post("/api/teams/acme/item-files/", nameless, format="multipart")
    assert response.status_code == 201 and response.json()["key"] == "named.json"
    replaced = upload(client, "x", b"[4]")
    assert replaced.status_code == 200 and replaced.json()["replaced"] is True


def test_a_listing_of_a_url_names_the_url(team: Team) -> None:
    """The validator refuses it (tests/engine); a run that gets one anyway names the URL."""
    reader = {
        "resource": "arn:aws:states:::s3:listObjectsV2",
        "parameters": {"Url": "https://example.com/items.json"},
    }
    with pytest.raises(map_run_readers.ReadFailed) as failed:
        list(map_run_readers.items_from(team.pk, {"reader": reader}, None))
    assert str(failed.value).startswith("The URL https://example.com/items.json cannot be listed")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"n": "lots"}, 'refers to value "lots" which is not a valid integer: $.n'),
        ({"n": -2}, "MaxItems must be at least 0."),
        ({}, "does not reference an input value: $.n"),
    ],
)
def test_max_items_path_names_what_is_wrong_with_the_value(
    owner: Any, team: Team, api_client_for: ApiClientFor, data: dict[str, Any], words: str
) -> None:
    reader = uploaded_reader(api_client_for(owner))
    reader["ReaderConfig"]["MaxItemsPath"] = "$.n"
    parent = drive(start(owner, team, reader_map(reader), data).pk)
    assert (parent.status, parent.error) == ("FAILED", "States.Runtime")
    assert words in str(parent.cause), parent.cause
