/** The xyflow node and edge types of the workflow canvas, and the data they carry. */
import type { Edge, Node } from "@xyflow/react";
import type { Direction, Point, StateStatus } from "../asl/types";
import type { GraphEdge, GraphNode } from "../graph/derive";
import type { DiffMark, EdgeMark } from "../graph/marks";

/** A state's look on a run's graph: its status, or not run (no visit yet). */
export type RunStatus = StateStatus | "notrun";

export type StateNodeData = {
  node: GraphNode;
  direction: Direction;
  editable: boolean;
  status?: StateStatus;
  /** Execution view: the state has not run (yet). */
  notRun?: boolean;
  /** A short word on the node's corner (e.g. "kept": a redrive did not run it again). */
  badge?: NodeBadge;
  /** Validator errors/warnings on this state. */
  problems: number;
  /** A comparison's mark on this state (added, removed, changed, renamed). */
  diff?: DiffMark;
  /** A renamed state's former name. */
  oldName?: string;
  /** Toggle a container's collapsed state. */
  onToggle?: (path: string) => void;
};

export interface NodeBadge {
  text: string;
  /** Said on hover and to screen readers. */
  title: string;
}

export type FlowNode = Node<StateNodeData, "state" | "container" | "lane" | "marker">;

export type StateEdgeData = {
  edge: GraphEdge;
  editable: boolean;
  /** ELK's orthogonal route (root coordinates), when the layout has one. */
  route?: Point[];
  /** A comparison's mark on this transition. */
  diff?: EdgeMark;
};

export type FlowEdge = Edge<StateEdgeData, "transition">;
