/**
 * ELK layout of a nested graph one scope at a time, innermost first: the
 * inside of every container and lane is laid out on its own, then stands in
 * its parent's graph as a box of that size with its ports in the middle of
 * their sides. No edge crosses a scope's border (derive.ts puts each edge in
 * the scope of its ends), so this is what ELK's bottom-up hierarchy handling
 * computes, with one difference that pays: each scope's layout is kept under
 * the scope's skeleton (skeleton.ts), so containers of the same shape are
 * laid out once, and after an edit only the scopes it changed (and those
 * around them) are laid out again.
 *
 * Returns boxes relative to their parent and routes in root coordinates, as
 * `fromElk` does for a whole graph.
 */
import type { ElkExtendedEdge, ElkNode, ElkPort } from "elkjs/lib/elk-api";
import type { Point } from "../asl/types";
import { fromElk } from "./elkGraph";
import { skeletonOf } from "./skeleton";
import type { Box, LayoutResult } from "./types";

/** What lays out one flat graph (elkjs's `ELK`, in a worker or on the main thread). */
export interface ElkEngine {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/** One scope's own layout, by position: its size, its children's boxes and its edges' routes (scope coordinates). */
interface ScopeLayout {
  width: number;
  height: number;
  boxes: Box[];
  routes: (Point[] | null)[];
}

/** Scope layouts by skeleton key (promises, so that the same shape asked twice at once is laid out once). */
export class ScopeMemo {
  private readonly entries = new Map<string, Promise<ScopeLayout>>();

  constructor(private readonly limit = 4000) {}

  get(key: string, make: () => Promise<ScopeLayout>): Promise<ScopeLayout> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const made = make();
    this.entries.set(key, made);
    made.catch(() => this.entries.delete(key));
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
    return made;
  }
}

/** Where a port sits on a box of the given size: the middle of its side (`elk.port.side`). */
function portOnSide(port: ElkPort, width: number, height: number): ElkPort {
  const side = port.layoutOptions?.["elk.port.side"];
  const at =
    side === "NORTH" ? { x: width / 2, y: 0 } : side === "SOUTH" ? { x: width / 2, y: height } : side === "WEST" ? { x: 0, y: height / 2 } : { x: width, y: height / 2 };
  return { ...port, ...at, width: 0, height: 0 };
}

/** A laid-out scope as a plain node of its parent's graph. */
function asLeaf(node: ElkNode, width: number, height: number): ElkNode {
  return {
    id: node.id,
    width,
    height,
    layoutOptions: { "elk.portConstraints": "FIXED_POS" },
    ports: (node.ports ?? []).map((p) => portOnSide(p, width, height)),
  };
}

const shift = (route: Point[], dx: number, dy: number) => route.map((p) => ({ x: p.x + dx, y: p.y + dy }));

/** The layout of `node`'s inside: its size, the boxes of everything below it, routes relative to it. */
async function layoutInside(node: ElkNode, engine: ElkEngine, memo: ScopeMemo): Promise<LayoutResult & { width: number; height: number }> {
  const below: LayoutResult = { boxes: {}, routes: {} };
  const children: ElkNode[] = [];
  const inner = new Map<string, LayoutResult>();
  for (const child of node.children ?? []) {
    if (!Array.isArray(child.children)) {
      children.push(child);
      continue;
    }
    const inside = await layoutInside(child, engine, memo);
    inner.set(child.id, inside);
    children.push(asLeaf(child, inside.width, inside.height));
  }
  const flat: ElkNode = { id: node.id, layoutOptions: node.layoutOptions ?? {}, children, edges: node.edges ?? [] };
  const skeleton = skeletonOf(flat);
  const own = await memo.get(skeleton.key, async () => {
    const result = await engine.layout(structuredClone(flat));
    const { boxes, routes } = fromElk({ ...result, children: result.children ?? [], edges: (result.edges ?? []) as ElkExtendedEdge[] });
    return {
      width: result.width ?? 0,
      height: result.height ?? 0,
      boxes: skeleton.nodes.map((id) => boxes[id]!),
      routes: skeleton.edges.map((id) => routes[id] ?? null),
    };
  });
  children.forEach((child, i) => {
    const box = own.boxes[i]!;
    below.boxes[child.id] = box;
    const inside = inner.get(child.id);
    if (!inside) return;
    Object.assign(below.boxes, inside.boxes);
    for (const [id, route] of Object.entries(inside.routes)) below.routes[id] = shift(route, box.x, box.y);
  });
  skeleton.edges.forEach((id, i) => {
    const route = own.routes[i];
    if (route) below.routes[id] = route;
  });
  return { ...below, width: own.width, height: own.height };
}

/** Lay out a whole graph (see the module's docstring). */
export async function composeLayout(root: ElkNode, engine: ElkEngine, memo: ScopeMemo): Promise<LayoutResult> {
  const { boxes, routes } = await layoutInside(root, engine, memo);
  return { boxes, routes };
}
