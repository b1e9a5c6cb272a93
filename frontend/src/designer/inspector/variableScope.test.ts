import { describe, expect, it } from "vitest";
import type { Definition } from "../../asl/types";
import { analyzeVariables, variableRefs, variablesVisibleAt } from "./variableScope";

const problemsOf = (def: Definition) => analyzeVariables(def).problems.map((p) => `${p.kind} $${p.name} at ${p.path}`);

describe("variableRefs", () => {
  it("finds $name, not $states, $$, $ alone, calls, strings or names bound in the expression", () => {
    expect(variableRefs(" $total + $states.input.x + $sum($items) + $count ")).toEqual(["total", "items", "count"]);
    expect(variableRefs(" 'a $quoted' & \"$also\" & $real ")).toEqual(["real"]);
    expect(variableRefs(" ($x := 1; $map($list, function($v) { $v + $x + $k })) ")).toEqual(["list", "k"]);
    expect(variableRefs("$$.Execution.Id")).toEqual([]);
    expect(variableRefs("$.order.total")).toEqual([]);
    expect(variableRefs("$customer.name")).toEqual(["customer"]);
  });
});

describe("analyzeVariables", () => {
  it("lists where each variable is assigned and read, in both languages", () => {
    const def: Definition = {
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Assign: { total: 0, "who.$": "$.name" }, Next: "Use" },
        Use: { Type: "Pass", Parameters: { "sum.$": "$total", "greeting.$": "States.Format('Hi {}', $who)" }, Next: "Route" },
        Route: {
          Type: "Choice",
          Choices: [{ Variable: "$total", NumericGreaterThan: 10, Assign: { big: true }, Next: "Done" }],
          Default: "Done",
        },
        Done: { Type: "Succeed" },
      },
    };
    const { variables } = analyzeVariables(def);
    expect(variables).toEqual([
      { name: "big", assigned: ["/States/Route"], read: [] },
      { name: "total", assigned: ["/States/Init"], read: ["/States/Use", "/States/Route"] },
      { name: "who", assigned: ["/States/Init"], read: ["/States/Use"] },
    ]);
    expect(problemsOf(def)).toEqual([]);
  });

  it("flags a read before any assignment on some path, and a state reading its own Assign's variable", () => {
    const def: Definition = {
      QueryLanguage: "JSONata",
      StartAt: "Route",
      States: {
        Route: { Type: "Choice", Choices: [{ Condition: "{% $states.input.a %}", Next: "SetIt" }], Default: "Read" },
        SetIt: { Type: "Pass", Assign: { x: 1 }, Next: "Read" },
        Read: { Type: "Pass", Output: "{% $x %}", Next: "Self" },
        Self: { Type: "Pass", Assign: { y: "{% $y + 1 %}" }, End: true },
      },
    };
    expect(problemsOf(def)).toEqual(["not-on-every-path $x at /States/Read", "not-on-every-path $y at /States/Self"]);
    // Assigned on both ways: no problem.
    const both = structuredClone(def);
    (both.States!.Route as Record<string, unknown>).Assign = { x: 2 };
    expect(problemsOf(both)).toEqual(["not-on-every-path $y at /States/Self"]);
  });

  it("a Catch's Assign counts on the catch path only, the state's own Assign on the normal one", () => {
    const def: Definition = {
      QueryLanguage: "JSONata",
      StartAt: "Call",
      States: {
        Call: {
          Type: "Task",
          Resource: "arn:aws:states:::http:invoke",
          Assign: { ok: true },
          Catch: [{ ErrorEquals: ["States.ALL"], Assign: { err: "{% $states.errorOutput %}" }, Next: "Failed" }],
          Next: "Fine",
        },
        Fine: { Type: "Pass", Output: "{% $ok %}", End: true },
        Failed: { Type: "Pass", Output: "{% [$err, $ok] %}", End: true },
      },
    };
    expect(problemsOf(def)).toEqual(["not-on-every-path $ok at /States/Failed"]);
  });

  it("branches read outer variables; what a branch assigns is out of scope outside it", () => {
    const def: Definition = {
      QueryLanguage: "JSONata",
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Assign: { limit: 5 }, Next: "Both" },
        Both: {
          Type: "Parallel",
          Branches: [
            { StartAt: "A", States: { A: { Type: "Pass", Output: "{% $limit %}", Assign: { inner: 1 }, Next: "B" }, B: { Type: "Pass", Output: "{% $inner %}", End: true } } },
            { StartAt: "C", States: { C: { Type: "Pass", Output: "{% $inner %}", End: true } } },
          ],
          Next: "After",
        },
        After: { Type: "Pass", Output: "{% $inner %}", Next: "Never" },
        Never: { Type: "Pass", Output: "{% $ghost %}", End: true },
      },
    };
    expect(problemsOf(def)).toEqual([
      "out-of-scope $inner at /States/After",
      "unassigned $ghost at /States/Never",
      "out-of-scope $inner at /States/Both/Branches/1/States/C",
    ]);
    expect(analyzeVariables(def).problems[0]!.message).toBe("$inner is assigned only inside Both: not visible here.");
  });

  it("a Map's processor inherits what is assigned before the Map, not the Map's own Assign", () => {
    const def: Definition = {
      QueryLanguage: "JSONata",
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Assign: { rate: 2 }, Next: "Each" },
        Each: {
          Type: "Map",
          Assign: { done: true },
          ItemProcessor: { StartAt: "One", States: { One: { Type: "Pass", Output: "{% [$rate, $done] %}", End: true } } },
          End: true,
        },
      },
    };
    expect(problemsOf(def)).toEqual(["not-on-every-path $done at /States/Each/ItemProcessor/States/One"]);
  });

  it("a loop keeps what is assigned before it", () => {
    const def: Definition = {
      QueryLanguage: "JSONata",
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Assign: { n: 0 }, Next: "Loop" },
        Loop: { Type: "Pass", Assign: { n: "{% $n + 1 %}", m: 1 }, Next: "Check" },
        Check: { Type: "Choice", Choices: [{ Condition: "{% $n < $m * 3 %}", Next: "Loop" }], Default: "Done" },
        Done: { Type: "Succeed" },
      },
    };
    expect(problemsOf(def)).toEqual([]);
  });

  it("lists the variables visible at a state for completion (own and enclosing scopes)", () => {
    const def: Definition = {
      StartAt: "Init",
      States: {
        Init: { Type: "Pass", Assign: { outer: 1 }, Next: "Both" },
        Both: { Type: "Parallel", Branches: [{ StartAt: "A", States: { A: { Type: "Pass", Assign: { inner: 1 }, End: true } } }], End: true },
      },
    };
    expect(variablesVisibleAt(def, "/States/Both/Branches/0/States/A")).toEqual(["inner", "outer"]);
    expect(variablesVisibleAt(def, "/States/Init")).toEqual(["outer"]);
  });
});
