import { describe, expect, it } from "vitest";
import type { Definition } from "../../asl/types";
import { deriveGraph } from "../../graph/derive";
import { edgeMark, nodeMark, withExtraEdges } from "../../graph/marks";
import { diffGraphOf, scopeOfStates, viaRef } from "./diffGraph";
import type { WorkflowDiff } from "./operateApi";

const before: Definition = {
  StartAt: "Approve",
  States: {
    Approve: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Next: "Check" },
    Check: { Type: "Choice", Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Done" }], Default: "Old" },
    Old: { Type: "Fail", Error: "Rejected" },
    Done: { Type: "Succeed" },
  },
};
const after: Definition = {
  StartAt: "Approve",
  States: {
    Approve: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", TimeoutSeconds: 60, Next: "Verify" },
    Verify: { Type: "Choice", Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Notify" }], Default: "Done" },
    Notify: { Type: "Pass", Next: "Done" },
    Done: { Type: "Succeed" },
  },
};

// what the server answers for before -> after (engine/diff.py)
const diff: WorkflowDiff = {
  from: 1,
  to: 2,
  identical: false,
  summary: { added: 1, removed: 1, renamed: 1, changed: 1, transitions: 4, fields: 0 },
  fields: [],
  states: [
    {
      change: "changed", name: "Approve", old_name: "Approve", type: "Task", path: ["Approve"], pointer: "/States/Approve", old_pointer: "/States/Approve",
      fields: [{ change: "added", pointer: "/States/Approve/TimeoutSeconds", old_pointer: null, old: null, new: 60 }],
    },
    { change: "removed", name: "Old", old_name: "Old", type: "Fail", path: ["Old"], pointer: null, old_pointer: "/States/Old", fields: [] },
    { change: "added", name: "Notify", old_name: null, type: "Pass", path: ["Notify"], pointer: "/States/Notify", old_pointer: null, fields: [] },
    { change: "renamed", name: "Verify", old_name: "Check", type: "Choice", path: ["Verify"], pointer: "/States/Verify", old_pointer: "/States/Check", fields: [], similarity: 0.8 },
  ],
  transitions: [
    { change: "removed", scope: "/States", from: "Verify", via: "Choices/0", to: "Done" },
    { change: "removed", scope: "/States", from: "Verify", via: "Default", to: "Old" },
    { change: "removed", scope: "/States", from: "Old", via: "End", to: null },
    { change: "added", scope: "/States", from: "Verify", via: "Choices/0", to: "Notify" },
    { change: "added", scope: "/States", from: "Verify", via: "Default", to: "Done" },
    { change: "added", scope: "/States", from: "Notify", via: "Next", to: "Done" },
  ],
};

describe("diffGraphOf", () => {
  it("puts removed states back as ghosts and marks every state", () => {
    const drawn = diffGraphOf(diff, before, after);
    expect(Object.keys(drawn.definition.States!)).toEqual(["Approve", "Verify", "Notify", "Done", "Old"]);
    expect(drawn.definition.States!.Old).toEqual({ Type: "Fail", Error: "Rejected" });
    expect(after.States!.Old).toBeUndefined(); // B itself is untouched
    const m = drawn.marks;
    expect(nodeMark(m, "/States/Approve")).toEqual({ mark: "changed" });
    expect(nodeMark(m, "/States/Notify")).toEqual({ mark: "added" });
    expect(nodeMark(m, "/States/Old")).toEqual({ mark: "removed" });
    expect(nodeMark(m, "/States/Verify")).toEqual({ mark: "renamed", oldName: "Check" });
    expect(nodeMark(m, "/States/Done")).toBeUndefined();
    expect(drawn.paths.get(diff.states[1]!)).toBe("/States/Old");
  });

  it("marks added transitions and draws removed ones between the states on the graph", () => {
    const drawn = diffGraphOf(diff, before, after);
    const graph = withExtraEdges(deriveGraph(drawn.definition), drawn.marks);
    const marked = Object.fromEntries(graph.edges.map((e) => [`${e.source}>${e.target}:${e.kind}`, edgeMark(drawn.marks, e) ?? "same"]));
    expect(marked).toEqual({
      "#start>/States/Approve:start": "same",
      "/States/Approve>/States/Verify:next": "same",
      "/States/Verify>/States/Notify:choice": "added",
      "/States/Verify>/States/Done:default": "added",
      "/States/Notify>/States/Done:next": "added",
      "/States/Done>#end:end": "same",
      "/States/Old>#end:end": "removed", // the ghost's own transition, drawn from its content
      "/States/Verify>/States/Done:choice": "removed",
      "/States/Verify>/States/Old:default": "removed",
    });
  });

  it("places a ghost inside a renamed container, renames its targets, and never takes a name in use", () => {
    const a: Definition = {
      StartAt: "Fan",
      States: {
        Fan: {
          Type: "Parallel",
          End: true,
          Branches: [{ StartAt: "Gone", States: { Gone: { Type: "Pass", Next: "Step" }, Step: { Type: "Pass", End: true } } }],
        },
      },
    };
    const b: Definition = {
      StartAt: "Spread",
      States: {
        Spread: {
          Type: "Parallel",
          End: true,
          // (defensive: names the ghost could clash with)
          Branches: [{ StartAt: "Stride", States: { Stride: { Type: "Pass", End: true }, Gone: { Type: "Wait", Seconds: 1, End: true }, "Gone (removed)": { Type: "Pass", End: true } } }],
        },
      },
    };
    const d: WorkflowDiff = {
      ...diff,
      states: [
        { change: "renamed", name: "Spread", old_name: "Fan", type: "Parallel", path: ["Spread"], pointer: "/States/Spread", old_pointer: "/States/Fan", fields: [] },
        { change: "renamed", name: "Stride", old_name: "Step", type: "Pass", path: ["Spread", "Branches", "0", "Stride"], pointer: "/States/Spread/Branches/0/States/Stride", old_pointer: "/States/Fan/Branches/0/States/Step", fields: [] },
        { change: "removed", name: "Gone", old_name: "Gone", type: "Pass", path: ["Fan", "Branches", "0", "Gone"], pointer: null, old_pointer: "/States/Fan/Branches/0/States/Gone", fields: [] },
        { change: "added", name: "Gone (removed)", old_name: null, type: "Pass", path: ["Spread", "Branches", "0", "Gone (removed)"], pointer: "/States/Spread/Branches/0/States/Gone (removed)", old_pointer: null, fields: [] },
      ],
      transitions: [{ change: "removed", scope: "/States/Spread/Branches/0/States", from: null, via: "StartAt", to: "Gone" }],
    };
    const drawn = diffGraphOf(d, a, b);
    const branch = (drawn.definition.States!.Spread as { Branches: Definition[] }).Branches[0]!;
    expect(branch.States!["Gone (removed 2)"]).toEqual({ Type: "Pass", Next: "Stride" });
    expect(nodeMark(drawn.marks, "/States/Spread/Branches/0/States/Gone (removed 2)")?.mark).toBe("removed");
    // the removed StartAt points at the ghost under its new name
    expect(drawn.marks.extraEdges.map((e) => [e.source, e.target])).toEqual([["/States/Spread/Branches/0#start", "/States/Spread/Branches/0/States/Gone (removed 2)"]]);
  });

  it("marks what an added container or branch holds", () => {
    const d: WorkflowDiff = {
      ...diff,
      fields: [{ change: "added", pointer: "/States/P/Branches/1", old_pointer: null, old: null, new: {} }],
      states: [{ change: "added", name: "M", old_name: null, type: "Map", path: ["M"], pointer: "/States/M", old_pointer: null, fields: [] }],
      transitions: [],
    };
    const m = diffGraphOf(d, before, after).marks;
    expect(nodeMark(m, "/States/M/ItemProcessor/States/Inner")?.mark).toBe("added");
    expect(nodeMark(m, "/States/P/Branches/1/States/X")?.mark).toBe("added");
    expect(nodeMark(m, "/States/P/Branches/0/States/X")).toBeUndefined();
  });
});

describe("diff addresses", () => {
  it("reads the diff's scopes and vias", () => {
    expect(scopeOfStates("/States")).toBe("");
    expect(scopeOfStates("/States/P/Branches/0/States")).toBe("/States/P/Branches/0");
    expect(viaRef("Next")).toEqual({ kind: "next" });
    expect(viaRef("Choices/2")).toEqual({ kind: "choice", index: 2 });
    expect(viaRef("Catch/0")).toEqual({ kind: "catch", index: 0 });
    expect(viaRef("StartAt")).toEqual({ kind: "start" });
    expect(viaRef("End")).toEqual({ kind: "end" });
  });
});
