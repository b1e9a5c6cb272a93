/**
 * Node sizes and spacing shared by the layouts and the node components (px).
 * Compact enough that a 9-state workflow with a Parallel and a Map fits a
 * 1280x720 window at a readable zoom (see components/viewFit.ts).
 */
import type { GraphNode } from "./derive";

export const STATE_SIZE = { width: 184, height: 48 };
export const CHOICE_SIZE = { width: 184, height: 52 };
export const MARKER_SIZE = { width: 20, height: 20 };
export const CONTAINER_PADDING = { top: 36, side: 12, bottom: 12 };
export const LANE_PADDING = { top: 24, side: 12, bottom: 10 };
/** layer: between layers at the top level; laneLayer: inside a lane; node: side by side; lane: between lanes. */
export const GAP = { layer: 40, laneLayer: 28, node: 28, lane: 14 };

/** The size of a leaf node (not a container or lane). */
export function leafSize(node: GraphNode): { width: number; height: number } {
  if (node.kind === "start" || node.kind === "end") return MARKER_SIZE;
  if (node.type === "Choice") return CHOICE_SIZE;
  return STATE_SIZE;
}
