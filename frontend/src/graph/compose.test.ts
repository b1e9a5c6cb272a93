/** Tests for the scope-by-scope ELK layout: containers of one shape are laid out once, edits re-lay out only what they touch. */
import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkNode } from "elkjs/lib/elk-api";
import { describe, expect, it } from "vitest";
import type { Definition } from "../asl/types";
import { ScopeMemo, composeLayout, type ElkEngine } from "./compose";
import { deriveGraph } from "./derive";
import { toElk } from "./elkGraph";
import { absoluteBoxes } from "./geometry";

/** ELK, counting the flat graphs it is given (by their root's id). */
function countingEngine(): ElkEngine & { calls: string[] } {
  const elk = new ELK();
  const calls: string[] = [];
  return {
    calls,
    layout: (graph: ElkNode) => {
      calls.push(graph.id);
      return elk.layout(graph);
    },
  };
}

const fan = (name: string, next?: string) => ({
  Type: "Parallel",
  Branches: [
    { StartAt: `${name} a`, States: { [`${name} a`]: { Type: "Pass", End: true } } },
    { StartAt: `${name} b`, States: { [`${name} b`]: { Type: "Pass", Next: `${name} c` }, [`${name} c`]: { Type: "Pass", End: true } } },
  ],
  ...(next ? { Next: next } : { End: true }),
});

const TWO_FANS: Definition = { StartAt: "One", States: { One: fan("One", "Two"), Two: fan("Two") } };

describe("composeLayout", () => {
  it("lays out each shape of scope once: two alike Parallels cost one layout of their lanes", async () => {
    const engine = countingEngine();
    const graph = deriveGraph(TWO_FANS);
    const { boxes, routes } = await composeLayout(toElk(graph), engine, new ScopeMemo());
    // root, One (container), its two lanes; Two and its lanes are the same shapes as One's
    expect(engine.calls).toEqual(["/States/One/Branches/0", "/States/One/Branches/1", "/States/One", "root"]);
    for (const node of graph.nodes) expect(boxes[node.id], node.id).toBeDefined();
    for (const edge of graph.edges) expect(routes[edge.id], edge.id).toBeDefined();
    // the second container got the first one's layout, at its own place
    expect(boxes["/States/Two"]!.width).toBe(boxes["/States/One"]!.width);
    expect(boxes["/States/Two/Branches/1/States/Two b"]).toEqual(boxes["/States/One/Branches/1/States/One b"]);
    const absolute = absoluteBoxes(graph, boxes);
    expect(absolute["/States/Two"]!.y).toBeGreaterThan(absolute["/States/One"]!.y + absolute["/States/One"]!.height);
  });

  it("routes inside a container in root coordinates, from handle to handle", async () => {
    const graph = deriveGraph(TWO_FANS);
    const { boxes, routes } = await composeLayout(toElk(graph), countingEngine(), new ScopeMemo());
    const absolute = absoluteBoxes(graph, boxes);
    const from = absolute["/States/Two/Branches/1/States/Two b"]!;
    const to = absolute["/States/Two/Branches/1/States/Two c"]!;
    const route = routes["e:/States/Two/Branches/1/States/Two b#next"]!;
    expect(route[0]).toEqual({ x: from.x + from.width / 2, y: from.y + from.height });
    expect(route[route.length - 1]).toEqual({ x: to.x + to.width / 2, y: to.y });
    // the edge into a container ends on the middle of its top side
    const into = routes["e:/States/One#next"]!;
    const two = absolute["/States/Two"]!;
    expect(into[into.length - 1]).toEqual({ x: two.x + two.width / 2, y: two.y });
  });

  it("after an edit inside one container, lays out only the scopes whose shape changed", async () => {
    const engine = countingEngine();
    const memo = new ScopeMemo();
    await composeLayout(toElk(deriveGraph(TWO_FANS)), engine, memo);
    engine.calls.length = 0;
    const edited = structuredClone(TWO_FANS);
    const lane = (edited.States!.Two as { Branches: { States: Record<string, unknown> }[] }).Branches[0]!;
    lane.States = { "Two a": { Type: "Pass", Next: "Two d" }, "Two d": { Type: "Pass", End: true } };
    await composeLayout(toElk(deriveGraph(edited)), engine, memo);
    // the new lane has the shape of One's second lane (known); the container is new; it keeps
    // its size (its other lane was as long), so the top level is the same graph as before
    expect(engine.calls).toEqual(["/States/Two"]);
  });
});
