/**
 * Test helpers for the execution view: recorded histories (produced by the
 * Stateyard engine, `python -m engine run --history`) and a small name -> path
 * resolver that does not depend on the definition helpers of src/asl.
 */
import type { HistoryEvent } from "./history";
import success from "./fixtures/success.json";
import retry from "./fixtures/retry.json";
import caught from "./fixtures/caught.json";
import parallel from "./fixtures/parallel.json";
import parallelCaught from "./fixtures/parallel-caught.json";
import map from "./fixtures/map.json";
import failed from "./fixtures/failed.json";
import aborted from "./fixtures/aborted.json";
import nestedMap from "./fixtures/nested-map.json";
import mapFailed from "./fixtures/map-failed.json";
// Recorded from the durable runtime through the API (the workflows of
// tests/designer/test_redrive_api.py: a task fails, its mock is fixed, the
// execution is redriven and runs to its end).
import redrive from "./fixtures/redrive.json";
import redriveMap from "./fixtures/redrive-map.json";
import redriveParallel from "./fixtures/redrive-parallel.json";

export interface Recorded {
  definition: Record<string, unknown>;
  input: unknown;
  status: string;
  events: HistoryEvent[];
}

function recorded(data: unknown): Recorded {
  return data as Recorded;
}

export const FIXTURES = {
  success: recorded(success),
  retry: recorded(retry),
  caught: recorded(caught),
  parallel: recorded(parallel),
  parallelCaught: recorded(parallelCaught),
  map: recorded(map),
  failed: recorded(failed),
  aborted: recorded(aborted),
  nestedMap: recorded(nestedMap),
  mapFailed: recorded(mapFailed),
  redrive: recorded(redrive),
  redriveMap: recorded(redriveMap),
  redriveParallel: recorded(redriveParallel),
};

/** name -> JSON Pointer of the state in `definition` (the same addresses as src/asl/paths). */
export function namePaths(definition: Record<string, unknown>): (name: string) => string | null {
  const found = new Map<string, string>();
  const walk = (machine: unknown, base: string): void => {
    if (!machine || typeof machine !== "object") return;
    const states = (machine as Record<string, unknown>).States;
    if (!states || typeof states !== "object") return;
    for (const [name, state] of Object.entries(states as Record<string, unknown>)) {
      const path = `${base}/States/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      found.set(name, path);
      const s = state as Record<string, unknown>;
      if (Array.isArray(s.Branches)) s.Branches.forEach((b, i) => walk(b, `${path}/Branches/${i}`));
      if (s.ItemProcessor) walk(s.ItemProcessor, `${path}/ItemProcessor`);
      if (s.Iterator) walk(s.Iterator, `${path}/Iterator`);
    }
  };
  walk(definition, "");
  return (name) => found.get(name) ?? null;
}
