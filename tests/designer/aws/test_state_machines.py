"""State machines through boto3: create, describe, update, list, delete, validate, versions,
aliases; the studio and the AWS API see the same workflows; roles and teams are enforced."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from botocore.exceptions import ClientError
from rest_framework.test import APIClient

from designer.models import Team, Workflow
from tests.designer.aws.conftest import SfnFor

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

HELLO = {
    "Comment": "hello",
    "StartAt": "Greet",
    "States": {"Greet": {"Type": "Pass", "Result": {"hello": "world"}, "End": True}},
}
ROLE = "arn:aws:iam::123456789012:role/service-role/StatesRole"


def code_of(caught: pytest.ExceptionInfo[ClientError]) -> str:
    return str(caught.value.response["Error"]["Code"])


def create(sfn: Any, name: str = "hello", definition: Any = HELLO, **extra: Any) -> dict[str, Any]:
    return dict(
        sfn.create_state_machine(
            name=name, definition=json.dumps(definition), roleArn=ROLE, **extra
        )
    )


def test_create_describe_update_list_delete(sfn_for: SfnFor, editor: Any, team: Team) -> None:
    sfn = sfn_for(editor, team)
    made = create(sfn, tags=[{"key": "env", "value": "test"}])
    arn = made["stateMachineArn"]
    assert arn == f"arn:aws:states:us-east-1:{team.pk:012d}:stateMachine:hello"
    described = sfn.describe_state_machine(stateMachineArn=arn)
    assert json.loads(described["definition"]) == HELLO
    assert described["roleArn"] == ROLE and described["type"] == "STANDARD"
    assert described["status"] == "ACTIVE" and described["revisionId"] == "1"
    changed = {**HELLO, "Comment": "changed"}
    updated = sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(changed))
    assert updated["revisionId"] == "2"
    assert json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"]) == changed
    names = [m["name"] for m in sfn.list_state_machines()["stateMachines"]]
    assert names == ["hello"]
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "env", "value": "test"}]
    sfn.delete_state_machine(stateMachineArn=arn)
    assert not Workflow.objects.filter(team=team, name="hello").exists()
    sfn.delete_state_machine(stateMachineArn=arn)  # gone already: still succeeds, as on AWS
    with pytest.raises(ClientError) as caught:
        sfn.describe_state_machine(stateMachineArn=arn)
    assert code_of(caught) == "StateMachineDoesNotExist"


def test_list_pages_with_next_token(sfn_for: SfnFor, editor: Any, team: Team) -> None:
    sfn = sfn_for(editor, team)
    for index in range(5):
        create(sfn, name=f"m{index}")
    first = sfn.list_state_machines(maxResults=2)
    assert [m["name"] for m in first["stateMachines"]] == ["m0", "m1"]
    names = [
        m["name"]
        for page in sfn.get_paginator("list_state_machines").paginate(
            PaginationConfig={"PageSize": 2}
        )
        for m in page["stateMachines"]
    ]
    assert names == ["m0", "m1", "m2", "m3", "m4"]
    with pytest.raises(ClientError) as caught:
        sfn.list_state_machines(nextToken="bm90LWEtbnVtYmVy")
    assert code_of(caught) == "InvalidToken"


def test_invalid_definitions_name_each_problem(sfn_for: SfnFor, editor: Any, team: Team) -> None:
    sfn = sfn_for(editor, team)
    broken = {"StartAt": "Nowhere", "States": {"A": {"Type": "Pass", "Next": "B"}}}
    with pytest.raises(ClientError) as caught:
        create(sfn, definition=broken)
    assert code_of(caught) == "InvalidDefinition"
    message = caught.value.response["Error"]["Message"]
    assert message.startswith("Invalid State Machine Definition: ")
    assert "/States/A/Next" in message and "/StartAt" in message
    with pytest.raises(ClientError) as caught:
        sfn.create_state_machine(name="text", definition="{not json", roleArn=ROLE)
    assert code_of(caught) == "InvalidDefinition"
    result = sfn.validate_state_machine_definition(definition=json.dumps(broken))
    assert result["result"] == "FAIL"
    locations = {d["location"] for d in result["diagnostics"]}
    assert {"/StartAt", "/States/A/Next"} <= locations
    assert all(d["severity"] == "ERROR" and d["code"] for d in result["diagnostics"])
    assert sfn.validate_state_machine_definition(definition=json.dumps(HELLO))["result"] == "OK"


def test_names_and_duplicates(sfn_for: SfnFor, editor: Any, team: Team) -> None:
    sfn = sfn_for(editor, team)
    with pytest.raises(ClientError) as caught:
        create(sfn, name="has space")
    assert code_of(caught) == "InvalidName"
    first = create(sfn)
    assert create(sfn)["stateMachineArn"] == first["stateMachineArn"]  # identical: idempotent
    with pytest.raises(ClientError) as caught:
        create(sfn, definition={**HELLO, "Comment": "other"})
    assert code_of(caught) == "StateMachineAlreadyExists"
    with pytest.raises(ClientError) as caught:
        sfn.describe_state_machine(stateMachineArn="not-an-arn")
    assert code_of(caught) == "InvalidArn"


def test_versions_and_aliases(sfn_for: SfnFor, editor: Any, team: Team) -> None:
    sfn = sfn_for(editor, team)
    made = create(sfn, publish=True, versionDescription="first")
    arn, v1 = made["stateMachineArn"], made["stateMachineVersionArn"]
    assert v1 == arn + ":1"
    assert sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"] == v1
    sfn.update_state_machine(
        stateMachineArn=arn, definition=json.dumps({**HELLO, "Comment": "two"}), publish=True
    )
    versions = [
        v["stateMachineVersionArn"]
        for v in sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]
    ]
    assert versions == [arn + ":2", v1]
    described = sfn.describe_state_machine(stateMachineArn=v1)
    assert json.loads(described["definition"]) == HELLO and described["description"] == "first"
    alias = sfn.create_state_machine_alias(
        name="live",
        routingConfiguration=[
            {"stateMachineVersionArn": v1, "weight": 90},
            {"stateMachineVersionArn": arn + ":2", "weight": 10},
        ],
    )["stateMachineAliasArn"]
    assert alias == arn + ":live"
    shown = sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert [r["weight"] for r in shown["routingConfiguration"]] == [90, 10]
    sfn.update_state_machine_alias(
        stateMachineAliasArn=alias,
        routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 100}],
    )
    listed = sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"]
    assert [a["stateMachineAliasArn"] for a in listed] == [alias]
    with pytest.raises(ClientError) as caught:
        sfn.delete_state_machine_version(stateMachineVersionArn=v1)  # the alias routes to it
    assert code_of(caught) == "ConflictException"
    sfn.delete_state_machine_version(stateMachineVersionArn=arn + ":2")
    sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
    with pytest.raises(ClientError) as caught:
        sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert code_of(caught) == "ResourceNotFound"
    sfn.delete_state_machine_version(stateMachineVersionArn=v1)
    assert sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"] == []


def test_the_studio_and_the_aws_api_share_workflows(
    sfn_for: SfnFor, editor: Any, team: Team
) -> None:
    sfn = sfn_for(editor, team)
    create(sfn, name="from-aws")
    studio = APIClient()
    studio.force_login(editor)
    listed = studio.get("/api/teams/acme/workflows/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert "from-aws" in [w["name"] for w in rows]
    made = studio.post(
        "/api/teams/acme/workflows/", {"name": "from-studio", "definition": HELLO}, format="json"
    )
    assert made.status_code == 201, made.json()
    names = [m["name"] for m in sfn.list_state_machines()["stateMachines"]]
    assert names == ["from-aws", "from-studio"]
    arn = f"arn:aws:states:us-east-1:{team.pk:012d}:stateMachine:from-studio"
    assert json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"]) == HELLO


def test_roles_decide_what_a_key_may_do(
    sfn_for: SfnFor, editor: Any, viewer: Any, team: Team
) -> None:
    arn = create(sfn_for(editor, team))["stateMachineArn"]
    as_viewer = sfn_for(viewer, team)
    assert as_viewer.describe_state_machine(stateMachineArn=arn)["name"] == "hello"
    with pytest.raises(ClientError) as caught:
        create(as_viewer, name="mine")
    assert code_of(caught) == "AccessDeniedException"
    with pytest.raises(ClientError) as caught:
        as_viewer.delete_state_machine(stateMachineArn=arn)
    assert code_of(caught) == "AccessDeniedException"
    with pytest.raises(ClientError) as caught:
        as_viewer.start_execution(stateMachineArn=arn)
    assert code_of(caught) == "AccessDeniedException"


def test_another_teams_key_sees_and_touches_nothing(
    sfn_for: SfnFor, editor: Any, team: Team, outsider: Any, other_team: Team
) -> None:
    arn = create(sfn_for(editor, team))["stateMachineArn"]
    theirs = sfn_for(outsider, other_team)
    assert theirs.list_state_machines()["stateMachines"] == []
    for call in (
        lambda: theirs.describe_state_machine(stateMachineArn=arn),
        lambda: theirs.start_execution(stateMachineArn=arn),
        lambda: theirs.update_state_machine(stateMachineArn=arn, roleArn=ROLE),
        lambda: theirs.list_executions(stateMachineArn=arn),
    ):
        with pytest.raises(ClientError) as caught:
            call()
        assert code_of(caught) == "StateMachineDoesNotExist"
    theirs.delete_state_machine(stateMachineArn=arn)  # names nothing of theirs: a no-op
    assert Workflow.objects.filter(team=team, name="hello").exists()


def _started_role(sfn: Any, arn: str) -> str:
    run = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    deadline = time.monotonic() + 30
    events: list[Any] = []
    while not events and time.monotonic() < deadline:
        events = sfn.get_execution_history(executionArn=run, maxResults=1)["events"]
        time.sleep(0.2)
    assert events and events[0]["type"] == "ExecutionStarted"
    return str(events[0]["executionStartedEventDetails"]["roleArn"])


def test_execution_started_names_the_machines_role(
    sfn_for: SfnFor, editor: Any, team: Team
) -> None:
    """ExecutionStarted's roleArn was always arn:aws:iam::000000000000:role/stateyard."""
    sfn = sfn_for(editor, team)
    arn = sfn.create_state_machine(name="roled", definition=json.dumps(HELLO), roleArn=ROLE)[
        "stateMachineArn"
    ]
    assert (
        _started_role(sfn, arn)
        == ROLE
        == sfn.describe_state_machine(stateMachineArn=arn)["roleArn"]
    )
    studio = Workflow.objects.create(team=team, name="studio-made", definition=HELLO)
    default = f"arn:aws:iam::{team.pk:012d}:role/stateyard"
    other = f"arn:aws:states:us-east-1:{team.pk:012d}:stateMachine:{studio.name}"
    assert sfn.describe_state_machine(stateMachineArn=other)["roleArn"] == default
    assert _started_role(sfn, other) == default


def test_a_role_arn_must_be_an_iam_role_arn(sfn_for: SfnFor, editor: Any, team: Team) -> None:
    sfn = sfn_for(editor, team)
    for role in ("notanarn", "arn:aws:s3:::bucket", "arn:aws:iam::123:role/x"):
        with pytest.raises(ClientError) as caught:
            sfn.create_state_machine(name="badrole", definition=json.dumps(HELLO), roleArn=role)
        assert code_of(caught) == "InvalidArn", role
    arn = sfn.create_state_machine(name="goodrole", definition=json.dumps(HELLO), roleArn=ROLE)[
        "stateMachineArn"
    ]
    with pytest.raises(ClientError) as caught:
        sfn.update_state_machine(stateMachineArn=arn, roleArn="notanarn")
    assert code_of(caught) == "InvalidArn"
    assert sfn.describe_state_machine(stateMachineArn=arn)["roleArn"] == ROLE


def test_another_region_or_partition_names_another_machine(
    sfn_for: SfnFor, editor: Any, team: Team
) -> None:
    """As on AWS, a machine in eu-west-1 (or in aws-cn) is not the us-east-1 one."""
    sfn = sfn_for(editor, team)
    arn = sfn.create_state_machine(name="here", definition=json.dumps(HELLO), roleArn=ROLE)[
        "stateMachineArn"
    ]
    assert sfn.describe_state_machine(stateMachineArn=arn)["name"] == "here"
    elsewhere = [
        arn.replace(":us-east-1:", ":eu-west-1:"),
        arn.replace("arn:aws:", "arn:aws-cn:"),
    ]
    for other in elsewhere:
        with pytest.raises(ClientError) as caught:
            sfn.describe_state_machine(stateMachineArn=other)
        assert code_of(caught) == "StateMachineDoesNotExist", other
        with pytest.raises(ClientError) as caught:
            sfn.start_execution(stateMachineArn=other)
        assert code_of(caught) == "StateMachineDoesNotExist", other


def test_a_viewer_cannot_publish_even_an_unchanged_draft(
    sfn_for: SfnFor, editor: Any, viewer: Any, team: Team
) -> None:
    """The no-change shortcut answered a viewer 200 before the role was checked."""
    arn = create(sfn_for(editor, team))["stateMachineArn"]
    as_editor, as_viewer = sfn_for(editor, team), sfn_for(viewer, team)
    version = as_editor.publish_state_machine_version(stateMachineArn=arn)
    with pytest.raises(ClientError) as caught:
        as_viewer.publish_state_machine_version(stateMachineArn=arn)
    assert code_of(caught) == "AccessDeniedException"
    routes = [{"stateMachineVersionArn": version["stateMachineVersionArn"], "weight": 100}]
    as_editor.create_state_machine_alias(name="live", routingConfiguration=routes)
    with pytest.raises(ClientError) as caught:  # the same alias again: AWS's shortcut too
        as_viewer.create_state_machine_alias(name="live", routingConfiguration=routes)
    assert code_of(caught) == "AccessDeniedException"


def test_an_alias_to_a_missing_version_is_resource_not_found(
    sfn_for: SfnFor, editor: Any, team: Team
) -> None:
    sfn = sfn_for(editor, team)
    arn = create(sfn)["stateMachineArn"]
    v1 = sfn.publish_state_machine_version(stateMachineArn=arn)["stateMachineVersionArn"]
    missing = [{"stateMachineVersionArn": arn + ":7", "weight": 100}]
    with pytest.raises(ClientError) as caught:
        sfn.create_state_machine_alias(name="nowhere", routingConfiguration=missing)
    assert code_of(caught) == "ResourceNotFound"
    assert arn + ":7" in caught.value.response["Error"]["Message"]
    routes = [{"stateMachineVersionArn": v1, "weight": 100}]
    alias = sfn.create_state_machine_alias(name="live", routingConfiguration=routes)
    with pytest.raises(ClientError) as caught:
        sfn.update_state_machine_alias(
            stateMachineAliasArn=alias["stateMachineAliasArn"], routingConfiguration=missing
        )
    assert code_of(caught) == "ResourceNotFound"
