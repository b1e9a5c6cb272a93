/**
 * From the server's semantic diff of two definitions (A -> B) to what the
 * canvas draws: B's definition with A's removed states put back as ghosts
 * (in their scope, their transitions following renames), and marks for each
 * state and transition (graph/marks.ts). Pure.
 *
 * - added, changed, renamed states are marked on B's states (a renamed one
 *   keeps its old name for the "old -> new" label);
 * - removed states come back from A as ghosts; what an added or removed
 *   Parallel/Map holds carries its mark;
 * - added transitions mark B's edges; removed ones between states still on
 *   the graph become extra edges (a ghost's own transitions are drawn from
 *   its content and marked removed with it).
 */
import { getScope, getState, scopeOf, statePath } from "../../asl/paths";
import type { TransitionKind, TransitionRef } from "../../asl/transitions";
import type { Definition, State } from "../../asl/types";
import { edgeId, endOf, startOf } from "../../graph/derive";
import type { GraphMarks } from "../../graph/marks";
import type { StateChange, TransitionChange, WorkflowDiff } from "./operateApi";

export interface DiffGraph {
  /** B with A's removed states as ghosts. */
  definition: Definition;
  marks: GraphMarks;
  /** The graph path of each state change (the ghost's for a removed state; null when it could not be placed). */
  paths: Map<StateChange, string | null>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** The scope path of a States object's pointer: "/States" -> "", "/States/P/Branches/0/States" -> "/States/P/Branches/0". */
export function scopeOfStates(statesPointer: string): string {
  return statesPointer.endsWith("/States") ? statesPointer.slice(0, -"/States".length) : statesPointer === "/States" ? "" : statesPointer;
}

/** A transition's kind and index from the diff's `via` ("Next", "Choices/2", "Catch/0", "Default", "End", "StartAt"). */
export function viaRef(via: string): { kind: TransitionKind; index?: number } {
  const [head, index] = via.split("/");
  const kinds: Record<string, TransitionKind> = { Next: "next", Default: "default", Choices: "choice", Catch: "catch", End: "end", StartAt: "start" };
  const kind = kinds[head ?? ""] ?? "next";
  return index !== undefined && /^\d+$/.test(index) ? { kind, index: Number(index) } : { kind };
}

/** Old pointer prefixes of renamed states -> their new pointers, longest first. */
function renameTable(diff: WorkflowDiff): [string, string][] {
  return diff.states
    .filter((s) => s.change === "renamed" && s.old_pointer && s.pointer)
    .map((s) => [s.old_pointer as string, s.pointer as string] as [string, string])
    .sort((a, b) => b[0].length - a[0].length);
}

/** A pointer of A in B's naming (its renamed enclosing states replaced). */
function toNew(table: [string, string][], old: string): string {
  for (const [from, to] of table) {
    if (old === from) return to;
    if (old.startsWith(from + "/")) return to + old.slice(from.length);
  }
  return old;
}

const TRANSITION_KEYS = ["Next", "Default"] as const;

/** A copy of a ghost's state whose transitions follow `rename` (old name -> name on the graph). */
function retarget(state: State, rename: (name: string) => string): State {
  const out: Obj = { ...(state as Obj) };
  for (const key of TRANSITION_KEYS) if (typeof out[key] === "string") out[key] = rename(out[key] as string);
  for (const key of ["Choices", "Catch"] as const) {
    const rules = out[key];
    if (Array.isArray(rules)) out[key] = rules.map((r) => (isObj(r) && typeof r.Next === "string" ? { ...r, Next: rename(r.Next) } : r));
  }
  return out as State;
}

function label(kind: TransitionKind, index?: number): string {
  if (kind === "default") return "Default";
  if (kind === "choice") return `Rule #${(index ?? 0) + 1}`;
  if (kind === "catch") return "Catch";
  return "";
}

export function diffGraphOf(diff: WorkflowDiff, before: Definition, after: Definition): DiffGraph {
  const definition = structuredClone(after) as Definition;
  const marks: GraphMarks = { nodes: {}, within: {}, edges: {}, extraEdges: [] };
  const paths = new Map<StateChange, string | null>();
  const table = renameTable(diff);
  /** Per scope on the graph: renamed states' old names -> new names; removed states' names -> their ghosts' names. */
  const renames = new ScopedNames();
  const ghostNames = new ScopedNames();
  for (const s of diff.states) {
    if (s.change === "renamed" && s.old_name && s.pointer) renames.in(scopeOf(s.pointer)).set(s.old_name, s.name);
  }

  // Ghosts first (their names are needed to draw the removed transitions).
  const ghosts: { change: StateChange; scope: string; name: string; state: State }[] = [];
  for (const s of diff.states) {
    if (s.change !== "removed" || !s.old_pointer) continue;
    const state = getState(before, s.old_pointer);
    const scope = toNew(table, scopeOf(s.old_pointer));
    const states = getScope(definition, scope)?.States;
    if (!state || !isObj(states)) {
      paths.set(s, null);
      continue;
    }
    let name = s.name;
    for (let n = 2; Object.prototype.hasOwnProperty.call(states, name); n += 1) name = `${s.name} (removed${n > 2 ? ` ${n - 1}` : ""})`;
    states[name] = {} as State; // reserved now: two ghosts never take one name
    ghostNames.in(scope).set(s.name, name);
    ghosts.push({ change: s, scope, name, state });
  }
  for (const g of ghosts) {
    const renamed = renames.in(g.scope);
    const ghosted = ghostNames.in(g.scope);
    const states = getScope(definition, g.scope)!.States as Obj;
    states[g.name] = retarget(g.state, (n) => renamed.get(n) ?? ghosted.get(n) ?? n);
    const path = statePath(g.scope, g.name);
    paths.set(g.change, path);
    marks.nodes[path] = { mark: "removed" };
    marks.within[path] = "removed";
  }

  for (const s of diff.states) {
    if (s.change === "removed" || !s.pointer) continue;
    paths.set(s, s.pointer);
    marks.nodes[s.pointer] = s.change === "renamed" ? { mark: "renamed", oldName: s.old_name ?? "" } : { mark: s.change };
    if (s.change === "added") marks.within[s.pointer] = "added";
  }
  // a branch added to a Parallel: its states are new
  for (const f of diff.fields) {
    if (f.change === "added" && f.pointer && /\/Branches\/\d+$/.test(f.pointer)) marks.within[f.pointer] = "added";
  }

  // the diff names transitions after renames: only ghosts may be drawn under another name
  for (const t of diff.transitions) addTransition(marks, t, ghostNames.in(scopeOfStates(t.scope)), ghosts);
  return { definition, marks, paths };
}

class ScopedNames {
  private readonly byScope = new Map<string, Map<string, string>>();
  in(scope: string): Map<string, string> {
    let names = this.byScope.get(scope);
    if (!names) this.byScope.set(scope, (names = new Map()));
    return names;
  }
}

function addTransition(marks: GraphMarks, t: TransitionChange, ghosted: Map<string, string>, ghosts: { scope: string; change: StateChange }[]): void {
  const scope = scopeOfStates(t.scope);
  const { kind, index } = viaRef(t.via);
  const at = (name: string) => statePath(scope, t.change === "removed" ? (ghosted.get(name) ?? name) : name);
  if (t.change === "added") {
    const ref: TransitionRef = kind === "start" ? { kind, source: scope } : { kind, source: at(t.from ?? ""), ...(index !== undefined ? { index } : {}) };
    marks.edges[edgeId(ref)] = "added";
    return;
  }
  // a ghost's own transitions are drawn from its content (marked removed with it)
  if (t.from !== null && ghosts.some((g) => g.scope === scope && g.change.name === t.from)) return;
  const source = t.from === null ? startOf(scope) : at(t.from);
  const target = t.to === null ? endOf(scope) : at(t.to);
  const ref: TransitionRef = kind === "start" ? { kind, source: scope } : { kind, source, ...(index !== undefined ? { index } : {}) };
  marks.extraEdges.push({
    id: `diff:${source}->${target}#${t.via}`,
    source,
    target,
    kind,
    label: label(kind, index),
    ref,
    scope,
  });
  marks.edges[`diff:${source}->${target}#${t.via}`] = "removed";
}
