/**
 * A synchronous layered layout: the fallback used before ELK answers (first
 * paint) and in tests, where no web worker exists. Each scope is layered by
 * the longest path from its start marker (model order within a layer);
 * containers stack their lanes across the flow direction.
 */
import type { Direction } from "../asl/types";
import type { Graph, GraphNode } from "./derive";
import { CONTAINER_PADDING, GAP, LANE_PADDING, leafSize } from "./sizes";
import type { Boxes } from "./types";

interface Size {
  width: number;
  height: number;
}

export function simpleLayout(graph: Graph, direction: Direction = "TB"): Boxes {
  const boxes: Boxes = {};
  const children = new Map<string | null, GraphNode[]>();
  for (const node of graph.nodes) {
    const list = children.get(node.parent) ?? [];
    list.push(node);
    children.set(node.parent, list);
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const vertical = direction === "TB";

  const sizeOf = (node: GraphNode): Size => {
    if (node.kind === "lane") return layoutScope(node.id, LANE_PADDING);
    if (node.container) return layoutContainer(node);
    return leafSize(node);
  };

  const layoutContainer = (node: GraphNode): Size => {
    let along = 0;
    let across = 0;
    for (const laneId of node.lanes) {
      const lane = byId.get(laneId);
      if (!lane) continue;
      const size = sizeOf(lane);
      const x = vertical ? CONTAINER_PADDING.side + across : CONTAINER_PADDING.side;
      const y = vertical ? CONTAINER_PADDING.top : CONTAINER_PADDING.top + across;
      boxes[laneId] = { x, y, ...size };
      across += (vertical ? size.width : size.height) + GAP.lane;
      along = Math.max(along, vertical ? size.height : size.width);
    }
    across = Math.max(0, across - GAP.lane);
    const width = CONTAINER_PADDING.side * 2 + (vertical ? across : along);
    const height = CONTAINER_PADDING.top + CONTAINER_PADDING.bottom + (vertical ? along : across);
    return { width: Math.max(width, 200), height };
  };

  /** Lay out the nodes whose parent is `parent` ("" scope root has parent null); returns the scope's size. */
  const layoutScope = (parent: string | null, padding: { top: number; side: number; bottom: number }): Size => {
    const nodes = children.get(parent) ?? [];
    const layerGap = parent === null ? GAP.layer : GAP.laneLayer;
    const sizes = new Map(nodes.map((n) => [n.id, sizeOf(n)]));
    const layers = layerOf(nodes, graph);
    const byLayer: GraphNode[][] = [];
    for (const node of nodes) (byLayer[layers.get(node.id) ?? 0] ??= []).push(node);
    const rows = byLayer.filter((row) => row && row.length > 0);
    const rowAcross = rows.map((row) => row.reduce((sum, n) => sum + across(sizes.get(n.id)), 0) + GAP.node * (row.length - 1));
    const widest = Math.max(0, ...rowAcross);
    let pos = 0;
    rows.forEach((row, r) => {
      const depth = Math.max(...row.map((n) => along(sizes.get(n.id))));
      let offset = (widest - (rowAcross[r] ?? 0)) / 2;
      for (const n of row) {
        const size = sizes.get(n.id) ?? { width: 0, height: 0 };
        const centre = (depth - along(size)) / 2;
        const a = pos + centre;
        boxes[n.id] = vertical
          ? { x: padding.side + offset, y: padding.top + a, ...size }
          : { x: padding.side + a, y: padding.top + offset, ...size };
        offset += across(size) + GAP.node;
      }
      pos += depth + layerGap;
    });
    const length = Math.max(0, pos - layerGap);
    return vertical
      ? { width: padding.side * 2 + widest, height: padding.top + padding.bottom + length }
      : { width: padding.side * 2 + length, height: padding.top + padding.bottom + widest };
  };

  const across = (s: Size | undefined) => (s ? (vertical ? s.width : s.height) : 0);
  const along = (s: Size | undefined) => (s ? (vertical ? s.height : s.width) : 0);

  layoutScope(null, { top: 0, side: 0, bottom: 0 });
  return boxes;
}

/** Longest-path layers within one scope, from its start marker; the end marker goes last. */
function layerOf(nodes: GraphNode[], graph: Graph): Map<string, number> {
  const ids = new Set(nodes.map((n) => n.id));
  const out = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (ids.has(e.source) && ids.has(e.target)) out.set(e.source, [...(out.get(e.source) ?? []), e.target]);
  }
  const layer = new Map<string, number>();
  const start = nodes.find((n) => n.kind === "start");
  const end = nodes.find((n) => n.kind === "end");
  // longest path on the DAG obtained by ignoring back edges (DFS order)
  const order: string[] = [];
  const state = new Map<string, 1 | 2>();
  const back = new Set<string>();
  const visit = (id: string) => {
    state.set(id, 1);
    for (const t of out.get(id) ?? []) {
      if (state.get(t) === 1) back.add(`${id}>${t}`);
      else if (!state.has(t)) visit(t);
    }
    state.set(id, 2);
    order.push(id);
  };
  if (start) visit(start.id);
  for (const n of nodes) if (!state.has(n.id) && n.kind !== "end") visit(n.id);
  for (const id of order.reverse()) {
    const here = layer.get(id) ?? 0;
    layer.set(id, here);
    for (const t of out.get(id) ?? []) {
      if (!back.has(`${id}>${t}`) && t !== end?.id) layer.set(t, Math.max(layer.get(t) ?? 0, here + 1));
    }
  }
  const last = Math.max(0, ...[...layer.entries()].filter(([id]) => id !== end?.id).map(([, l]) => l));
  if (end) layer.set(end.id, last + 1);
  return layer;
}
