/** Layout results: a box per node id, relative to its parent node (xyflow's convention), and edge routes. */
import type { Direction, Point } from "../asl/types";

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Boxes = Record<string, Box>;

/** An edge's route from ELK: absolute (root) coordinates, start point, bend points, end point. */
export type Routes = Record<string, Point[]>;

export interface LayoutResult {
  boxes: Boxes;
  /** Orthogonal routes around containers (ELK only; the synchronous layout has none). */
  routes: Routes;
}

export interface LayoutOptions {
  direction?: Direction;
  /** Manual positions (layout hints) that win over computed ones, by node id. */
  positions?: Record<string, Point>;
}
