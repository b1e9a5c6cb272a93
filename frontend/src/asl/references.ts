/**
 * A quick client-side check of the references in a definition (the same codes
 * and locations as the engine's validator, engine/validation/structure.py):
 * START_AT_NOT_FOUND and DANGLING_NEXT. The server's validation stays the
 * authority; this lets the canvas flag a broken edge before it answers.
 */
import { allScopes, getScope, pointer, statePath } from "./paths";
import { transitionsOf } from "./transitions";
import type { Definition, Diagnostic } from "./types";

export function checkReferences(def: Definition): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const scope of allScopes(def)) {
    const body = getScope(def, scope);
    const states = body?.States;
    if (!states || typeof states !== "object" || Object.keys(states).length === 0) continue;
    const has = (name: string) => Object.prototype.hasOwnProperty.call(states, name);
    if (typeof body.StartAt === "string" && !has(body.StartAt)) {
      out.push({
        code: "START_AT_NOT_FOUND",
        severity: "error",
        location: scope + pointer("StartAt"),
        message: `StartAt names '${body.StartAt}', but there is no such state here.`,
      });
    }
    for (const [name, state] of Object.entries(states)) {
      for (const t of transitionsOf(state, statePath(scope, name))) {
        if (t.kind !== "end" && !has(t.target)) {
          out.push({
            code: "DANGLING_NEXT",
            severity: "error",
            location: t.field,
            message: `State '${name}' goes to '${t.target}', but there is no such state in this scope.`,
          });
        }
      }
    }
  }
  return out;
}
