/**
 * The structure of an ELK input graph without its names: every id (node,
 * port, edge) replaced by its position in a depth-first walk. Two graphs with
 * the same skeleton get the same layout, so a layout is cached under the
 * skeleton's key and stored by position (`toSlots`), then handed back with
 * the ids of whichever graph asks (`fromSlots`): renaming a state, or any
 * edit that leaves the shape alone, needs no new layout.
 *
 * The key covers everything ELK reads: sizes, options, ports (positions and
 * sides), the hierarchy and which ports the edges join.
 */
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import type { Point } from "../asl/types";
import type { Box, LayoutResult } from "./types";

export interface Skeleton {
  /** Hash of the id-free structure (and its length): equal keys, same layout. */
  key: string;
  /** Node ids below the root, in walk order (a slot's index). */
  nodes: string[];
  /** Edge ids, in walk order. */
  edges: string[];
}

/** A layout by position: `boxes[i]` is `nodes[i]`'s box (parent-relative), `routes[i]` `edges[i]`'s route (or null). */
export interface SlotLayout {
  boxes: Box[];
  routes: (Point[] | null)[];
}

/** cyrb53: a fast 53-bit string hash (not cryptographic; collisions are astronomically rare here). */
export function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

export function skeletonOf(root: ElkNode): Skeleton {
  const slots = new Map<string, number>();
  const slot = (id: string) => {
    let n = slots.get(id);
    if (n === undefined) slots.set(id, (n = slots.size));
    return n;
  };
  const nodes: string[] = [];
  const edges: string[] = [];
  const edge = (e: ElkExtendedEdge) => {
    edges.push(e.id);
    return [e.sources.map(slot), e.targets.map(slot)];
  };
  const walk = (node: ElkNode, top: boolean): unknown[] => {
    if (!top) nodes.push(node.id);
    slot(node.id);
    return [
      node.width ?? null,
      node.height ?? null,
      node.layoutOptions ?? null,
      (node.ports ?? []).map((p) => [slot(p.id), p.x ?? null, p.y ?? null, p.layoutOptions ?? null]),
      (node.children ?? []).map((c) => walk(c, false)),
      (node.edges ?? []).map(edge),
    ];
  };
  const text = JSON.stringify(walk(root, true));
  return { key: `${hash(text)}.${text.length.toString(36)}`, nodes, edges };
}

const NO_BOX: Box = { x: 0, y: 0, width: 0, height: 0 };

/** A layout by id to one by position. */
export function toSlots(layout: LayoutResult, skeleton: Skeleton): SlotLayout {
  return {
    boxes: skeleton.nodes.map((id) => layout.boxes[id] ?? NO_BOX),
    routes: skeleton.edges.map((id) => layout.routes[id] ?? null),
  };
}

/** A layout by position to one by the ids of `skeleton` (null when the sizes do not match). */
export function fromSlots(slots: SlotLayout, skeleton: Skeleton): LayoutResult | null {
  if (slots.boxes.length !== skeleton.nodes.length || slots.routes.length !== skeleton.edges.length) return null;
  const out: LayoutResult = { boxes: {}, routes: {} };
  skeleton.nodes.forEach((id, i) => (out.boxes[id] = slots.boxes[i]!));
  skeleton.edges.forEach((id, i) => {
    const route = slots.routes[i];
    if (route) out.routes[id] = route;
  });
  return out;
}
