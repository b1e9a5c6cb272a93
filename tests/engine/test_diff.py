"""The semantic diff of two definitions: states added, removed, renamed, changed; transitions."""

from __future__ import annotations

import copy
from typing import Any

from engine.diff import definition_diff
from engine.express import express_problems

BASE: dict[str, Any] = {
    "Comment": "Orders",
    "StartAt": "Validate",
    "States": {
        "Validate": {
            "Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:123456789012:function:validate",
            "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
            "Next": "Route",
        },
        "Route": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Ship"}],
            "Default": "Reject",
        },
        "Ship": {"Type": "Pass", "Result": {"shipped": True}, "End": True},
        "Reject": {"Type": "Fail", "Error": "Invalid", "Cause": "Bad order"},
    },
}


def changed(**edits: Any) -> dict[str, Any]:
    new = copy.deepcopy(BASE)
    for name, state in edits.items():
        if state is None:
            del new["States"][name]
        else:
            new["States"][name] = state
    return new


def by_change(diff: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [s for s in diff["states"] if s["change"] == kind]


def test_identical_definitions_have_no_changes() -> None:
    diff = definition_diff(BASE, copy.deepcopy(BASE))
    assert diff["identical"] is True
    assert diff["states"] == diff["transitions"] == diff["fields"] == []


def test_a_field_change_has_pointers_and_old_and_new_values() -> None:
    new = copy.deepcopy(BASE)
    new["States"]["Validate"]["Retry"][0]["MaxAttempts"] = 5
    new["TimeoutSeconds"] = 60
    diff = definition_diff(BASE, new)
    assert diff["identical"] is False
    [state] = by_change(diff, "changed")
    assert state["name"] == "Validate" and state["path"] == ["Validate"]
    assert state["fields"] == [
        {
            "change": "changed",
            "pointer": "/States/Validate/Retry/0/MaxAttempts",
            "old_pointer": "/States/Validate/Retry/0/MaxAttempts",
            "old": 2,
            "new": 5,
        }
    ]
    assert diff["fields"] == [
        {
            "change": "added",
            "pointer": "/TimeoutSeconds",
            "old_pointer": None,
            "old": None,
            "new": 60,
        }
    ]
    assert diff["transitions"] == []


def test_added_and_removed_states_and_their_transitions() -> None:
    new = copy.deepcopy(BASE)
    new["States"]["Ship"] = {"Type": "Pass", "Next": "Notify"}
    new["States"]["Notify"] = {
        "Type": "Task",
        "Resource": "arn:aws:states:::sns:publish",
        "End": True,
    }
    new["States"]["Route"]["Default"] = "Ship"
    del new["States"]["Reject"]
    diff = definition_diff(BASE, new)
    assert [(s["name"], s["type"]) for s in by_change(diff, "added")] == [("Notify", "Task")]
    assert [(s["name"], s["pointer"], s["old_pointer"]) for s in by_change(diff, "removed")] == [
        ("Reject", None, "/States/Reject")
    ]
    edges = {(t["change"], t["from"], t["via"], t["to"]) for t in diff["transitions"]}
    assert edges == {
        ("removed", "Ship", "End", None),
        ("removed", "Route", "Default", "Reject"),
        ("removed", "Reject", "End", None),
        ("added", "Ship", "Next", "Notify"),
        ("added", "Route", "Default", "Ship"),
        ("added", "Notify", "End", None),
    }
    # Ship's Result was dropped: a field change; its End -> Next is a transition only
    [ship] = [s for s in by_change(diff, "changed") if s["name"] == "Ship"]
    assert [f["old_pointer"] for f in ship["fields"]] == ["/States/Ship/Result"]
    assert ship["fields"][0]["change"] == "removed"


def test_a_renamed_state_is_one_rename_not_a_removal_an_addition_and_new_edges() -> None:
    new = copy.deepcopy(BASE)
    states = new["States"]
    states["Dispatch"] = states.pop("Ship")
    states["Route"]["Choices"][0]["Next"] = "Dispatch"
    diff = definition_diff(BASE, new)
    [renamed] = by_change(diff, "renamed")
    assert (renamed["old_name"], renamed["name"]) == ("Ship", "Dispatch")
    assert renamed["pointer"] == "/States/Dispatch" and renamed["old_pointer"] == "/States/Ship"
    assert renamed["fields"] == [] and renamed["similarity"] == 1.0
    assert by_change(diff, "added") == by_change(diff, "removed") == []
    assert diff["transitions"] == []  # the Choice rule follows the rename
    assert diff["summary"]["renamed"] == 1


def test_a_renamed_state_with_a_small_edit_is_still_a_rename_with_its_field_change() -> None:
    new = copy.deepcopy(BASE)
    states = new["States"]
    states["Check"] = states.pop("Validate")
    states["Check"]["Retry"][0]["MaxAttempts"] = 3
    new["StartAt"] = "Check"
    diff = definition_diff(BASE, new)
    [renamed] = by_change(diff, "renamed")
    assert (renamed["old_name"], renamed["name"]) == ("Validate", "Check")
    assert [(f["pointer"], f["old"], f["new"]) for f in renamed["fields"]] == [
        ("/States/Check/Retry/0/MaxAttempts", 2, 3)
    ]
    assert diff["transitions"] == []


def test_different_states_are_not_taken_for_a_rename() -> None:
    new = copy.deepcopy(BASE)
    states = new["States"]
    del states["Reject"]
    states["Refuse"] = {"Type": "Fail", "Error": "Other", "Cause": "Something else entirely"}
    states["Route"]["Default"] = "Refuse"
    diff = definition_diff(BASE, new)
    assert by_change(diff, "renamed") == []
    assert [s["name"] for s in by_change(diff, "added")] == ["Refuse"]
    assert [s["name"] for s in by_change(diff, "removed")] == ["Reject"]
    # a different type never pairs
    other = changed(Ship=None, Shipped={"Type": "Succeed"})
    other["States"]["Route"]["Choices"][0]["Next"] = "Shipped"
    assert by_change(definition_diff(BASE, other), "renamed") == []


def test_choice_rule_content_is_a_field_change_and_its_next_a_transition() -> None:
    new = copy.deepcopy(BASE)
    new["States"]["Route"]["Choices"][0]["BooleanEquals"] = False
    new["States"]["Route"]["Choices"][0]["Next"] = "Reject"
    diff = definition_diff(BASE, new)
    [route] = by_change(diff, "changed")
    assert [(f["pointer"], f["old"], f["new"]) for f in route["fields"]] == [
        ("/States/Route/Choices/0/BooleanEquals", True, False)
    ]
    assert {(t["change"], t["via"], t["to"]) for t in diff["transitions"]} == {
        ("removed", "Choices/0", "Ship"),
        ("added", "Choices/0", "Reject"),
    }


NESTED: dict[str, Any] = {
    "StartAt": "Fan",
    "States": {
        "Fan": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 1, "End": True}}},
                {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 5, "End": True}}},
            ],
            "Next": "Loop",
        },
        "Loop": {
            "Type": "Map",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Work",
                "States": {"Work": {"Type": "Pass", "End": True}},
            },
            "End": True,
        },
    },
}


def test_parallel_branches_and_map_processors_are_compared_with_state_paths() -> None:
    new = copy.deepcopy(NESTED)
    fan = new["States"]["Fan"]
    fan["Branches"][1]["States"]["B"]["Seconds"] = 10
    fan["Branches"][0]["States"]["A2"] = fan["Branches"][0]["States"].pop("A")
    fan["Branches"][0]["StartAt"] = "A2"
    processor = new["States"]["Loop"]["ItemProcessor"]
    processor["ProcessorConfig"]["Mode"] = "DISTRIBUTED"
    processor["States"]["Work"]["Next"] = "More"
    del processor["States"]["Work"]["End"]
    processor["States"]["More"] = {"Type": "Succeed"}
    diff = definition_diff(NESTED, new)
    [wait] = by_change(diff, "changed")
    assert wait["path"] == ["Fan", "Branches", "1", "B"]
    assert wait["fields"][0]["pointer"] == "/States/Fan/Branches/1/States/B/Seconds"
    [renamed] = by_change(diff, "renamed")
    assert renamed["path"] == ["Fan", "Branches", "0", "A2"] and renamed["old_name"] == "A"
    [added] = by_change(diff, "added")
    assert added["path"] == ["Loop", "ItemProcessor", "More"]
    assert added["pointer"] == "/States/Loop/ItemProcessor/States/More"
    assert [(f["pointer"], f["new"]) for f in diff["fields"]] == [
        ("/States/Loop/ItemProcessor/ProcessorConfig/Mode", "DISTRIBUTED")
    ]
    scopes = {(t["scope"], t["change"], t["from"], t["to"]) for t in diff["transitions"]}
    assert scopes == {
        ("/States/Loop/ItemProcessor/States", "removed", "Work", None),
        ("/States/Loop/ItemProcessor/States", "added", "Work", "More"),
        ("/States/Loop/ItemProcessor/States", "added", "More", None),
    }


def test_a_branch_added_to_a_parallel_is_a_field_change_of_the_whole_branch() -> None:
    new = copy.deepcopy(NESTED)
    branch = {"StartAt": "C", "States": {"C": {"Type": "Succeed"}}}
    new["States"]["Fan"]["Branches"].append(branch)
    diff = definition_diff(NESTED, new)
    assert diff["fields"] == [
        {
            "change": "added",
            "pointer": "/States/Fan/Branches/2",
            "old_pointer": None,
            "old": None,
            "new": branch,
        }
    ]
    assert diff["states"] == []


def test_malformed_definitions_do_not_break_the_diff() -> None:
    diff = definition_diff({"States": []}, {"StartAt": "X", "States": {"X": "not a state"}})
    assert [s["change"] for s in diff["states"]] == ["added"]
    assert definition_diff({}, {})["identical"] is True


# ---- what Express cannot run -----------------------------------------------------------


def test_express_problems_name_the_state_and_point_at_its_resource() -> None:
    definition = {
        "StartAt": "Job",
        "States": {
            "Job": {
                "Type": "Task",
                "Resource": "arn:aws:states:::glue:startJobRun.sync",
                "Next": "Fan",
            },
            "Fan": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "Wait",
                        "States": {
                            "Wait": {
                                "Type": "Task",
                                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                                "End": True,
                            }
                        },
                    }
                ],
                "Next": "Loop",
            },
            "Loop": {
                "Type": "Map",
                "ItemProcessor": {
                    "StartAt": "Act",
                    "States": {
                        "Act": {
                            "Type": "Task",
                            "Resource": "arn:aws:states:us-east-1:123456789012:activity:review",
                            "End": True,
                        }
                    },
                },
                "Next": "Child",
            },
            "Child": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Next": "Fine",
            },
            "Fine": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True},
        },
    }
    found = {(d.code, d.location) for d in express_problems(definition)}
    assert found == {
        ("EXPRESS_UNSUPPORTED_INTEGRATION", "/States/Job/Resource"),
        ("EXPRESS_UNSUPPORTED_INTEGRATION", "/States/Fan/Branches/0/States/Wait/Resource"),
        ("EXPRESS_UNSUPPORTED_ACTIVITY", "/States/Loop/ItemProcessor/States/Act/Resource"),
        ("EXPRESS_UNSUPPORTED_INTEGRATION", "/States/Child/Resource"),
    }
    messages = {d.location: d.message for d in express_problems(definition)}
    assert (
        "'Job'" in messages["/States/Job/Resource"] and ".sync" in messages["/States/Job/Resource"]
    )
    assert ".sync:2" in messages["/States/Child/Resource"]
    assert express_problems(BASE) == [] and express_problems("nonsense") == []


def test_a_lone_state_renamed_and_edited_in_place_is_a_rename() -> None:
    old = {"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Result": "hi", "End": True}}}
    new = {"StartAt": "Greet", "States": {"Greet": {"Type": "Pass", "Result": "yo", "End": True}}}
    diff = definition_diff(old, new)
    [renamed] = by_change(diff, "renamed")
    assert [(f["old_pointer"], f["pointer"]) for f in renamed["fields"]] == [
        ("/States/Hello/Result", "/States/Greet/Result")
    ]
    assert diff["transitions"] == []


def test_key_order_does_not_count_and_numbers_compare_as_json() -> None:
    reordered = {"States": {k: dict(reversed(list(v.items()))) for k, v in BASE["States"].items()}}
    reordered = {**reordered, "StartAt": BASE["StartAt"], "Comment": BASE["Comment"]}
    assert definition_diff(BASE, reordered)["identical"] is True
    floats = copy.deepcopy(BASE)
    floats["States"]["Validate"]["Retry"][0]["MaxAttempts"] = 2.0
    assert definition_diff(BASE, floats)["identical"] is True
    flag = copy.deepcopy(BASE)
    flag["States"]["Validate"]["Retry"][0]["MaxAttempts"] = True
    assert definition_diff(BASE, flag)["identical"] is False


def test_catchers_and_a_legacy_iterator() -> None:
    old: dict[str, Any] = {
        "StartAt": "Loop",
        "States": {
            "Loop": {
                "Type": "Map",
                "Iterator": {"StartAt": "Step", "States": {"Step": {"Type": "Pass", "End": True}}},
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Oops"}],
                "End": True,
            },
            "Oops": {"Type": "Fail", "Error": "Broken"},
            "Alarm": {"Type": "Fail", "Error": "Alarm"},
        },
    }
    new = copy.deepcopy(old)
    new["States"]["Loop"]["Catch"][0]["Next"] = "Alarm"
    new["States"]["Loop"]["Catch"][0]["ResultPath"] = "$.error"
    new["States"]["Loop"]["Iterator"]["States"]["Step"]["Result"] = 1
    diff = definition_diff(old, new)
    changes = {s["name"]: s for s in by_change(diff, "changed")}
    assert [f["pointer"] for f in changes["Loop"]["fields"]] == ["/States/Loop/Catch/0/ResultPath"]
    assert changes["Step"]["path"] == ["Loop", "Iterator", "Step"]
    assert changes["Step"]["fields"][0]["pointer"] == "/States/Loop/Iterator/States/Step/Result"
    assert {(t["change"], t["via"], t["to"]) for t in diff["transitions"]} == {
        ("removed", "Catch/0", "Oops"),
        ("added", "Catch/0", "Alarm"),
    }


def test_a_state_replaced_by_a_different_one_of_the_same_type_in_place() -> None:
    new = copy.deepcopy(BASE)
    new["States"]["Validate2"] = {
        "Type": "Task",
        "Resource": "arn:aws:states:::http:invoke",
        "Parameters": {"Method": "GET"},
        "Next": "Route",
    }
    del new["States"]["Validate"]
    new["StartAt"] = "Validate2"
    diff = definition_diff(BASE, new)
    assert [s["name"] for s in by_change(diff, "removed")] == ["Validate"]
    assert [s["name"] for s in by_change(diff, "added")] == ["Validate2"]
    assert ("added", None, "StartAt", "Validate2") in {
        (t["change"], t["from"], t["via"], t["to"]) for t in diff["transitions"]
    }


def test_two_renames_at_once_pair_up_by_content() -> None:
    new = copy.deepcopy(BASE)
    states = new["States"]
    states["Accept"] = states.pop("Ship")
    states["Deny"] = states.pop("Reject")
    states["Route"]["Choices"][0]["Next"] = "Accept"
    states["Route"]["Default"] = "Deny"
    diff = definition_diff(BASE, new)
    pairs = {(s["old_name"], s["name"]) for s in by_change(diff, "renamed")}
    assert pairs == {("Ship", "Accept"), ("Reject", "Deny")}
    assert diff["transitions"] == [] and diff["summary"]["renamed"] == 2
