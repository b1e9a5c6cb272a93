/**
 * The edge component: ELK's orthogonal route around containers (rounded
 * corners) when the layout has one that still fits the edge's ends, else a
 * smooth-step path; with a label (Default, rule, Catch
 * error names) that is also a drop target for inserting a state on the edge.
 * The label carries `data-testid="edge-label"`, `data-edge-id`,
 * `data-edge-kind`, `data-source-path` and `data-target-path`.
 */
import { memo, useMemo } from "react";
import { createPortal } from "react-dom";
import { BaseEdge, getSmoothStepPath, useStore, type EdgeProps } from "@xyflow/react";
import type { FlowEdge } from "./flowTypes";
import { fitRoute, roundedPath } from "./routePath";

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
  const route = data?.route;
  const [path, labelX, labelY, routed] = useMemo(() => {
    const points = fitRoute(route, { x: sourceX, y: sourceY }, { x: targetX, y: targetY });
    if (points) {
      const drawn = roundedPath(points, 8);
      return [drawn.path, drawn.labelX, drawn.labelY, true] as const;
    }
    const [step, x, y] = getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, borderRadius: 8 });
    return [step, x, y, false] as const;
  }, [route, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition]);
  const layer = useLabelLayer();
  const edge = data?.edge;
  const kind = edge?.kind ?? "next";
  const attrs = {
    "data-edge-id": id,
    "data-edge-kind": kind,
    "data-source-path": edge?.source ?? "",
    "data-target-path": edge?.target ?? "",
    ...(data?.diff ? { "data-diff": data.diff } : {}),
  };
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={`sy-edge sy-edge-${kind}${selected ? " sy-edge-selected" : ""}${data?.diff ? ` sy-edge-diff-${data.diff}` : ""}`}
        data-routed={routed ? "elk" : "step"}
      />
      {data?.editable && <path d={path} className="sy-edge-drop" data-drop-edge={id} fill="none" />}
      {layer
        ? createPortal(
        <div
          className={`sy-edge-label sy-edge-label-${kind}${edge?.label ? "" : " sy-edge-label-empty"}${data?.diff ? ` sy-edge-label-diff-${data.diff}` : ""} nodrag nopan`}
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
