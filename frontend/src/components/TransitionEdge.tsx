/**
 * The edge component: a smooth-step path with a label (Default, rule, Catch
 * error names) that is also a drop target for inserting a state on the edge.
 * The label carries `data-testid="edge-label"`, `data-edge-id`,
 * `data-edge-kind`, `data-source-path` and `data-target-path`.
 */
import { memo, useMemo } from "react";
import { createPortal } from "react-dom";
import { BaseEdge, getSmoothStepPath, useStore, type EdgeProps } from "@xyflow/react";
import type { FlowEdge } from "./flowTypes";

/**
 * The canvas's label layer. xyflow's EdgeLabelRenderer looks this element up
 * with querySelector on every store change, once per edge: at 300 states that
 * was a third of a selection click. The element never changes, so each edge
 * finds it once.
 */
function useLabelLayer(): Element | null {
  const domNode = useStore((s) => s.domNode);
  return useMemo(() => domNode?.querySelector(".react-flow__edgelabel-renderer") ?? null, [domNode]);
}

export function TransitionEdge(props: EdgeProps<FlowEdge>) {
  const { id, data, selected, markerEnd, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } = props;
  const [path, labelX, labelY] = getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, borderRadius: 8 });
  const layer = useLabelLayer();
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
      {layer
        ? createPortal(
        <div
          className={`sy-edge-label sy-edge-label-${kind}${edge?.label ? "" : " sy-edge-label-empty"} nodrag nopan`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-testid="edge-label"
          {...(data?.editable ? { "data-drop-edge": id } : {})}
          {...attrs}
        >
          {edge?.label ?? ""}
        </div>,
            layer,
          )
        : null}
    </>
  );
}

// memo: an edge renders again only when its own props (ends, selection, data) change.
export const edgeTypes = { transition: memo(TransitionEdge) };
