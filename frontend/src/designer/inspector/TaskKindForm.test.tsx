/**
 * Each task kind's form, driven as a person would, produces exactly the
 * example of docs/tasks/*.md (or examples/workflows/*.asl.json), key order
 * included; the JSONata forms produce the `Arguments` equivalent.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { resetStudio, useStudio } from "../../asl/store";
import type { Definition } from "../../asl/types";
import { fakeApi } from "../../start/fakeApi";
import { Inspector } from "./Inspector";
import httpDoc from "../../../../docs/tasks/http.md?raw";
import activitiesDoc from "../../../../docs/tasks/activities.md?raw";
import childDoc from "../../../../docs/tasks/child-workflows.md?raw";
import callbacksDoc from "../../../../docs/tasks/callbacks.md?raw";
import pythonExample from "../../../../examples/workflows/python-functions.asl.json?raw";
import pythonDoc from "../../../../docs/tasks/python-functions.md?raw";
import { expressionViewIn } from "./ExpressionField";

type Obj = Record<string, any>;


const DOCS: Record<string, string> = { "python-functions.md": pythonDoc, "http.md": httpDoc, "activities.md": activitiesDoc, "child-workflows.md": childDoc, "callbacks.md": callbacksDoc };

/** The first ```json block of a doc (of its "### In JSONata" part), a `"Name": {...}` fragment, as {name, state}. */
function docExample(doc: string, jsonata = false): { name: string; state: Obj } {
  const text = DOCS[doc]!;
  const from = jsonata ? text.indexOf("### In JSONata") : 0;
  expect(from).toBeGreaterThanOrEqual(0);
  const block = /```json\n([\s\S]*?)```/.exec(text.slice(from))![1]!;
  const [name, state] = Object.entries(JSON.parse(`{${block}}`) as Obj)[0]!;
  return { name, state };
}

const CONNECTION_ARN = "arn:aws:events:us-east-1:000000000000:connection/crm/<id>";

function serve() {
  return fakeApi(({ method, url, body }) => {
    if (url === "/api/teams/acme/connections/") return { body: [{ id: "c1", name: "crm", arn: CONNECTION_ARN, auth_type: "API_KEY" }] };
    if (url === "/api/teams/acme/activities/" && method === "GET") return { body: [{ id: 1, name: "greeter", arn: "arn:aws:states:us-east-1:000000000000:activity:greeter" }] };
    if (url === "/api/teams/acme/activities/" && method === "POST") return { status: 201, body: { id: 2, name: (body as Obj).name, arn: `arn:aws:states:us-east-1:000000000000:activity:${(body as Obj).name}` } };
    if (url === "/api/teams/acme/workflows/") return { body: [{ id: "w1", name: "charge-card", type: "STANDARD" }] };
    if (url === "/api/functions/") return { body: [{ name: "greet", doc: "Say hello to someone." }] };
    return undefined;
  });
}

function open(name: string, state: Obj, jsonata = false, props: Obj = {}) {
  resetStudio();
  const definition: Definition = { ...(jsonata ? { QueryLanguage: "JSONata" } : {}), StartAt: name, States: { [name]: state, Ship: { Type: "Succeed" } } };
  useStudio.getState().load({ definition });
  useStudio.getState().select(`/States/${name}`);
  render(<Inspector team="acme" {...props} />);
}

const stateOf = (name: string) => (useStudio.getState().definition as Obj).States[name] as Obj;

function type(testId: string, text: string) {
  const el = screen.getByTestId(testId);
  fireEvent.change(el, { target: { value: text } });
  fireEvent.blur(el);
}
const choose = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
function editExpression(testId: string, text: string) {
  const view = expressionViewIn(screen.getByTestId(testId))!;
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  fireEvent.blur(view.contentDOM);
}
const optionsOf = (testId: string) => [...(screen.getByTestId(testId) as HTMLSelectElement).options].map((o) => o.value);

async function listed(testId: string, value: string) {
  await waitFor(() => expect(optionsOf(testId)).toContain(value));
}

describe("task kind forms", () => {
  beforeEach(() => {
    resetStudio();
    serve();
  });

  it("HTTP: builds docs/tasks/http.md's GetCustomer (Retry aside, the Retry editor's)", async () => {
    const { name, state: doc } = docExample("http.md");
    open(name, { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true });
    choose("task-kind", "http");
    type("http-endpoint", doc.Parameters.ApiEndpoint);
    choose("http-method", "GET");
    type("http-headers", '{"Accept": "application/json"}');
    type("http-query", '{"expand": "orders"}');
    await listed("http-connection", CONNECTION_ARN);
    choose("http-connection", CONNECTION_ARN);
    const { Retry: _retry, ...expected } = doc;
    expect(JSON.stringify(stateOf(name))).toBe(JSON.stringify(expected));
    // Each change was its own undo step.
    useStudio.getState().undo();
    expect(stateOf(name).Parameters.Authentication).toBeUndefined();
  });

  it("HTTP in JSONata: the same call as Arguments, an expression as {% %}", async () => {
    open("GetCustomer", { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true }, true);
    choose("task-kind", "http");
    type("http-endpoint", "{% 'https://api.example.com/customers/' & $states.input.id %}");
    type("http-headers", '{"Accept": "application/json"}');
    type("http-body", "{% $states.input.order %}");
    choose("http-encoding", "URL_ENCODED");
    choose("http-array-format", "REPEAT");
    expect(stateOf("GetCustomer")).toStrictEqual({
      Type: "Task",
      Resource: "arn:aws:states:::http:invoke",
      Arguments: {
        ApiEndpoint: "{% 'https://api.example.com/customers/' & $states.input.id %}",
        Method: "GET",
        Headers: { Accept: "application/json" },
        RequestBody: "{% $states.input.order %}",
        Transform: { RequestBodyEncoding: "URL_ENCODED", RequestEncodingOptions: { ArrayFormat: "REPEAT" } },
      },
      End: true,
    });
    expect(stateOf("GetCustomer").Parameters).toBeUndefined();
  });

  it("Python function: builds examples/workflows/python-functions.asl.json's calls, docstring shown", async () => {
    const example = JSON.parse(pythonExample).States as Obj;
    open("Confirm", { Type: "Task", Resource: "arn:aws:states:::http:invoke", Parameters: { ApiEndpoint: "https://x", Method: "GET" }, End: true });
    choose("task-kind", "function");
    await listed("function-name", "greet");
    choose("function-name", "greet");
    expect(await screen.findByText("Say hello to someone.")).toBeTruthy();
    type("function-payload", '{"name.$": "$.customer"}');
    const { Resource, Parameters } = stateOf("Confirm");
    expect(JSON.stringify({ Resource, Parameters })).toBe(JSON.stringify({ Resource: example.Confirm.Resource, Parameters: example.Confirm.Parameters }));
    // The whole input as the event, as ValidateOrder does.
    type("function-payload", "$");
    expect(stateOf("Confirm").Parameters).toStrictEqual({ FunctionName: "greet", "Payload.$": "$" });
  });

  it("Python function in JSONata: Payload as an expression", async () => {
    open("Confirm", { Type: "Task", Resource: "arn:aws:states:::http:invoke", End: true }, true);
    choose("task-kind", "function");
    await listed("function-name", "greet");
    choose("function-name", "greet");
    type("function-payload", "{% $states.input %}");
    expect(stateOf("Confirm").Arguments).toStrictEqual({ FunctionName: "greet", Payload: "{% $states.input %}" });
  });

  it("activity: builds docs/tasks/activities.md's Review, and creates a new activity", async () => {
    const { name, state: doc } = docExample("activities.md");
    open(name, { Type: "Task", Resource: "arn:aws:states:::http:invoke", Parameters: { ApiEndpoint: "https://x", Method: "GET" }, End: true });
    choose("task-kind", "activity");
    await listed("activity-picker", doc.Resource);
    expect(screen.getByText("This team has no such activity: pick one, or create it below.")).toBeTruthy();
    choose("activity-picker", doc.Resource);
    type("task-timeout", "3600");
    type("task-heartbeat", "60");
    expect(JSON.stringify(stateOf(name))).toBe(JSON.stringify(doc));
    fireEvent.change(screen.getByTestId("activity-new-name"), { target: { value: "reviews" } });
    await act(async () => fireEvent.click(screen.getByTestId("activity-create")));
    await waitFor(() => expect(stateOf(name).Resource).toBe("arn:aws:states:us-east-1:000000000000:activity:reviews"));
  });

  it("child workflow: builds docs/tasks/child-workflows.md's Charge", async () => {
    const { name, state: doc } = docExample("child-workflows.md");
    open(name, { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Next: "Ship" });
    choose("task-kind", "child");
    expect(optionsOf("task-pattern")).toEqual(["", ".sync", ".sync:2", ".waitForTaskToken"]);
    choose("task-pattern", ".sync:2");
    await listed("child-workflow", doc.Parameters.StateMachineArn);
    choose("child-workflow", doc.Parameters.StateMachineArn);
    type("child-input", JSON.stringify(doc.Parameters.Input));
    type("child-name", "States.Format('charge-{}', $.orderId)");
    expect(JSON.stringify(stateOf(name))).toBe(JSON.stringify(doc));
  });

  it("child workflow in JSONata, waiting for a token placed in Input", async () => {
    open("Charge", { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Next: "Ship" }, true);
    choose("task-kind", "child");
    choose("task-pattern", ".waitForTaskToken");
    await listed("child-workflow", "arn:aws:states:us-east-1:000000000000:stateMachine:charge-card");
    choose("child-workflow", "arn:aws:states:us-east-1:000000000000:stateMachine:charge-card");
    type("child-input", '{"amount": "{% $states.input.total %}"}');
    fireEvent.click(screen.getByTestId("callback-token-place"));
    expect(stateOf("Charge")).toStrictEqual({
      Type: "Task",
      Resource: "arn:aws:states:::states:startExecution.waitForTaskToken",
      Arguments: {
        StateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:charge-card",
        Input: { token: "{% $states.context.Task.Token %}", amount: "{% $states.input.total %}" },
      },
      Next: "Ship",
    });
    expect(screen.getByTestId("callback-token-status").textContent).toContain("Input.token");
  });

  it("callback: builds docs/tasks/callbacks.md's AskForApproval with the token in RequestBody", async () => {
    const { name, state: doc } = docExample("callbacks.md");
    open(name, { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Next: "Ship" });
    choose("task-kind", "http");
    choose("task-pattern", ".waitForTaskToken");
    expect(screen.getByTestId("callback-token-status").textContent).toContain("not in RequestBody");
    expect(screen.getByTestId("callback-timeout-warning")).toBeTruthy();
    type("http-endpoint", doc.Parameters.ApiEndpoint);
    choose("http-method", "POST");
    type("http-body", '{"order.$": "$.orderId"}');
    fireEvent.click(screen.getByTestId("callback-token-place"));
    type("task-timeout", "86400");
    expect(JSON.stringify(stateOf(name))).toBe(JSON.stringify(doc));
    expect(screen.queryByTestId("callback-timeout-warning")).toBeNull();
  });

  it("HTTP in JSONata: builds docs/tasks/http.md's JSONata GetCustomer", async () => {
    const { name, state: doc } = docExample("http.md", true);
    open(name, { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true }, true);
    choose("task-kind", "http");
    type("http-endpoint", doc.Arguments.ApiEndpoint);
    type("http-headers", '{"Accept": "application/json"}');
    type("http-query", '{"expand": "orders"}');
    await listed("http-connection", CONNECTION_ARN);
    choose("http-connection", CONNECTION_ARN);
    editExpression("io-output", '"{% $states.result.ResponseBody %}"');
    expect(JSON.stringify(stateOf(name))).toBe(JSON.stringify(doc));
  });

  it("Python function in JSONata: builds docs/tasks/python-functions.md's JSONata Confirm", async () => {
    const { name, state: doc } = docExample("python-functions.md", true);
    open(name, { Type: "Task", Resource: "arn:aws:states:::http:invoke", End: true }, true);
    choose("task-kind", "function");
    await listed("function-name", "greet");
    choose("function-name", "greet");
    type("function-payload", '{"name": "{% $states.input.customer %}"}');
    editExpression("io-output", '"{% $states.result.Payload %}"');
    expect(JSON.stringify(stateOf(name))).toBe(JSON.stringify(doc));
  });

  it("child workflow in JSONata: builds docs/tasks/child-workflows.md's JSONata Charge", async () => {
    const { name, state: doc } = docExample("child-workflows.md", true);
    open(name, { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Next: "Ship" }, true);
    choose("task-kind", "child");
    choose("task-pattern", ".sync:2");
    await listed("child-workflow", doc.Arguments.StateMachineArn);
    choose("child-workflow", doc.Arguments.StateMachineArn);
    type("child-input", JSON.stringify(doc.Arguments.Input));
    type("child-name", doc.Arguments.Name);
    expect(JSON.stringify(stateOf(name))).toBe(JSON.stringify(doc));
  });

  it("callback in JSONata: builds docs/tasks/callbacks.md's JSONata AskForApproval", async () => {
    const { name, state: doc } = docExample("callbacks.md", true);
    open(name, { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Next: "Ship" }, true);
    choose("task-kind", "http");
    choose("task-pattern", ".waitForTaskToken");
    type("http-endpoint", doc.Arguments.ApiEndpoint);
    choose("http-method", "POST");
    type("http-body", '{"order": "{% $states.input.orderId %}"}');
    fireEvent.click(screen.getByTestId("callback-token-place"));
    type("task-timeout", "86400");
    expect(JSON.stringify(stateOf(name))).toBe(JSON.stringify(doc));
    expect(screen.getByTestId("callback-token-status").textContent).toContain("RequestBody.token");
  });

  it("is read-only for viewers: disabled, with the reason as title, and no edit happens", async () => {
    const { name, state: doc } = docExample("http.md");
    open(name, doc, false, { readOnly: true, readOnlyReason: "Viewers cannot edit." });
    const kind = screen.getByTestId("task-kind") as HTMLSelectElement;
    const fieldset = kind.closest("fieldset")!;
    expect(fieldset.disabled).toBe(true);
    expect(fieldset.title).toBe("Viewers cannot edit.");
    choose("task-kind", "activity");
    type("http-endpoint", "https://elsewhere");
    expect(stateOf(name)).toStrictEqual(doc);
  });

  it("is read-only for viewers in JSONata too: the expression editors cannot be edited", () => {
    const { name, state: doc } = docExample("http.md", true);
    open(name, doc, true, { readOnly: true, readOnlyReason: "Viewers cannot edit." });
    for (const id of ["io-arguments", "io-output"]) {
      const view = expressionViewIn(screen.getByTestId(id))!;
      expect(view.state.readOnly).toBe(true);
      expect(screen.getByTestId(id).closest("fieldset")!.title).toBe("Viewers cannot edit.");
    }
    editExpression("io-output", '"{% 1 %}"');
    expect(stateOf(name)).toStrictEqual(doc);
  });
});
