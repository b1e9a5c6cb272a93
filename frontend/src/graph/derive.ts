/**
 * The graph of a definition, for the canvas (the TypeScript twin of
 * designer/graph.py). Node ids are state paths; each scope has a start and an
 * end marker (`<scope>#start`, `<scope>#end`); Parallel and Map states are
 * containers holding one lane per branch (in order) or their item processor,
 * whose id is the scope path. Edges carry the transition they draw (a
 * `TransitionRef`, what to change when reconnected). Never throws: a broken
 * draft just yields fewer nodes and edges.
 */
import { getScope, innerScopes, statePath } from "../asl/paths";
import { transitionsOf, type TransitionKind, type TransitionRef } from "../asl/transitions";
import type { ChoiceRule, Catcher, Definition, State } from "../asl/types";

export type GraphNodeKind = "state" | "start" | "end" | "lane";

export interface GraphNode {
  /** State path, `<scope>#start` / `<scope>#end`, or the lane's scope path. */
  id: string;
  kind: GraphNodeKind;
  /** The state's Type ("" for markers and lanes, or a state without one). */
  type: string;
  label: string;
  /** The scope the node belongs to ("" for the top level; a lane's is its own scope path). */
  scope: string;
  /** The enclosing node: the lane for states/markers in a branch, the container for a lane; null at the top. */
  parent: string | null;
  /** Parallel or Map: drawn as a container of lanes. */
  container: boolean;
  /** A container's lanes, in order. */
  lanes: string[];
  /** A lane's index among its container's lanes. */
  index?: number;
  /** A collapsed container (its inside is not in the graph). */
  collapsed?: boolean;
}

export interface GraphEdge {
  /** `e:<source path>#<kind>[/<index>]` (for "start": `e:<scope>#start`). */
  id: string;
  source: string;
  target: string;
  kind: TransitionKind;
  label: string;
  /** The transition this edge draws. */
  ref: TransitionRef;
  scope: string;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface DeriveOptions {
  /** Container paths whose inside is hidden. */
  collapsed?: Record<string, boolean>;
  /** Start/end markers (and their edges) inside lanes; false on a run's graph, where they say nothing (default true). */
  laneMarkers?: boolean;
}

export const startOf = (scope: string) => `${scope}#start`;
export const endOf = (scope: string) => `${scope}#end`;

export function edgeId(ref: TransitionRef): string {
  return `e:${ref.source}#${ref.kind}${ref.index !== undefined ? "/" + ref.index : ""}`;
}

const MAX_DEPTH = 64;

export function deriveGraph(def: Definition, options: DeriveOptions = {}): Graph {
  const graph: Graph = { nodes: [], edges: [] };
  if (def && typeof def === "object") addScope(graph, def, "", null, options, 0);
  return graph;
}

function addScope(graph: Graph, def: Definition, scope: string, parent: string | null, options: DeriveOptions, depth: number): void {
  const body = getScope(def, scope);
  const states = body && typeof body.States === "object" && body.States !== null && !Array.isArray(body.States) ? body.States : {};
  const has = (name: string) => Object.prototype.hasOwnProperty.call(states, name);
  const markers = scope === "" || options.laneMarkers !== false;
  if (markers) graph.nodes.push({ id: startOf(scope), kind: "start", type: "", label: "Start", scope, parent, container: false, lanes: [] });
  if (markers && typeof body?.StartAt === "string" && has(body.StartAt)) {
    const ref: TransitionRef = { kind: "start", source: scope };
    graph.edges.push({ id: edgeId(ref), source: startOf(scope), target: statePath(scope, body.StartAt), kind: "start", label: "", ref, scope });
  }
  for (const [name, raw] of Object.entries(states)) {
    const path = statePath(scope, name);
    const state: State | undefined = raw && typeof raw === "object" && !Array.isArray(raw) ? raw : undefined;
    const type = typeof state?.Type === "string" ? state.Type : "";
    const lanes = depth < MAX_DEPTH ? innerScopes(def, path) : [];
    const container = (type === "Parallel" || type === "Map") && lanes.length > 0;
    const collapsed = container && options.collapsed?.[path] === true;
    graph.nodes.push({
      id: path,
      kind: "state",
      type,
      label: name,
      scope,
      parent,
      container: container && !collapsed,
      lanes: collapsed ? [] : lanes,
      ...(collapsed ? { collapsed: true } : {}),
    });
    for (const t of transitionsOf(state, path)) {
      const ref: TransitionRef = { kind: t.kind, source: path, ...(t.index !== undefined ? { index: t.index } : {}) };
      if (t.kind === "end") {
        if (markers) graph.edges.push({ id: edgeId(ref), source: path, target: endOf(scope), kind: "end", label: "", ref, scope });
      } else if (has(t.target)) {
        graph.edges.push({ id: edgeId(ref), source: path, target: statePath(scope, t.target), kind: t.kind, label: edgeLabel(state, t.kind, t.index), ref, scope });
      }
    }
    if (container && !collapsed) {
      lanes.forEach((lane, index) => {
        const label = type === "Parallel" ? `Branch ${index + 1}` : "Item processor";
        graph.nodes.push({ id: lane, kind: "lane", type: "", label, scope: lane, parent: path, container: false, lanes: [], index });
        addScope(graph, def, lane, lane, options, depth + 1);
      });
    }
  }
  if (markers) graph.nodes.push({ id: endOf(scope), kind: "end", type: "", label: "End", scope, parent, container: false, lanes: [] });
}

function shorten(text: string, limit = 32): string {
  return text.length > limit ? text.slice(0, limit - 1) + "…" : text;
}

/** The label of a transition: Default, a rule's comment/condition or "Rule n", a catcher's error names. */
export function edgeLabel(state: State | undefined, kind: TransitionKind, index?: number): string {
  if (kind === "default") return "Default";
  if (kind === "choice") {
    const rule: ChoiceRule | undefined = state?.Choices?.[index ?? -1];
    if (typeof rule?.Comment === "string" && rule.Comment.trim()) return shorten(rule.Comment.trim());
    if (typeof rule?.Condition === "string") return shorten(rule.Condition);
    return `Rule #${(index ?? 0) + 1}`;
  }
  if (kind === "catch") {
    const catcher: Catcher | undefined = state?.Catch?.[index ?? -1];
    const errors = Array.isArray(catcher?.ErrorEquals) ? catcher.ErrorEquals : [];
    return errors.length ? shorten(errors.join(", ")) : "Catch";
  }
  return "";
}
