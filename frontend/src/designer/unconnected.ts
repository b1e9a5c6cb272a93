/**
 * A state dropped on the empty canvas is not in the flow yet: nothing leads to
 * it. `isReached` says whether something does now (its scope starts at it, or
 * another state's transition names it), which is when the designer's hint on
 * how to connect it goes away.
 */
import { getScope, nameOf, scopeOf, statePath } from "../asl/paths";
import { transitionsOf } from "../asl/transitions";
import type { Definition } from "../asl/types";

export function isReached(def: Definition, path: string): boolean {
  const scope = scopeOf(path);
  const name = nameOf(path);
  const body = getScope(def, scope);
  const states = body?.States ?? {};
  if (!Object.prototype.hasOwnProperty.call(states, name)) return true; // gone: nothing to hint about
  if (body?.StartAt === name) return true;
  return Object.entries(states).some(
    ([other, state]) => other !== name && transitionsOf(state, statePath(scope, other)).some((t) => t.kind !== "end" && t.target === name),
  );
}
