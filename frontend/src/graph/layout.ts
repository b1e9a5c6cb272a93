/**
 * Layout of a derived graph: ELK in a web worker (`layoutGraph`, async), or
 * the synchronous layered fallback (`layoutSync`) for the first paint and for
 * tests. Manual positions (layout hints) win over computed ones. ELK's results
 * are reused for the same input graph (`layoutCache.ts`).
 */
import type { ElkNode } from "elkjs/lib/elk-api";
import type { Direction, Point } from "../asl/types";
import { deriveGraph, type Graph } from "./derive";
import { fromElk, orderLanes, toElk } from "./elkGraph";
import { cachedLayout, layoutKey, storeLayout } from "./layoutCache";
import { simpleLayout } from "./simpleLayout";
import type { Boxes, LayoutOptions } from "./types";

/** Apply manual positions to computed boxes (returns a new object). */
export function withPositions(boxes: Boxes, positions: Record<string, Point> | undefined): Boxes {
  if (!positions) return boxes;
  const out: Boxes = { ...boxes };
  for (const [id, point] of Object.entries(positions)) {
    const box = out[id];
    if (box && point && Number.isFinite(point.x) && Number.isFinite(point.y)) out[id] = { ...box, x: point.x, y: point.y };
  }
  return out;
}

export function layoutSync(graph: Graph, options: LayoutOptions = {}): Boxes {
  return withPositions(simpleLayout(graph, options.direction ?? "TB"), options.positions);
}

type Runner = (graph: ElkNode) => Promise<Boxes>;

let worker: Worker | null = null;
let requests = 0;
const pending = new Map<number, { resolve: (b: Boxes) => void; reject: (e: Error) => void }>();

function workerRunner(): Runner | null {
  if (typeof Worker === "undefined" || import.meta.env?.MODE === "test") return null;
  if (!worker) {
    try {
      worker = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
    } catch {
      return null;
    }
    worker.onmessage = (event: MessageEvent<{ id: number; boxes?: Boxes; error?: string }>) => {
      const waiting = pending.get(event.data.id);
      pending.delete(event.data.id);
      if (!waiting) return;
      if (event.data.boxes) waiting.resolve(event.data.boxes);
      else waiting.reject(new Error(event.data.error ?? "layout failed"));
    };
    worker.onerror = (event) => {
      for (const waiting of pending.values()) waiting.reject(new Error(event.message || "layout worker failed"));
      pending.clear();
    };
  }
  const w = worker;
  return (graph) =>
    new Promise<Boxes>((resolve, reject) => {
      const id = ++requests;
      pending.set(id, { resolve, reject });
      w.postMessage({ id, graph });
    });
}

/** A small graph of every kind of scope (top level, container, lane): ELK's warm-up. */
const WARM_UP = toElk(
  deriveGraph({
    StartAt: "Fan",
    States: {
      Fan: { Type: "Parallel", Branches: [{ StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", End: true } } }], Next: "Done" },
      Done: { Type: "Succeed" },
    },
  }),
);

/**
 * Start the layout worker now, while the page fetches its workflow: loading and
 * compiling ELK (1.4 MB) and its first run take a good part of a second, which
 * then overlaps the fetch and the first (synchronous) paint instead of
 * delaying the first exact layout. Lays out a small graph so ELK's own start-up
 * is done too. Without workers (tests), nothing.
 */
export function prewarmLayout(): void {
  const run = workerRunner();
  if (run) run(WARM_UP).catch(() => undefined);
}

/** ELK on the main thread (no worker available): loaded on demand. */
const mainThreadRunner: Runner = async (graph) => {
  const { default: ELK } = await import("elkjs/lib/elk.bundled.js");
  return fromElk(await new ELK().layout(graph));
};

/** ELK layout (in a worker when possible); falls back to the synchronous layout if ELK fails. */
export async function layoutGraph(graph: Graph, options: LayoutOptions = {}): Promise<Boxes> {
  const direction: Direction = options.direction ?? "TB";
  const elkGraph = toElk(graph, direction);
  try {
    const key = layoutKey(elkGraph);
    let boxes = cachedLayout(key);
    if (!boxes) {
      const run = workerRunner() ?? mainThreadRunner;
      boxes = await run(elkGraph);
      storeLayout(key, boxes);
    }
    return withPositions(orderLanes(graph, boxes, direction), options.positions);
  } catch {
    return layoutSync(graph, options);
  }
}
