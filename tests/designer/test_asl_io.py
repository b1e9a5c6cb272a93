"""Import (ASL JSON/YAML, CloudFormation, SAM) and export (JSON, YAML, DOT, SVG, PNG)."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml

from designer import graphviz
from designer.errors import ValidationFailed
from designer.models import AuditEntry, Team, Workflow
from designer.services.asl_io import definition_from_text
from engine.validation import load_definition

ASL = {
    "Comment": "Order matters: Comment first, then StartAt, then States.",
    "StartAt": "Wait",
    "States": {
        "Wait": {"Type": "Wait", "Seconds": 1, "Next": "Say"},
        "Say": {"Type": "Pass", "Result": {"zeta": 1, "alpha": "é"}, "End": True},
    },
}

ASL_YAML = """\
Comment: from YAML
StartAt: Hello
States:
  Hello:
    Type: Pass
    Result: "2024-01-01T00:00:00Z"
    End: true
"""

CFN_JSON = json.dumps(
    {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Role": {"Type": "AWS::IAM::Role"},
            "Machine": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {
                    "StateMachineName": "from-cfn",
                    "StateMachineType": "EXPRESS",
                    "DefinitionString": {
                        "Fn::Join": [
                            "",
                            [
                                '{"StartAt": "Call", "States": {"Call": {"Type": "Task", ',
                                '"Resource": "',
                                {"Fn::GetAtt": ["Worker", "Arn"]},
                                '", "End": true}}}',
                            ],
                        ]
                    },
                },
            },
        },
    }
)

SAM_YAML = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: sam-flow
      DefinitionSubstitutions:
        WorkerArn: !GetAtt Worker.Arn
      Definition:
        StartAt: Call
        States:
          Call:
            Type: Task
            Resource: !Sub "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:w"
            Next: Done
          Done:
            Type: Pass
            Parameters:
              arn: ${WorkerArn}
              ref: !Ref Worker
            End: true
"""

CFN_YAML_SUB = """\
Resources:
  First:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Sub |
        {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "${FnArn}", "End": true}}}
  Second:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      Definition: {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}
"""

PARALLEL_AND_MAP: Any = {  # Any: the JSON-as-text model field is typed as text
    "StartAt": "Fan",
    "States": {
        "Fan": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "End": True}}},
                {"StartAt": "Right", "States": {"Right": {"Type": "Pass", "End": True}}},
            ],
            "Next": "Each",
        },
        "Each": {
            "Type": "Map",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Item",
                "States": {"Item": {"Type": "Pass", "End": True}},
            },
            "Next": "Decide",
        },
        "Decide": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Good"}],
            "Default": "Bad",
        },
        "Good": {"Type": "Succeed"},
        "Bad": {"Type": "Fail", "Error": "Bad"},
    },
}


# --- reading text -----------------------------------------------------------------------------


def test_asl_json_keeps_key_order() -> None:
    found = definition_from_text(json.dumps(ASL))
    assert found.source == "asl"
    assert list(found.definition) == ["Comment", "StartAt", "States"]
    assert list(found.definition["States"]["Say"]["Result"]) == ["zeta", "alpha"]


def test_asl_yaml_keeps_timestamps_as_text() -> None:
    found = definition_from_text(ASL_YAML)
    assert found.definition["States"]["Hello"]["Result"] == "2024-01-01T00:00:00Z"


def test_cloudformation_json_with_fn_join_lists_the_placeholder() -> None:
    found = definition_from_text(CFN_JSON)
    assert (found.source, found.logical_id, found.name, found.type) == (
        "cloudformation",
        "Machine",
        "from-cfn",
        "EXPRESS",
    )
    assert found.definition["States"]["Call"]["Resource"] == "${Worker.Arn}"
    assert found.placeholders == ["Worker.Arn"]


def test_sam_yaml_with_short_tags() -> None:
    found = definition_from_text(SAM_YAML)
    assert (found.logical_id, found.name) == ("Flow", "sam-flow")
    states = found.definition["States"]
    assert states["Call"]["Resource"] == (
        "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:w"
    )
    assert states["Done"]["Parameters"] == {"arn": "${WorkerArn}", "ref": "${Worker}"}
    assert found.placeholders == ["AWS::AccountId", "AWS::Region", "Worker", "WorkerArn"]
    assert any("DefinitionSubstitutions" in note for note in found.notes)


def test_several_state_machines_need_a_logical_id() -> None:
    with pytest.raises(ValidationFailed) as caught:
        definition_from_text(CFN_YAML_SUB)
    assert caught.value.details == {"state_machines": ["First", "Second"]}
    first = definition_from_text(CFN_YAML_SUB, "First")
    assert first.definition["States"]["A"]["Resource"] == "${FnArn}"
    assert first.placeholders == ["FnArn"]
    second = definition_from_text(CFN_YAML_SUB, "Second")
    assert second.definition["States"] == {"B": {"Type": "Succeed"}}
    with pytest.raises(ValidationFailed) as unknown:
        definition_from_text(CFN_YAML_SUB, "Third")
    assert unknown.value.details == {"state_machines": ["First", "Second"]}


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('{\n  "StartAt": "A",\n  "States": {,}\n}', 3, 14),
        ("StartAt: A\nStates:\n  A: [unclosed\n", 4, 1),
    ],
)
def test_bad_text_reports_line_and_column(text: str, line: int, column: int) -> None:
    with pytest.raises(ValidationFailed) as caught:
        definition_from_text(text)
    details = caught.value.details
    assert (details["line"], details["column"]) == (line, column)
    assert details["diagnostics"][0]["code"] == "SYNTAX_ERROR"


def test_not_an_object_and_definition_uri_are_refused() -> None:
    with pytest.raises(ValidationFailed):
        definition_from_text("[1, 2]")
    template = (
        "Resources:\n  M:\n    Type: AWS::Serverless::StateMachine\n"
        "    Properties:\n      DefinitionUri: flow.asl.json\n"
    )
    with pytest.raises(ValidationFailed, match="DefinitionUri"):
        definition_from_text(template)


# --- pictures ---------------------------------------------------------------------------------


def test_dot_draws_parallel_branches_and_map_as_nested_clusters() -> None:
    dot = graphviz.dot_of(PARALLEL_AND_MAP)
    assert dot.count("subgraph cluster_") == 5  # Parallel + 2 branches, Map + its processor
    lines = dot.splitlines()
    cluster_ids = {  # each cluster's attribute line comes right after its opening
        lines[i].strip(): lines[i + 1] for i in range(len(lines)) if "subgraph cluster_" in lines[i]
    }
    for opening, pointer in (
        ("subgraph cluster_1 {", "/States/Fan"),
        ("subgraph cluster_2 {", "/States/Fan/Branches/0"),
        ("subgraph cluster_3 {", "/States/Fan/Branches/1"),
        ("subgraph cluster_5 {", "/States/Each/ItemProcessor"),
    ):
        assert f'id="{pointer}" ' in cluster_ids[opening] + " "
    assert 'label="Fan (Parallel)"' in dot and 'label="Each (Map)"' in dot
    assert "shape=diamond" in dot and "shape=octagon" in dot  # Choice and Fail styled apart
    assert "lhead=cluster_" in dot and "ltail=cluster_" in dot


def test_dot_quotes_awkward_names() -> None:
    dot = graphviz.dot_of({"StartAt": 'a"b\\c', "States": {'a"b\\c': {"Type": "Succeed"}}}, 'x"y')
    assert 'digraph "x\\"y"' in dot
    assert 'label="a\\"b\\\\c\\nSucceed"' in dot


HOSTILE_NAMES = [
    'say "hi"',
    "braces {x} [y]; z",
    "two\nlines\r\nthree",
    "<script>alert(1)</script>",
    '"]; evil [label="pwned"]; x -> y; //',
    "back\\slash \\N \\G \\",
    "<b>bold</b>",
]


def test_dot_escapes_hostile_state_names() -> None:
    states: dict[str, Any] = {}
    for index, name in enumerate(HOSTILE_NAMES):
        last = index == len(HOSTILE_NAMES) - 1
        states[name] = {
            "Type": "Pass",
            **({"End": True} if last else {"Next": HOSTILE_NAMES[index + 1]}),
        }
    definition = {"StartAt": HOSTILE_NAMES[0], "States": states}
    picture = graphviz.digraph_of(definition, '</svg>"title')
    dot = picture.source
    assert "label=<" not in dot  # never an HTML-like label
    assert "pwned" not in dot.replace('\\"pwned\\"', "")  # only ever inside a string
    svg = graphviz.render(picture, "svg")
    root = ElementTree.fromstring(svg)  # well-formed: nothing broke out of the markup
    namespace = "{http://www.w3.org/2000/svg}"
    assert not list(root.iter(f"{namespace}script"))
    assert not list(root.iter(f"{namespace}b"))
    nodes = [g for g in root.iter(f"{namespace}g") if g.get("class") == "node"]
    assert len(nodes) == len(HOSTILE_NAMES) + 2  # the states, start and end; nothing injected
    edges = [g for g in root.iter(f"{namespace}g") if g.get("class") == "edge"]
    assert len(edges) == len(HOSTILE_NAMES) + 1
    texts = ["".join(t.itertext()) for t in root.iter(f"{namespace}text")]
    assert "<script>alert(1)</script>" in texts  # shown literally, as text
    assert 'say "hi"' in texts and "braces {x} [y]; z" in texts
    assert "two" in texts and "lines" in texts and "three" in texts  # a newline is a line break
    assert "back\\slash \\N \\G \\" in texts  # no \N or \G substitution
    assert '"]; evil [label="pwned"]; x -> y; //' in texts
    ids = {g.get("id") for g in nodes}
    one_line = [name for name in HOSTILE_NAMES if "\n" not in name]
    pointers = {"/States/" + name.replace("~", "~0").replace("/", "~1") for name in one_line}
    assert pointers <= ids  # the JSON Pointer, exactly
    assert "/States/two\\nlines\\nthree" in ids  # an SVG id holds no line break: DOT's \n


def test_svg_is_drawn_by_graphviz() -> None:
    assert shutil.which("dot"), "install Graphviz: apt-get install graphviz"
    svg = graphviz.render(graphviz.dot_of(PARALLEL_AND_MAP), "svg")
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    assert b'id="/States/Fan/Branches/1"' in svg


def test_missing_graphviz_is_a_503_telling_how_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` anywhere on PATH
    with pytest.raises(graphviz.GraphvizUnavailable, match="apt-get install graphviz") as caught:
        graphviz.render("digraph {}", "svg")
    assert caught.value.status == 503


def test_graphviz_timeout_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: Any, **kwargs: Any) -> Any:
        raise subprocess.TimeoutExpired("dot", 0.1)

    monkeypatch.setattr("graphviz.backend.execute.subprocess.run", slow)
    with pytest.raises(graphviz.GraphvizUnavailable, match="did not finish"):
        graphviz.render("digraph {}", "png")


# --- the API ----------------------------------------------------------------------------------


def _import(client: Any, **body: Any) -> Any:
    return client.post("/api/teams/acme/workflows/import/", body, format="json")


@pytest.mark.django_db
def test_import_endpoint_variants(api_client_for: Any, editor: Any, team: Team) -> None:
    client = api_client_for(editor)
    plain = _import(client, text=json.dumps(ASL), name="plain")
    assert plain.status_code == 201, plain.json()
    assert list(plain.json()["definition"]) == ["Comment", "StartAt", "States"]
    assert plain.json()["imported"]["source"] == "asl"

    from_yaml = _import(client, text=ASL_YAML, name="yaml-one")
    assert from_yaml.status_code == 201

    cfn = _import(client, text=CFN_JSON)
    assert cfn.status_code == 201, cfn.json()
    assert (cfn.json()["name"], cfn.json()["type"]) == ("from-cfn", "EXPRESS")
    assert cfn.json()["imported"]["placeholders"] == ["Worker.Arn"]

    sam = _import(client, text=SAM_YAML)
    assert sam.status_code == 201, sam.json()
    assert sam.json()["name"] == "sam-flow"
    assert sam.json()["imported"]["logical_id"] == "Flow"

    several = _import(client, text=CFN_YAML_SUB)
    assert several.status_code == 400
    assert several.json()["details"] == {"state_machines": ["First", "Second"]}
    chosen = _import(client, text=CFN_YAML_SUB, logical_id="First", name="first")
    assert chosen.status_code == 201

    bad = _import(client, text="StartAt: A\nStates: {A: [}\n", name="bad")
    assert bad.status_code == 400
    assert bad.json()["code"] == "validation_failed"
    assert bad.json()["details"]["line"] == 2

    unnamed = _import(client, text=json.dumps(ASL))
    assert unnamed.status_code == 400
    assert "name" in unnamed.json()["details"]

    assert AuditEntry.objects.filter(team=team, action="workflow.import").count() == 5


@pytest.mark.django_db
def test_import_diagnostics_carry_line_and_column(
    api_client_for: Any, editor: Any, team: Team
) -> None:
    text = '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass", "Next": "B"}\n  }\n}'
    response = _import(api_client_for(editor), text=text, name="dangling")
    assert response.status_code == 201
    dangling = [d for d in response.json()["diagnostics"] if d["location"].endswith("/Next")]
    assert dangling and dangling[0]["line"] == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 201), ("editor", 201), ("runner", 403), ("viewer", 403), ("outsider", 404)],
)
def test_import_needs_the_editor_role(
    api_client_for: Any, members: dict[str, Any], outsider: Any, role: str, status: int
) -> None:
    user = outsider if role == "outsider" else members[role]
    response = _import(api_client_for(user), text=json.dumps(ASL), name=f"by-{role}")
    assert response.status_code == status


LAYOUT: Any = {"positions": {"Fan": [1, 2]}}


@pytest.fixture
def workflow(team: Team, editor: Any) -> Workflow:
    return Workflow.objects.create(
        team=team,
        name="pictures",
        definition=PARALLEL_AND_MAP,
        layout=LAYOUT,
        created_by=editor,
    )


def _export(client: Any, workflow: Workflow, query: str) -> Any:
    return client.get(f"/api/workflows/{workflow.id}/export/?{query}")


@pytest.mark.django_db
def test_export_json_is_the_stored_asl_only(
    api_client_for: Any, viewer: Any, workflow: Workflow
) -> None:
    response = _export(api_client_for(viewer), workflow, "format=json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="pictures.asl.json"'
    body = response.content.decode()
    assert body == json.dumps(PARALLEL_AND_MAP, indent=2, ensure_ascii=False) + "\n"
    parsed = json.loads(body)
    assert parsed == PARALLEL_AND_MAP
    assert list(parsed["States"]) == list(PARALLEL_AND_MAP["States"])
    assert "positions" not in body  # layout never leaks into ASL


@pytest.mark.django_db
def test_export_keeps_the_order_it_was_written_in(
    api_client_for: Any, editor: Any, team: Team
) -> None:
    client = api_client_for(editor)
    created = client.post(
        "/api/teams/acme/workflows/", {"name": "ordered", "definition": ASL}, format="json"
    )
    exported = client.get(f"/api/workflows/{created.json()['id']}/export/")
    assert exported.content.decode() == json.dumps(ASL, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.django_db
def test_export_yaml_round_trips(api_client_for: Any, viewer: Any, workflow: Workflow) -> None:
    response = _export(api_client_for(viewer), workflow, "format=yaml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml"
    assert response["Content-Disposition"].endswith('filename="pictures.asl.yaml"')
    value, problems = load_definition(response.content.decode())
    assert problems == []
    assert value == PARALLEL_AND_MAP
    assert yaml.safe_load(response.content) == PARALLEL_AND_MAP


@pytest.mark.django_db
def test_export_pictures(api_client_for: Any, viewer: Any, workflow: Workflow) -> None:
    client = api_client_for(viewer)
    dot = _export(client, workflow, "format=dot")
    assert dot.status_code == 200
    assert dot["Content-Disposition"].endswith('filename="pictures.dot"')
    assert dot.content.decode().count("subgraph cluster_") == 5

    svg = _export(client, workflow, "format=svg")
    assert svg.status_code == 200, svg.content[:300]
    assert svg["Content-Type"] == "image/svg+xml"
    start = svg.content.index(b"<svg")
    assert svg.content[start:].startswith(b"<svg")
    assert ElementTree.fromstring(svg.content).tag.endswith("svg")

    png = _export(client, workflow, "format=png")
    assert png.status_code == 200
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.django_db
def test_export_of_a_version_and_bad_queries(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    client = api_client_for(editor)
    published = client.post(f"/api/workflows/{workflow.id}/publish/", {}, format="json")
    assert published.status_code == 201, published.json()
    client.patch(
        f"/api/workflows/{workflow.id}/",
        {"revision": 1, "definition": {"StartAt": "X", "States": {"X": {"Type": "Succeed"}}}},
        format="json",
    )
    v1 = _export(client, workflow, "format=json&version=1")
    assert v1.status_code == 200
    assert json.loads(v1.content) == PARALLEL_AND_MAP
    assert v1["Content-Disposition"].endswith('filename="pictures-v1.asl.json"')
    assert _export(client, workflow, "version=2").status_code == 404
    assert _export(client, workflow, "version=zero").status_code == 400
    unknown = _export(client, workflow, "format=xml")
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "validation_failed"


@pytest.mark.django_db
def test_export_without_graphviz_is_503(
    api_client_for: Any,
    viewer: Any,
    workflow: Workflow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` anywhere on PATH
    response = _export(api_client_for(viewer), workflow, "format=svg")
    assert response.status_code == 503
    assert response.json()["code"] == "graphviz_unavailable"
    assert "graphviz" in response.json()["message"]
    assert _export(api_client_for(viewer), workflow, "format=dot").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 200), ("editor", 200), ("runner", 200), ("viewer", 200), ("outsider", 404)],
)
def test_export_by_role(
    api_client_for: Any,
    members: dict[str, Any],
    outsider: Any,
    workflow: Workflow,
    role: str,
    status: int,
) -> None:
    user = outsider if role == "outsider" else members[role]
    assert _export(api_client_for(user), workflow, "format=json").status_code == status


# --- import preview (the designer's Import asks before it replaces the draft) ----------------


def _preview(client: Any, workflow: Workflow, **body: Any) -> Any:
    return client.post(f"/api/workflows/{workflow.id}/import-preview/", body, format="json")


@pytest.mark.django_db
def test_import_preview_shows_what_a_file_brings_and_changes_nothing(
    api_client_for: Any, editor: Any, workflow: Workflow
) -> None:
    client = api_client_for(editor)
    plain = _preview(client, workflow, text=json.dumps(ASL))
    assert plain.status_code == 200, plain.json()
    assert plain.json()["source"] == "asl" and plain.json()["state_machines"] == []
    assert plain.json()["definition"] == ASL
    several = _preview(client, workflow, text=CFN_YAML_SUB)
    assert several.status_code == 200, several.json()
    body = several.json()
    assert body["source"] == "cloudformation"
    assert body["state_machines"] == ["First", "Second"] and body["logical_id"] == "First"
    second = _preview(client, workflow, text=CFN_YAML_SUB, logical_id="Second")
    assert second.json()["logical_id"] == "Second"
    assert second.json()["definition"] != body["definition"]
    workflow.refresh_from_db()
    assert workflow.definition == PARALLEL_AND_MAP and workflow.revision == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"foo": 1}', "not an ASL definition"),
        ("just some notes\n", "must hold a JSON object"),
        ("{ nope", "not valid JSON or YAML"),
    ],
)
def test_import_refuses_text_that_is_neither_asl_nor_a_template(
    api_client_for: Any, editor: Any, workflow: Workflow, text: str, words: str
) -> None:
    client = api_client_for(editor)
    for response in (_preview(client, workflow, text=text), _import(client, text=text, name="x")):
        assert response.status_code == 400
        assert response.json()["code"] == "validation_failed"
        assert words in response.json()["message"]
    assert not Workflow.objects.filter(name="x").exists()


@pytest.mark.django_db
def test_import_preview_needs_the_editor_role(
    api_client_for: Any, viewer: Any, workflow: Workflow
) -> None:
    response = _preview(api_client_for(viewer), workflow, text=json.dumps(ASL))
    assert response.status_code == 403
