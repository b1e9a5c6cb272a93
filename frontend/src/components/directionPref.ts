/**
 * The layout direction a viewer chose for a workflow on a read-only canvas
 * (the execution view), remembered per workflow in localStorage. The
 * designer keeps its direction in the workflow's layout hints instead.
 */
import type { Direction } from "../asl/types";
import type { PrefStorage } from "./panelState";

const key = (workflow: string) => `stateyard.direction.${workflow}`;

export function readDirection(storage: PrefStorage | null, workflow: string): Direction | null {
  try {
    const value = storage?.getItem(key(workflow));
    return value === "TB" || value === "LR" ? value : null;
  } catch {
    return null;
  }
}

export function writeDirection(storage: PrefStorage | null, workflow: string, direction: Direction): void {
  try {
    storage?.setItem(key(workflow), direction);
  } catch {
    /* blocked or full storage: not remembered */
  }
}
