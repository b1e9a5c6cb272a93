/**
 * Web worker running ELK off the page's thread (compose.ts, one scope at a
 * time, each scope's layout remembered). Receives `{id, graph}` (an ELK JSON
 * graph from toElk) and answers `{id, key, slots}` (the layout by position
 * under the graph's skeleton key, see skeleton.ts) or `{id, error}`.
 *
 * When its name carries a workflow (workerProtocol.ts), the workflow's
 * request goes out before ELK's code is even evaluated (workerFetch.ts); the
 * worker lays it out the way the canvas will ask for it and sends the result
 * unasked (`{key, slots}`), so the first exact layout does not wait for the
 * page's thread. ELK warms up on a small graph (its first runs are the
 * slowest) while the workflow travels, and stops when it arrives (`warmUp`).
 */
// workerFetch first: its request leaves before ELK's code below is evaluated
import { early, type FetchedWorkflow } from "./workerFetch";
import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkNode } from "elkjs/lib/elk-api";
import { ScopeMemo, composeLayout, type ElkEngine } from "./compose";
import { deriveGraph } from "./derive";
import { toElk } from "./elkGraph";
import { skeletonOf, toSlots, type SlotLayout } from "./skeleton";
import { WARM_UP } from "./warmUp";
import type { WorkerAnswer, WorkerPrefetch } from "./workerProtocol";

// only the layered algorithm (toElk's): registering every algorithm's options costs startup time
const elk = new ELK({ algorithms: ["layered"] });
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

/** Lay out the fetched workflow as the canvas will show it first (its stored direction and folds). */
async function prefetch({ laneMarkers }: WorkerPrefetch, fetched: Promise<FetchedWorkflow | null>): Promise<void> {
  const workflow = await fetched;
  if (!workflow) return;
  const hints = workflow.layout ?? {};
  const graph = deriveGraph(workflow.definition ?? {}, { collapsed: hints.collapsed ?? {}, ...(laneMarkers ? {} : { laneMarkers: false }) });
  const { key, slots } = layout(toElk(graph, hints.direction ?? "TB"));
  post({ key, slots: await slots });
}

/**
 * ELK's first runs are its slowest (its code is not compiled yet): warm it up on a small
 * graph, one scope at a time, while there is nothing better to do: until `until` settles
 * (the prefetched workflow has arrived), or the whole graph when nothing is awaited.
 */
function warmUp(until?: Promise<unknown>): void {
  let done = false;
  void until?.finally(() => (done = true));
  const engine: ElkEngine = { layout: (graph) => (done ? Promise.reject(new Error("warm enough")) : elk.layout(graph)) };
  void composeLayout(WARM_UP, engine, new ScopeMemo()).catch(() => undefined);
}

warmUp(early?.workflow);
if (early) void prefetch(early.wanted, early.workflow).catch(() => undefined);
