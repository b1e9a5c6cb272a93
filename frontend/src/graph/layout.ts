/**
 * Layout of a derived graph: ELK (compose.ts, in a web worker when there is
 * one) with edge routes, or the synchronous layered fallback (`layoutSync`)
 * for the first paint and for tests. Manual positions (layout hints) win over
 * computed ones. ELK's results are kept by the graph's skeleton
 * (layoutCache.ts, skeleton.ts): a graph of a shape laid out before gets its
 * layout at once (`cachedGraphLayout`), renamed states included.
 */
import type { ElkNode } from "elkjs/lib/elk-api";
import type { Direction, Point } from "../asl/types";
import { ScopeMemo, composeLayout } from "./compose";
import type { Graph } from "./derive";
import { orderLanes, toElk } from "./elkGraph";
import { cachedLayout, storeLayout } from "./layoutCache";
import { workerLayout } from "./layoutWorker";
import { simpleLayout } from "./simpleLayout";
import { fromSlots, skeletonOf, toSlots, type Skeleton, type SlotLayout } from "./skeleton";
import type { Boxes, LayoutOptions, LayoutResult } from "./types";

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

/** ELK's input for a graph, with its skeleton (what the cache and the worker go by). */
export interface ElkInput {
  elk: ElkNode;
  skeleton: Skeleton;
}

export function elkInput(graph: Graph, direction: Direction = "TB"): ElkInput {
  const elk = toElk(graph, direction);
  return { elk, skeleton: skeletonOf(elk) };
}

/** ELK on the page's thread (no worker: tests, old browsers): loaded on demand, one scope memo for the page. */
let mainThread: Promise<(graph: ElkNode) => Promise<LayoutResult>> | null = null;
function mainThreadRunner(): Promise<(graph: ElkNode) => Promise<LayoutResult>> {
  mainThread ??= import("elkjs/lib/elk.bundled.js").then(({ default: ELK }) => {
    const elk = new ELK({ algorithms: ["layered"] });
    const memo = new ScopeMemo();
    return (graph: ElkNode) => composeLayout(graph, elk, memo);
  });
  return mainThread;
}

/** The finishing touches on ELK's layout: lanes in model order, manual positions, no routes to moved nodes. */
function finish(graph: Graph, result: LayoutResult, options: LayoutOptions): LayoutResult {
  const ordered = orderLanes(graph, result, options.direction ?? "TB");
  return { boxes: withPositions(ordered.boxes, options.positions), routes: withoutMoved(graph, ordered.routes, options.positions) };
}

/** The exact layout at once when this shape was laid out before (in this page or stored), else null. */
export function cachedGraphLayout(graph: Graph, input: ElkInput, options: LayoutOptions = {}): LayoutResult | null {
  const slots = cachedLayout<SlotLayout>(input.skeleton.key);
  const result = slots ? fromSlots(slots, input.skeleton) : null;
  return result ? finish(graph, result, options) : null;
}

/**
 * ELK layout (in the worker when possible) with edge routes; falls back to the
 * synchronous layout (no routes) if ELK fails. Routes of edges that touch a
 * manually placed node are dropped (the canvas draws those edges itself).
 */
export async function layoutGraph(graph: Graph, options: LayoutOptions = {}, known?: ElkInput): Promise<LayoutResult> {
  const input = known ?? elkInput(graph, options.direction ?? "TB");
  try {
    const cached = cachedGraphLayout(graph, input, options);
    if (cached) return cached;
    const { elk, skeleton } = input;
    let slots = await workerLayout(elk, skeleton);
    if (!slots) {
      slots = toSlots(await (await mainThreadRunner())(elk), skeleton);
      storeLayout(skeleton.key, slots);
    }
    const result = fromSlots(slots, skeleton);
    if (!result) throw new Error("the layout does not fit the graph");
    return finish(graph, result, options);
  } catch {
    return { boxes: layoutSync(graph, options), routes: {} };
  }
}

/** Routes whose ends (or their enclosing containers) were not moved by hand. */
function withoutMoved(graph: Graph, routes: LayoutResult["routes"], positions: Record<string, Point> | undefined): LayoutResult["routes"] {
  const moved = Object.keys(positions ?? {});
  if (!moved.length) return routes;
  const touched = (id: string) => moved.some((m) => id === m || id.startsWith(`${m}/`) || id.startsWith(`${m}#`));
  const out = { ...routes };
  for (const e of graph.edges) if (touched(e.source) || touched(e.target)) delete out[e.id];
  return out;
}
