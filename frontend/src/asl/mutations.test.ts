/** Tests for the pure definition edits in mutations.ts. */
import { describe, expect, it } from "vitest";
import { sampleDefinition } from "./fixtures";
import {
  addBranch,
  addState,
  connect,
  copyStates,
  deleteState,
  disconnect,
  duplicateState,
  insertOnEdge,
  movePath,
  MutationError,
  pasteStatesResult,
  reconnect,
  removeBranch,
  renameState,
  setField,
  setStartAt,
} from "./mutations";
import { allStatePaths, getAt, getState, nameOf } from "./paths";
import { checkReferences } from "./references";
import type { Definition } from "./types";

const frozen = (): Definition => {
  const def = sampleDefinition();
  const deepFreeze = (v: unknown): void => {
    if (v && typeof v === "object") {
      Object.freeze(v);
      Object.values(v).forEach(deepFreeze);
    }
  };
  deepFreeze(def);
  return def;
};

describe("addState", () => {
  it("adds a state in a scope with a unique name and sets StartAt of an empty scope", () => {
    const def = frozen();
    const next = addState(def, "", "Pass");
    expect(getState(next, "/States/Pass")).toEqual({ Type: "Pass", End: true });
    const again = addState(next, "", "Pass");
    expect(getState(again, "/States/Pass 2")).toBeDefined();
    const empty = addState({ States: {} }, "", "Task", { name: "First" });
    expect(empty.StartAt).toBe("First");
    expect(empty.States?.First?.Parameters).toEqual({ FunctionName: "", "Payload.$": "$" });
  });

  it("adds into a Parallel lane or a Map body, and nested containers get unique inner names", () => {
    const def = frozen();
    const inLane = addState(def, "/States/Fan/Branches/1", "Wait", { name: "Hold" });
    expect(getState(inLane, "/States/Fan/Branches/1/States/Hold")?.Type).toBe("Wait");
    const inMap = addState(def, "/States/Each/ItemProcessor", "Parallel", { name: "P2" });
    const inner = getAt(inMap, "/States/Each/ItemProcessor/States/P2/Branches/0/StartAt");
    expect(inner).toBe("Pass");
    const twice = addState(inMap, "", "Map", { name: "M2" });
    expect(getAt(twice, "/States/M2/ItemProcessor/StartAt")).toBe("Pass 2");
  });

  it("refuses a taken name", () => {
    expect(() => addState(frozen(), "", "Pass", { name: "Deep" })).toThrow(MutationError);
  });
});

describe("insertOnEdge", () => {
  it("inserts on a Next edge and keeps States order", () => {
    const next = insertOnEdge(frozen(), { kind: "next", source: "/States/Validate" }, "Pass", { name: "Log" });
    expect(next.States?.Validate?.Next).toBe("Log");
    expect(next.States?.Log).toEqual({ Type: "Pass", Next: "Route" });
    expect(Object.keys(next.States ?? {}).slice(0, 3)).toEqual(["Validate", "Log", "Route"]);
    expect(checkReferences(next)).toEqual([]);
  });

  it("inserts on Default, a rule, a catch, the start and an end edge", () => {
    const def = frozen();
    expect(insertOnEdge(def, { kind: "default", source: "/States/Route" }, "Pass", { name: "X" }).States?.Route?.Default).toBe("X");
    const rule = insertOnEdge(def, { kind: "choice", source: "/States/Route", index: 1 }, "Pass", { name: "X" });
    expect(rule.States?.Route?.Choices?.[1]?.Next).toBe("X");
    expect(rule.States?.X?.Next).toBe("Each");
    const caught = insertOnEdge(def, { kind: "catch", source: "/States/Validate", index: 0 }, "Pass", { name: "X" });
    expect(caught.States?.Validate?.Catch?.[0]?.Next).toBe("X");
    const start = insertOnEdge(def, { kind: "start", source: "/States/Fan/Branches/1" }, "Pass", { name: "X" });
    expect(getAt(start, "/States/Fan/Branches/1/StartAt")).toBe("X");
    expect(getAt(start, "/States/Fan/Branches/1/States/X/Next")).toBe("Right");
    const end = insertOnEdge(def, { kind: "end", source: "/States/Fan/Branches/1/States/Right" }, "Pass", { name: "X" });
    expect(getState(end, "/States/Fan/Branches/1/States/Right")).toEqual({ Type: "Pass", Next: "X" });
    expect(getState(end, "/States/Fan/Branches/1/States/X")).toEqual({ Type: "Pass", End: true });
    const choice = insertOnEdge(def, { kind: "next", source: "/States/Validate" }, "Choice", { name: "C" });
    expect(choice.States?.C).toEqual({ Type: "Choice", Choices: [], Default: "Route" });
    for (const d of [rule, caught, start, end]) expect(checkReferences(d)).toEqual([]);
  });
});

describe("deleteState", () => {
  it("reconnects predecessors to the deleted state's Next", () => {
    const next = deleteState(frozen(), "/States/Fan/Branches/0/States/Left");
    expect(getAt(next, "/States/Fan/Branches/0/StartAt")).toBe("LeftWait");
    expect(checkReferences(next)).toEqual([]);
  });

  it("turns Next into End when an end state is deleted", () => {
    const next = deleteState(frozen(), "/States/Fan/Branches/0/States/LeftWait");
    expect(getState(next, "/States/Fan/Branches/0/States/Left")).toEqual({ Type: "Pass", End: true });
  });

  it("ends what led to a deleted end state: Next becomes End, its Default, rules and catchers go", () => {
    const next = deleteState(frozen(), "/States/Done");
    expect(checkReferences(next)).toEqual([]);
    expect(next.States?.Fan?.End).toBe(true);
    expect(next.States?.Each?.End).toBe(true);
    expect(next.States?.Route?.Default).toBeUndefined();
    const oops = deleteState(frozen(), "/States/Oops");
    expect(oops.States?.Validate?.Catch).toBeUndefined();
    expect(checkReferences(oops)).toEqual([]);
    const kept = deleteState(frozen(), "/States/Route", { reconnect: false });
    expect(checkReferences(kept).map((d) => d.location)).toEqual(["/States/Validate/Next"]);
    const start = deleteState(frozen(), "/States/Validate", { reconnect: false });
    expect(checkReferences(start)[0]?.code).toBe("START_AT_NOT_FOUND");
  });

  it("joins the neighbours in the middle of a chain: StartAt, Next, Choice rules, Default and Catch follow", () => {
    const chain: Definition = {
      StartAt: "Mid",
      States: {
        First: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Next: "Mid", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Mid" }] },
        Pick: { Type: "Choice", Choices: [{ Variable: "$.x", BooleanEquals: true, Next: "Mid" }], Default: "Mid" },
        Mid: { Type: "Pass", Next: "Last" },
        Last: { Type: "Succeed" },
      },
    };
    const next = deleteState(chain, "/States/Mid");
    expect(next.StartAt).toBe("Last");
    expect(next.States?.First?.Next).toBe("Last");
    expect(next.States?.First?.Catch?.[0]?.Next).toBe("Last");
    expect(next.States?.Pick?.Choices?.[0]?.Next).toBe("Last");
    expect(next.States?.Pick?.Default).toBe("Last");
    expect(checkReferences(next)).toEqual([]);
    expect(chain.States?.Mid).toBeDefined(); // the input is untouched
  });

  it("hands a deleted Choice's predecessors to its Default", () => {
    const next = deleteState(frozen(), "/States/Route");
    expect(next.States?.Validate?.Next).toBe("Done");
    expect(checkReferences(next)).toEqual([]);
  });
});

describe("renameState", () => {
  it("updates StartAt, Next, Default, rules and catchers", () => {
    let def = renameState(frozen(), "/States/Done", "Finished");
    def = renameState(def, "/States/Oops", "Broken");
    def = renameState(def, "/States/Validate", "Check");
    expect(def.StartAt).toBe("Check");
    expect(Object.keys(def.States ?? {})).toEqual(["Check", "Route", "Fan", "Each", "Broken", "Finished"]);
    expect(def.States?.Route?.Default).toBe("Finished");
    expect(def.States?.Check?.Catch?.[0]?.Next).toBe("Broken");
    expect(def.States?.Fan?.Next).toBe("Finished");
    expect(checkReferences(def)).toEqual([]);
  });

  it("renames inside nested Parallel in Map and updates every reference there", () => {
    const deep = "/States/Each/ItemProcessor/States/Inner/Branches/0/States/Deeper";
    let def = renameState(frozen(), deep, "Deepest");
    expect(getAt(def, "/States/Each/ItemProcessor/States/Inner/Branches/0/States/Deep/Next")).toBe("Deepest");
    def = renameState(def, "/States/Each/ItemProcessor/States/Inner/Branches/0/States/Deep", "Top");
    expect(getAt(def, "/States/Each/ItemProcessor/States/Inner/Branches/0/StartAt")).toBe("Top");
    def = renameState(def, "/States/Each/ItemProcessor/States/After", "Later");
    expect(getAt(def, "/States/Each/ItemProcessor/States/Inner/Next")).toBe("Later");
    def = renameState(def, "/States/Each/ItemProcessor/States/Inner", "Nested");
    expect(getAt(def, "/States/Each/ItemProcessor/StartAt")).toBe("Nested");
    expect(getAt(def, "/States/Each/ItemProcessor/States/Nested/Branches/0/States/Top/Next")).toBe("Deepest");
    expect(checkReferences(def)).toEqual([]);
  });

  it("refuses a name used anywhere in the machine", () => {
    expect(() => renameState(frozen(), "/States/Done", "Deep")).toThrow(/already exists/);
    expect(() => renameState(frozen(), "/States/Done", "")).toThrow(MutationError);
  });

  it("movePath re-addresses nested paths", () => {
    expect(movePath("/States/Fan/Branches/0/States/Left", "/States/Fan", "/States/Fork")).toBe("/States/Fork/Branches/0/States/Left");
    expect(movePath("/States/Fanny", "/States/Fan", "/States/Fork")).toBe("/States/Fanny");
  });
});

describe("connect, reconnect, disconnect", () => {
  it("connects Next (replacing End in place), Default, new rules and catchers", () => {
    const def = frozen();
    const next = connect(def, { source: "/States/Fan/Branches/1/States/Right", target: "/States/Fan/Branches/1/States/Right" });
    expect(getState(next, "/States/Fan/Branches/1/States/Right")).toEqual({ Type: "Pass", Next: "Right" });
    const rule = connect(def, { source: "/States/Route", target: "/States/Oops" });
    expect(rule.States?.Route?.Choices?.[2]).toEqual({ Variable: "$", IsPresent: true, Next: "Oops" });
    const catcher = connect(def, { source: "/States/Fan", target: "/States/Oops", kind: "catch" });
    expect(catcher.States?.Fan?.Catch).toEqual([{ ErrorEquals: ["States.ALL"], Next: "Oops" }]);
    const setRule = connect(def, { source: "/States/Route", target: "/States/Oops", kind: "choice", index: 0 });
    expect(setRule.States?.Route?.Choices?.[0]?.Next).toBe("Oops");
  });

  it("refuses cross-scope transitions and transitions out of Succeed/Fail", () => {
    expect(() => connect(frozen(), { source: "/States/Validate", target: "/States/Fan/Branches/0/States/Left" })).toThrow(/scope/);
    expect(() => connect(frozen(), { source: "/States/Done", target: "/States/Route" })).toThrow(MutationError);
  });

  it("reconnects a transition's target or source", () => {
    const def = frozen();
    const target = reconnect(def, { kind: "choice", source: "/States/Route", index: 0 }, { target: "/States/Done" });
    expect(target.States?.Route?.Choices?.[0]?.Next).toBe("Done");
    const start = reconnect(def, { kind: "start", source: "" }, { target: "/States/Route" });
    expect(start.StartAt).toBe("Route");
    const moved = reconnect(def, { kind: "catch", source: "/States/Validate", index: 0 }, { source: "/States/Fan" });
    expect(moved.States?.Validate?.Catch).toBeUndefined();
    expect(moved.States?.Fan?.Catch).toEqual([{ ErrorEquals: ["States.TaskFailed", "Custom"], Next: "Oops" }]);
    const plain = reconnect(def, { kind: "next", source: "/States/Fan" }, { source: "/States/Each" });
    expect(plain.States?.Fan?.End).toBe(true);
    expect(plain.States?.Each?.Next).toBe("Done");
  });

  it("disconnects", () => {
    const def = frozen();
    expect(disconnect(def, { kind: "next", source: "/States/Fan" }).States?.Fan).toMatchObject({ End: true });
    expect(disconnect(def, { kind: "default", source: "/States/Route" }).States?.Route?.Default).toBeUndefined();
    expect(disconnect(def, { kind: "choice", source: "/States/Route", index: 0 }).States?.Route?.Choices).toHaveLength(1);
    expect(disconnect(def, { kind: "catch", source: "/States/Validate", index: 0 }).States?.Validate?.Catch).toBeUndefined();
    expect(setStartAt(def, "/States/Route").StartAt).toBe("Route");
  });
});

describe("setField", () => {
  it("sets, creates and removes nested fields", () => {
    const def = frozen();
    const set = setField(def, "/States/Validate", "/Parameters/FunctionName", "fn");
    expect(getAt(set, "/States/Validate/Parameters")).toEqual({ FunctionName: "fn" });
    const retry = setField(def, "/States/Validate", "/Retry/-", { ErrorEquals: ["States.ALL"] });
    expect(getAt(retry, "/States/Validate/Retry/0/ErrorEquals")).toEqual(["States.ALL"]);
    const removed = setField(def, "/States/Validate", "/Catch/0", undefined);
    expect(getAt(removed, "/States/Validate/Catch")).toEqual([]);
    const top = setField(def, "", "/Comment", undefined);
    expect(top.Comment).toBeUndefined();
  });
});

describe("copying", () => {
  it("duplicates a state after itself with fresh nested names", () => {
    const next = duplicateState(frozen(), "/States/Fan");
    expect(Object.keys(next.States ?? {}).indexOf("Fan copy")).toBe(3);
    const names = allStatePaths(next).map(nameOf);
    expect(new Set(names).size).toBe(names.length);
    expect(getAt(next, "/States/Fan copy/Branches/0/StartAt")).toBe("Left 2");
    expect(getAt(next, "/States/Fan copy/Branches/0/States/Left 2/Next")).toBe("LeftWait 2");
    expect(checkReferences(next)).toEqual([]);
  });

  it("pastes states with renames that follow internal transitions", () => {
    const def = frozen();
    const clip = copyStates(def, ["/States/Fan/Branches/0/States/Left", "/States/Fan/Branches/0/States/LeftWait"]);
    const { definition, paths } = pasteStatesResult(def, "/States/Fan/Branches/1", clip);
    expect(paths).toEqual(["/States/Fan/Branches/1/States/Left 2", "/States/Fan/Branches/1/States/LeftWait 2"]);
    expect(getAt(definition, "/States/Fan/Branches/1/States/Left 2/Next")).toBe("LeftWait 2");
    const empty = pasteStatesResult({ States: {} }, "", clip).definition;
    expect(empty.StartAt).toBe("Left");
  });
});

describe("branches", () => {
  it("adds and removes Parallel branches", () => {
    const def = frozen();
    const added = addBranch(def, "/States/Fan");
    expect(getAt(added, "/States/Fan/Branches/2")).toEqual({ StartAt: "Pass", States: { Pass: { Type: "Pass", End: true } } });
    expect(() => addBranch(def, "/States/Each")).toThrow(MutationError);
    expect((getAt(removeBranch(def, "/States/Fan", 0), "/States/Fan/Branches") as unknown[]).length).toBe(1);
  });
});
