/** Tests for the ELK result cache: keys by input, memory and localStorage, the oldest dropped. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { sampleDefinition } from "../asl/fixtures";
import { deriveGraph } from "./derive";
import { toElk } from "./elkGraph";
import { layoutGraph } from "./layout";
import { cachedLayout, clearLayoutCache, layoutKey, storeLayout } from "./layoutCache";
import type { Boxes } from "./types";

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
});

describe("cachedLayout / storeLayout", () => {
  it("answers from memory, then from localStorage after memory is gone", () => {
    expect(cachedLayout("k1")).toBeNull();
    storeLayout("k1", box(1));
    expect(cachedLayout("k1")).toEqual(box(1));
    const stored = localStorage.getItem("stateyard.layout.v1.k1");
    expect(stored && JSON.parse(stored).boxes).toEqual(box(1));
    clearLayoutCache();
    localStorage.setItem("stateyard.layout.v1.k1", stored!);
    expect(cachedLayout("k1")).toEqual(box(1)); // a new page load: from storage
  });

  it("keeps at most twelve layouts in storage, dropping the oldest", () => {
    let now = 1000;
    vi.spyOn(Date, "now").mockImplementation(() => now++);
    for (let i = 0; i < 15; i++) storeLayout(`k${i}`, box(i));
    const kept = Object.keys(localStorage).filter((k) => k.startsWith("stateyard.layout.v1."));
    expect(kept).toHaveLength(12);
    expect(kept).not.toContain("stateyard.layout.v1.k0");
    expect(kept).toContain("stateyard.layout.v1.k14");
  });

  it("ignores a broken stored entry", () => {
    localStorage.setItem("stateyard.layout.v1.bad", "{not json");
    expect(cachedLayout("bad")).toBeNull();
  });
});

describe("layoutGraph with the cache", () => {
  it("reuses ELK's result for the same graph (manual positions still apply)", async () => {
    const graph = deriveGraph(sampleDefinition());
    const first = await layoutGraph(graph, { direction: "TB" });
    const key = layoutKey(toElk(graph, "TB"));
    expect(cachedLayout(key)).not.toBeNull();
    // a marked entry proves the second call reads the cache instead of running ELK
    storeLayout(key, { ...cachedLayout(key)!, "/States/Validate": { x: 4242, y: 7, width: 184, height: 48 } });
    const second = await layoutGraph(graph, { direction: "TB", positions: { "/States/Done": { x: 1, y: 2 } } });
    expect(second["/States/Validate"]).toMatchObject({ x: 4242, y: 7 });
    expect(second["/States/Done"]).toMatchObject({ x: 1, y: 2 });
    expect(Object.keys(second).sort()).toEqual(Object.keys(first).sort());
  });
});
