/** Layout results: a box per node id, relative to its parent node (xyflow's convention). */
import type { Direction, Point } from "../asl/types";

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Boxes = Record<string, Box>;

export interface LayoutOptions {
  direction?: Direction;
  /** Manual positions (layout hints) that win over computed ones, by node id. */
  positions?: Record<string, Point>;
}
