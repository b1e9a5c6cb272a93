/**
 * Plane geometry of a laid-out graph: absolute boxes (layout boxes are
 * relative to their parent), the bounds of the whole graph, and whether an
 * orthogonal route passes through a box. Used to fit the view and to check
 * that routes go around containers.
 */
import type { Point } from "../asl/types";
import type { Graph } from "./derive";
import type { Box, Boxes } from "./types";

/** Every node's box in root coordinates. */
export function absoluteBoxes(graph: Graph, boxes: Boxes): Boxes {
  const out: Boxes = {};
  for (const node of graph.nodes) {
    // parents come before their children in the derived graph
    const box = boxes[node.id];
    if (!box) continue;
    const parent = node.parent ? out[node.parent] : undefined;
    out[node.id] = parent ? { ...box, x: box.x + parent.x, y: box.y + parent.y } : { ...box };
  }
  return out;
}

/** The smallest box holding all the top-level nodes (null for an empty graph). */
export function graphBounds(graph: Graph, boxes: Boxes): Box | null {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const node of graph.nodes) {
    if (node.parent) continue;
    const box = boxes[node.id];
    if (!box) continue;
    left = Math.min(left, box.x);
    top = Math.min(top, box.y);
    right = Math.max(right, box.x + box.width);
    bottom = Math.max(bottom, box.y + box.height);
  }
  return Number.isFinite(left) ? { x: left, y: top, width: right - left, height: bottom - top } : null;
}

/** Whether the segment a-b passes through the inside of `box` shrunk by `inset` on every side. */
export function segmentCrossesBox(a: Point, b: Point, box: Box, inset = 1): boolean {
  const left = box.x + inset;
  const right = box.x + box.width - inset;
  const top = box.y + inset;
  const bottom = box.y + box.height - inset;
  if (left >= right || top >= bottom) return false;
  // Liang-Barsky clipping of the segment against the (open) rectangle
  let t0 = 0;
  let t1 = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const edges: [number, number][] = [
    [-dx, a.x - left],
    [dx, right - a.x],
    [-dy, a.y - top],
    [dy, bottom - a.y],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q <= 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 >= t1) return false;
  }
  return t1 - t0 > 1e-9;
}

/** Whether `ancestor` is `id` itself or encloses it (state paths nest by prefix). */
export function encloses(ancestor: string, id: string): boolean {
  return id === ancestor || id.startsWith(`${ancestor}/`) || id.startsWith(`${ancestor}#`);
}
