/** ELK routes: every edge gets an orthogonal route that goes around the containers it does not belong to. */
import { describe, expect, it } from "vitest";
import { sampleDefinition } from "../asl/fixtures";
import type { Definition } from "../asl/types";
import { deriveGraph } from "./derive";
import { absoluteBoxes, encloses, segmentCrossesBox } from "./geometry";
import { layoutGraph } from "./layout";

/** The e2e geometry workflow: a Choice whose edges pass a Parallel and a Map. */
const GEOMETRY: Definition = {
  StartAt: "Prepare",
  States: {
    Prepare: { Type: "Pass", Next: "Route" },
    Route: { Type: "Choice", Choices: [{ Variable: "$.mode", StringEquals: "fan", Next: "Fan out" }], Default: "Each item" },
    "Fan out": {
      Type: "Parallel",
      Branches: [
        { StartAt: "Boom", States: { Boom: { Type: "Fail", Error: "Order.Rejected" } } },
        { StartAt: "Nap", States: { Nap: { Type: "Wait", Seconds: 30, End: true } } },
      ],
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Hold" }],
      Next: "Each item",
    },
    Hold: { Type: "Wait", Seconds: 3600, Next: "Each item" },
    "Each item": { Type: "Map", ItemProcessor: { StartAt: "Work", States: { Work: { Type: "Pass", End: true } } }, Next: "Done" },
    Done: { Type: "Succeed" },
  },
};

async function crossings(definition: Definition, direction: "TB" | "LR") {
  const graph = deriveGraph(definition);
  const { boxes, routes } = await layoutGraph(graph, { direction });
  const absolute = absoluteBoxes(graph, boxes);
  const containers = graph.nodes.filter((n) => n.container);
  const found: string[] = [];
  for (const edge of graph.edges) {
    const route = routes[edge.id];
    expect(route, edge.id).toBeDefined();
    for (let i = 1; i < (route?.length ?? 0); i++) {
      const a = route![i - 1]!;
      const b = route![i]!;
      expect(a.x === b.x || a.y === b.y, `${edge.id} is orthogonal`).toBe(true);
      for (const c of containers) {
        if (encloses(c.id, edge.source) || encloses(c.id, edge.target)) continue;
        if (segmentCrossesBox(a, b, absolute[c.id]!)) found.push(`${edge.id} through ${c.id}`);
      }
    }
  }
  return found;
}

describe("ELK routes", () => {
  for (const direction of ["TB", "LR"] as const) {
    it(`go around containers (${direction})`, async () => {
      expect(await crossings(GEOMETRY, direction)).toEqual([]);
      expect(await crossings(sampleDefinition(), direction)).toEqual([]);
    });
  }

  it("start and end at the handles: in at the top centre, out at the bottom centre (TB)", async () => {
    const graph = deriveGraph(GEOMETRY);
    const { boxes, routes } = await layoutGraph(graph, { direction: "TB" });
    const absolute = absoluteBoxes(graph, boxes);
    const route = routes["e:/States/Prepare#next"]!;
    const prepare = absolute["/States/Prepare"]!;
    const target = absolute["/States/Route"]!;
    expect(route[0]).toEqual({ x: prepare.x + prepare.width / 2, y: prepare.y + prepare.height });
    expect(route[route.length - 1]).toEqual({ x: target.x + target.width / 2, y: target.y });
  });
});

describe("segmentCrossesBox", () => {
  const box = { x: 0, y: 0, width: 10, height: 10 };
  it("sees a segment through the box and not one along or outside it", () => {
    expect(segmentCrossesBox({ x: -5, y: 5 }, { x: 15, y: 5 }, box)).toBe(true);
    expect(segmentCrossesBox({ x: 5, y: -5 }, { x: 5, y: 2 }, box)).toBe(true);
    expect(segmentCrossesBox({ x: -5, y: 0 }, { x: 15, y: 0 }, box)).toBe(false);
    expect(segmentCrossesBox({ x: 11, y: -5 }, { x: 11, y: 15 }, box)).toBe(false);
    expect(segmentCrossesBox({ x: 5, y: -5 }, { x: 5, y: 0.5 }, box)).toBe(false);
  });
});
