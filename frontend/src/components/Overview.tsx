/**
 * `<Overview graph boxes bounds statuses? />`: the canvas's minimap, the whole graph
 * small with the view's part unmasked; a drag on it pans the view, the wheel zooms.
 *
 * It draws from the layout (the boxes the canvas places its nodes by), not from
 * xyflow's store: xyflow's own MiniMap follows each node of the store with a
 * subscription of its own, run on every change of the store (a click, each frame
 * of a pan), which at a few hundred states cost more than the canvas itself. Here
 * the nodes are one memoised list, drawn again only when the layout changes, and
 * the only subscription is to the view (its transform and size). The markup keeps
 * xyflow's class names (react-flow__minimap, -node, -mask), so its styles apply.
 */
import { Panel, useReactFlow, useStore, type ReactFlowState } from "@xyflow/react";
import { memo, useMemo, useRef, type CSSProperties, type PointerEvent, type WheelEvent } from "react";
import type { StateStatus } from "../asl/types";
import type { Graph, GraphNode } from "../graph/derive";
import { absoluteBoxes } from "../graph/geometry";
import type { Box, Boxes } from "../graph/types";

export interface OverviewProps {
  graph: Graph;
  /** The layout's boxes (relative to their parents, as the canvas gets them). */
  boxes: Boxes;
  /** The graph's bounds (graph/geometry.ts's graphBounds). */
  bounds: Box | null;
  statuses?: Record<string, StateStatus> | undefined;
  className?: string;
  style: { width: number; height: number };
  minZoom: number;
  maxZoom: number;
}

/** Blank room around the graph, in minimap pixels. */
const MARGIN_PX = 5;

interface View {
  x: number;
  y: number;
  zoom: number;
  width: number;
  height: number;
}

const viewOf = (s: ReactFlowState): View => ({ x: s.transform[0], y: s.transform[1], zoom: s.transform[2], width: s.width, height: s.height });
const sameView = (a: View, b: View) => a.x === b.x && a.y === b.y && a.zoom === b.zoom && a.width === b.width && a.height === b.height;

/** A node's class on the minimap (its kind, and on a run's graph its status). */
export function overviewClass(node: GraphNode, statuses?: Record<string, StateStatus>): string {
  if (node.kind !== "state") return `react-flow__minimap-node sy-mini-${node.kind}`;
  const status = statuses?.[node.id];
  return `react-flow__minimap-node sy-mini-state${status ? ` sy-status-${status}` : ""}`;
}

/** The minimap's rectangles, in graph coordinates (parents first, so children are drawn on top). */
export function overviewRects(graph: Graph, boxes: Boxes, statuses?: Record<string, StateStatus>): { id: string; box: Box; className: string }[] {
  const absolute = absoluteBoxes(graph, boxes);
  return graph.nodes.flatMap((node) => {
    const box = absolute[node.id];
    return box ? [{ id: node.id, box, className: overviewClass(node, statuses) }] : [];
  });
}

const Rects = memo(function Rects({ rects }: { rects: ReturnType<typeof overviewRects> }) {
  return (
    <>
      {rects.map(({ id, box, className }) => (
        <rect key={id} className={className} x={box.x} y={box.y} width={box.width} height={box.height} rx={5} ry={5} shapeRendering="crispEdges" />
      ))}
    </>
  );
});

export function Overview({ graph, boxes, bounds, statuses, className, style, minZoom, maxZoom }: OverviewProps) {
  const view = useStore(viewOf, sameView);
  const flow = useReactFlow();
  const rects = useMemo(() => overviewRects(graph, boxes, statuses), [graph, boxes, statuses]);
  const drag = useRef<{ x: number; y: number } | null>(null);

  // the part of the graph in view, and the box the minimap shows (graph and view together)
  const seen = { x: -view.x / view.zoom, y: -view.y / view.zoom, width: view.width / view.zoom, height: view.height / view.zoom };
  const whole = bounds ? union(bounds, seen) : seen;
  const scale = Math.max(whole.width / style.width, whole.height / style.height) || 1;
  const margin = MARGIN_PX * scale;
  const width = style.width * scale + 2 * margin;
  const height = style.height * scale + 2 * margin;
  const x = whole.x - (style.width * scale - whole.width) / 2 - margin;
  const y = whole.y - (style.height * scale - whole.height) / 2 - margin;

  const panBy = (dx: number, dy: number) => {
    // a minimap pixel is `scale` graph units: move the view by as much
    void flow.setViewport({ x: view.x - dx * scale * view.zoom, y: view.y - dy * scale * view.zoom, zoom: view.zoom });
  };
  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    if (event.button !== 0) return;
    drag.current = { x: event.clientX, y: event.clientY };
    event.currentTarget.setPointerCapture?.(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const from = drag.current;
    if (!from) return;
    drag.current = { x: event.clientX, y: event.clientY };
    panBy(event.clientX - from.x, event.clientY - from.y);
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onWheel = (event: WheelEvent<SVGSVGElement>) => {
    const zoom = Math.min(maxZoom, Math.max(minZoom, view.zoom * Math.pow(2, -event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.002))));
    if (zoom !== view.zoom) void flow.zoomTo(zoom);
  };

  return (
    <Panel position="top-left" className={`react-flow__minimap ${className ?? ""}`} style={style as CSSProperties} data-testid="rf__minimap">
      <svg
        width={style.width}
        height={style.height}
        viewBox={`${x} ${y} ${width} ${height}`}
        className="react-flow__minimap-svg"
        role="img"
        aria-label="Overview of the whole graph: drag to move the view, scroll to zoom"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onWheel={onWheel}
      >
        <Rects rects={rects} />
        <path
          className="react-flow__minimap-mask"
          d={`M${x - margin},${y - margin}h${width + 2 * margin}v${height + 2 * margin}h${-width - 2 * margin}z M${seen.x},${seen.y}h${seen.width}v${seen.height}h${-seen.width}z`}
          fillRule="evenodd"
          pointerEvents="none"
        />
      </svg>
    </Panel>
  );
}

function union(a: Box, b: Box): Box {
  const left = Math.min(a.x, b.x);
  const top = Math.min(a.y, b.y);
  return { x: left, y: top, width: Math.max(a.x + a.width, b.x + b.width) - left, height: Math.max(a.y + a.height, b.y + b.height) - top };
}
