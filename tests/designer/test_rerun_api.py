"""Re-run from here: a new execution that starts at a state of a finished one."""

from __future__ import annotations

from typing import Any

import pytest

from designer.models import Execution, Workflow, WorkflowVersion
from designer.services.executions import express_run
from tests.designer.test_redrive_api import (
    ABC,
    BOOM,
    OK,
    client,
    describe,
    entered,
    history,
    make_world,
    run,
    started,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    return make_world()


def rerun(world: dict[str, Any], execution: Execution, who: str = "runner", **body: Any) -> Any:
    url = f"/api/executions/{execution.pk}/rerun/"
    return client(world, who).post(url, body, format="json")


def test_rerun_from_a_middle_state_with_edited_input_runs_only_from_there(
    world: dict[str, Any],
) -> None:
    source = started(world, "abc", {"n": 1}, {"A": OK, "B": BOOM, "C": OK})
    assert source.status == "FAILED"
    response = rerun(world, source, state="B", input={"edited": True})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["rerun_of"] == str(source.pk) and body["rerun_state"] == "B"
    assert body["input"] == {"edited": True} and body["status"] == "RUNNING"
    new = Execution.objects.get(pk=body["id"])
    Execution.objects.filter(pk=new.pk).update(mocks={"A": OK, "B": OK, "C": OK})
    new = run(new.pk)
    assert new.status == "SUCCEEDED", new.cause
    assert new.output == {"edited": True, "b": {"ok": True}, "c": {"ok": True}}
    events = history(world, new)
    assert events[0]["type"] == "ExecutionStarted"
    assert entered(events) == ["B", "C"]  # A does not run
    assert events[1]["stateEnteredEventDetails"]["input"] == '{"edited":true}'
    assert new.definition == ABC  # the definition is kept; the engine starts at B
    # the link, both ways
    info = describe(world, new).json()
    assert info["rerun_of"] == {"id": str(source.pk), "name": source.name, "status": "FAILED"}
    assert info["rerun_state"] == "B" and info["reruns"] == []
    origin = describe(world, source).json()
    assert origin["reruns"] == [
        {"id": str(new.pk), "name": new.name, "status": "SUCCEEDED", "state": "B"}
    ]
    assert origin["rerun_of"] is None and origin["rerun_state"] is None
    # the source is untouched
    assert Execution.objects.get(pk=source.pk).status == "FAILED"


def test_rerun_without_input_takes_what_the_state_received(world: dict[str, Any]) -> None:
    source = started(world, "abc", {"n": 2}, {"A": OK, "B": OK, "C": OK})
    assert source.status == "SUCCEEDED"
    response = rerun(world, source, state="C")
    assert response.status_code == 201, response.json()
    received = {"n": 2, "a": {"ok": True}, "b": {"ok": True}}
    assert response.json()["input"] == received
    new = run(response.json()["id"])
    assert new.status == "SUCCEEDED" and entered(history(world, new)) == ["C"]
    # an explicit null is an input too
    assert rerun(world, source, state="C", input=None).json()["input"] is None


def test_rerun_against_the_version_or_the_draft(world: dict[str, Any]) -> None:
    workflow: Workflow = world["abc"]
    version = WorkflowVersion.objects.create(workflow=workflow, number=1, definition=ABC)
    api = client(world, "runner")
    url = f"/api/workflows/{workflow.pk}/executions/"
    body = api.post(url, {"version": 1, "mocks": {"A": OK, "B": OK, "C": OK}}, format="json").json()
    source = run(body["id"])
    assert source.version_id == version.pk
    # the draft moves on: B is renamed
    draft = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Next": "B2"},
            "B2": {"Type": "Pass", "Result": "draft", "End": True},
        },
    }
    Workflow.objects.filter(pk=workflow.pk).update(definition=draft)
    same = rerun(world, source, state="B")
    assert same.status_code == 201 and same.json()["version"] == 1
    assert Execution.objects.get(pk=same.json()["id"]).definition == ABC
    gone = rerun(world, source, state="B", target="draft")
    assert gone.status_code == 400
    assert gone.json()["message"] == "The draft's definition has no state B."
    fresh = rerun(world, source, state="B2", target="draft", input={"x": 1})
    assert fresh.status_code == 201 and fresh.json()["version"] is None
    new = run(fresh.json()["id"])
    assert new.status == "SUCCEEDED" and new.output == "draft" and new.definition == draft
    # a state the source never entered needs an input
    never = rerun(world, source, state="B2", target="draft")
    assert never.status_code == 400
    assert (
        never.json()["message"] == "The state B2 was not entered in this execution: give an input."
    )


def test_rerun_inside_a_map_names_the_enclosing_state(world: dict[str, Any]) -> None:
    source = started(world, "map", [{"flaky": False}], {})
    assert source.status == "SUCCEEDED"
    refused = rerun(world, source, state="Fine")
    assert refused.status_code == 400
    assert refused.json()["details"] == {"state": "Fine", "enclosing_state": "M"}
    assert "re-run from M" in refused.json()["message"]
    response = rerun(world, source, state="M")
    assert response.status_code == 201
    assert run(response.json()["id"]).output == ["fine"]


def test_rerun_refusals_and_roles(world: dict[str, Any]) -> None:
    source = started(world, "abc", {}, {"A": OK, "B": BOOM, "C": OK})
    assert rerun(world, source, "viewer", state="B").status_code == 403
    hidden = rerun(world, source, "outsider", state="B")
    assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
    assert rerun(world, source, state="B", target="elsewhere").status_code == 400
    assert rerun(world, source, state="Nope").status_code == 400
    assert rerun(world, source).status_code == 400  # no state
    running = rerun(world, source, state="A", input={})
    assert running.status_code == 201
    busy = Execution.objects.get(pk=running.json()["id"])
    assert busy.status == "RUNNING"
    refused = rerun(world, busy, state="A")
    assert refused.status_code == 409
    taken = rerun(world, source, state="A", input={}, name=busy.name)
    assert taken.status_code == 409
    assert Execution.objects.filter(rerun_of=source).count() == 1


def test_rerun_of_an_express_execution_starts_at_the_state(world: dict[str, Any]) -> None:
    api = client(world, "runner")
    url = f"/api/workflows/{world['express'].pk}/executions/sync/"
    mocks = {"A": OK, "B": OK, "C": OK}
    body = api.post(url, {"input": {"n": 3}, "mocks": mocks}, format="json").json()
    source = Execution.objects.get(pk=body["execution"]["id"])
    assert source.status == "SUCCEEDED"
    response = rerun(world, source, state="C", input={"from": "here"})
    assert response.status_code == 201, response.json()
    new = express_run(response.json()["id"])
    assert new.status == "SUCCEEDED" and new.output == {"from": "here", "c": {"ok": True}}
    assert entered(history(world, new)) == ["C"]
    assert new.type == "EXPRESS" and new.rerun_of_id == source.pk
