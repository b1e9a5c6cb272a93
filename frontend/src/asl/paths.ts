/**
 * State addresses: JSON Pointers into the definition, the same addresses as
 * designer/graph.py, the validator's diagnostics and the SVG ids:
 * `/States/A`, `/States/P/Branches/0/States/B`, `/States/M/ItemProcessor/States/C`.
 * A scope is addressed by the pointer of the object holding `States`
 * ("" for the machine, `/States/P/Branches/0`, `/States/M/ItemProcessor`).
 */
import type { Definition, State, StateScope } from "./types";

export function escapeToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapeToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** The pointer of the given tokens (numbers for array indexes). */
export function pointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => "/" + escapeToken(String(t))).join("");
}

/** The tokens of a pointer ("" is the whole document). */
export function parsePointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new Error(`Not a JSON Pointer: ${path}`);
  return path.slice(1).split("/").map(unescapeToken);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `path`, or undefined if any step is missing. */
export function getAt(root: unknown, path: string): unknown {
  let here: unknown = root;
  for (const token of parsePointer(path)) {
    if (Array.isArray(here)) {
      const index = Number(token);
      if (!Number.isInteger(index)) return undefined;
      here = here[index];
    } else if (isObject(here)) {
      here = Object.prototype.hasOwnProperty.call(here, token) ? here[token] : undefined;
    } else {
      return undefined;
    }
  }
  return here;
}

/** The state at `path`, if it is an object. */
export function getState(def: Definition, path: string): State | undefined {
  const value = getAt(def, path);
  return isObject(value) ? (value as State) : undefined;
}

/** The scope object at `scope` ("" is the definition). */
export function getScope(def: Definition, scope: string): StateScope | undefined {
  const value = scope === "" ? def : getAt(def, scope);
  return isObject(value) ? (value as StateScope) : undefined;
}

/** Whether `path` addresses a state (ends in `/States/<name>`). */
export function isStatePath(path: string): boolean {
  const tokens = parsePointer(path);
  return tokens.length >= 2 && tokens[tokens.length - 2] === "States";
}

/** The scope holding the state at `path`: `/States/P/Branches/0/States/B` -> `/States/P/Branches/0`. */
export function scopeOf(path: string): string {
  const tokens = parsePointer(path);
  return pointer(...tokens.slice(0, -2));
}

/** The state name at the end of `path`. */
export function nameOf(path: string): string {
  const tokens = parsePointer(path);
  return tokens[tokens.length - 1] ?? "";
}

/** The path of state `name` inside `scope`. */
export function statePath(scope: string, name: string): string {
  return scope + pointer("States", name);
}

/** The Parallel/Map state owning a scope (null for the machine): `/States/P/Branches/0` -> `/States/P`. */
export function ownerOf(scope: string): string | null {
  const tokens = parsePointer(scope);
  if (tokens.length === 0) return null;
  const last = tokens[tokens.length - 1];
  const cut = last === "ItemProcessor" || last === "Iterator" ? 1 : 2;
  return pointer(...tokens.slice(0, -cut));
}

/** The inner scopes of a Parallel (one per branch, in order) or a Map (its processor). */
export function innerScopes(def: Definition, path: string): string[] {
  const state = getState(def, path);
  if (!state) return [];
  if (state.Type === "Parallel" && Array.isArray(state.Branches)) {
    return state.Branches.map((_, index) => path + pointer("Branches", index));
  }
  if (state.Type === "Map") {
    if (isObject(state.ItemProcessor)) return [path + "/ItemProcessor"];
    if (isObject(state.Iterator)) return [path + "/Iterator"];
  }
  return [];
}

/** Every scope of the machine, outermost first (depth first, definition order). */
export function allScopes(def: Definition): string[] {
  const out: string[] = [];
  const walk = (scope: string, depth: number): void => {
    out.push(scope);
    if (depth > 64) return;
    for (const path of statePathsIn(def, scope)) {
      for (const inner of innerScopes(def, path)) walk(inner, depth + 1);
    }
  };
  walk("", 0);
  return out;
}

/** The paths of the states directly in `scope`, in definition order. */
export function statePathsIn(def: Definition, scope: string): string[] {
  const states = getScope(def, scope)?.States;
  if (!isObject(states)) return [];
  return Object.keys(states).map((name) => statePath(scope, name));
}

/** Every state path of the machine, nested ones included (depth first). */
export function allStatePaths(def: Definition): string[] {
  return allScopes(def).flatMap((scope) => statePathsIn(def, scope));
}

/** The path of the state called `name` anywhere in the machine (names are unique machine-wide). */
export function pathOfName(def: Definition, name: string): string | null {
  for (const scope of allScopes(def)) {
    const states = getScope(def, scope)?.States;
    if (isObject(states) && Object.prototype.hasOwnProperty.call(states, name)) {
      return statePath(scope, name);
    }
  }
  return null;
}

/** Whether `path` is `ancestor` or lies inside it. */
export function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(ancestor + "/");
}

/** The innermost state path containing `location` (a diagnostic's pointer), or null. */
export function stateOfLocation(location: string): string | null {
  let tokens: string[];
  try {
    tokens = parsePointer(location);
  } catch {
    return null;
  }
  let found: string | null = null;
  let i = 0;
  while (i + 1 < tokens.length && tokens[i] === "States") {
    found = pointer(...tokens.slice(0, i + 2));
    i += 2;
    if (tokens[i] === "Branches" && i + 1 < tokens.length) i += 2;
    else if (tokens[i] === "ItemProcessor" || tokens[i] === "Iterator") i += 1;
    else break;
  }
  return found;
}
