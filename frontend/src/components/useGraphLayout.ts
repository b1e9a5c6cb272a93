/**
 * Hook: the layout boxes of a graph. The synchronous layout answers at once;
 * ELK (in a web worker) replaces it when it answers. While ELK works on a new
 * graph, the previous ELK result is kept if it still covers every node.
 * Routes (ELK's, around containers) come only with an exact layout.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import type { Direction, Point } from "../asl/types";
import type { Graph } from "../graph/derive";
import { layoutGraph, layoutSync } from "../graph/layout";
import type { Boxes, Routes } from "../graph/types";

export type LayoutEngine = "elk" | "sync";

const NO_ROUTES: Routes = {};

export const DEFAULT_ENGINE: LayoutEngine = import.meta.env?.MODE === "test" ? "sync" : "elk";

export function useGraphLayout(
  graph: Graph,
  direction: Direction,
  positions: Record<string, Point> | undefined,
  engine: LayoutEngine = DEFAULT_ENGINE,
): { boxes: Boxes; routes: Routes; exact: boolean } {
  const sync = useMemo(() => layoutSync(graph, { direction, ...(positions ? { positions } : {}) }), [graph, direction, positions]);
  const [elk, setElk] = useState<{ graph: Graph; direction: Direction; positions: unknown; boxes: Boxes; routes: Routes } | null>(null);
  const last = useRef<Boxes | null>(null);

  useEffect(() => {
    if (engine !== "elk") return;
    let alive = true;
    layoutGraph(graph, { direction, ...(positions ? { positions } : {}) }).then(({ boxes, routes }) => {
      if (!alive) return;
      last.current = boxes;
      setElk({ graph, direction, positions, boxes, routes });
    });
    return () => {
      alive = false;
    };
  }, [graph, direction, positions, engine]);

  // While ELK works: the previous ELK boxes (with moved nodes on top), memoised so that every
  // render does not hand the canvas new boxes (it copies them into state: an endless update loop).
  const interim = useMemo(() => {
    const previous = last.current;
    return previous && graph.nodes.every((n) => previous[n.id]) ? { ...previous, ...pick(sync, positions) } : sync;
  }, [graph, sync, positions, elk]);

  if (engine !== "elk") return { boxes: sync, routes: NO_ROUTES, exact: true };
  if (elk && elk.graph === graph && elk.direction === direction && elk.positions === positions) {
    return { boxes: elk.boxes, routes: elk.routes, exact: true };
  }
  return { boxes: interim, routes: NO_ROUTES, exact: false };
}

/** The boxes of manually placed nodes (so a drag is not undone while ELK recomputes). */
function pick(boxes: Boxes, positions: Record<string, Point> | undefined): Boxes {
  const out: Boxes = {};
  for (const id of Object.keys(positions ?? {})) if (boxes[id]) out[id] = boxes[id];
  return out;
}
