/**
 * Whether a workflow has nothing to see yet: no states, or only the one
 * placeholder a blank workflow starts with (a single simple state). The
 * designer opens the palette for it, since adding states is the next step.
 */
import type { Definition } from "../asl/types";

const CONTAINERS = new Set(["Parallel", "Map"]);

export function startsEmpty(definition: Definition | null | undefined): boolean {
  const states = Object.values(definition?.States ?? {});
  if (states.length === 0) return true;
  return states.length === 1 && !CONTAINERS.has(String(states[0]?.Type ?? ""));
}
