/** Tests for the layouts: synchronous fallback and ELK (main thread in tests), directions, manual positions. */
import { describe, expect, it } from "vitest";
import { sampleDefinition } from "../asl/fixtures";
import { deriveGraph } from "./derive";
import { layoutGraph, layoutSync } from "./layout";
import type { Boxes } from "./types";

const graph = deriveGraph(sampleDefinition());
const lanes = ["/States/Fan/Branches/0", "/States/Fan/Branches/1"];

function checkNesting(boxes: Boxes) {
  for (const node of graph.nodes) expect(boxes[node.id], node.id).toBeDefined();
  const fan = boxes["/States/Fan"];
  for (const lane of lanes) {
    const box = boxes[lane];
    expect(box && fan && box.x + box.width <= fan.width + 0.5 && box.y + box.height <= fan.height + 0.5).toBe(true);
  }
}

describe("layoutSync", () => {
  it("layers top-down with lanes side by side, in order", () => {
    const boxes = layoutSync(graph, { direction: "TB" });
    checkNesting(boxes);
    expect(boxes["#start"]!.y).toBeLessThan(boxes["/States/Validate"]!.y);
    expect(boxes["/States/Validate"]!.y).toBeLessThan(boxes["/States/Route"]!.y);
    expect(boxes["#end"]!.y).toBeGreaterThan(boxes["/States/Done"]!.y);
    expect(boxes[lanes[0]!]!.x).toBeLessThan(boxes[lanes[1]!]!.x);
    expect(boxes[lanes[0]!]!.y).toBe(boxes[lanes[1]!]!.y);
  });

  it("goes left to right with lanes stacked", () => {
    const boxes = layoutSync(graph, { direction: "LR" });
    expect(boxes["/States/Validate"]!.x).toBeLessThan(boxes["/States/Route"]!.x);
    expect(boxes[lanes[0]!]!.y).toBeLessThan(boxes[lanes[1]!]!.y);
  });

  it("lets manual positions win", () => {
    const boxes = layoutSync(graph, { positions: { "/States/Route": { x: 999, y: -5 } } });
    expect(boxes["/States/Route"]).toMatchObject({ x: 999, y: -5 });
  });
});

describe("layoutGraph (ELK)", () => {
  it("lays out nested scopes with lanes in order", async () => {
    const { boxes } = await layoutGraph(graph, { direction: "TB", positions: { "/States/Done": { x: 1, y: 2 } } });
    checkNesting(boxes);
    expect(boxes[lanes[0]!]!.x).toBeLessThan(boxes[lanes[1]!]!.x);
    expect(boxes["/States/Validate"]!.y).toBeLessThan(boxes["/States/Route"]!.y);
    expect(boxes["/States/Done"]).toMatchObject({ x: 1, y: 2 });
    const { boxes: lr } = await layoutGraph(graph, { direction: "LR" });
    expect(lr["/States/Validate"]!.x).toBeLessThan(lr["/States/Route"]!.x);
    expect(lr[lanes[0]!]!.y).toBeLessThan(lr[lanes[1]!]!.y);
  });
});
