/**
 * What the canvas gestures do to the definition (pure; the component commits
 * the result with `setDefinition(definition, label)`): connect, reconnect,
 * delete, and drops from the palette. They throw `MutationError` when the
 * gesture makes no sense (the component shows the message).
 */
import {
  addState,
  connect,
  deleteStates,
  disconnect,
  insertOnEdge,
  MutationError,
  reconnect,
  setField,
  setStartAt,
} from "../asl/mutations";
import { getState, nameOf, scopeOf, statePath } from "../asl/paths";
import { uniqueName } from "../asl/templates";
import type { TransitionRef } from "../asl/transitions";
import { isStateType, type Definition, type StateType } from "../asl/types";
import type { GraphEdge } from "../graph/derive";

export interface Edit {
  definition: Definition;
  label: string;
  /** The state to select afterwards, if any. */
  selection?: string | null;
}

export const DRAG_MIME = "application/x-stateyard-state";

/** What a palette drag carries: a state type, optionally a Task resource. */
export interface DropPayload {
  type: StateType;
  resource?: string;
}

/** Where a drop landed. */
export type DropTarget =
  | { kind: "canvas"; scope: string }
  | { kind: "lane"; scope: string }
  | { kind: "edge"; ref: TransitionRef; edge: GraphEdge };

/** Parse the drag data: JSON `{type, resource?}` or a bare state type. */
export function parseDropPayload(raw: string): DropPayload | null {
  const text = raw.trim();
  if (isStateType(text)) return { type: text };
  try {
    const data: unknown = JSON.parse(text);
    if (data && typeof data === "object" && isStateType((data as { type?: unknown }).type)) {
      const { type, resource } = data as { type: StateType; resource?: unknown };
      return typeof resource === "string" ? { type, resource } : { type };
    }
  } catch {
    return null;
  }
  return null;
}

const isMarker = (id: string) => id.endsWith("#start") || id.endsWith("#end");
const markerScope = (id: string) => id.slice(0, id.lastIndexOf("#"));

/** A new connection drawn from `source` (handle `sourceHandle`) to `target`. */
export function connectEdit(def: Definition, source: string, target: string, sourceHandle?: string | null): Edit {
  if (source.endsWith("#start")) {
    if (isMarker(target) || scopeOf(target) !== markerScope(source)) throw new MutationError("Start must lead to a state of its scope.");
    return { definition: setStartAt(def, target), label: `Start at ${nameOf(target)}` };
  }
  if (target.endsWith("#end")) {
    const state = getState(def, source);
    if (!state || scopeOf(source) !== markerScope(target)) throw new MutationError("A state can only end its own scope.");
    if (state.Type === "Choice") throw new MutationError("A Choice state cannot be an end state.");
    const next = typeof state.Next === "string" ? disconnect(def, { kind: "next", source }) : setField(def, source, "/End", true);
    return { definition: next, label: `End after ${nameOf(source)}` };
  }
  const kind = sourceHandle === "catch" ? "catch" : undefined;
  return {
    definition: connect(def, { source, target, ...(kind ? { kind } : {}) }),
    label: `Connect ${nameOf(source)} to ${nameOf(target)}`,
  };
}

/** An existing edge dragged to a new source and/or target. */
export function reconnectEdit(def: Definition, edge: GraphEdge, source: string, target: string): Edit {
  if (target.endsWith("#end")) {
    if (edge.kind !== "next" && edge.kind !== "end") throw new MutationError("Only a plain transition can end the scope.");
    return connectEdit(disconnectIfMoved(def, edge, source), source, target);
  }
  if (edge.kind === "end") {
    return connectEdit(setField(def, edge.source, "/End", undefined), source, target);
  }
  if (edge.kind === "start") {
    return { definition: reconnect(def, edge.ref, { target }), label: `Start at ${nameOf(target)}` };
  }
  const change: { source?: string; target?: string } = { target };
  if (source !== edge.source) change.source = source;
  return { definition: reconnect(def, edge.ref, change), label: `Reconnect ${nameOf(edge.source)}` };
}

function disconnectIfMoved(def: Definition, edge: GraphEdge, source: string): Definition {
  return source !== edge.source && edge.kind === "next" ? disconnect(def, edge.ref) : def;
}

/**
 * Delete the selected states and transitions (transitions first, highest index
 * first). The canvas also hands over the edges into and out of a deleted
 * state; those are left to deleteStates, which joins the neighbours.
 */
export function deleteEdit(def: Definition, statePaths: string[], edges: GraphEdge[]): Edit {
  let next = def;
  const removable = edges
    .filter((e) => e.kind !== "end" && !statePaths.includes(e.source) && !statePaths.includes(e.target))
    .sort((a, b) => (b.ref.index ?? 0) - (a.ref.index ?? 0));
  for (const edge of removable) next = disconnect(next, edge.ref);
  next = deleteStates(next, statePaths);
  const what = statePaths.length === 1 ? nameOf(statePaths[0] as string) : statePaths.length ? `${statePaths.length} states` : "transition";
  return { definition: next, label: `Delete ${what}` };
}

/** A palette item dropped on the canvas, into a lane, or onto an edge. */
export function dropEdit(def: Definition, payload: DropPayload, target: DropTarget): Edit {
  const name = uniqueName(def, payload.type);
  const options = { name, ...(payload.resource ? { state: withResource(def, payload) } : {}) };
  if (target.kind === "edge") {
    const scope = target.ref.kind === "start" ? target.ref.source : scopeOf(target.ref.source);
    return {
      definition: insertOnEdge(def, target.ref, payload.type, options),
      label: `Insert ${name}`,
      selection: statePath(scope, name),
    };
  }
  return {
    definition: addState(def, target.scope, payload.type, options),
    label: `Add ${name}`,
    selection: statePath(target.scope, name),
  };
}

function withResource(def: Definition, payload: DropPayload) {
  const template = addState({ QueryLanguage: def.QueryLanguage, States: {} }, "", payload.type, { name: "x" }).States?.x ?? {};
  return { ...template, Resource: payload.resource };
}
