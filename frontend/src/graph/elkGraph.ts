/**
 * Conversion between the derived graph and ELK's JSON graph: a hierarchy of
 * scopes (root, container, lane) laid out with the layered algorithm in the
 * chosen direction. Containers put their (unconnected) lanes in one layer, so
 * lanes line up across the flow, in model order.
 */
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import type { Direction } from "../asl/types";
import type { Graph, GraphNode } from "./derive";
import { CONTAINER_PADDING, GAP, LANE_PADDING, leafSize } from "./sizes";
import type { Boxes } from "./types";

function options(direction: Direction, padding?: { top: number; side: number; bottom: number }): Record<string, string> {
  return {
    "elk.algorithm": "layered",
    "elk.direction": direction === "TB" ? "DOWN" : "RIGHT",
    "elk.layered.spacing.nodeNodeBetweenLayers": String(GAP.layer),
    "elk.spacing.nodeNode": String(GAP.node),
    "elk.spacing.edgeNode": "16",
    "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
    "elk.layered.crossingMinimization.forceNodeModelOrder": "true",
    "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
    "elk.edgeRouting": "ORTHOGONAL",
    ...(padding
      ? { "elk.padding": `[top=${padding.top},left=${padding.side},bottom=${padding.bottom},right=${padding.side}]` }
      : {}),
  };
}

export function toElk(graph: Graph, direction: Direction = "TB"): ElkNode {
  const children = new Map<string | null, GraphNode[]>();
  for (const node of graph.nodes) children.set(node.parent, [...(children.get(node.parent) ?? []), node]);
  const edgesByScope = new Map<string, ElkExtendedEdge[]>();
  for (const e of graph.edges) {
    edgesByScope.set(e.scope, [...(edgesByScope.get(e.scope) ?? []), { id: e.id, sources: [e.source], targets: [e.target] }]);
  }
  const build = (node: GraphNode): ElkNode => {
    if (node.kind === "lane") {
      return {
        id: node.id,
        layoutOptions: options(direction, LANE_PADDING),
        children: (children.get(node.id) ?? []).map(build),
        edges: edgesByScope.get(node.id) ?? [],
      };
    }
    if (node.container) {
      return {
        id: node.id,
        layoutOptions: { ...options(direction, CONTAINER_PADDING), "elk.spacing.nodeNode": String(GAP.lane), "elk.separateConnectedComponents": "false" },
        children: (children.get(node.id) ?? []).map(build),
        edges: [],
      };
    }
    return { id: node.id, ...leafSize(node) };
  };
  return {
    id: "root",
    layoutOptions: options(direction),
    children: (children.get(null) ?? []).map(build),
    edges: edgesByScope.get("") ?? [],
  };
}

/** Put each container's lanes back in model order across the flow (ELK may reorder unconnected nodes). */
export function orderLanes(graph: Graph, boxes: Boxes, direction: Direction): Boxes {
  const out: Boxes = { ...boxes };
  const across = direction === "TB" ? "x" : "y";
  const size = direction === "TB" ? "width" : "height";
  for (const node of graph.nodes) {
    if (!node.container || node.lanes.length < 2) continue;
    const lanes = node.lanes.map((id) => out[id]).filter((b): b is NonNullable<typeof b> => b !== undefined);
    if (lanes.length !== node.lanes.length) continue;
    let cursor = Math.min(...lanes.map((b) => b[across]));
    node.lanes.forEach((id, i) => {
      const box = lanes[i]!;
      out[id] = { ...box, [across]: cursor };
      cursor += box[size] + GAP.lane;
    });
  }
  return out;
}

/** Boxes relative to each node's parent (ELK's child coordinates are relative too). */
export function fromElk(root: ElkNode): Boxes {
  const boxes: Boxes = {};
  const walk = (node: ElkNode) => {
    for (const child of node.children ?? []) {
      boxes[child.id] = { x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? 0, height: child.height ?? 0 };
      walk(child);
    }
  };
  walk(root);
  return boxes;
}
