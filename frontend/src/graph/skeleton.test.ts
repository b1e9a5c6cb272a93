/** Tests for graph skeletons (layouts by position) and the worker's prefetch name. */
import { describe, expect, it } from "vitest";
import { sampleDefinition } from "../asl/fixtures";
import { deriveGraph } from "./derive";
import { toElk } from "./elkGraph";
import { fromSlots, skeletonOf, toSlots } from "./skeleton";
import { prefetchOf, workerName } from "./workerProtocol";

describe("skeletonOf", () => {
  it("walks nodes and edges in order and keys the shape, not the names", () => {
    const skeleton = skeletonOf(toElk(deriveGraph(sampleDefinition())));
    expect(skeleton.nodes[0]).toBe("#start");
    expect(skeleton.nodes).toContain("/States/Fan/Branches/1/States/Right");
    expect(skeleton.edges).toContain("e:/States/Validate#catch/0");
    const def = sampleDefinition();
    def.Comment = "another comment"; // not in the graph
    expect(skeletonOf(toElk(deriveGraph(def))).key).toBe(skeleton.key);
    expect(skeletonOf(toElk(deriveGraph(def), "LR")).key).not.toBe(skeleton.key);
  });

  it("turns a layout into slots and back, for the same or a renamed graph", () => {
    const one = skeletonOf({ id: "root", children: [{ id: "a" }, { id: "b" }], edges: [{ id: "ab", sources: ["a"], targets: ["b"] }] });
    const two = skeletonOf({ id: "root", children: [{ id: "x" }, { id: "y" }], edges: [{ id: "xy", sources: ["x"], targets: ["y"] }] });
    expect(two.key).toBe(one.key);
    const layout = { boxes: { a: { x: 1, y: 2, width: 3, height: 4 }, b: { x: 5, y: 6, width: 7, height: 8 } }, routes: { ab: [{ x: 0, y: 0 }, { x: 1, y: 1 }] } };
    const slots = toSlots(layout, one);
    expect(fromSlots(slots, one)).toEqual(layout);
    expect(fromSlots(slots, two)).toEqual({ boxes: { x: layout.boxes.a, y: layout.boxes.b }, routes: { xy: layout.routes.ab } });
    const three = skeletonOf({ id: "root", children: [{ id: "x" }] });
    expect(fromSlots(slots, three)).toBeNull();
  });
});

describe("workerName / prefetchOf", () => {
  it("carries the prefetch request in the worker's name", () => {
    expect(prefetchOf(workerName({ workflowId: "abc", laneMarkers: false }))).toEqual({ workflowId: "abc", laneMarkers: false });
    expect(prefetchOf(workerName())).toBeNull();
    expect(prefetchOf("stateyard-layout {broken")).toBeNull();
    expect(prefetchOf("something else")).toBeNull();
  });
});
