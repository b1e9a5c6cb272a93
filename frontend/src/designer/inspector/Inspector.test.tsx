import { beforeEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { resetStudio, useStudio } from "../../asl/store";
import type { Definition } from "../../asl/types";
import { Inspector } from "./Inspector";
import { expressionViewIn } from "./ExpressionField";

const def = (): Definition => ({
  StartAt: "Fetch",
  States: {
    Fetch: {
      Type: "Task",
      Resource: "arn:aws:states:::http:invoke",
      Parameters: { ApiEndpoint: "https://x", Method: "GET" },
      Next: "Route",
    },
    Route: {
      Type: "Choice",
      Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Done" }],
      Default: "Later",
    },
    Later: { Type: "Wait", Seconds: 5, Next: "Done" },
    Done: { Type: "Pass", End: true },
    Items: {
      Type: "Map",
      ItemsPath: "$.items",
      ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "One", States: { One: { Type: "Pass", End: true } } },
      End: true,
    },
    Both: {
      Type: "Parallel",
      Branches: [{ StartAt: "L", States: { L: { Type: "Pass", End: true } } }],
      End: true,
    },
    Oops: { Type: "Fail", Error: "E", Cause: "C" },
  },
});

function open(path: string) {
  resetStudio();
  useStudio.getState().load({ definition: def(), revision: 3 });
  useStudio.getState().select(path);
  return render(<Inspector />);
}

const current = () => useStudio.getState().definition as Record<string, any>;

async function typeAndBlur(testId: string, text: string) {
  const el = screen.getByTestId(testId) as HTMLInputElement;
  await userEvent.clear(el);
  if (text) await userEvent.type(el, text.replace(/[{[]/g, (c) => c + c));
  fireEvent.blur(el);
}

function editExpression(testId: string, text: string) {
  const view = expressionViewIn(screen.getByTestId(testId))!;
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  fireEvent.blur(view.contentDOM);
}

describe("Inspector", () => {
  beforeEach(() => resetStudio());

  it("asks to select a state when nothing is selected, and edits machine settings", async () => {
    resetStudio();
    useStudio.getState().load({ definition: def() });
    render(<Inspector />);
    expect(screen.getByTestId("inspector-empty")).toBeTruthy();
    await typeAndBlur("machine-timeout", "60");
    expect(current().TimeoutSeconds).toBe(60);
  });

  it("renames a state and updates every reference, with undo", async () => {
    open("/States/Done");
    await typeAndBlur("inspector-name", "Finished");
    const d = current();
    expect(d.States.Finished).toBeTruthy();
    expect(d.States.Done).toBeUndefined();
    expect(d.States.Route.Choices[0].Next).toBe("Finished");
    expect(d.States.Later.Next).toBe("Finished");
    expect(useStudio.getState().selection).toBe("/States/Finished");
    expect(useStudio.getState().undoLabel).toContain("Rename Done to Finished");
    useStudio.getState().undo();
    expect(current().States.Done).toBeTruthy();
  });

  it("selects any state from the keyboard picker", async () => {
    open("/States/Done");
    await userEvent.selectOptions(screen.getByTestId("inspector-state-picker"), "/States/Items/ItemProcessor/States/One");
    expect(useStudio.getState().selection).toBe("/States/Items/ItemProcessor/States/One");
    expect((screen.getByTestId("inspector-name") as HTMLInputElement).value).toBe("One");
  });

  it("refuses a name that is taken", async () => {
    open("/States/Done");
    await typeAndBlur("inspector-name", "Later");
    expect(screen.getByTestId("inspector-name-error").textContent).toContain("already exists");
    expect(current().States.Done).toBeTruthy();
  });

  it("edits task configuration and JSONPath processing", async () => {
    open("/States/Fetch");
    await typeAndBlur("task-timeout", "30");
    expect(current().States.Fetch.TimeoutSeconds).toBe(30);
    await typeAndBlur("task-heartbeat", "abc");
    expect(current().States.Fetch.HeartbeatSeconds).toBeUndefined();
    await typeAndBlur("io-result-path", "$.response");
    expect(current().States.Fetch.ResultPath).toBe("$.response");
    await userEvent.click(screen.getByTestId("io-result-path-null"));
    expect(current().States.Fetch.ResultPath).toBeNull();
    await typeAndBlur("io-parameters", '{"ApiEndpoint": "https://y", "Method": "POST"}');
    expect(current().States.Fetch.Parameters).toEqual({ ApiEndpoint: "https://y", Method: "POST" });
    await typeAndBlur("io-result-selector", "{not json");
    expect(current().States.Fetch.ResultSelector).toBeUndefined();
    // Keys are added before Next.
    expect(Object.keys(current().States.Fetch).at(-1)).toBe("Next");
    await userEvent.selectOptions(screen.getByTestId("task-kind"), "function");
    expect(current().States.Fetch.Resource).toBe("arn:aws:states:::lambda:invoke");
  });

  it("edits Retry and Catch", async () => {
    open("/States/Fetch");
    await userEvent.click(screen.getByTestId("retry-add"));
    expect(current().States.Fetch.Retry).toEqual([{ ErrorEquals: ["States.ALL"], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }]);
    await typeAndBlur("retry-0-errors", "States.Timeout, Custom.Error");
    await typeAndBlur("retry-0-max-delay", "10");
    await userEvent.selectOptions(screen.getByTestId("retry-0-jitter"), "FULL");
    expect(current().States.Fetch.Retry[0]).toMatchObject({ ErrorEquals: ["States.Timeout", "Custom.Error"], MaxDelaySeconds: 10, JitterStrategy: "FULL" });
    await userEvent.click(screen.getByTestId("catch-add"));
    await userEvent.selectOptions(screen.getByTestId("catch-0-next"), "Later");
    expect(current().States.Fetch.Catch).toEqual([{ ErrorEquals: ["States.ALL"], Next: "Later", ResultPath: "$.error" }]);
    await userEvent.click(screen.getByTestId("retry-0-remove"));
    expect(current().States.Fetch.Retry).toBeUndefined();
  });

  it("switches a state to JSONata and edits Arguments, Output and Assign", async () => {
    open("/States/Fetch");
    await userEvent.selectOptions(screen.getByTestId("inspector-query-language"), "JSONata");
    expect(current().States.Fetch.QueryLanguage).toBe("JSONata");
    // JSONata fields are expression editors (CodeMirror): replace their text, then leave them.
    editExpression("io-arguments", '{"FunctionName": "f"}');
    editExpression("io-output", '"{% $states.result %}"');
    editExpression("io-assign", '{"count": 1}');
    expect(current().States.Fetch).toMatchObject({ Arguments: { FunctionName: "f" }, Output: "{% $states.result %}", Assign: { count: 1 } });
    expect(screen.queryByTestId("io-input-path")).toBeNull();
  });

  it("builds Choice rules: operators, Path forms, nesting and Default", async () => {
    open("/States/Route");
    await userEvent.selectOptions(screen.getByTestId("choice-0-rule-operator"), "NumericGreaterThan");
    expect(current().States.Route.Choices[0]).toEqual({ Variable: "$.ok", NumericGreaterThan: 0, Next: "Done" });
    await typeAndBlur("choice-0-rule-value", "42");
    expect(current().States.Route.Choices[0].NumericGreaterThan).toBe(42);
    await userEvent.click(screen.getByTestId("choice-0-rule-path"));
    expect(current().States.Route.Choices[0]).toEqual({ Variable: "$.ok", NumericGreaterThanPath: "$.other", Next: "Done" });
    await userEvent.selectOptions(screen.getByTestId("choice-0-rule-kind"), "And");
    expect(current().States.Route.Choices[0]).toEqual({ And: [{ Variable: "$.ok", NumericGreaterThanPath: "$.other" }], Next: "Done" });
    await userEvent.click(screen.getByTestId("choice-0-rule-and-add"));
    await userEvent.selectOptions(screen.getByTestId("choice-0-rule-and-1-kind"), "Not");
    expect(current().States.Route.Choices[0].And[1]).toEqual({ Not: { Variable: "$.value", StringEquals: "" } });
    await userEvent.selectOptions(screen.getByTestId("choice-0-rule-and-1-not-operator"), "IsNull");
    expect(current().States.Route.Choices[0].And[1]).toEqual({ Not: { Variable: "$.value", IsNull: true } });
    await userEvent.click(screen.getByTestId("choice-add"));
    expect(current().States.Route.Choices).toHaveLength(2);
    await userEvent.selectOptions(screen.getByTestId("choice-1-next"), "Later");
    expect(current().States.Route.Choices[1].Next).toBe("Later");
    await userEvent.selectOptions(screen.getByTestId("choice-default"), "Done");
    expect(current().States.Route.Default).toBe("Done");
    await userEvent.selectOptions(screen.getByTestId("choice-default"), "");
    expect(current().States.Route.Default).toBeUndefined();
  });

  it("edits Wait, Fail, Pass and Next/End", async () => {
    open("/States/Later");
    await userEvent.selectOptions(screen.getByTestId("wait-mode"), "TimestampPath");
    expect(current().States.Later).toEqual({ Type: "Wait", TimestampPath: "$.wait", Next: "Done" });
    await typeAndBlur("wait-value", "$.when");
    expect(current().States.Later.TimestampPath).toBe("$.when");
    await userEvent.click(screen.getByTestId("inspector-end"));
    expect(current().States.Later).toEqual({ Type: "Wait", TimestampPath: "$.when", End: true });
  });

  it("edits Map and Parallel specifics", async () => {
    open("/States/Items");
    await typeAndBlur("map-max-concurrency", "5");
    await typeAndBlur("map-tolerated-percentage", "10");
    await userEvent.selectOptions(screen.getByTestId("map-mode"), "DISTRIBUTED");
    expect(current().States.Items).toMatchObject({
      MaxConcurrency: 5,
      ToleratedFailurePercentage: 10,
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" } },
    });
    await typeAndBlur("batcher-max-items", "10");
    expect(current().States.Items.ItemBatcher).toEqual({ MaxItemsPerBatch: 10 });

    useStudio.getState().select("/States/Both");
    await screen.findByTestId("parallel-config");
    await userEvent.click(screen.getByTestId("branch-add"));
    expect(current().States.Both.Branches).toHaveLength(2);
    await userEvent.click(screen.getByTestId("branch-1-remove"));
    expect(current().States.Both.Branches).toHaveLength(1);
  });

  it("edits a Fail state's error and cause", async () => {
    open("/States/Oops");
    await typeAndBlur("fail-error", "Broken");
    await typeAndBlur("fail-cause", "");
    expect(current().States.Oops).toEqual({ Type: "Fail", Error: "Broken" });
    expect(screen.queryByTestId("io-section")).toBeNull();
  });
});
