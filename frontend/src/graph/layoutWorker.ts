/**
 * The page's side of the layout worker (layout.worker.ts): starts it, asks it
 * for layouts and keeps what it answers in the layout cache.
 *
 * `startLayoutWorker` runs from the entry (main.tsx) before React or the
 * page's code load: the worker compiles ELK meanwhile, and, given a
 * workflow, fetches and lays it out by itself (the request travels in the
 * worker's name, because a page's messages reach a starting worker only once
 * the page's thread has a free moment, which a big first render does not
 * leave). The layout it finds arrives unasked (an answer without an id) and is
 * cached, so the canvas finds it there.
 */
import type { ElkNode } from "elkjs/lib/elk-api";
import { storeLayout } from "./layoutCache";
import type { Skeleton, SlotLayout } from "./skeleton";
import { workerName, type WorkerAnswer, type WorkerPrefetch } from "./workerProtocol";

let worker: Worker | null = null;
let requests = 0;
const pending = new Map<number, { key: string; resolve: (s: SlotLayout) => void; reject: (e: Error) => void }>();
const inFlight = new Map<string, Promise<SlotLayout>>();

function settle(answer: WorkerAnswer): void {
  if (answer.key && answer.slots) storeLayout(answer.key, answer.slots);
  const waiting = answer.id !== undefined ? pending.get(answer.id) : undefined;
  if (answer.id !== undefined) pending.delete(answer.id);
  if (waiting) {
    if (answer.slots) waiting.resolve(answer.slots);
    else waiting.reject(new Error(answer.error ?? "layout failed"));
  }
  // an unasked layout also answers whoever waits for the same shape
  if (answer.key && answer.slots) {
    for (const [id, other] of pending) {
      if (other.key !== answer.key) continue;
      pending.delete(id);
      other.resolve(answer.slots);
    }
  }
}

/** Start the worker (once); with `prefetch`, it lays that workflow out without being asked. False without workers. */
export function startLayoutWorker(prefetch?: WorkerPrefetch): boolean {
  if (worker) return true;
  if (typeof Worker === "undefined" || import.meta.env?.MODE === "test") return false;
  try {
    worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module", name: workerName(prefetch) });
  } catch {
    return false;
  }
  worker.onmessage = (event: MessageEvent<WorkerAnswer>) => settle(event.data);
  worker.onerror = (event) => {
    for (const waiting of pending.values()) waiting.reject(new Error(event.message || "layout worker failed"));
    pending.clear();
  };
  return true;
}

/** Lay out `graph` in the worker (one request per shape at a time); null without a worker. */
export function workerLayout(graph: ElkNode, skeleton: Skeleton): Promise<SlotLayout> | null {
  if (!startLayoutWorker() || !worker) return null;
  const running = inFlight.get(skeleton.key);
  if (running) return running;
  const w = worker;
  const promise = new Promise<SlotLayout>((resolve, reject) => {
    const id = ++requests;
    pending.set(id, { key: skeleton.key, resolve, reject });
    w.postMessage({ id, graph });
  }).finally(() => inFlight.delete(skeleton.key));
  inFlight.set(skeleton.key, promise);
  return promise;
}
