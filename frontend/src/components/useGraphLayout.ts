/**
 * Hook: the layout boxes of a graph. A shape laid out before (this page, or
 * stored in this browser) gets its exact layout in the same render, so an edit
 * that keeps the shape (a rename, a field) never waits for ELK. Otherwise the
 * synchronous layout answers at once and ELK (in a web worker) replaces it
 * when it answers; while ELK works on a new graph, the previous ELK result is
 * kept if it still covers every node. Routes (ELK's, around containers) come
 * only with an exact layout.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import type { Direction, Point } from "../asl/types";
import type { Graph } from "../graph/derive";
import { cachedGraphLayout, elkInput, layoutGraph, layoutSync, type ElkInput } from "../graph/layout";
import type { Boxes, LayoutResult, Routes } from "../graph/types";

export type LayoutEngine = "elk" | "sync";

const NO_ROUTES: Routes = {};

export const DEFAULT_ENGINE: LayoutEngine = import.meta.env?.MODE === "test" ? "sync" : "elk";

interface Exact extends LayoutResult {
  input: ElkInput;
  positions: unknown;
}

export function useGraphLayout(
  graph: Graph,
  direction: Direction,
  positions: Record<string, Point> | undefined,
  engine: LayoutEngine = DEFAULT_ENGINE,
): { boxes: Boxes; routes: Routes; exact: boolean } {
  const input = useMemo(() => (engine === "elk" ? elkInput(graph, direction) : null), [graph, direction, engine]);
  const known = useMemo(
    () => (input ? cachedGraphLayout(graph, input, { direction, ...(positions ? { positions } : {}) }) : null),
    [graph, input, direction, positions],
  );
  const [elk, setElk] = useState<Exact | null>(null);
  const last = useRef<Boxes | null>(null);

  useEffect(() => {
    if (!input || known) return;
    let alive = true;
    layoutGraph(graph, { direction, ...(positions ? { positions } : {}) }, input).then(({ boxes, routes }) => {
      if (alive) setElk({ input, positions, boxes, routes });
    });
    return () => {
      alive = false;
    };
  }, [graph, input, direction, positions, known]);

  const exact = known ?? (elk && elk.input === input && elk.positions === positions ? elk : null);
  useEffect(() => {
    if (exact) last.current = exact.boxes;
  }, [exact]);

  // The synchronous layout only when there is no exact one (at a few hundred states it is not free).
  const sync = useMemo(
    () => (engine !== "elk" || !exact ? layoutSync(graph, { direction, ...(positions ? { positions } : {}) }) : null),
    [graph, direction, positions, engine, exact],
  );
  // While ELK works: the previous ELK boxes (with moved nodes on top), memoised so that every
  // render does not hand the canvas new boxes (it copies them into state: an endless update loop).
  const interim = useMemo(() => {
    const previous = last.current;
    if (!sync) return null;
    return previous && graph.nodes.every((n) => previous[n.id]) ? { ...previous, ...pick(sync, positions) } : sync;
  }, [graph, sync, positions]);

  if (engine !== "elk" && sync) return { boxes: sync, routes: NO_ROUTES, exact: true };
  if (exact) return { boxes: exact.boxes, routes: exact.routes, exact: true };
  return { boxes: interim ?? {}, routes: NO_ROUTES, exact: false };
}

/** The boxes of manually placed nodes (so a drag is not undone while ELK recomputes). */
function pick(boxes: Boxes, positions: Record<string, Point> | undefined): Boxes {
  const out: Boxes = {};
  for (const id of Object.keys(positions ?? {})) if (boxes[id]) out[id] = boxes[id];
  return out;
}
