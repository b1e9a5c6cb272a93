"""The inspector's task forms, driven as a user drives them (issue 9): every kind of
Task (HTTP, Python function, activity, child workflow, callback) is filled in field by
field, and the ASL the code view shows is the ASL AWS's documentation gives for that
kind. Each edit is one undo step: Ctrl+Z brings back the ASL from before it, Ctrl+Shift+Z
the edit again.

What AWS documents (Step Functions developer guide):
* HTTP Task: ``"Resource": "arn:aws:states:::http:invoke"`` with ``Parameters``
  ``ApiEndpoint``, ``Method``, ``Authentication.ConnectionArn`` and the optional
  ``Headers``, ``QueryParameters``, ``RequestBody`` and ``Transform``
  (``RequestBodyEncoding``, ``RequestEncodingOptions.ArrayFormat``);
* a function: ``arn:aws:states:::lambda:invoke`` with ``FunctionName`` and ``Payload``;
* an activity: its ARN as the ``Resource`` (``arn:aws:states:<region>:<account>:activity:
  <name>``), ``TimeoutSeconds`` and ``HeartbeatSeconds`` beside it;
* a child workflow: ``arn:aws:states:::states:startExecution`` (request-response),
  ``.sync`` / ``.sync:2`` (wait for it) or ``.waitForTaskToken`` (callback), with
  ``StateMachineArn``, ``Input`` and ``Name``; the callback puts ``"token.$":
  "$$.Task.Token"`` in the ``Input``;
* a callback (``.waitForTaskToken``) passes ``$$.Task.Token`` in the request and sets
  ``TimeoutSeconds`` (and ``HeartbeatSeconds``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.studio import open_designer, select_node, show_code

# the account the forms write for a placeholder or a workflow picked by name (the
# LocalStack account, which Stateyard reads as the team's own: designer/arns.py)
REGION_ACCOUNT = "us-east-1:000000000000"
CALL = "/States/Call"

# The code view's JSON, keys sorted at every level (the forms keep the docs' field order;
# equality of the ASL does not depend on it), read in the page.
CANONICAL_STATE = """
(name) => {
  const text = document.querySelector('[data-testid="code-editor"] .cm-content')
    .innerText.replace(/\\u00a0/g, ' ');
  const sort = (v) => Array.isArray(v) ? v.map(sort) : v && typeof v === 'object'
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])])) : v;
  try { return JSON.stringify(sort(JSON.parse(text).States[name] ?? null)); }
  catch { return null; }
}
"""


def sorted_json(value: Any) -> str:
    """The same canonical text as CANONICAL_STATE makes (JSON.stringify: no spaces)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def state_now(page: Page, name: str = "Call") -> Any:
    text = page.evaluate(CANONICAL_STATE, name)
    return json.loads(text) if text else None


def wait_state(page: Page, expected: dict[str, Any], name: str = "Call") -> None:
    """Until the code view shows ``expected`` for the state (the code view follows the store)."""
    want = sorted_json(expected)
    try:
        page.wait_for_function(
            f"([name, want]) => ({CANONICAL_STATE})(name) === want", arg=[name, want]
        )
    except Exception as exc:  # say what the page shows instead
        raise AssertionError(
            f"the code view shows {state_now(page, name)!r}, expected {expected!r}"
        ) from exc


def press_outside_fields(page: Page, keys: str) -> None:
    """A shortcut as a user gives it after an edit: click beside the fields (the editing
    keys of a text field or select are its own), then press the keys."""
    page.get_by_test_id("inspector-type").click()
    page.keyboard.press(keys)


Edit = Callable[[], None]


def edit(page: Page, action: Edit, expected: dict[str, Any]) -> dict[str, Any]:
    """Do ``action`` (one form edit), check the ASL, undo it (the ASL from before comes
    back), redo it; returns ``expected`` (the next edit's "before")."""
    before = state_now(page)
    action()
    wait_state(page, expected)
    press_outside_fields(page, "ControlOrMeta+z")
    wait_state(page, before)
    press_outside_fields(page, "ControlOrMeta+Shift+z")
    wait_state(page, expected)
    return expected


def fill_json(page: Page, test_id: str, value: Any) -> Edit:
    """A JSON field: type the text, then leave the field (it commits on blur)."""

    def run() -> None:
        field = page.get_by_test_id(test_id)
        field.fill(json.dumps(value))
        field.blur()

    return run


def fill_text(page: Page, test_id: str, text: str) -> Edit:
    """A text or number field: type, then Enter (it commits on Enter or blur)."""

    def run() -> None:
        field = page.get_by_test_id(test_id)
        field.fill(text)
        field.press("Enter")

    return run


def choose(page: Page, test_id: str, value: str) -> Edit:
    """A select: pick the option (it commits on change)."""

    def run() -> None:
        page.get_by_test_id(test_id).select_option(value)

    return run


def one_task(state: dict[str, Any]) -> dict[str, Any]:
    return {"StartAt": "Call", "States": {"Call": state}}


def open_task(page: Page, workflow: dict[str, Any]) -> None:
    open_designer(page, workflow["id"])
    show_code(page)
    select_node(page, CALL)
    expect(page.get_by_test_id("task-kind-form")).to_be_visible()


def unique(prefix: str) -> str:
    return f"{prefix}-{os.urandom(3).hex()}"


def test_http_form_writes_the_documented_http_task(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    connection = api.post(
        "/teams/acme/connections/",
        json={
            "name": unique("crm"),
            "auth_type": "API_KEY",
            "auth": {"api_key_name": "X-Api-Key", "api_key_value": "not-a-real-key"},
        },
    )
    assert connection.status_code == 201, connection.text
    connection_arn = connection.json()["arn"]
    workflow = create_workflow(
        one_task(
            {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "greet"},
                "End": True,
            }
        )
    )
    open_task(page, workflow)

    # the kind picker turns the Task into an HTTP Task (GET of a placeholder endpoint)
    params: dict[str, Any] = {"ApiEndpoint": "https://api.example.com/", "Method": "GET"}
    task = {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": True}
    edit(page, choose(page, "task-kind", "http"), {**task, "Parameters": params})
    expect(page.get_by_test_id("http-form")).to_be_visible()

    steps: list[tuple[Edit, str, Any]] = [
        (choose(page, "http-method", "POST"), "Method", "POST"),
        (
            fill_text(page, "http-endpoint", "https://api.example.com/orders"),
            "ApiEndpoint",
            "https://api.example.com/orders",
        ),
        (
            choose(page, "http-connection", connection_arn),
            "Authentication",
            {"ConnectionArn": connection_arn},
        ),
        (
            fill_json(page, "http-headers", {"Accept": "application/json"}),
            "Headers",
            {"Accept": "application/json"},
        ),
        (
            fill_json(page, "http-query", {"expand": "lines"}),
            "QueryParameters",
            {"expand": "lines"},
        ),
        (
            fill_json(page, "http-body", {"order.$": "$.orderId", "tags": ["a", "b"]}),
            "RequestBody",
            {"order.$": "$.orderId", "tags": ["a", "b"]},
        ),
        (
            choose(page, "http-encoding", "URL_ENCODED"),
            "Transform",
            {"RequestBodyEncoding": "URL_ENCODED"},
        ),
    ]
    for action, field, value in steps:
        params = {**params, field: value}
        edit(page, action, {**task, "Parameters": params})
    # the array format appears with URL encoding
    params = {
        **params,
        "Transform": {
            "RequestBodyEncoding": "URL_ENCODED",
            "RequestEncodingOptions": {"ArrayFormat": "BRACKETS"},
        },
    }
    edit(page, choose(page, "http-array-format", "BRACKETS"), {**task, "Parameters": params})

    # what AWS's "Call HTTPS APIs" page shows, plus the optional fields it lists
    assert state_now(page) == {
        "Type": "Task",
        "Resource": "arn:aws:states:::http:invoke",
        "Parameters": {
            "ApiEndpoint": "https://api.example.com/orders",
            "Method": "POST",
            "Authentication": {"ConnectionArn": connection_arn},
            "Headers": {"Accept": "application/json"},
            "QueryParameters": {"expand": "lines"},
            "RequestBody": {"order.$": "$.orderId", "tags": ["a", "b"]},
            "Transform": {
                "RequestBodyEncoding": "URL_ENCODED",
                "RequestEncodingOptions": {"ArrayFormat": "BRACKETS"},
            },
        },
        "End": True,
    }
    # the connection picker lists the team's connection by name and kind of auth
    option = page.get_by_test_id("http-connection").locator(f'option[value="{connection_arn}"]')
    expect(option).to_contain_text(f"{connection.json()['name']} (API_KEY)")


def test_function_form_lists_functions_with_their_docstrings(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    functions = {f["name"]: f["doc"] for f in api.get("/functions/").json()}
    assert "greet" in functions and "validate-order" in functions, functions
    workflow = create_workflow(
        one_task(
            {
                "Type": "Task",
                "Resource": "arn:aws:states:::http:invoke",
                "Parameters": {"ApiEndpoint": "https://api.example.com/", "Method": "GET"},
                "End": True,
            }
        )
    )
    open_task(page, workflow)
    task = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}
    edit(page, choose(page, "task-kind", "function"), {**task, "Parameters": {}})

    picker = page.get_by_test_id("function-name")
    for name in functions:
        expect(picker.locator(f'option[value="{name}"]')).to_have_count(1)
    edit(
        page,
        choose(page, "function-name", "validate-order"),
        {**task, "Parameters": {"FunctionName": "validate-order"}},
    )
    # the picked function's docstring is shown under the picker
    help_text = page.get_by_test_id("function-form").locator(".sy-field-help").first
    expect(help_text).to_have_text(functions["validate-order"])
    edit(
        page,
        choose(page, "function-name", "greet"),
        {**task, "Parameters": {"FunctionName": "greet"}},
    )
    expect(help_text).to_have_text(functions["greet"])
    edit(
        page,
        fill_json(page, "function-payload", {"name.$": "$.customer"}),
        {**task, "Parameters": {"FunctionName": "greet", "Payload": {"name.$": "$.customer"}}},
    )
    # a bare path is the whole input as the event ("Payload.$": "$", as AWS's example)
    edit(
        page,
        fill_text_json(page, "function-payload", "$"),
        {**task, "Parameters": {"FunctionName": "greet", "Payload.$": "$"}},
    )


def fill_text_json(page: Page, test_id: str, text: str) -> Edit:
    """A JSON field given text that is not JSON (a path): type it and leave the field."""

    def run() -> None:
        field = page.get_by_test_id(test_id)
        field.fill(text)
        field.blur()

    return run


def test_activity_form_picks_and_creates_activities(
    page: Page, api: httpx.Client, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    existing = api.post("/teams/acme/activities/", json={"name": unique("greeter")})
    assert existing.status_code == 201, existing.text
    workflow = create_workflow(
        one_task(
            {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "greet"},
                "End": True,
            }
        )
    )
    open_task(page, workflow)
    placeholder = f"arn:aws:states:{REGION_ACCOUNT}:activity:my-activity"
    edit(
        page,
        choose(page, "task-kind", "activity"),
        {"Type": "Task", "Resource": placeholder, "End": True},
    )
    expect(page.get_by_test_id("activity-form")).to_contain_text("no such activity")
    edit(
        page,
        choose(page, "activity-picker", existing.json()["arn"]),
        {"Type": "Task", "Resource": existing.json()["arn"], "End": True},
    )

    # create a new one from the form: it exists in the team afterwards and the Task uses its
    # ARN (the team's own account: arn:aws:states:<region>:<team account>:activity:<name>)
    name = unique("label-printer")
    page.get_by_test_id("activity-new-name").fill(name)
    page.get_by_test_id("activity-create").click()
    expect(page.get_by_test_id("activity-picker")).to_contain_text(name)
    listed = {a["name"]: a["arn"] for a in api.get("/teams/acme/activities/").json()}
    created_arn = listed[name]
    assert created_arn.startswith("arn:aws:states:us-east-1:")
    assert created_arn.endswith(f":activity:{name}")
    state = {"Type": "Task", "Resource": created_arn, "End": True}
    wait_state(page, state)
    expect(page.get_by_test_id("activity-picker")).to_have_value(created_arn)
    # "Create and use" is one undoable edit of the Resource (the activity stays created)
    press_outside_fields(page, "ControlOrMeta+z")
    wait_state(page, {"Type": "Task", "Resource": existing.json()["arn"], "End": True})
    press_outside_fields(page, "ControlOrMeta+Shift+z")
    wait_state(page, state)

    # timeout and heartbeat beside the Resource, as in AWS's activity example
    state = edit(page, fill_text(page, "task-timeout", "300"), {**state, "TimeoutSeconds": 300})
    edit(page, fill_text(page, "task-heartbeat", "60"), {**state, "HeartbeatSeconds": 60})
    assert state_now(page) == {
        "Type": "Task",
        "Resource": created_arn,
        "TimeoutSeconds": 300,
        "HeartbeatSeconds": 60,
        "End": True,
    }


def test_child_workflow_form_offers_the_three_integration_patterns(
    page: Page, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    child = create_workflow(
        {"StartAt": "Charge", "States": {"Charge": {"Type": "Pass", "End": True}}},
        name=unique("charge-card"),
    )
    child_arn = f"arn:aws:states:{REGION_ACCOUNT}:stateMachine:{child['name']}"
    workflow = create_workflow(
        one_task(
            {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "greet"},
                "End": True,
            }
        )
    )
    open_task(page, workflow)
    base = "arn:aws:states:::states:startExecution"
    task: dict[str, Any] = {"Type": "Task", "Resource": base, "End": True}
    edit(page, choose(page, "task-kind", "child"), {**task, "Parameters": {}})
    params: dict[str, Any] = {"StateMachineArn": child_arn}
    edit(page, choose(page, "child-workflow", child_arn), {**task, "Parameters": params})
    params = {**params, "Input": {"amount.$": "$.total", "currency": "EUR"}}
    edit(
        page,
        fill_json(page, "child-input", params["Input"]),
        {**task, "Parameters": params},
    )
    params = {**params, "Name": "charge-1"}
    edit(page, fill_text(page, "child-name", "charge-1"), {**task, "Parameters": params})

    # run a job (wait for the child), both output forms, then back to request-response
    for pattern in (".sync:2", ".sync", ""):
        task = {**task, "Resource": base + pattern}
        edit(page, choose(page, "task-pattern", pattern), {**task, "Parameters": params})

    # wait for a callback: the token goes into the child's Input
    task = {**task, "Resource": base + ".waitForTaskToken"}
    edit(page, choose(page, "task-pattern", ".waitForTaskToken"), {**task, "Parameters": params})
    expect(page.get_by_test_id("callback-form")).to_contain_text("not in Input yet")
    params = {**params, "Input": {"token.$": "$$.Task.Token", **params["Input"]}}
    edit(
        page,
        lambda: page.get_by_test_id("callback-token-place").click(),
        {**task, "Parameters": params},
    )
    expect(page.get_by_test_id("callback-token-status")).to_contain_text(
        "The task token goes in Input.token"
    )
    # AWS's "Start a new state machine" callback example, with this team's workflow
    assert state_now(page) == {
        "Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.waitForTaskToken",
        "Parameters": {
            "StateMachineArn": child_arn,
            "Input": {"token.$": "$$.Task.Token", "amount.$": "$.total", "currency": "EUR"},
            "Name": "charge-1",
        },
        "End": True,
    }


def test_callback_form_places_the_token_and_asks_for_a_timeout(
    page: Page, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    workflow = create_workflow(
        one_task(
            {
                "Type": "Task",
                "Resource": "arn:aws:states:::http:invoke",
                "Parameters": {
                    "ApiEndpoint": "https://chat.example.com/hooks/approvals",
                    "Method": "POST",
                    "RequestBody": {"order.$": "$.orderId"},
                },
                "End": True,
            }
        )
    )
    open_task(page, workflow)
    params: dict[str, Any] = {
        "ApiEndpoint": "https://chat.example.com/hooks/approvals",
        "Method": "POST",
        "RequestBody": {"order.$": "$.orderId"},
    }
    task: dict[str, Any] = {
        "Type": "Task",
        "Resource": "arn:aws:states:::http:invoke.waitForTaskToken",
        "Parameters": params,
        "End": True,
    }
    edit(page, choose(page, "task-pattern", ".waitForTaskToken"), task)
    expect(page.get_by_test_id("callback-timeout-warning")).to_be_visible()

    # where the token goes: a key of the request body (naming it changes no ASL yet)
    fill_text(page, "callback-token-key", "taskToken")()
    wait_state(page, task)
    params = {**params, "RequestBody": {"taskToken.$": "$$.Task.Token", "order.$": "$.orderId"}}
    task = {**task, "Parameters": params}
    edit(page, lambda: page.get_by_test_id("callback-token-place").click(), task)
    expect(page.get_by_test_id("callback-token-status")).to_contain_text(
        "The task token goes in RequestBody.taskToken"
    )
    task = edit(page, fill_text(page, "task-timeout", "86400"), {**task, "TimeoutSeconds": 86400})
    expect(page.get_by_test_id("callback-timeout-warning")).to_have_count(0)
    edit(page, fill_text(page, "task-heartbeat", "3600"), {**task, "HeartbeatSeconds": 3600})
    assert state_now(page) == {
        "Type": "Task",
        "Resource": "arn:aws:states:::http:invoke.waitForTaskToken",
        "Parameters": {
            "ApiEndpoint": "https://chat.example.com/hooks/approvals",
            "Method": "POST",
            "RequestBody": {"taskToken.$": "$$.Task.Token", "order.$": "$.orderId"},
        },
        "TimeoutSeconds": 86400,
        "HeartbeatSeconds": 3600,
        "End": True,
    }


def test_jsonata_forms_write_arguments_with_expressions(
    page: Page, create_workflow: Callable[..., dict[str, Any]]
) -> None:
    """In a JSONata workflow the same forms write ``Arguments``, and the callback token is
    ``{% $states.context.Task.Token %}`` (AWS's JSONata callback example)."""
    workflow = create_workflow(
        {
            "QueryLanguage": "JSONata",
            "StartAt": "Call",
            "States": {
                "Call": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Arguments": {"FunctionName": "greet"},
                    "End": True,
                }
            },
        }
    )
    open_task(page, workflow)
    task: dict[str, Any] = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke"}
    edit(
        page,
        fill_json(page, "function-payload", {"name": "{% $states.input.customer %}"}),
        {
            **task,
            "Arguments": {
                "FunctionName": "greet",
                "Payload": {"name": "{% $states.input.customer %}"},
            },
            "End": True,
        },
    )
    task = {**task, "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken"}
    edit(
        page,
        choose(page, "task-pattern", ".waitForTaskToken"),
        {
            **task,
            "Arguments": {
                "FunctionName": "greet",
                "Payload": {"name": "{% $states.input.customer %}"},
            },
            "End": True,
        },
    )
    edit(
        page,
        lambda: page.get_by_test_id("callback-token-place").click(),
        {
            **task,
            "Arguments": {
                "FunctionName": "greet",
                "Payload": {
                    "token": "{% $states.context.Task.Token %}",
                    "name": "{% $states.input.customer %}",
                },
            },
            "End": True,
        },
    )
