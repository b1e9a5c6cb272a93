/** Adding a palette item to the machine: after the selected state (on its outgoing transition), else at the end of the top level. */
import { insertOnEdge, addState } from "../asl/mutations";
import { getState, scopeOf, statePath } from "../asl/paths";
import { allNames, placeholderRule } from "../asl/templates";
import { targetOf, type TransitionRef } from "../asl/transitions";
import type { Definition, StateType } from "../asl/types";
import { newState, type DragPayload } from "./paletteItems";

export interface Inserted {
  definition: Definition;
  path: string;
  name: string;
}

export function insertItem(def: Definition, payload: DragPayload, after: string | null, scope?: string): Inserted {
  const jsonata = def.QueryLanguage === "JSONata";
  const { name, state } = newState(payload, allNames(def), jsonata);
  const type = payload.type as StateType;
  const selected = after ? getState(def, after) : undefined;
  if (after && selected) {
    const where = scopeOf(after);
    const leaves = selected.Type !== "Succeed" && selected.Type !== "Fail" && selected.Type !== "Choice";
    if (leaves) {
      const hasNext = typeof selected.Next === "string";
      if (type === "Choice" && hasNext) state.Choices = [placeholderRule(def, selected.Next as string)];
      const ref = hasNext ? { kind: "next" as const, source: after } : { kind: "end" as const, source: after };
      return { definition: insertOnEdge(def, ref, type, { name, state }), path: statePath(where, name), name };
    }
    return { definition: addState(def, where, type, { name, state, after }), path: statePath(where, name), name };
  }
  const target = scope ?? "";
  return { definition: addState(def, target, type, { name, state }), path: statePath(target, name), name };
}

/** A palette drop on the canvas: on an edge (inserted on that transition) or in a scope (the top level or a lane). */
export function insertAtDrop(
  def: Definition,
  payload: DragPayload,
  target: { kind: "canvas" | "lane"; scope: string } | { kind: "edge"; ref: TransitionRef },
): Inserted {
  if (target.kind !== "edge") return insertItem(def, payload, null, target.scope);
  const jsonata = def.QueryLanguage === "JSONata";
  const { name, state } = newState(payload, allNames(def), jsonata);
  const type = payload.type as StateType;
  const ref = target.ref;
  const scope = ref.kind === "start" ? ref.source : scopeOf(ref.source);
  if (type === "Choice" && ref.kind !== "end") {
    const old = targetOf(def, ref);
    if (old) state.Choices = [placeholderRule(def, old)];
  }
  return { definition: insertOnEdge(def, ref, type, { name, state }), path: statePath(scope, name), name };
}
