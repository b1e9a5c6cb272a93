/**
 * Marks on a graph: what a comparison of two definitions says about each
 * state and transition (added, removed, changed, renamed), for the canvas to
 * draw in colour. Pure data; `designer/operate/diffGraph.ts` makes them from
 * the server's semantic diff, the canvas reads them through `nodeMark` and
 * `edgeMark`, and `withExtraEdges` adds the transitions that are gone.
 */
import type { Graph, GraphEdge } from "./derive";

export type DiffMark = "added" | "removed" | "changed" | "renamed";
export type EdgeMark = "added" | "removed";

export interface NodeMarkInfo {
  mark: DiffMark;
  /** A renamed state's former name. */
  oldName?: string;
}

export interface GraphMarks {
  /** By state path. */
  nodes: Record<string, NodeMarkInfo>;
  /** Everything inside these state paths carries the mark (an added or removed Parallel/Map's inside). */
  within: Record<string, DiffMark>;
  /** By edge id (derive.ts's `edgeId`). */
  edges: Record<string, EdgeMark>;
  /** Transitions that are gone, drawn between the states that are still (or, as ghosts, again) on the graph. */
  extraEdges: GraphEdge[];
}

export const NO_MARKS: GraphMarks = { nodes: {}, within: {}, edges: {}, extraEdges: [] };

/** The mark of a node: its own, else that of the added or removed container holding it. */
export function nodeMark(marks: GraphMarks, id: string): NodeMarkInfo | undefined {
  const own = marks.nodes[id];
  if (own) return own;
  let best: string | null = null;
  for (const prefix of Object.keys(marks.within)) {
    if (id.startsWith(prefix + "/") && (best === null || prefix.length > best.length)) best = prefix;
  }
  return best === null ? undefined : { mark: marks.within[best] as DiffMark };
}

/** The mark of an edge: its own, else "removed" when it leaves or enters a removed (ghost) state. */
export function edgeMark(marks: GraphMarks, edge: GraphEdge): EdgeMark | undefined {
  const own = marks.edges[edge.id];
  if (own) return own;
  const removed = (id: string) => nodeMark(marks, id)?.mark === "removed";
  return removed(edge.source) || removed(edge.target) ? "removed" : undefined;
}

/** The graph with the marks' extra edges whose two ends are on it. */
export function withExtraEdges(graph: Graph, marks: GraphMarks): Graph {
  if (marks.extraEdges.length === 0) return graph;
  const ids = new Set(graph.nodes.map((n) => n.id));
  const known = new Set(graph.edges.map((e) => e.id));
  const extra = marks.extraEdges.filter((e) => ids.has(e.source) && ids.has(e.target) && !known.has(e.id));
  return extra.length ? { nodes: graph.nodes, edges: [...graph.edges, ...extra] } : graph;
}
