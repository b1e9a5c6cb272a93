/**
 * From the derived graph and its layout boxes to xyflow nodes and edges
 * (pure, so it is testable without a canvas): parents before children,
 * positions relative to the parent, status/selection/problem decorations.
 */
import { MarkerType, Position, type NodeHandle } from "@xyflow/react";
import { stateOfLocation } from "../asl/paths";
import type { Diagnostic, Direction, StateStatus } from "../asl/types";
import type { Graph, GraphNode } from "../graph/derive";
import { edgeMark, nodeMark, type GraphMarks } from "../graph/marks";
import type { Boxes, Routes } from "../graph/types";
import type { FlowEdge, FlowNode, NodeBadge } from "./flowTypes";

export interface ToFlowOptions {
  direction: Direction;
  editable: boolean;
  statuses?: Record<string, StateStatus>;
  badges?: Record<string, NodeBadge>;
  selection?: string | null;
  diagnostics?: Diagnostic[];
  onToggle?: (path: string) => void;
  /** A comparison's marks (graph/marks.ts). */
  marks?: GraphMarks;
}

/** How many diagnostics point into each state (by the innermost state path). */
export function problemsByState(diagnostics: Diagnostic[] | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of diagnostics ?? []) {
    const path = stateOfLocation(d.location);
    if (path) out.set(path, (out.get(path) ?? 0) + 1);
  }
  return out;
}

export function toFlowNodes(graph: Graph, boxes: Boxes, options: ToFlowOptions): FlowNode[] {
  const problems = problemsByState(options.diagnostics);
  return graph.nodes.map((node) => {
    const box = boxes[node.id] ?? { x: 0, y: 0, width: 184, height: 48 };
    const type = node.kind === "lane" ? "lane" : node.kind === "state" ? (node.container ? "container" : "state") : "marker";
    const isState = node.kind === "state";
    const status = options.statuses?.[node.id];
    const mark = options.marks && node.kind === "state" ? nodeMark(options.marks, node.id) : undefined;
    const badge = isState ? options.badges?.[node.id] : undefined;
    return {
      id: node.id,
      type,
      position: { x: box.x, y: box.y },
      width: box.width,
      height: box.height,
      style: { width: box.width, height: box.height },
      handles: handlesOf(node, box, options.direction),
      ...(node.parent ? { parentId: node.parent, extent: "parent" as const } : {}),
      data: {
        node,
        direction: options.direction,
        editable: options.editable,
        problems: problems.get(node.id) ?? 0,
        ...(status ? { status } : {}),
        ...(options.statuses && isState && !status ? { notRun: true } : {}),
        ...(badge ? { badge } : {}),
        ...(options.onToggle ? { onToggle: options.onToggle } : {}),
        ...(mark ? { diff: mark.mark, ...(mark.oldName !== undefined ? { oldName: mark.oldName } : {}) } : {}),
      },
      // Tab reaches states only (markers and lanes are not stops on the way)
      focusable: isState,
      selected: isState && options.selection === node.id,
      draggable: options.editable && node.kind !== "lane",
      selectable: isState,
      deletable: options.editable && isState,
      connectable: options.editable && node.kind !== "lane",
    } satisfies FlowNode;
  });
}

/** A handle's drawn size (graph.css's .sy-handle: 8px and a 1px border), centred on its side. */
export const HANDLE_SIZE = 10;

const CATCHES = new Set(["Task", "Parallel", "Map"]);
const ENDS = new Set(["Succeed", "Fail"]);

/**
 * Where the node component (nodes.tsx's Handles) draws its handles, as xyflow
 * would measure them: given with the node, they let xyflow draw a node's edges
 * before (or without) the node itself being drawn, so a canvas that draws only
 * what is in view (WorkflowGraph) needs not draw every node once to measure it.
 */
export function handlesOf(node: GraphNode, box: { width: number; height: number }, direction: Direction): NodeHandle[] {
  if (node.kind === "lane") return [];
  const tb = direction === "TB";
  const half = HANDLE_SIZE / 2;
  const at = (position: Position) => {
    const x = position === Position.Left ? -half : position === Position.Right ? box.width - half : box.width / 2 - half;
    const y = position === Position.Top ? -half : position === Position.Bottom ? box.height - half : box.height / 2 - half;
    return { x, y, position, width: HANDLE_SIZE, height: HANDLE_SIZE };
  };
  const inAt = tb ? Position.Top : Position.Left;
  const outAt = tb ? Position.Bottom : Position.Right;
  const catchAt = tb ? Position.Right : Position.Bottom;
  if (node.kind === "start") return [{ id: "out", type: "source", ...at(outAt) }];
  if (node.kind === "end") return [{ id: "in", type: "target", ...at(inAt) }];
  const type = node.type ?? "";
  return [
    { id: "in", type: "target", ...at(inAt) },
    ...(ENDS.has(type) ? [] : [{ id: "out", type: "source" as const, ...at(outAt) }]),
    ...(CATCHES.has(type) ? [{ id: "catch", type: "source" as const, ...at(catchAt) }] : []),
  ];
}

export function toFlowEdges(graph: Graph, editable: boolean, routes?: Routes, marks?: GraphMarks): FlowEdge[] {
  return graph.edges.map((edge) => {
    const route = routes?.[edge.id];
    const diff = marks ? edgeMark(marks, edge) : undefined;
    return {
    id: edge.id,
    type: "transition",
    source: edge.source,
    target: edge.target,
    sourceHandle: edge.kind === "catch" ? "catch" : "out",
    targetHandle: "in",
    data: { edge, editable, ...(route ? { route } : {}), ...(diff ? { diff } : {}) },
    // a compared transition's arrowhead takes its colour (designer/operate/operate.css)
    ...(diff ? { markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: `var(--sy-diff-${diff})` } } : {}),
    deletable: editable && edge.kind !== "end",
    reconnectable: editable,
    selectable: editable,
    } satisfies FlowEdge;
  });
}

/**
 * Reuse the previous object of every node that did not change, so that a
 * selection click or a one-state edit re-renders only the nodes it touches
 * (xyflow skips nodes whose object is the same). Graph nodes are compared by
 * content, because the graph is derived anew from every edited definition.
 */
export function stabilizeNodes(previous: ReadonlyMap<string, FlowNode>, next: FlowNode[]): FlowNode[] {
  return next.map((node) => {
    const before = previous.get(node.id);
    if (!before) return node;
    const data = sameData(before.data, node.data) ? before.data : node.data;
    const candidate = data === node.data ? node : { ...node, data };
    return sameNode(before, candidate) ? before : candidate;
  });
}

/** The same for edges: an edge object survives when its source, target and kind did not change. */
export function stabilizeEdges(previous: ReadonlyMap<string, FlowEdge>, next: FlowEdge[]): FlowEdge[] {
  return next.map((edge) => {
    const before = previous.get(edge.id);
    if (!before) return edge;
    const same =
      before.source === edge.source &&
      before.target === edge.target &&
      before.deletable === edge.deletable &&
      before.reconnectable === edge.reconnectable &&
      sameJson(before.data, edge.data);
    return same ? before : edge;
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function sameData(a: FlowNode["data"], b: FlowNode["data"]): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const left = (a as Record<string, unknown>)[key];
    const right = (b as Record<string, unknown>)[key];
    if (left === right) continue;
    if (key === "node" && sameJson(left, right)) continue;
    return false;
  }
  return true;
}

function sameNode(a: FlowNode, b: FlowNode): boolean {
  return (
    a.data === b.data &&
    a.type === b.type &&
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    a.width === b.width &&
    a.height === b.height &&
    a.parentId === b.parentId &&
    a.selected === b.selected &&
    a.draggable === b.draggable &&
    a.selectable === b.selectable &&
    a.deletable === b.deletable &&
    a.connectable === b.connectable
  );
}
