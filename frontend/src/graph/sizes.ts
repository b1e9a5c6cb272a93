/**
 * Node sizes and spacing shared by the layouts and the node components (px).
 * Compact enough that a 9-state workflow with a Parallel and a Map fits a
 * 1280x720 window at a readable zoom (see components/viewFit.ts).
 */
import type { GraphNode } from "./derive";

/** A state label's font size (px, graph coordinates; graph.css's .sy-node uses it). */
export const LABEL_FONT_PX = 14;
/** The smallest on-screen label size (px) a person reads comfortably: it sets the readable zoom. */
export const MIN_SCREEN_FONT_PX = 11;

export const STATE_SIZE = { width: 168, height: 36 };
export const CHOICE_SIZE = { width: 168, height: 40 };
export const MARKER_SIZE = { width: 18, height: 18 };
export const CONTAINER_PADDING = { top: 30, side: 10, bottom: 10 };
export const LANE_PADDING = { top: 22, side: 10, bottom: 8 };
/** layer: between layers at the top level; laneLayer: inside a lane; node: side by side; lane: between lanes. */
export const GAP = { layer: 24, laneLayer: 14, node: 22, lane: 10 };

/** The size of a leaf node (not a container or lane). */
export function leafSize(node: GraphNode): { width: number; height: number } {
  if (node.kind === "start" || node.kind === "end") return MARKER_SIZE;
  if (node.type === "Choice") return CHOICE_SIZE;
  return STATE_SIZE;
}
