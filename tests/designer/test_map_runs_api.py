"""The Map Runs API: describe (counts, progress), children by cursor and status, stop,
redrive; who may see and do what (viewer < runner; other teams get 404)."""

from __future__ import annotations

from typing import Any

import pytest

from designer.models import Execution, MapRun, Team
from tests.designer.conftest import ApiClientFor
from tests.designer.map_run_definitions import distributed
from tests.designer.test_map_runs import FAIL_ODD, drive, start

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def failed_run(owner: Any, team: Team) -> MapRun:
    items = [{"x": i} for i in range(8)]
    parent = drive(
        start(owner, team, distributed(FAIL_ODD, ToleratedFailureCount=0), {"items": items}).pk
    )
    assert parent.status == "FAILED"
    return MapRun.objects.get(execution=parent)


def test_describe_gives_counts_and_progress(
    failed_run: MapRun, viewer: Any, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(viewer)
    body = client.get(f"/api/map-runs/{failed_run.pk}/").json()
    assert body["status"] == "FAILED" and body["map_run_arn"] == failed_run.arn
    assert body["error"] == "States.ExceedToleratedFailureThreshold"
    counts = body["execution_counts"]
    assert (
        counts["failed"] == 1
        and counts["failed"]
        + counts["succeeded"]
        + counts["aborted"]
        + counts["running"]
        + counts["pending"]
        == counts["total"]
        == 8
    )
    assert body["progress"]["items_per_second"] > 0 and body["progress"]["seconds_left"] is None
    listed = client.get(f"/api/executions/{failed_run.execution_id}/map-runs/").json()
    assert [r["id"] for r in listed["results"]] == [str(failed_run.pk)]


def test_children_page_by_cursor_and_filter_by_status(
    owner: Any, team: Team, viewer: Any, api_client_for: ApiClientFor
) -> None:
    parent = drive(
        start(
            owner,
            team,
            distributed(FAIL_ODD, ToleratedFailureCount=1),
            {"items": [{"x": i} for i in range(7)]},
        ).pk
    )
    run = MapRun.objects.get(execution=parent)
    client = api_client_for(viewer)
    first = client.get(f"/api/map-runs/{run.pk}/children/?limit=3").json()
    assert [c["index"] for c in first["results"]] == [0, 1, 2] and first["next_cursor"] == 2
    rest = client.get(f"/api/map-runs/{run.pk}/children/?limit=10&cursor=2").json()
    assert [c["index"] for c in rest["results"]] == [3, 4, 5, 6] and rest["next_cursor"] is None
    failed = client.get(f"/api/map-runs/{run.pk}/children/?status=FAILED").json()["results"]
    assert [(c["index"], c["error"], c["cause"]) for c in failed] == [(3, "Odd", "three is odd")]
    bad = client.get(f"/api/map-runs/{run.pk}/children/?status=NOPE")
    assert bad.status_code == 400 and "status must be one of" in bad.json()["message"]


def test_other_teams_see_nothing(
    failed_run: MapRun, outsider: Any, other_team: Team, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(outsider)
    for url in (
        f"/api/map-runs/{failed_run.pk}/",
        f"/api/map-runs/{failed_run.pk}/children/",
        f"/api/executions/{failed_run.execution_id}/map-runs/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/api/map-runs/{failed_run.pk}/redrive/").status_code == 404
    assert client.post(f"/api/map-runs/{failed_run.pk}/stop/").status_code == 404
    assert api_client_for(None).get(f"/api/map-runs/{failed_run.pk}/").status_code in (401, 403)


def test_redrive_needs_a_runner_and_redrives_the_parent(
    failed_run: MapRun, viewer: Any, runner: Any, api_client_for: ApiClientFor
) -> None:
    assert api_client_for(viewer).post(f"/api/map-runs/{failed_run.pk}/redrive/").status_code == 403
    response = api_client_for(runner).post(f"/api/map-runs/{failed_run.pk}/redrive/")
    assert response.status_code == 202, response.json()
    assert response.json()["status"] == "RUNNING" and response.json()["redrive_count"] == 1
    assert Execution.objects.get(pk=failed_run.execution_id).status == "RUNNING"


def test_stop_needs_a_runner_and_stops_the_parent(
    owner: Any, team: Team, viewer: Any, runner: Any, api_client_for: ApiClientFor
) -> None:
    nap = {"Nap": {"Type": "Wait", "Seconds": 3600, "End": True}}
    execution = start(owner, team, distributed(nap), {"items": [1, 2]})
    drive(execution.pk, rounds=2)
    run = MapRun.objects.get(execution_id=execution.pk)
    assert api_client_for(viewer).post(f"/api/map-runs/{run.pk}/stop/").status_code == 403
    assert api_client_for(runner).post(f"/api/map-runs/{run.pk}/stop/").status_code == 202
    parent = drive(execution.pk, rounds=2)
    assert (parent.status, parent.error) == ("ABORTED", "States.Aborted")


def test_executions_lists_leave_the_children_to_their_map_run(
    failed_run: MapRun, viewer: Any, api_client_for: ApiClientFor
) -> None:
    client = api_client_for(viewer)
    parent = Execution.objects.get(pk=failed_run.execution_id)
    for url in (
        f"/api/workflows/{parent.workflow_id}/executions/",
        "/api/executions/",
        "/api/teams/acme/executions/",
    ):
        listed = client.get(url)
        assert listed.status_code == 200, (url, listed.content)
        assert [e["id"] for e in listed.json()["results"]] == [str(parent.pk)], url
    assert Execution.objects.filter(map_run=failed_run).count() == 8


def test_express_items_held_by_chunks_count_as_running(
    owner: Any, team: Team, viewer: Any, api_client_for: ApiClientFor
) -> None:
    from designer.services.execution_runtime import execution_advance
    from designer.services.map_runs import map_run_work

    definition = distributed({"Echo": {"Type": "Pass", "End": True}}, MaxConcurrency=25)
    definition["States"]["Fan"]["ItemProcessor"]["ProcessorConfig"]["ExecutionType"] = "EXPRESS"
    execution = start(owner, team, definition, {"items": list(range(60))})
    execution_advance(execution.pk)
    run = MapRun.objects.get(execution_id=execution.pk)
    map_run_work(run.pk)  # reads the items and hands out one chunk (MaxConcurrency 25)
    counts = api_client_for(viewer).get(f"/api/map-runs/{run.pk}/").json()["execution_counts"]
    assert (counts["running"], counts["pending"], counts["total"]) == (25, 35, 60)


def test_children_filter_by_pending_lists_the_items_not_started(
    owner: Any, team: Team, viewer: Any, api_client_for: ApiClientFor
) -> None:
    from designer.services.execution_runtime import execution_advance
    from designer.services.map_runs import map_run_work
    from tests.designer.test_map_runs import DOUBLE

    items = [{"x": i} for i in range(6)]
    parent = start(owner, team, distributed(DOUBLE, MaxConcurrency=2), {"items": items})
    execution_advance(parent.pk)
    run = MapRun.objects.get(execution=parent)
    map_run_work(run.pk)  # reads the six items, starts two
    client = api_client_for(viewer)
    pending = client.get(f"/api/map-runs/{run.pk}/children/?status=PENDING&limit=3")
    assert pending.status_code == 200, pending.json()
    body = pending.json()
    assert [(c["index"], c["status"]) for c in body["results"]] == [
        (2, "PENDING"),
        (3, "PENDING"),
        (4, "PENDING"),
    ]
    assert body["next_cursor"] == 4
    rest = client.get(f"/api/map-runs/{run.pk}/children/?status=PENDING&cursor=4").json()
    assert [c["index"] for c in rest["results"]] == [5] and rest["next_cursor"] is None
    counts = client.get(f"/api/map-runs/{run.pk}/").json()["execution_counts"]
    assert counts["pending"] == 4


def test_progress_after_a_redrive_counts_only_the_current_attempt(
    failed_run: MapRun, viewer: Any, api_client_for: ApiClientFor
) -> None:
    from datetime import UTC, datetime

    MapRun.objects.filter(pk=failed_run.pk).update(
        status="RUNNING", stop_date=None, redrive_date=datetime.now(tz=UTC), redrive_count=1
    )
    progress = api_client_for(viewer).get(f"/api/map-runs/{failed_run.pk}/").json()["progress"]
    assert progress["items_per_second"] == 0  # nothing ended since the redrive
    assert progress["seconds_left"] is None


def test_a_child_links_back_to_its_map_run_and_express_children_are_not_redrivable(
    owner: Any, team: Team, viewer: Any, api_client_for: ApiClientFor
) -> None:
    definition = distributed(FAIL_ODD, ToleratedFailureCount=5)
    definition["States"]["Fan"]["ItemProcessor"]["ProcessorConfig"]["ExecutionType"] = "EXPRESS"
    parent = drive(start(owner, team, definition, {"items": [{"x": 1}, {"x": 3}]}).pk)
    run = MapRun.objects.get(execution=parent)
    client = api_client_for(viewer)
    for index in (0, 1):
        child = Execution.objects.get(map_run=run, map_index=index)
        body = client.get(f"/api/executions/{child.pk}/").json()
        assert body["map_run"] == {
            "id": str(run.pk),
            "label": run.label,
            "status": "SUCCEEDED",
            "index": index,
            "definition": run.spec["processor"],
        }
        assert set(body["map_run"]["definition"]["States"]) == {"Check", "Boom", "Ok"}
        assert body["redrive_status"] == "NOT_REDRIVABLE"
    assert client.get(f"/api/executions/{parent.pk}/").json()["map_run"] is None


def test_no_time_left_while_items_are_still_read(
    failed_run: MapRun, viewer: Any, api_client_for: ApiClientFor
) -> None:
    MapRun.objects.filter(pk=failed_run.pk).update(
        status="RUNNING", stop_date=None, reading_done=False
    )
    progress = api_client_for(viewer).get(f"/api/map-runs/{failed_run.pk}/").json()["progress"]
    assert progress["reading_done"] is False and progress["seconds_left"] is None


def test_stop_from_the_map_run_takes_an_error_and_cause(
    owner: Any, team: Team, runner: Any, api_client_for: ApiClientFor
) -> None:
    nap = {"Nap": {"Type": "Wait", "Seconds": 3600, "End": True}}
    execution = start(owner, team, distributed(nap), {"items": [1, 2]})
    drive(execution.pk, rounds=2)
    run = MapRun.objects.get(execution_id=execution.pk)
    body = {"error": "Cancelled", "cause": "enough"}
    response = api_client_for(runner).post(f"/api/map-runs/{run.pk}/stop/", body, format="json")
    assert response.status_code == 202
    parent = drive(execution.pk, rounds=2)
    assert (parent.status, parent.error, parent.cause) == ("ABORTED", "Cancelled", "enough")
