/**
 * Pure edits of a definition: each takes a Definition and returns a new one,
 * never touching its input (the input is deep-copied first; definitions are
 * plain JSON). They keep the stored key order where they can, and throw a
 * `MutationError` for an edit that cannot be made (unknown path, name taken,
 * a transition across scopes...), with a message meant for the user.
 */
import {
  getAt,
  getScope,
  getState,
  nameOf,
  parsePointer,
  pathOfName,
  scopeOf,
  statePath,
} from "./paths";
import { allNames, newState, placeholderRule, scopeWithPass, uniqueName } from "./templates";
import { retargetInScope, targetOf, type TransitionKind, type TransitionRef } from "./transitions";
import type { Catcher, ChoiceRule, Definition, State, StateScope, StateType } from "./types";

export class MutationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MutationError";
  }
}

export const MAX_STATE_NAME_LENGTH = 80;

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function scopeIn(def: Definition, scope: string): StateScope {
  const found = getScope(def, scope);
  if (!found) throw new MutationError(`No scope at ${scope || "the top level"}.`);
  return found;
}

function stateIn(def: Definition, path: string): State {
  const found = getState(def, path);
  if (!found) throw new MutationError(`No state at ${path}.`);
  return found;
}

/** A copy of `obj` with `key` set to `value` right after `after` (at the start if null, at the end if absent). */
function withKeyAfter<T>(obj: Record<string, T>, after: string | null, key: string, value: T): Record<string, T> {
  const out: Record<string, T> = {};
  if (after === null) out[key] = value;
  let placed = after === null;
  for (const [k, v] of Object.entries(obj)) {
    if (k === key) continue;
    out[k] = v;
    if (k === after) {
      out[key] = value;
      placed = true;
    }
  }
  if (!placed) out[key] = value;
  return out;
}

/** Replace key `from` with `to` (keeping its place) and set its value; mutates `obj`'s contents. */
function replaceKey(obj: Record<string, unknown>, from: string, to: string, value: unknown): void {
  if (!(from in obj)) {
    obj[to] = value;
    return;
  }
  const entries = Object.entries(obj);
  for (const key of Object.keys(obj)) delete obj[key];
  for (const [k, v] of entries) {
    if (k === from) obj[to] = value;
    else if (k !== to) obj[k] = v;
  }
}

/** Set `Next` on a state, turning `End: true` into it in place. */
function setNext(state: State, name: string): void {
  replaceKey(state, "End", "Next", name);
}

/** Remove `Next` and mark the state as an end state, in place. */
function setEnd(state: State): void {
  replaceKey(state, "Next", "End", true);
}

function checkNewName(def: Definition, name: string, except?: string): void {
  if (!name || !name.trim()) throw new MutationError("A state needs a name.");
  if (name.length > MAX_STATE_NAME_LENGTH) {
    throw new MutationError(`State names have at most ${MAX_STATE_NAME_LENGTH} characters.`);
  }
  if (name !== except && allNames(def).has(name)) {
    throw new MutationError(`A state named “${name}” already exists (names are unique in the whole machine).`);
  }
}

function canLeave(state: State): boolean {
  return state.Type !== "Succeed" && state.Type !== "Fail";
}

// adding ---------------------------------------------------------------------------------

export interface AddOptions {
  /** The new state's name (default: a unique name from the type). */
  name?: string;
  /** Use this state instead of the type's template. */
  state?: State;
  /** Put the new state after this one in the States order (default: last). */
  after?: string;
}

/** Add a new state of `type` to `scope` (StartAt is set if the scope had no states). */
export function addState(def: Definition, scope: string, type: StateType, options: AddOptions = {}): Definition {
  const next = clone(def);
  const target = scopeIn(next, scope);
  const name = options.name ?? uniqueName(def, type);
  checkNewName(def, name);
  const state = options.state ? clone(options.state) : newState(def, type, uniqueName(def, "Pass", new Set([name])));
  const states = isObject(target.States) ? target.States : {};
  const after = options.after !== undefined ? nameOf(options.after) : undefined;
  target.States = withKeyAfter(states, after ?? "\u0000end", name, state);
  if (Object.keys(states).length === 0 || typeof target.StartAt !== "string") target.StartAt = name;
  return next;
}

/**
 * Insert a new state on a transition: the transition now leads to the new
 * state, which leads on to the old target (a Choice through its Default; a
 * Succeed/Fail ends there). On an "end" transition the source gets `Next`
 * and the new state ends the scope.
 */
export function insertOnEdge(def: Definition, ref: TransitionRef, type: StateType, options: AddOptions = {}): Definition {
  const oldTarget = targetOf(def, ref);
  if (oldTarget === undefined) throw new MutationError("That transition no longer exists.");
  const scope = ref.kind === "start" ? ref.source : scopeOf(ref.source);
  const name = options.name ?? uniqueName(def, type);
  checkNewName(def, name);
  const created = options.state ? clone(options.state) : newState(def, type, uniqueName(def, "Pass", new Set([name])));
  if (ref.kind !== "end" && oldTarget) {
    if (type === "Choice" || created.Type === "Choice") created.Default = oldTarget;
    else if (canLeave(created)) setNext(created, oldTarget);
  }
  const next = clone(def);
  const target = scopeIn(next, scope);
  const after = ref.kind === "start" ? null : nameOf(ref.source);
  target.States = withKeyAfter(target.States ?? {}, after, name, created);
  if (ref.kind === "end") {
    const source = stateIn(next, ref.source);
    if (!canLeave(source)) throw new MutationError(`A ${source.Type} state ends the scope; nothing can follow it.`);
    setNext(source, name);
    return next;
  }
  return setTarget(next, ref, name);
}

// transitions -----------------------------------------------------------------------------

/** Point an existing transition (in the already-cloned `def`) at `name`; mutates and returns `def`. */
function setTarget(def: Definition, ref: TransitionRef, name: string): Definition {
  if (ref.kind === "start") {
    scopeIn(def, ref.source).StartAt = name;
    return def;
  }
  const state = stateIn(def, ref.source);
  switch (ref.kind) {
    case "next":
    case "end":
      setNext(state, name);
      break;
    case "default":
      state.Default = name;
      break;
    case "choice": {
      const rule = state.Choices?.[ref.index ?? -1];
      if (!rule) throw new MutationError("No such choice rule.");
      rule.Next = name;
      break;
    }
    case "catch": {
      const catcher = state.Catch?.[ref.index ?? -1];
      if (!catcher) throw new MutationError("No such catcher.");
      catcher.Next = name;
      break;
    }
  }
  return def;
}

export interface ConnectRequest {
  /** The source state path. */
  source: string;
  /** The target state path (same scope as the source). */
  target: string;
  /**
   * Which transition: default "next" (a Choice gets its Default if it has none,
   * else a new rule). "choice"/"catch" without `index` add a rule/catcher.
   */
  kind?: Exclude<TransitionKind, "start" | "end">;
  index?: number;
}

/** Draw a transition from `source` to `target` (states of one scope). */
export function connect(def: Definition, request: ConnectRequest): Definition {
  const { source, target } = request;
  if (scopeOf(source) !== scopeOf(target)) {
    throw new MutationError("A transition cannot leave its scope (branch or Map processor).");
  }
  const next = clone(def);
  const state = stateIn(next, source);
  stateIn(next, target);
  if (!canLeave(state)) throw new MutationError(`A ${state.Type} state cannot have a next state.`);
  const name = nameOf(target);
  let kind = request.kind;
  if (kind === undefined || (kind === "next" && state.Type === "Choice")) {
    kind = state.Type === "Choice" ? (typeof state.Default === "string" ? "choice" : "default") : "next";
  }
  switch (kind) {
    case "next":
      setNext(state, name);
      break;
    case "default":
      if (state.Type !== "Choice") throw new MutationError("Only a Choice state has a Default.");
      state.Default = name;
      break;
    case "choice": {
      if (state.Type !== "Choice") throw new MutationError("Only a Choice state has rules.");
      const rules: ChoiceRule[] = Array.isArray(state.Choices) ? state.Choices : [];
      const rule = request.index !== undefined ? rules[request.index] : undefined;
      if (rule) rule.Next = name;
      else rules.push(placeholderRule(def, name));
      state.Choices = rules;
      break;
    }
    case "catch": {
      if (!["Task", "Parallel", "Map"].includes(String(state.Type))) {
        throw new MutationError("Only Task, Parallel and Map states catch errors.");
      }
      const catchers: Catcher[] = Array.isArray(state.Catch) ? state.Catch : [];
      const catcher = request.index !== undefined ? catchers[request.index] : undefined;
      if (catcher) catcher.Next = name;
      else catchers.push({ ErrorEquals: ["States.ALL"], Next: name });
      state.Catch = catchers;
      break;
    }
  }
  return next;
}

/** Remove a transition: Next becomes End, a Default/rule/catcher is removed, StartAt is cleared. */
export function disconnect(def: Definition, ref: TransitionRef): Definition {
  const next = clone(def);
  if (ref.kind === "start") {
    delete scopeIn(next, ref.source).StartAt;
    return next;
  }
  const state = stateIn(next, ref.source);
  switch (ref.kind) {
    case "next":
      setEnd(state);
      break;
    case "end":
      delete state.End;
      break;
    case "default":
      delete state.Default;
      break;
    case "choice":
      state.Choices?.splice(ref.index ?? -1, 1);
      break;
    case "catch":
      state.Catch?.splice(ref.index ?? -1, 1);
      if (state.Catch?.length === 0) delete state.Catch;
      break;
  }
  return next;
}

/**
 * Move one end of an existing transition: a new `target` (a state path in the
 * same scope), and/or a new `source` (the rule or catcher moves with it when
 * the new source can hold it; otherwise it becomes a plain transition).
 */
export function reconnect(def: Definition, ref: TransitionRef, change: { source?: string; target?: string }): Definition {
  const oldTarget = targetOf(def, ref);
  if (oldTarget === undefined) throw new MutationError("That transition no longer exists.");
  const scope = ref.kind === "start" ? ref.source : scopeOf(ref.source);
  const targetPath = change.target ?? (oldTarget ? statePath(scope, oldTarget) : undefined);
  if (!targetPath) throw new MutationError("Pick the state this transition should lead to.");
  if (scopeOf(targetPath) !== scope) {
    throw new MutationError("A transition cannot leave its scope (branch or Map processor).");
  }
  stateIn(def, targetPath);
  if (change.source === undefined || change.source === ref.source || ref.kind === "start") {
    return setTarget(clone(def), ref, nameOf(targetPath));
  }
  if (scopeOf(change.source) !== scope) {
    throw new MutationError("A transition cannot leave its scope (branch or Map processor).");
  }
  const moved = movedItem(def, ref);
  let next = disconnect(def, ref);
  const newSource = stateIn(next, change.source);
  if (ref.kind === "choice" && newSource.Type === "Choice" && moved) {
    next = clone(next);
    const rules = stateIn(next, change.source);
    rules.Choices = [...(rules.Choices ?? []), { ...(moved as ChoiceRule), Next: nameOf(targetPath) }];
    return next;
  }
  if (ref.kind === "catch" && ["Task", "Parallel", "Map"].includes(String(newSource.Type)) && moved) {
    next = clone(next);
    const holder = stateIn(next, change.source);
    holder.Catch = [...(holder.Catch ?? []), { ...(moved as Catcher), Next: nameOf(targetPath) }];
    return next;
  }
  return connect(next, { source: change.source, target: targetPath });
}

function movedItem(def: Definition, ref: TransitionRef): unknown {
  const state = getState(def, ref.source);
  if (ref.kind === "choice") return state?.Choices?.[ref.index ?? -1];
  if (ref.kind === "catch") return state?.Catch?.[ref.index ?? -1];
  return undefined;
}

/** Set a scope's StartAt to the state at `path`. */
export function setStartAt(def: Definition, path: string): Definition {
  const next = clone(def);
  stateIn(next, path);
  scopeIn(next, scopeOf(path)).StartAt = nameOf(path);
  return next;
}

// deleting and renaming ---------------------------------------------------------------------

export interface DeleteOptions {
  /**
   * Join the neighbours (default true), as AWS Workflow Studio does: every
   * reference to the deleted state (StartAt, Next, Default, Choice rules'
   * Next, Catch Next) is re-pointed to its successor: its Next (a Choice's
   * Default, or the one target all its rules share). Without a successor (an
   * end state), plain Next transitions become End, a Default, rule or catcher
   * leading to it is removed, and StartAt moves to the first remaining state.
   */
  reconnect?: boolean;
}

/** The state a deleted state hands its predecessors to, if there is exactly one. */
export function successorOf(state: State, name: string): string | undefined {
  if (typeof state.Next === "string") return state.Next !== name ? state.Next : undefined;
  if (state.Type !== "Choice") return undefined;
  if (typeof state.Default === "string" && state.Default !== name) return state.Default;
  const targets = new Set((Array.isArray(state.Choices) ? state.Choices : []).map((r) => r?.Next).filter((t): t is string => typeof t === "string"));
  const only = targets.size === 1 ? [...targets][0] : undefined;
  return only !== name ? only : undefined;
}

/** Remove, in place, every reference to `name` in `scope` (the deleted state had no successor). */
function dropReferences(scope: StateScope, name: string): void {
  const states = scope.States ?? {};
  if (scope.StartAt === name) {
    const first = Object.keys(states)[0];
    if (first !== undefined) scope.StartAt = first;
    else delete scope.StartAt;
  }
  for (const other of Object.values(states)) {
    if (!isObject(other)) continue;
    if (other.Next === name) setEnd(other);
    if (other.Default === name) delete other.Default;
    if (Array.isArray(other.Choices)) other.Choices = other.Choices.filter((rule) => rule?.Next !== name);
    if (Array.isArray(other.Catch)) {
      other.Catch = other.Catch.filter((catcher) => catcher?.Next !== name);
      if (other.Catch.length === 0) delete other.Catch;
    }
  }
}

/** Delete the state at `path` (with anything nested in it), joining its neighbours (one edit). */
export function deleteState(def: Definition, path: string, options: DeleteOptions = {}): Definition {
  const reconnectRefs = options.reconnect ?? true;
  const next = clone(def);
  const state = stateIn(next, path);
  const scope = scopeIn(next, scopeOf(path));
  const name = nameOf(path);
  const states = scope.States ?? {};
  delete states[name];
  if (!reconnectRefs) return next;
  const successor = successorOf(state, name);
  if (successor !== undefined && Object.prototype.hasOwnProperty.call(states, successor)) {
    retargetInScope(scope, name, successor);
  } else {
    dropReferences(scope, name);
  }
  return next;
}

/** Delete several states (paths that no longer exist after an earlier deletion are skipped). */
export function deleteStates(def: Definition, paths: string[], options: DeleteOptions = {}): Definition {
  let next = def;
  for (const path of [...paths].sort((a, b) => b.length - a.length)) {
    if (getState(next, path)) next = deleteState(next, path, options);
  }
  return next;
}

/**
 * Rename the state at `path`, keeping its place in `States`, and update every
 * reference in its scope: StartAt, Next, Default, Choices[].Next, Catch[].Next.
 * (Transitions never cross scopes, so no other scope refers to it.)
 */
export function renameState(def: Definition, path: string, newName: string): Definition {
  const oldName = nameOf(path);
  if (newName === oldName) return clone(def);
  checkNewName(def, newName, oldName);
  const next = clone(def);
  stateIn(next, path);
  const scope = scopeIn(next, scopeOf(path));
  const renamed: Record<string, State> = {};
  for (const [key, value] of Object.entries(scope.States ?? {})) renamed[key === oldName ? newName : key] = value;
  scope.States = renamed;
  retargetInScope(scope, oldName, newName);
  return next;
}

/** The path a state path takes after the state at `from` moved to `to` (renames re-address nested states). */
export function movePath(path: string, from: string, to: string): string {
  if (path === from) return to;
  if (path.startsWith(from + "/")) return to + path.slice(from.length);
  return path;
}

// fields --------------------------------------------------------------------------------------

/**
 * Set (or, with `value` undefined, remove) the field at `fieldPointer` inside
 * the object at `path` (a state or scope; "" is the definition), creating
 * missing objects on the way. `-` as the last array token appends.
 */
export function setField(def: Definition, path: string, fieldPointer: string, value: unknown): Definition {
  const tokens = parsePointer(fieldPointer);
  if (tokens.length === 0) throw new MutationError("setField needs a field to set.");
  const next = clone(def);
  let here: unknown = path === "" ? next : getAt(next, path);
  if (!isObject(here) && !Array.isArray(here)) throw new MutationError(`Nothing to edit at ${path}.`);
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i] as string;
    const container = here as Record<string, unknown> | unknown[];
    const key: string | number = Array.isArray(container) ? Number(token) : token;
    let child = (container as Record<string | number, unknown>)[key];
    if (child === undefined || child === null || typeof child !== "object") {
      if (value === undefined) return next;
      child = /^\d+$/.test(tokens[i + 1] ?? "") || tokens[i + 1] === "-" ? [] : {};
      (container as Record<string | number, unknown>)[key] = child;
    }
    here = child;
  }
  const last = tokens[tokens.length - 1] as string;
  const copy = value === undefined ? undefined : clone(value);
  if (Array.isArray(here)) {
    if (last === "-") {
      if (copy !== undefined) here.push(copy);
    } else if (copy === undefined) {
      here.splice(Number(last), 1);
    } else {
      here[Number(last)] = copy;
    }
  } else {
    const obj = here as Record<string, unknown>;
    if (copy === undefined) delete obj[last];
    else obj[last] = copy;
  }
  return next;
}

// copying ---------------------------------------------------------------------------------------

/** Give every state nested in `state` (Parallel branches, Map processor) a fresh unique name; mutates. */
function freshenInnerNames(def: Definition, state: State, taken: Set<string>): void {
  const scopes: StateScope[] = [];
  if (Array.isArray(state.Branches)) scopes.push(...state.Branches.filter(isObject));
  if (isObject(state.ItemProcessor)) scopes.push(state.ItemProcessor);
  if (isObject(state.Iterator)) scopes.push(state.Iterator);
  for (const scope of scopes) {
    if (!isObject(scope.States)) continue;
    const renames = new Map<string, string>();
    const renamed: Record<string, State> = {};
    for (const [name, inner] of Object.entries(scope.States)) {
      const fresh = taken.has(name) || allNames(def).has(name) ? uniqueName(def, name, taken) : name;
      taken.add(fresh);
      renames.set(name, fresh);
      renamed[fresh] = inner;
    }
    scope.States = renamed;
    for (const [from, to] of renames) if (from !== to) retargetInScope(scope, from, `\u0000${to}`);
    unmark(scope);
    for (const inner of Object.values(renamed)) if (isObject(inner)) freshenInnerNames(def, inner, taken);
  }
}

/** Strip the temporary marker retargeting uses to avoid chains (a -> b while b -> c). */
function unmark(scope: StateScope): void {
  const strip = (v: unknown) => (typeof v === "string" && v.startsWith("\u0000") ? v.slice(1) : v);
  scope.StartAt = strip(scope.StartAt) as string | undefined;
  if (scope.StartAt === undefined) delete scope.StartAt;
  for (const state of Object.values(scope.States ?? {})) {
    if (!isObject(state)) continue;
    if (state.Next !== undefined) state.Next = strip(state.Next) as string;
    if (state.Default !== undefined) state.Default = strip(state.Default) as string;
    for (const rule of Array.isArray(state.Choices) ? state.Choices : []) if (rule?.Next !== undefined) rule.Next = strip(rule.Next) as string;
    for (const c of Array.isArray(state.Catch) ? state.Catch : []) if (c?.Next !== undefined) c.Next = strip(c.Next) as string;
  }
}

/** Copy the state at `path` under a new name, right after it (nested states get fresh names too). */
export function duplicateState(def: Definition, path: string, newName?: string): Definition {
  const original = stateIn(def, path);
  const name = newName ?? uniqueName(def, `${nameOf(path)} copy`);
  checkNewName(def, name);
  const copy = clone(original);
  freshenInnerNames(def, copy, new Set([name]));
  return addState(def, scopeOf(path), (copy.Type as StateType) ?? "Pass", { name, state: copy, after: path });
}

/** The states at `paths` (a clipboard for pasteStates), by name. */
export function copyStates(def: Definition, paths: string[]): Record<string, State> {
  const out: Record<string, State> = {};
  for (const path of paths) {
    const state = getState(def, path);
    if (state) out[nameOf(path)] = clone(state);
  }
  return out;
}

export interface PasteResult {
  definition: Definition;
  /** The paths of the pasted states, in order. */
  paths: string[];
}

/**
 * Paste states into `scope`: names already used get fresh ones, transitions
 * between pasted states follow the renames, nested states get fresh names.
 */
export function pasteStatesResult(def: Definition, scope: string, states: Record<string, State>): PasteResult {
  const next = clone(def);
  const target = scopeIn(next, scope);
  const taken = new Set<string>();
  const renames = new Map<string, string>();
  for (const name of Object.keys(states)) {
    const fresh = allNames(def).has(name) || taken.has(name) ? uniqueName(def, name, taken) : name;
    taken.add(fresh);
    renames.set(name, fresh);
  }
  const pasted: Record<string, State> = {};
  for (const [name, state] of Object.entries(states)) {
    const copy = clone(state);
    freshenInnerNames(next, copy, taken);
    pasted[renames.get(name) as string] = copy;
  }
  const holder: StateScope = { States: pasted };
  for (const [from, to] of renames) if (from !== to) retargetInScope(holder, from, `\u0000${to}`);
  unmark(holder);
  const hadStates = Object.keys(target.States ?? {}).length > 0;
  target.States = { ...(target.States ?? {}), ...pasted };
  if (!hadStates || typeof target.StartAt !== "string") {
    const first = Object.keys(pasted)[0];
    if (first !== undefined) target.StartAt = first;
  }
  return { definition: next, paths: Object.keys(pasted).map((n) => statePath(scope, n)) };
}

export function pasteStates(def: Definition, scope: string, states: Record<string, State>): Definition {
  return pasteStatesResult(def, scope, states).definition;
}

// branches ---------------------------------------------------------------------------------------

/** Append a branch (with one Pass state) to the Parallel at `path`. */
export function addBranch(def: Definition, path: string, passName?: string): Definition {
  const state = stateIn(def, path);
  if (state.Type !== "Parallel") throw new MutationError("Only a Parallel state has branches.");
  const name = passName ?? uniqueName(def, "Pass");
  checkNewName(def, name);
  const next = clone(def);
  const target = stateIn(next, path);
  target.Branches = [...(Array.isArray(target.Branches) ? target.Branches : []), scopeWithPass(name)];
  return next;
}

/** Remove branch `index` of the Parallel at `path` (with its states). */
export function removeBranch(def: Definition, path: string, index: number): Definition {
  const next = clone(def);
  const target = stateIn(next, path);
  if (!Array.isArray(target.Branches) || !target.Branches[index]) throw new MutationError("No such branch.");
  target.Branches.splice(index, 1);
  return next;
}

/** Where `name` lives, for messages: its path or null. */
export function locate(def: Definition, name: string): string | null {
  return pathOfName(def, name);
}
