/**
 * The edge component: a smooth-step path with a label (Default, rule, Catch
 * error names) that is also a drop target for inserting a state on the edge.
 * The label carries `data-testid="edge-label"`, `data-edge-id`,
 * `data-edge-kind`, `data-source-path` and `data-target-path`.
 */
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, type EdgeProps } from "@xyflow/react";
import type { FlowEdge } from "./flowTypes";

export function TransitionEdge(props: EdgeProps<FlowEdge>) {
  const { id, data, selected, markerEnd, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } = props;
  const [path, labelX, labelY] = getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, borderRadius: 8 });
  const edge = data?.edge;
  const kind = edge?.kind ?? "next";
  const attrs = {
    "data-edge-id": id,
    "data-edge-kind": kind,
    "data-source-path": edge?.source ?? "",
    "data-target-path": edge?.target ?? "",
  };
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={`sy-edge sy-edge-${kind}${selected ? " sy-edge-selected" : ""}`} />
      {data?.editable && <path d={path} className="sy-edge-drop" data-drop-edge={id} fill="none" />}
      <EdgeLabelRenderer>
        <div
          className={`sy-edge-label sy-edge-label-${kind}${edge?.label ? "" : " sy-edge-label-empty"} nodrag nopan`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-testid="edge-label"
          {...(data?.editable ? { "data-drop-edge": id } : {})}
          {...attrs}
        >
          {edge?.label ?? ""}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const edgeTypes = { transition: TransitionEdge };
