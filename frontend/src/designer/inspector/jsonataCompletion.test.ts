import { describe, expect, it } from "vitest";
import { CompletionContext } from "@codemirror/autocomplete";
import { EditorState } from "@codemirror/state";
import { completionSource, suggestionsFor, type ExpressionWhere } from "./jsonataCompletion";

const labels = (where: ExpressionWhere) => suggestionsFor(where).map((s) => s.label);

describe("suggestionsFor", () => {
  it("offers $states.result in a Task's Output and Assign, never in Arguments", () => {
    expect(labels({ field: "Output", stateType: "Task", variables: [] })).toContain("$states.result");
    expect(labels({ field: "Assign", stateType: "Map", variables: [] })).toContain("$states.result");
    expect(labels({ field: "Arguments", stateType: "Task", variables: [] })).not.toContain("$states.result");
    expect(labels({ field: "Output", stateType: "Pass", variables: [] })).not.toContain("$states.result");
    expect(labels({ field: "Condition", stateType: "Choice", variables: [] })).not.toContain("$states.result");
  });

  it("offers $states.errorOutput only in a Catch", () => {
    expect(labels({ field: "CatchOutput", stateType: "Task", variables: [] })).toContain("$states.errorOutput");
    expect(labels({ field: "CatchAssign", stateType: "Task", variables: [] })).toContain("$states.errorOutput");
    expect(labels({ field: "Output", stateType: "Task", variables: [] })).not.toContain("$states.errorOutput");
  });

  it("offers the input, the context and its fields, the token in Tasks, Map.Item in a Map, and the variables", () => {
    const all = labels({ field: "Arguments", stateType: "Task", variables: ["total", "who"], inMap: true });
    expect(all.slice(0, 3)).toEqual(["$states.input", "$states.context", "$states.context.Execution.Id"]);
    expect(all).toContain("$states.context.State.EnteredTime");
    expect(all).toContain("$states.context.Task.Token");
    expect(all).toContain("$states.context.Map.Item.Value");
    expect(all.slice(-2)).toEqual(["$total", "$who"]);
    const pass = labels({ field: "Output", stateType: "Pass", variables: [] });
    expect(pass).not.toContain("$states.context.Task.Token");
    expect(pass).not.toContain("$states.context.Map.Item.Index");
  });
});

describe("completionSource", () => {
  const complete = (doc: string, where: ExpressionWhere) => {
    const state = EditorState.create({ doc });
    const result = completionSource(() => where)(new CompletionContext(state, doc.length, false));
    return result ? { from: result.from, options: result.options.map((o) => o.label) } : null;
  };

  it("completes the $ word before the cursor", () => {
    expect(complete('{"a": "{% $states.co', { field: "Arguments", stateType: "Task", variables: [] })?.options[0]).toBe("$states.context");
    const r = complete("{% $to", { field: "Output", stateType: "Pass", variables: ["total", "other"] });
    expect(r).toEqual({ from: 3, options: ["$total"] });
    expect(complete("{% $states.res", { field: "Arguments", stateType: "Task", variables: [] })?.options).toEqual([]);
    expect(complete("{% 1 + 2", { field: "Output", stateType: "Task", variables: [] })).toBeNull();
  });
});
