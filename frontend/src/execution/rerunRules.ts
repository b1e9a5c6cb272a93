/**
 * When "Re-run from here" is offered for a state, and which states a redrive
 * kept (their graph badge). Pure: the execution view asks, the tests check.
 */
import type { Definition } from "../asl/types";
import { pathOfName } from "../asl/paths";
import type { NodeBadge } from "../components/flowTypes";
import type { HistoryFold, Visit } from "./history";

/** The top-level state a state's (last) visit ran in: itself at top level, else the outermost Parallel or Map. */
export function topLevelOf(fold: HistoryFold, name: string): string | null {
  const visits = fold.run.visits.filter((v) => v.name === name);
  let v: Visit | undefined = visits[visits.length - 1];
  if (!v) return null;
  while (v.parent !== null) {
    const up = fold.visit(v.parent);
    if (!up) break;
    v = up;
  }
  return v.name;
}

export interface RerunAsk {
  fold: HistoryFold;
  definition: Definition | null;
  name: string;
  /** The execution's status (null: not known yet). */
  status: string | null;
  mayRun: boolean;
  role: string;
}

/** Why "Re-run from here" is off for a state (null: it is on). */
export function rerunBlocked({ fold, definition, name, status, mayRun, role }: RerunAsk): string | null {
  if (!mayRun) return `${role === "viewer" ? "Viewers" : "You"} cannot re-run executions (runners and up can).`;
  if (status === null || status === "RUNNING") return "Wait until the execution has finished (or stop it).";
  const top = topLevelOf(fold, name);
  if (top && top !== name) return `${name} runs inside ${top}: re-run ${top} (a branch or iteration alone has nowhere to deliver its result).`;
  if (!top && definition && !Object.prototype.hasOwnProperty.call(definition.States ?? {}, name)) {
    return `${name} is not a top-level state: re-run the Parallel or Map that holds it.`;
  }
  return null;
}

const KEPT: NodeBadge = { text: "kept", title: "Not run again by the last redrive: it had succeeded, its result is kept." };

/** The graph's "kept" badge on each state a redrive did not run again, by path. */
export function keptBadges(kept: Set<string>, definition: Definition | null): Record<string, NodeBadge> {
  const out: Record<string, NodeBadge> = {};
  if (!definition) return out;
  for (const name of kept) {
    const path = pathOfName(definition, name);
    if (path) out[path] = KEPT;
  }
  return out;
}
