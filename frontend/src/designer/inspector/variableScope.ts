/**
 * Workflow variables, pure: where each is assigned (`Assign` of a state, of a
 * Choice rule, of a Catch) and read (`$name` in `{% %}` JSONata templates or
 * in JSONPath `.$` / `*Path` / `Variable` fields), and which reads are out of
 * scope. A read is in scope when the variable is assigned on every path from
 * the start of its scope to the reading state (must-analysis over Next,
 * Choices, Default and Catch); a scope (Parallel branch, Map processor)
 * inherits what is assigned before its Parallel/Map state, and what a branch
 * assigns is not visible outside it. A state reads before its own Assign.
 */
import { allScopes, getScope, getState, innerScopes, ownerOf, statePath, statePathsIn } from "../../asl/paths";
import { transitionsOf } from "../../asl/transitions";
import type { Definition, State } from "../../asl/types";

type Obj = Record<string, unknown>;

export interface VariableInfo {
  name: string;
  /** State paths assigning it (a state's, a rule's or a catcher's Assign). */
  assigned: string[];
  /** State paths reading it. */
  read: string[];
}

export interface ScopeProblem {
  name: string;
  /** The reading state. */
  path: string;
  kind: "unassigned" | "not-on-every-path" | "out-of-scope";
  message: string;
}

export interface VariableReport {
  variables: VariableInfo[];
  problems: ScopeProblem[];
}

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** JSONata names bound inside an expression (`$x := ...`, `function($a, $b)`): not workflow variables. */
function localNames(expr: string): Set<string> {
  const out = new Set<string>();
  for (const m of expr.matchAll(/\$([A-Za-z_]\w*)\s*:=/g)) out.add(m[1]!);
  for (const m of expr.matchAll(/function\s*\(([^)]*)\)/g)) {
    for (const p of m[1]!.matchAll(/\$([A-Za-z_]\w*)/g)) out.add(p[1]!);
  }
  return out;
}

/** `$name` references in an expression (strings skipped, `$states`, `$$` and calls `$f(` left out). */
export function variableRefs(expr: string): string[] {
  const code = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const local = localNames(code);
  const out: string[] = [];
  for (const m of code.matchAll(/(?<![\w$.])\$([A-Za-z_]\w*)(?![\w(]|\s*\()/g)) {
    const name = m[1]!;
    if (name === "states" || local.has(name) || out.includes(name)) continue;
    out.push(name);
  }
  return out;
}

const TEMPLATE = /\{%([\s\S]*?)%\}/g;

/** Names read by a value (a state or part of one), without descending into nested States. */
function readsOf(value: unknown, key = "", out: Set<string> = new Set()): Set<string> {
  if (typeof value === "string") {
    for (const m of value.matchAll(TEMPLATE)) variableRefs(m[1]!).forEach((n) => out.add(n));
    if (key.endsWith(".$") || key.endsWith("Path") || key === "Variable") variableRefs(value).forEach((n) => out.add(n));
  } else if (Array.isArray(value)) {
    value.forEach((v) => readsOf(v, "", out));
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === "Branches" || k === "ItemProcessor" || k === "Iterator" || k === "Next" || k === "Default") continue;
      readsOf(v, k, out);
    }
  }
  return out;
}

/** The variable names an Assign sets (JSONPath `name.$` keys set `name`). */
const assignKeys = (assign: unknown) => (isObject(assign) ? Object.keys(assign).map((k) => k.replace(/\.\$$/, "")) : []);

/** Names a state assigns (any of its Assign fields). */
function assignsOf(state: State): string[] {
  const names = new Set(assignKeys(state.Assign));
  for (const rule of Array.isArray(state.Choices) ? state.Choices : []) assignKeys((rule as Obj).Assign).forEach((n) => names.add(n));
  for (const c of Array.isArray(state.Catch) ? state.Catch : []) assignKeys((c as Obj).Assign).forEach((n) => names.add(n));
  return [...names];
}

/** What follows each outgoing transition: the target and the names assigned on the way. */
function edgesOf(state: State, path: string): { target: string; adds: string[] }[] {
  return transitionsOf(state, path)
    .filter((t) => t.kind !== "end")
    .map((t) => {
      // A catcher's Assign replaces the state's (which is not applied on an error); so does a matching rule's.
      if (t.kind === "choice") return { target: t.target, adds: assignKeys((state.Choices as Obj[])[t.index!]?.Assign) };
      if (t.kind === "catch") return { target: t.target, adds: assignKeys((state.Catch as Obj[])[t.index!]?.Assign) };
      return { target: t.target, adds: assignKeys(state.Assign) };
    });
}

/** Names definitely assigned when each state of `scope` starts, given what the scope inherits. */
function definitelyAssigned(def: Definition, scope: string, inherited: Set<string>): Map<string, Set<string>> {
  const body = getScope(def, scope);
  const states = (isObject(body?.States) ? body!.States : {}) as Record<string, State>;
  const names = Object.keys(states);
  const IN = new Map<string, Set<string> | null>(names.map((n) => [n, null])); // null: not reached yet (top)
  const start = typeof body?.StartAt === "string" && body.StartAt in states ? body.StartAt : null;
  if (start) IN.set(start, new Set(inherited));
  const meet = (target: string, incoming: Set<string>) => {
    const old = IN.get(target);
    if (old === undefined) return false;
    if (old === null) {
      IN.set(target, new Set(incoming));
      return true;
    }
    let changed = false;
    for (const n of [...old]) if (!incoming.has(n)) (old.delete(n), (changed = true));
    return changed;
  };
  for (let changed = true, rounds = 0; changed && rounds < 1000; rounds++) {
    changed = false;
    for (const name of names) {
      const here = IN.get(name);
      if (!here) continue;
      for (const edge of edgesOf(states[name]!, statePath(scope, name))) {
        if (meet(edge.target, new Set([...here, ...edge.adds]))) changed = true;
      }
    }
  }
  return new Map(names.map((n) => [statePath(scope, n), IN.get(n) ?? new Set(inherited)]));
}

/** The analysis of every variable of the machine. */
export function analyzeVariables(def: Definition): VariableReport {
  const infos = new Map<string, VariableInfo>();
  const info = (name: string) => {
    let i = infos.get(name);
    if (!i) infos.set(name, (i = { name, assigned: [], read: [] }));
    return i;
  };
  const scopes = allScopes(def);
  const scopeOfAssign = new Map<string, Set<string>>(); // name -> scopes assigning it
  for (const scope of scopes) {
    for (const path of statePathsIn(def, scope)) {
      const state = (getState(def, path) ?? {}) as State;
      for (const n of assignsOf(state)) {
        info(n).assigned.push(path);
        (scopeOfAssign.get(n) ?? scopeOfAssign.set(n, new Set()).get(n)!).add(scope);
      }
      for (const n of readsOf(state)) info(n).read.push(path);
    }
  }

  const problems: ScopeProblem[] = [];
  const entryOf = new Map<string, Set<string>>([["", new Set()]]);
  for (const scope of scopes) {
    const inherited = entryOf.get(scope) ?? new Set<string>();
    const assigned = definitelyAssigned(def, scope, inherited);
    for (const path of statePathsIn(def, scope)) {
      const here = assigned.get(path)!;
      for (const inner of innerScopes(def, path)) entryOf.set(inner, here);
      const state = (getState(def, path) ?? {}) as State;
      for (const name of readsOf(state)) {
        if (here.has(name)) continue;
        problems.push(problemOf(name, path, scope, scopeOfAssign.get(name)));
      }
    }
  }
  const variables = [...infos.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { variables, problems };
}

const reports = new WeakMap<Definition, VariableReport>();

/**
 * `analyzeVariables`, once per definition object (the store's definition is
 * immutable): the inspector and the Variables panel share it, and selecting
 * another state costs nothing.
 */
export function variableReport(def: Definition): VariableReport {
  let report = reports.get(def);
  if (!report) reports.set(def, (report = analyzeVariables(def)));
  return report;
}

/** Is `scope` the same as, or inside, `outer`? */
const within = (scope: string, outer: string) => scope === outer || scope.startsWith(outer + "/");

function problemOf(name: string, path: string, scope: string, assigning: Set<string> | undefined): ScopeProblem {
  if (!assigning || assigning.size === 0) {
    return { name, path, kind: "unassigned", message: `$${name} is never assigned.` };
  }
  const visible = [...assigning].some((s) => within(scope, s));
  if (visible) {
    return { name, path, kind: "not-on-every-path", message: `$${name} is read before it is assigned on every path here.` };
  }
  const where = [...assigning].map((s) => ownerOf(s) ?? "").filter(Boolean);
  return {
    name,
    path,
    kind: "out-of-scope",
    message: `$${name} is assigned only inside ${where.map((w) => w.split("/").pop()).join(", ")}: not visible here.`,
  };
}

/** Names visible from a state (assigned in its scope or an enclosing one), for completion. */
export function variablesVisibleAt(def: Definition, path: string, report: VariableReport = variableReport(def)): string[] {
  const scope = path.replace(/\/States\/[^/]+$/, "");
  return report.variables.filter((v) => v.assigned.some((a) => within(scope, a.replace(/\/States\/[^/]+$/, "")))).map((v) => v.name);
}
