/** Tests for the handles each xyflow node carries (toFlow.ts's handlesOf): xyflow draws a node's
 * edges from them before the node itself is drawn (a canvas that draws only what is in view),
 * so they must sit where the node component draws its handles and where ELK ends its routes. */
import { Position, type NodeHandle } from "@xyflow/react";
import type { ElkNode } from "elkjs/lib/elk-api";
import { describe, expect, it } from "vitest";
import type { Definition } from "../asl/types";
import { deriveGraph } from "../graph/derive";
import { toElk } from "../graph/elkGraph";
import { layoutSync } from "../graph/layout";
import { END_TOLERANCE } from "./routePath";
import { HANDLE_SIZE, handlesOf, toFlowNodes } from "./toFlow";

const DEFINITION: Definition = {
  StartAt: "Route",
  States: {
    Route: { Type: "Choice", Choices: [{ Variable: "$.a", BooleanEquals: true, Next: "Fan" }], Default: "Work" },
    Fan: {
      Type: "Parallel",
      Branches: [{ StartAt: "A", States: { A: { Type: "Pass", End: true } } }],
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }],
      Next: "Work",
    },
    Work: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Next: "Done" },
    Failed: { Type: "Fail" },
    Done: { Type: "Succeed" },
  },
};

/** Where xyflow ends an edge at a handle (its getHandlePosition): the middle of the handle's outer side. */
function anchor(handle: NodeHandle): { x: number; y: number } {
  const w = handle.width ?? 0;
  const h = handle.height ?? 0;
  if (handle.position === Position.Top) return { x: handle.x + w / 2, y: handle.y };
  if (handle.position === Position.Bottom) return { x: handle.x + w / 2, y: handle.y + h };
  if (handle.position === Position.Left) return { x: handle.x, y: handle.y + h / 2 };
  return { x: handle.x + w, y: handle.y + h / 2 };
}

/** ELK's ports of every node, by node id, relative to the node (toElk; a container's sit mid-side). */
function elkPorts(root: ElkNode, sizes: Record<string, { width: number; height: number }>) {
  const out = new Map<string, Record<string, { x: number; y: number }>>();
  const mid = (side: string | undefined, w: number, h: number) =>
    side === "NORTH" ? { x: w / 2, y: 0 } : side === "SOUTH" ? { x: w / 2, y: h } : side === "WEST" ? { x: 0, y: h / 2 } : { x: w, y: h / 2 };
  const walk = (node: ElkNode) => {
    for (const child of node.children ?? []) {
      const size = sizes[child.id]!;
      const ports: Record<string, { x: number; y: number }> = {};
      for (const port of child.ports ?? []) {
        const name = port.id.slice(port.id.lastIndexOf("::") + 2);
        ports[name] = port.x !== undefined && port.y !== undefined ? { x: port.x, y: port.y } : mid(port.layoutOptions?.["elk.port.side"], size.width, size.height);
      }
      out.set(child.id, ports);
      walk(child);
    }
  };
  walk(root);
  return out;
}

describe("handlesOf", () => {
  for (const direction of ["TB", "LR"] as const) {
    it(`puts every handle where ELK's port is, so routes fit the edges' ends (${direction})`, () => {
      const graph = deriveGraph(DEFINITION);
      const boxes = layoutSync(graph, { direction });
      const ports = elkPorts(toElk(graph, direction), boxes);
      let checked = 0;
      for (const node of graph.nodes) {
        const handles = handlesOf(node, boxes[node.id]!, direction);
        const wanted = ports.get(node.id) ?? {};
        // every handle has its port (ELK gives an end state an unused out port too)
        expect(handles.filter((h) => !wanted[h.id!]).map((h) => h.id)).toEqual([]);
        for (const handle of handles) {
          const at = anchor(handle);
          const port = wanted[handle.id!]!;
          // xyflow ends an edge at the handle's outer side: at most half a handle from ELK's port
          expect(Math.abs(at.x - port.x) + Math.abs(at.y - port.y)).toBeLessThanOrEqual(HANDLE_SIZE / 2);
          expect(HANDLE_SIZE / 2).toBeLessThanOrEqual(END_TOLERANCE);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(10);
    });
  }

  it("gives sources and targets the ids the node component uses (no out on an end state, a catch on Task/Parallel)", () => {
    const graph = deriveGraph(DEFINITION);
    const nodes = toFlowNodes(graph, layoutSync(graph, { direction: "TB" }), { direction: "TB", editable: true });
    const byId = new Map(nodes.map((n) => [n.id, n.handles?.map((h) => `${h.type}:${h.id}`).sort()]));
    expect(byId.get("/States/Work")).toEqual(["source:catch", "source:out", "target:in"]);
    expect(byId.get("/States/Fan")).toEqual(["source:catch", "source:out", "target:in"]);
    expect(byId.get("/States/Route")).toEqual(["source:out", "target:in"]);
    expect(byId.get("/States/Done")).toEqual(["target:in"]);
    expect(byId.get("/States/Fan/Branches/0")).toEqual([]);
  });
});
