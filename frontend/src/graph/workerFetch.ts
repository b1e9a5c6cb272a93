/**
 * The layout worker's first act (layout.worker.ts imports this module before
 * ELK, so it runs before ELK's code, a few hundred milliseconds of it, is
 * evaluated): when the worker's name carries a workflow (workerProtocol.ts),
 * its request goes out at once, and ELK loads while the answer travels.
 */
import type { Definition, Layout } from "../asl/types";
import { prefetchOf, type WorkerPrefetch } from "./workerProtocol";

export interface FetchedWorkflow {
  definition?: Definition;
  layout?: Layout | null;
}

/** The workflow the page will show, fetched with the page's session. */
export async function fetchWorkflow(workflowId: string): Promise<FetchedWorkflow | null> {
  const response = await fetch(`/api/workflows/${encodeURIComponent(workflowId)}/`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  return response.ok ? ((await response.json()) as FetchedWorkflow) : null;
}

const wanted: WorkerPrefetch | null = typeof self !== "undefined" && typeof self.name === "string" ? prefetchOf(self.name) : null;

/** What this worker was started for, and its workflow on the way (null: nothing to prefetch). */
export const early: { wanted: WorkerPrefetch; workflow: Promise<FetchedWorkflow | null> } | null = wanted
  ? { wanted, workflow: fetchWorkflow(wanted.workflowId).catch(() => null) }
  : null;
