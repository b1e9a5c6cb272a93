/**
 * What the page and the layout worker say to each other (layoutWorker.ts,
 * layout.worker.ts): requests are `{id, graph}`; answers carry the layout by
 * position under the graph's skeleton key, or an error; a layout the worker
 * made unasked (its prefetch) has no `id`. The prefetch request travels in
 * the worker's name.
 */
import type { SlotLayout } from "./skeleton";

/** What the worker is told at start. */
export interface WorkerPrefetch {
  /** Fetch this workflow and lay it out. */
  workflowId: string;
  /** Lane start/end markers (the designer's editable graph has them; see derive.ts). */
  laneMarkers: boolean;
}

export interface WorkerAnswer {
  id?: number;
  key?: string;
  slots?: SlotLayout;
  error?: string;
}

const NAME = "stateyard-layout";

export function workerName(prefetch?: WorkerPrefetch): string {
  return prefetch ? `${NAME} ${JSON.stringify(prefetch)}` : NAME;
}

/** The prefetch request in a worker's name, if any. */
export function prefetchOf(name: string): WorkerPrefetch | null {
  if (!name.startsWith(`${NAME} `)) return null;
  try {
    const data = JSON.parse(name.slice(NAME.length + 1)) as Partial<WorkerPrefetch> | null;
    return data && typeof data.workflowId === "string" ? { workflowId: data.workflowId, laneMarkers: data.laneMarkers !== false } : null;
  } catch {
    return null;
  }
}
