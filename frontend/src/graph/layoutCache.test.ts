/** Tests for the ELK result cache: keys by skeleton, memory and localStorage, the oldest dropped, renames reuse. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { sampleDefinition } from "../asl/fixtures";
import { deriveGraph } from "./derive";
import { toElk } from "./elkGraph";
import { elkInput, layoutGraph } from "./layout";
import { cachedLayout, clearLayoutCache, storeLayout } from "./layoutCache";
import { skeletonOf, type SlotLayout } from "./skeleton";
import type { Boxes } from "./types";
import type { Definition } from "../asl/types";

const layoutKey = (graph: Parameters<typeof skeletonOf>[0]) => skeletonOf(graph).key;

const box = (x: number): Boxes => ({ a: { x, y: 0, width: 10, height: 10 } });

afterEach(() => {
  clearLayoutCache();
  vi.restoreAllMocks();
});

describe("layoutKey", () => {
  it("is the same for the same input and differs for another direction or graph", () => {
    const graph = deriveGraph(sampleDefinition());
    expect(layoutKey(toElk(graph, "TB"))).toBe(layoutKey(toElk(deriveGraph(sampleDefinition()), "TB")));
    expect(layoutKey(toElk(graph, "TB"))).not.toBe(layoutKey(toElk(graph, "LR")));
    const smaller = deriveGraph({ StartAt: "A", States: { A: { Type: "Pass", End: true } } });
    expect(layoutKey(toElk(smaller, "TB"))).not.toBe(layoutKey(toElk(graph, "TB")));
  });

  it("ignores names: a renamed state keeps the key, a new transition changes it", () => {
    const one = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", End: true } } };
    const renamed = { StartAt: "A", States: { A: { Type: "Pass", Next: "Bee" }, Bee: { Type: "Pass", End: true } } };
    const rewired = { StartAt: "A", States: { A: { Type: "Pass", End: true }, B: { Type: "Pass", End: true } } };
    const key = (d: Definition) => layoutKey(toElk(deriveGraph(d), "TB"));
    expect(key(renamed)).toBe(key(one));
    expect(key(rewired)).not.toBe(key(one));
  });
});

describe("cachedLayout / storeLayout", () => {
  it("answers from memory, then from localStorage after memory is gone", () => {
    expect(cachedLayout("k1")).toBeNull();
    storeLayout("k1", box(1));
    expect(cachedLayout("k1")).toEqual(box(1));
    const stored = localStorage.getItem("stateyard.layout.v2.k1");
    expect(stored && JSON.parse(stored).boxes).toEqual(box(1));
    clearLayoutCache();
    localStorage.setItem("stateyard.layout.v2.k1", stored!);
    expect(cachedLayout("k1")).toEqual(box(1)); // a new page load: from storage
  });

  it("keeps at most twelve layouts in storage, dropping the oldest", () => {
    let now = 1000;
    vi.spyOn(Date, "now").mockImplementation(() => now++);
    for (let i = 0; i < 15; i++) storeLayout(`k${i}`, box(i));
    const kept = Object.keys(localStorage).filter((k) => k.startsWith("stateyard.layout.v2."));
    expect(kept).toHaveLength(12);
    expect(kept).not.toContain("stateyard.layout.v2.k0");
    expect(kept).toContain("stateyard.layout.v2.k14");
  });

  it("ignores a broken stored entry", () => {
    localStorage.setItem("stateyard.layout.v2.bad", "{not json");
    expect(cachedLayout("bad")).toBeNull();
  });
});

describe("layoutGraph with the cache", () => {
  it("reuses ELK's result for the same shape (manual positions still apply)", async () => {
    const graph = deriveGraph(sampleDefinition());
    const first = await layoutGraph(graph, { direction: "TB" });
    const { skeleton } = elkInput(graph, "TB");
    const cached = cachedLayout<SlotLayout>(skeleton.key);
    expect(cached).not.toBeNull();
    // a marked entry proves the second call reads the cache instead of running ELK
    // (the cache holds ELK's whole result by position: boxes and edge routes)
    const validate = skeleton.nodes.indexOf("/States/Validate");
    const boxes = cached!.boxes.map((b, i) => (i === validate ? { ...b, x: 4242, y: 7 } : b));
    storeLayout(skeleton.key, { ...cached!, boxes });
    const second = await layoutGraph(graph, { direction: "TB", positions: { "/States/Done": { x: 1, y: 2 } } });
    expect(second.boxes["/States/Validate"]).toMatchObject({ x: 4242, y: 7 });
    expect(second.boxes["/States/Done"]).toMatchObject({ x: 1, y: 2 });
    expect(Object.keys(second.boxes).sort()).toEqual(Object.keys(first.boxes).sort());
    expect(Object.keys(second.routes).length).toBeGreaterThan(0);
  });

  it("hands a renamed state the layout of its old name, with the new ids", async () => {
    const definition = sampleDefinition();
    const before = await layoutGraph(deriveGraph(definition), { direction: "TB" });
    const states = Object.fromEntries(Object.entries(definition.States ?? {}).map(([name, state]) => [name === "Validate" ? "Check" : name, state]));
    const renamed = { ...definition, StartAt: definition.StartAt === "Validate" ? "Check" : definition.StartAt, States: states };
    for (const state of Object.values(renamed.States)) if (state.Next === "Validate") state.Next = "Check";
    const graph = deriveGraph(renamed);
    const input = elkInput(graph, "TB");
    expect(cachedLayout(input.skeleton.key)).not.toBeNull(); // no ELK needed
    const after = await layoutGraph(graph, { direction: "TB" }, input);
    expect(after.boxes["/States/Check"]).toEqual(before.boxes["/States/Validate"]);
    expect(after.boxes["/States/Validate"]).toBeUndefined();
    expect(Object.keys(after.routes).length).toBe(Object.keys(before.routes).length);
  });
});
