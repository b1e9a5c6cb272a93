/**
 * Conversion between the derived graph and ELK's JSON graph: a hierarchy of
 * scopes (root, container, lane), each laid out with the layered algorithm in
 * the chosen direction (compose.ts lays them out innermost first), so edges
 * are routed orthogonally around containers instead of through them. Nodes
 * keep their model order (the order of the definition) where crossings do not
 * decide otherwise: a Choice's branches come out in the order they are written,
 * and ELK skips most of its (costly) search for a better order.
 * Every node has fixed ports where the canvas draws its handles (in: top or
 * left centre, out: bottom or right centre, catch: the side), so the routes
 * ELK returns start and end where the canvas's edges do. Containers put their
 * (unconnected) lanes in one layer, so lanes line up across the flow, in model
 * order (orderLanes). Routes come back in root coordinates.
 */
import type { ElkExtendedEdge, ElkNode, ElkPort } from "elkjs/lib/elk-api";
import type { Direction, Point } from "../asl/types";
import type { Graph, GraphEdge, GraphNode } from "./derive";
import { CONTAINER_PADDING, GAP, LANE_PADDING, leafSize } from "./sizes";
import type { Boxes, LayoutResult, Routes } from "./types";

type Padding = { top: number; side: number; bottom: number };

function options(direction: Direction, padding?: Padding, layerGap: number = GAP.layer): Record<string, string> {
  return {
    "elk.algorithm": "layered",
    "elk.direction": direction === "TB" ? "DOWN" : "RIGHT",
    "elk.layered.spacing.nodeNodeBetweenLayers": String(layerGap),
    "elk.spacing.nodeNode": String(GAP.node),
    "elk.spacing.edgeNode": "20",
    "elk.spacing.edgeEdge": "12",
    "elk.layered.spacing.edgeNodeBetweenLayers": "20",
    "elk.layered.spacing.edgeEdgeBetweenLayers": "12",
    "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
    "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
    "elk.edgeRouting": "ORTHOGONAL",
    "elk.layered.unnecessaryBendpoints": "true",
    ...(padding ? { "elk.padding": `[top=${padding.top},left=${padding.side},bottom=${padding.bottom},right=${padding.side}]` } : {}),
  };
}

export const portId = (node: string, port: "in" | "out" | "catch") => `${node}::${port}`;

/** The ports of a node: where the canvas puts its handles (see components/nodes.tsx). */
function ports(node: GraphNode, size: { width: number; height: number }, direction: Direction): ElkPort[] {
  const { width: w, height: h } = size;
  const tb = direction === "TB";
  const at = {
    in: tb ? { x: w / 2, y: 0, side: "NORTH" } : { x: 0, y: h / 2, side: "WEST" },
    out: tb ? { x: w / 2, y: h, side: "SOUTH" } : { x: w, y: h / 2, side: "EAST" },
    catch: tb ? { x: w, y: h / 2, side: "EAST" } : { x: w / 2, y: h, side: "SOUTH" },
  };
  const wanted: ("in" | "out" | "catch")[] =
    node.kind === "start" ? ["out"] : node.kind === "end" ? ["in"] : ["in", "out", ...(node.type === "Task" || node.type === "Parallel" || node.type === "Map" ? (["catch"] as const) : [])];
  return wanted.map((p) => ({
    id: portId(node.id, p),
    x: at[p].x,
    y: at[p].y,
    width: 0,
    height: 0,
    layoutOptions: { "elk.port.side": at[p].side },
  }));
}

function elkEdge(e: GraphEdge): ElkExtendedEdge {
  return { id: e.id, sources: [portId(e.source, e.kind === "catch" ? "catch" : "out")], targets: [portId(e.target, "in")] };
}

export function toElk(graph: Graph, direction: Direction = "TB"): ElkNode {
  const children = new Map<string | null, GraphNode[]>();
  for (const node of graph.nodes) children.set(node.parent, [...(children.get(node.parent) ?? []), node]);
  const edgesByScope = new Map<string, ElkExtendedEdge[]>();
  for (const e of graph.edges) edgesByScope.set(e.scope, [...(edgesByScope.get(e.scope) ?? []), elkEdge(e)]);
  const fixed = { "elk.portConstraints": "FIXED_POS" };
  const build = (node: GraphNode): ElkNode => {
    if (node.kind === "lane") {
      return {
        id: node.id,
        layoutOptions: options(direction, LANE_PADDING, GAP.laneLayer),
        children: (children.get(node.id) ?? []).map(build),
        edges: edgesByScope.get(node.id) ?? [],
      };
    }
    if (node.container) {
      return {
        id: node.id,
        layoutOptions: {
          ...options(direction, CONTAINER_PADDING),
          ...fixed,
          "elk.spacing.nodeNode": String(GAP.lane),
          "elk.separateConnectedComponents": "false",
          // the ports sit on the container's border wherever its size ends up
          "elk.portConstraints": "FIXED_SIDE",
          "elk.portAlignment.default": "CENTER",
        },
        ports: ports(node, { width: 0, height: 0 }, direction).map(({ x: _x, y: _y, ...p }) => p),
        children: (children.get(node.id) ?? []).map(build),
        edges: [],
      };
    }
    const size = leafSize(node);
    return { id: node.id, ...size, layoutOptions: fixed, ports: ports(node, size, direction) };
  };
  return {
    id: "root",
    layoutOptions: options(direction),
    children: (children.get(null) ?? []).map(build),
    edges: edgesByScope.get("") ?? [],
  };
}

/** Put each container's lanes back in model order across the flow (ELK may reorder unconnected nodes); routes inside a moved lane move with it. */
export function orderLanes(graph: Graph, result: LayoutResult, direction: Direction): LayoutResult {
  const out: Boxes = { ...result.boxes };
  const routes: Routes = { ...result.routes };
  const across = direction === "TB" ? "x" : "y";
  const size = direction === "TB" ? "width" : "height";
  for (const node of graph.nodes) {
    if (!node.container || node.lanes.length < 2) continue;
    const lanes = node.lanes.map((id) => out[id]).filter((b): b is NonNullable<typeof b> => b !== undefined);
    if (lanes.length !== node.lanes.length) continue;
    let cursor = Math.min(...lanes.map((b) => b[across]));
    node.lanes.forEach((id, i) => {
      const box = lanes[i]!;
      const shift = cursor - box[across];
      if (shift !== 0) {
        out[id] = { ...box, [across]: cursor };
        for (const e of graph.edges) {
          if (e.scope !== id && !e.scope.startsWith(`${id}/`)) continue;
          const route = routes[e.id];
          if (route) routes[e.id] = route.map((p) => ({ ...p, [across]: p[across] + shift }));
        }
      }
      cursor += box[size] + GAP.lane;
    });
  }
  return { boxes: out, routes };
}

/** Boxes relative to each node's parent (ELK's child coordinates are relative too) and routes (root coordinates). */
export function fromElk(root: ElkNode): LayoutResult {
  const boxes: Boxes = {};
  const routes: Routes = {};
  const walk = (node: ElkNode) => {
    for (const edge of node.edges ?? []) {
      const section = edge.sections?.[0];
      if (!section || (edge.sections?.length ?? 0) > 1) continue;
      const points: Point[] = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => ({ x: p.x, y: p.y }));
      routes[edge.id] = points;
    }
    for (const child of node.children ?? []) {
      boxes[child.id] = { x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? 0, height: child.height ?? 0 };
      walk(child);
    }
  };
  walk(root);
  return { boxes, routes };
}
