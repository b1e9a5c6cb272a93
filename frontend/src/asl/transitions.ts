/**
 * Transitions: the references from one state (or a scope's StartAt) to another
 * state of the same scope, addressed so that they can be read, changed or
 * removed: `{kind: "next"|"default"|"choice"|"catch"|"end", source: <state path>, index?}`
 * or `{kind: "start", source: <scope path>}`.
 */
import type { Definition, State, StateScope } from "./types";
import { getScope, getState, pointer } from "./paths";

export type TransitionKind = "start" | "next" | "default" | "choice" | "catch" | "end";

export interface TransitionRef {
  kind: TransitionKind;
  /** The state path (a scope path for "start"). */
  source: string;
  /** Choices[index] for "choice", Catch[index] for "catch". */
  index?: number;
}

export interface Transition extends TransitionRef {
  /** The target state name ("" for "end"). */
  target: string;
  /** JSON Pointer of the field holding the target (`/States/A/Next`, `/States/C/Choices/0/Next`...). */
  field: string;
}

/** Every outgoing transition of a state, in order: Next, Choices, Default, Catch, End. */
export function transitionsOf(state: State | undefined, path: string): Transition[] {
  if (!state || typeof state !== "object") return [];
  const out: Transition[] = [];
  if (typeof state.Next === "string") {
    out.push({ kind: "next", source: path, target: state.Next, field: path + "/Next" });
  }
  if (Array.isArray(state.Choices)) {
    state.Choices.forEach((rule, index) => {
      if (rule && typeof rule.Next === "string") {
        out.push({ kind: "choice", source: path, index, target: rule.Next, field: path + pointer("Choices", index, "Next") });
      }
    });
  }
  if (typeof state.Default === "string") {
    out.push({ kind: "default", source: path, target: state.Default, field: path + "/Default" });
  }
  if (Array.isArray(state.Catch)) {
    state.Catch.forEach((catcher, index) => {
      if (catcher && typeof catcher.Next === "string") {
        out.push({ kind: "catch", source: path, index, target: catcher.Next, field: path + pointer("Catch", index, "Next") });
      }
    });
  }
  if (state.End === true || state.Type === "Succeed" || state.Type === "Fail") {
    out.push({ kind: "end", source: path, target: "", field: path + "/End" });
  }
  return out;
}

/** The target name of a transition, if it exists. */
export function targetOf(def: Definition, ref: TransitionRef): string | undefined {
  if (ref.kind === "start") {
    const start = getScope(def, ref.source)?.StartAt;
    return typeof start === "string" ? start : undefined;
  }
  const state = getState(def, ref.source);
  switch (ref.kind) {
    case "next":
      return typeof state?.Next === "string" ? state.Next : undefined;
    case "default":
      return typeof state?.Default === "string" ? state.Default : undefined;
    case "choice": {
      const next = state?.Choices?.[ref.index ?? -1]?.Next;
      return typeof next === "string" ? next : undefined;
    }
    case "catch": {
      const next = state?.Catch?.[ref.index ?? -1]?.Next;
      return typeof next === "string" ? next : undefined;
    }
    case "end":
      return state?.End === true ? "" : undefined;
  }
}

/** Rewrite, in place, every reference to `from` in one scope (StartAt and all transitions) with `to`. */
export function retargetInScope(scope: StateScope, from: string, to: string): void {
  if (scope.StartAt === from) scope.StartAt = to;
  for (const state of Object.values(scope.States ?? {})) {
    if (!state || typeof state !== "object") continue;
    if (state.Next === from) state.Next = to;
    if (state.Default === from) state.Default = to;
    for (const rule of Array.isArray(state.Choices) ? state.Choices : []) {
      if (rule && rule.Next === from) rule.Next = to;
    }
    for (const catcher of Array.isArray(state.Catch) ? state.Catch : []) {
      if (catcher && catcher.Next === from) catcher.Next = to;
    }
  }
}
