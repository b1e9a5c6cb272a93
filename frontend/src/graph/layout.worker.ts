/**
 * Web worker running ELK off the page's thread (compose.ts, one scope at a
 * time, each scope's layout remembered). Receives `{id, graph}` (an ELK JSON
 * graph from toElk) and answers `{id, key, slots}` (the layout by position
 * under the graph's skeleton key, see skeleton.ts) or `{id, error}`.
 *
 * At start it warms ELK up on a small graph (its first run is the slowest)
 * and, when its name carries a workflow (workerProtocol.ts), fetches that
 * workflow, lays it out the way the canvas will ask for it and sends the
 * result unasked (`{key, slots}`), so the first exact layout does not wait
 * for the page's thread.
 */
import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkNode } from "elkjs/lib/elk-api";
import type { Definition, Layout } from "../asl/types";
import { ScopeMemo, composeLayout } from "./compose";
import { deriveGraph } from "./derive";
import { toElk } from "./elkGraph";
import { skeletonOf, toSlots, type SlotLayout } from "./skeleton";
import { WARM_UP } from "./warmUp";
import { prefetchOf, type WorkerAnswer, type WorkerPrefetch } from "./workerProtocol";

const elk = new ELK();
const memo = new ScopeMemo();
/** Whole graphs being laid out, by skeleton key (a request and the prefetch for the same graph share one run). */
const running = new Map<string, Promise<SlotLayout>>();

function layout(graph: ElkNode): { key: string; slots: Promise<SlotLayout> } {
  const skeleton = skeletonOf(graph);
  let slots = running.get(skeleton.key);
  if (!slots) {
    slots = composeLayout(graph, elk, memo).then((result) => toSlots(result, skeleton));
    running.set(skeleton.key, slots);
    void slots.catch(() => undefined).finally(() => running.delete(skeleton.key));
  }
  return { key: skeleton.key, slots };
}

const post = (answer: WorkerAnswer) => self.postMessage(answer);

self.onmessage = async (event: MessageEvent<{ id: number; graph: ElkNode }>) => {
  const { id, graph } = event.data;
  try {
    const { key, slots } = layout(graph);
    post({ id, key, slots: await slots });
  } catch (err) {
    post({ id, error: err instanceof Error ? err.message : String(err) });
  }
};

/** Fetch the workflow and lay out the graph the canvas will show first (its stored direction and folds). */
async function prefetch({ workflowId, laneMarkers }: WorkerPrefetch): Promise<void> {
  const response = await fetch(`/api/workflows/${encodeURIComponent(workflowId)}/`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  if (!response.ok) return;
  const workflow = (await response.json()) as { definition?: Definition; layout?: Layout | null };
  const hints = workflow.layout ?? {};
  const graph = deriveGraph(workflow.definition ?? {}, { collapsed: hints.collapsed ?? {}, ...(laneMarkers ? {} : { laneMarkers: false }) });
  const { key, slots } = layout(toElk(graph, hints.direction ?? "TB"));
  post({ key, slots: await slots });
}

// The fetch goes out first; ELK warms up while it travels.
const wanted = prefetchOf(self.name);
const fetched = wanted ? prefetch(wanted).catch(() => undefined) : null;
void composeLayout(WARM_UP, elk, memo).catch(() => undefined);
void fetched;
