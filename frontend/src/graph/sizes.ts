/** Node sizes and spacing shared by the layouts and the node components (px). */
import type { GraphNode } from "./derive";

export const STATE_SIZE = { width: 184, height: 48 };
export const CHOICE_SIZE = { width: 184, height: 56 };
export const MARKER_SIZE = { width: 28, height: 28 };
export const CONTAINER_PADDING = { top: 40, side: 14, bottom: 14 };
export const LANE_PADDING = { top: 30, side: 14, bottom: 14 };
export const GAP = { layer: 56, node: 32, lane: 16 };

/** The size of a leaf node (not a container or lane). */
export function leafSize(node: GraphNode): { width: number; height: number } {
  if (node.kind === "start" || node.kind === "end") return MARKER_SIZE;
  if (node.type === "Choice") return CHOICE_SIZE;
  return STATE_SIZE;
}
