/** The xyflow node and edge types of the workflow canvas, and the data they carry. */
import type { Edge, Node } from "@xyflow/react";
import type { Direction, StateStatus } from "../asl/types";
import type { GraphEdge, GraphNode } from "../graph/derive";

export type StateNodeData = {
  node: GraphNode;
  direction: Direction;
  editable: boolean;
  status?: StateStatus;
  /** Validator errors/warnings on this state. */
  problems: number;
  /** Toggle a container's collapsed state. */
  onToggle?: (path: string) => void;
};

export type FlowNode = Node<StateNodeData, "state" | "container" | "lane" | "marker">;

export type StateEdgeData = {
  edge: GraphEdge;
  editable: boolean;
};

export type FlowEdge = Edge<StateEdgeData, "transition">;
