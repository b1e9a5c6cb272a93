/**
 * `<WorkflowGraph definition editable statuses? onSelect? />`: the workflow
 * canvas (xyflow) shared by the designer (editable: edits go through the
 * studio store's `setDefinition`, layout hints through `setLayout`) and the
 * execution view (read-only, states coloured by `statuses`, with a legend).
 *
 * Editable gestures: click selects (store.select + onSelect), drag moves a
 * node (saved as a layout hint), drag from a handle connects (the side
 * handle of Task/Parallel/Map adds a Catch), drag an edge end reconnects,
 * Delete/Backspace deletes, and palette drops (`application/x-stateyard-state`)
 * add a state on the canvas, in a lane, or on an edge. A state focused with
 * Tab shows a focus ring; Enter or Space selects it.
 *
 * The view fits the graph after a load, an import (most states new), a
 * direction switch, a tidy-up, a fold, a `fitSignal` and a resize of the
 * canvas (unless the user moved the view), never below a readable zoom
 * (viewFit.ts): a graph too big for that starts at its beginning and the
 * minimap appears (only then; it can be hidden, and is remembered; Overview.tsx).
 * A big graph (over DRAW_ALL_UP_TO nodes) draws only what is in view: at a
 * readable zoom most of it is off screen, and each drawn node costs the first
 * paint and every store update (a click) its share; panning draws the rest.
 */
import {
  Background,
  ControlButton,
  Controls,
  MarkerType,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  useStore,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import { ArrowDown, ArrowRight, Map as MapIcon, Maximize } from "lucide-react";
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from "react";
import "@xyflow/react/dist/style.css";
import "../styles/graph.css";
import { MutationError } from "../asl/mutations";
import { scopeOf } from "../asl/paths";
import { useStudio } from "../asl/store";
import type { Definition, Direction, Layout, StateStatus } from "../asl/types";
import { deriveGraph, type Graph, type GraphEdge } from "../graph/derive";
import { graphBounds } from "../graph/geometry";
import { withExtraEdges, type GraphMarks } from "../graph/marks";
import { DRAG_MIME, connectEdit, deleteEdit, dropEdit, parseDropPayload, reconnectEdit, type DropPayload, type DropTarget, type Edit } from "./canvasEdits";
import type { FlowEdge, FlowNode, NodeBadge } from "./flowTypes";
import { Legend } from "./Legend";
import { Overview } from "./Overview";
import { nodeTypes } from "./nodes";
import { stabilizeEdges, stabilizeNodes, toFlowEdges, toFlowNodes } from "./toFlow";
import { readDirection, writeDirection } from "./directionPref";
import { browserStorage, type PanelSpec } from "./panelState";
import { edgeTypes } from "./TransitionEdge";
import { useGraphLayout, type LayoutEngine } from "./useGraphLayout";
import { usePanel } from "./usePanel";
import { boundsInView, fitViewport, mostlyNew, type Size } from "./viewFit";
import { useStableCallback } from "./useStableCallback";

export interface WorkflowGraphProps {
  definition: Definition;
  /** Designer mode: edits go to the studio store (useStudio). */
  editable?: boolean;
  /** Execution view: per-state status by path. */
  statuses?: Record<string, StateStatus>;
  /** Execution view: a short word on some states' corner, by path (keep the object stable). */
  badges?: Record<string, NodeBadge>;
  /** Called with the clicked state's path (null when the pane is clicked). */
  onSelect?: (path: string | null) => void;
  /** The highlighted state (read-only mode; editable mode uses the store's selection). */
  selection?: string | null;
  /** Layout hints (read-only mode; editable mode uses the store's layout). */
  layout?: Layout;
  /** Show the status legend (default: when `statuses` is given). */
  legend?: boolean;
  /** Handle a palette drop yourself; return true if handled (default: addState/insertOnEdge). */
  onDropState?: (payload: DropPayload, target: DropTarget) => boolean | void;
  /** A gesture was refused (default: a message in the canvas). */
  onError?: (message: string) => void;
  /** Change this number to fit the whole graph in view again (a "Fit" button elsewhere). */
  fitSignal?: number;
  /** Read-only mode: remember the viewer's direction for this workflow (its id) in localStorage. */
  directionKey?: string;
  /** Read-only mode: a comparison's marks (added, removed, changed, renamed), drawn in colour. */
  marks?: GraphMarks;
  /** Layout engine (default ELK in a worker; "sync" in tests). */
  engine?: LayoutEngine;
  className?: string;
}

const EMPTY_LAYOUT: Layout = {};
// Constant objects: a new one per render would reach xyflow's store (and every edge) each time.
const EDGE_OPTIONS = { markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 } };
const PRO_OPTIONS = { hideAttribution: true };
const MIN_ZOOM = 0.1;
/** Up to this many nodes (states, lanes, markers) the canvas draws them all. */
const DRAW_ALL_UP_TO = 150;
const MAX_ZOOM = 2;

/**
 * The minimap: shown only when the graph does not fit, in its own strip
 * beside the canvas (so it never covers a state), and only when the canvas
 * is wide enough to spare the strip; it can be hidden (remembered).
 */
const MINIMAP: PanelSpec = { key: "stateyard.canvas.minimap", defaultOpen: true, size: 160, min: 160, max: 160 };
const MINIMAP_SIZE = { width: 150, height: 110 };
const MINIMAP_STRIP = 166;
const MINIMAP_ROOM = 640;

/** The state ids of a graph (to tell an import or a load from an edit). */
function stateIds(graph: Graph): Set<string> {
  return new Set(graph.nodes.filter((n) => n.kind === "state").map((n) => n.id));
}

export function WorkflowGraph(props: WorkflowGraphProps) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

function Canvas({ definition, editable = false, statuses, badges, onSelect, selection, layout, legend, onDropState, onError, engine, className, fitSignal, directionKey, marks }: WorkflowGraphProps) {
  const storeLayout = useStudio((s) => s.layout);
  const storeSelection = useStudio((s) => s.selection);
  const diagnostics = useStudio((s) => s.diagnostics);
  const hints = (editable ? storeLayout : layout) ?? EMPTY_LAYOUT;
  const [localDirection, setLocalDirection] = useState<Direction | null>(null);
  useEffect(() => {
    if (!editable && directionKey) setLocalDirection(readDirection(browserStorage(), directionKey));
  }, [editable, directionKey]);
  const [localCollapsed, setLocalCollapsed] = useState<Record<string, boolean>>({});
  const [message, setMessage] = useState<string | null>(null);
  const paletteDrag = usePaletteDrag(editable);
  const [clicked, setClicked] = useState<string | null>(null);
  const direction: Direction = (editable ? hints.direction : localDirection ?? hints.direction) ?? "TB";
  const hintCollapsed = hints.collapsed;
  const collapsed = useMemo(
    () => (editable ? hintCollapsed : { ...hintCollapsed, ...localCollapsed }),
    [editable, hintCollapsed, localCollapsed],
  );
  const selected = editable ? storeSelection : selection !== undefined ? selection : clicked;

  // a run's graph leaves out the lanes' start/end markers (compact, nothing to edit there)
  const graph = useMemo(() => {
    const derived = deriveGraph(definition, { ...(collapsed ? { collapsed } : {}), ...(editable ? {} : { laneMarkers: false }) });
    return marks ? withExtraEdges(derived, marks) : derived;
  }, [definition, collapsed, editable, marks]);
  const { boxes, routes, exact } = useGraphLayout(graph, direction, hints.positions, engine);
  const edgesById = useMemo(() => new Map(graph.edges.map((e) => [e.id, e])), [graph]);

  const fail = useCallback(
    (err: unknown) => {
      const text = err instanceof Error ? err.message : String(err);
      if (onError) onError(text);
      else setMessage(text);
      if (!(err instanceof MutationError)) console.error(err);
    },
    [onError],
  );

  const commit = useCallback(
    (make: () => Edit) => {
      try {
        const edit = make();
        useStudio.getState().setDefinition(edit.definition, edit.label, edit.selection !== undefined ? { selection: edit.selection } : {});
        setMessage(null);
        if (edit.selection) onSelect?.(edit.selection);
      } catch (err) {
        fail(err);
      }
    },
    [fail, onSelect],
  );

  const toggle = useCallback(
    (path: string) => {
      if (editable) {
        const layoutNow = useStudio.getState().layout;
        const next = { ...(layoutNow.collapsed ?? {}) };
        if (next[path]) delete next[path];
        else next[path] = true;
        useStudio.getState().setLayout({ ...layoutNow, collapsed: next });
      } else {
        setLocalCollapsed((c) => ({ ...c, [path]: !(c[path] ?? hints.collapsed?.[path] ?? false) }));
      }
    },
    [editable, hints.collapsed],
  );

  // Unchanged nodes and edges keep their objects, so only what changed re-renders.
  const previousNodes = useRef(new Map<string, FlowNode>());
  const previousEdges = useRef(new Map<string, FlowEdge>());
  const flowNodes = useMemo(() => {
    const fresh = toFlowNodes(graph, boxes, { direction, editable, statuses, badges, selection: selected, diagnostics: editable ? diagnostics : [], onToggle: toggle, ...(marks ? { marks } : {}) });
    const stable = stabilizeNodes(previousNodes.current, fresh);
    previousNodes.current = new Map(stable.map((n) => [n.id, n]));
    return stable;
  }, [graph, boxes, direction, editable, statuses, badges, selected, diagnostics, toggle, marks]);
  const flowEdges = useMemo(() => {
    const stable = stabilizeEdges(previousEdges.current, toFlowEdges(graph, editable, routes, marks));
    previousEdges.current = new Map(stable.map((e) => [e.id, e]));
    return stable;
  }, [graph, editable, routes, marks]);
  // xyflow's own changes (select, drag, measure) apply to `nodes`/`edges`; a new model result
  // replaces them during this render (no extra commit), keeping the objects it did not
  // change, so a click that xyflow already showed as selected costs one store update.
  const [nodes, setNodes] = useState<FlowNode[]>(flowNodes);
  const [edges, setEdges] = useState<FlowEdge[]>(flowEdges);
  const [nodesFrom, setNodesFrom] = useState(flowNodes);
  const [edgesFrom, setEdgesFrom] = useState(flowEdges);
  if (nodesFrom !== flowNodes) {
    setNodesFrom(flowNodes);
    setNodes((current) => keepUnchanged(current, stabilizeNodes(byId(current), flowNodes)));
  }
  if (edgesFrom !== flowEdges) {
    setEdgesFrom(flowEdges);
    setEdges((current) => keepUnchanged(current, stabilizeEdges(byId(current), flowEdges)));
  }

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    setNodes((current) => applyNodeChanges(changes.filter((c) => c.type !== "remove"), current));
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange<FlowEdge>[]) => {
    setEdges((current) => applyEdgeChanges(changes.filter((c) => c.type !== "remove"), current));
  }, []);

  // ---- the view: fit on request once the layout is exact ----
  const flow = useReactFlow();
  const canvasRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  const [fitWanted, setFitWanted] = useState(1);
  const [fitDone, setFitDone] = useState(0);
  const [fits, setFits] = useState(true);
  const userMoved = useRef(false);
  const requestFit = useCallback(() => setFitWanted((n) => n + 1), []);
  const bounds = useMemo(() => graphBounds(graph, boxes), [graph, boxes]);
  const minimap = usePanel(MINIMAP);
  const minimapShown = useRef(false);

  // the canvas's size; a resize refits unless the user moved the view
  useEffect(() => {
    const element = canvasRef.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      const next = { width: element.clientWidth, height: element.clientHeight };
      setSize((old) => (old.width === next.width && old.height === next.height ? old : next));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    if (size.width > 0 && size.height > 0 && !userMoved.current) requestFit();
  }, [size, requestFit]);

  // layout changes that refit: direction, folds, tidy-up, most states new (load, import), fitSignal
  const collapsedKey = JSON.stringify(collapsed ?? {});
  const moved = Object.keys(hints.positions ?? {}).length > 0;
  const fittedIds = useRef<Set<string>>(new Set());
  const shape = useRef({ direction, collapsedKey, moved });
  useEffect(() => {
    const before = shape.current;
    shape.current = { direction, collapsedKey, moved };
    const ids = stateIds(graph);
    const fresh = mostlyNew(fittedIds.current, ids);
    if (fresh) fittedIds.current = ids;
    if (fresh || before.direction !== direction || before.collapsedKey !== collapsedKey || (before.moved && !moved)) requestFit();
  }, [graph, direction, collapsedKey, moved, requestFit]);
  useEffect(() => {
    if (fitSignal) requestFit();
  }, [fitSignal, requestFit]);

  useEffect(() => {
    if (!exact || fitDone >= fitWanted || size.width <= 0 || size.height <= 0) return;
    if (bounds) {
      const fit = fitViewport(bounds, size, { direction });
      void flow.setViewport(fit.viewport, { duration: 0 });
      setFits(fit.fits);
    }
    userMoved.current = false;
    setFitDone(fitWanted);
  }, [exact, fitDone, fitWanted, size, bounds, direction, flow]);

  // the minimap only when some of the graph is off screen
  const allInView = useStore((s) => (bounds ? boundsInView(bounds, { x: s.transform[0], y: s.transform[1], zoom: s.transform[2] }, size) : true));
  const showMinimap = !allInView && minimap.open && size.width + (minimapShown.current ? MINIMAP_STRIP : 0) >= MINIMAP_ROOM;
  minimapShown.current = showMinimap;

  const select = useCallback(
    (path: string | null) => {
      if (editable) useStudio.getState().select(path);
      else setClicked(path);
      onSelect?.(path);
    },
    [editable, onSelect],
  );

  const setDirection = (next: Direction) => {
    if (editable) {
      const layoutNow = useStudio.getState().layout;
      useStudio.getState().setLayout({ ...layoutNow, direction: next }, next === "TB" ? "Lay out top to bottom" : "Lay out left to right");
    } else {
      setLocalDirection(next);
      if (directionKey) writeDirection(browserStorage(), directionKey, next);
    }
  };

  const relayout = () => {
    const layoutNow = useStudio.getState().layout;
    const rest = { ...layoutNow };
    delete rest.positions;
    useStudio.getState().setLayout(rest, "Tidy up layout");
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    if (!editable) return;
    markDropTarget(event.currentTarget, null);
    const raw = event.dataTransfer.getData(DRAG_MIME) || event.dataTransfer.getData("text/plain");
    const payload = parseDropPayload(raw);
    if (!payload) return;
    event.preventDefault();
    const target = dropTargetOf(event.target, edgesById);
    if (onDropState?.(payload, target)) return;
    commit(() => dropEdit(useStudio.getState().definition, payload, target));
  };

  const current = () => useStudio.getState().definition;

  // Enter or Space on a focused state selects it (and shows it in the inspector)
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    const target = event.target instanceof Element ? event.target : null;
    if (!target?.classList.contains("react-flow__node")) return;
    const id = target.getAttribute("data-id");
    const node = id ? nodes.find((n) => n.id === id) : undefined;
    if (!node || node.data.node.kind !== "state") return;
    event.preventDefault();
    select(node.id);
  };
  // a canvas with no size (hidden, or jsdom) has nothing to fit to: the layout alone decides
  const ready = exact && (fitDone >= fitWanted || size.width <= 0 || size.height <= 0);

  // Stable identities for everything <ReactFlow> copies into its store or hands to every node.
  const onNodeClick = useStableCallback((_: unknown, node: FlowNode) => {
    if (node.data.node.kind === "state") select(node.id);
  });
  const onPaneClick = useStableCallback(() => select(null));
  const isValidConnection = useStableCallback((c: Connection | FlowEdge) => scopeKey(c.source) === scopeKey(c.target));
  const onConnect = useStableCallback((c: Connection) => editable && commit(() => connectEdit(current(), c.source, c.target, c.sourceHandle)));
  const onReconnect = useStableCallback((old: FlowEdge, c: Connection) => {
    const edge = editable ? old.data?.edge : undefined;
    if (edge) commit(() => reconnectEdit(current(), edge, c.source, c.target));
  });
  const onDelete = useStableCallback(({ nodes: gone, edges: cut }: { nodes: FlowNode[]; edges: FlowEdge[] }) => {
    if (!editable) return;
    const paths = gone.filter((n) => n.data.node.kind === "state").map((n) => n.id);
    const refs = cut.map((e) => e.data?.edge).filter((e): e is GraphEdge => e !== undefined);
    if (paths.length || refs.length) commit(() => deleteEdit(current(), paths, refs));
  });
  const onNodeDragStop = useStableCallback((_: unknown, node: FlowNode) => {
    if (!editable || node.data.node.kind === "lane") return;
    const layoutNow = useStudio.getState().layout;
    const positions = { ...(layoutNow.positions ?? {}), [node.id]: { x: Math.round(node.position.x), y: Math.round(node.position.y) } };
    useStudio.getState().setLayout({ ...layoutNow, positions }, `Move ${node.data.node.label}`);
  });

  return (
    <div
      className={`sy-graph ${editable ? "sy-editable" : "sy-readonly"}${paletteDrag ? " sy-palette-drag" : ""} ${className ?? ""}`}
      data-testid="workflow-graph"
      data-direction={direction}
      data-layout={ready ? "ready" : "pending"}
      data-fit={fits ? "whole" : "pan"}
      onDragOver={(event) => {
        if (editable && Array.from(event.dataTransfer.types).some((t) => t === DRAG_MIME || t === "text/plain")) {
          event.preventDefault();
          event.dataTransfer.dropEffect = "copy";
          const edge = event.target instanceof Element ? event.target.closest("[data-drop-edge]")?.getAttribute("data-drop-edge") : null;
          markDropTarget(event.currentTarget, edge ?? null);
        }
      }}
      onDragLeave={(event) => {
        if (!(event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget))) markDropTarget(event.currentTarget, null);
      }}
      onDrop={onDrop}
      onKeyDown={onKeyDown}
    >
      {(legend ?? statuses !== undefined) && (
        <div className="sy-legend-bar">
          <Legend />
        </div>
      )}
      <div className="sy-graph-row">
      <div className="sy-graph-canvas" ref={canvasRef} data-testid="graph-canvas">
        <ReactFlow<FlowNode, FlowEdge>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          defaultEdgeOptions={EDGE_OPTIONS}
          nodesDraggable={editable}
          nodesConnectable={editable}
          edgesReconnectable={editable}
          elementsSelectable
          edgesFocusable={false}
          deleteKeyCode={editable ? ["Delete", "Backspace"] : null}
          minZoom={MIN_ZOOM}
          maxZoom={MAX_ZOOM}
          onlyRenderVisibleElements={graph.nodes.length > DRAW_ALL_UP_TO}
          proOptions={PRO_OPTIONS}
          onMoveEnd={(event) => {
            if (event) userMoved.current = true;
          }}
          onNodeClick={onNodeClick}
          onPaneClick={onPaneClick}
          isValidConnection={isValidConnection}
          onConnect={onConnect}
          onReconnect={onReconnect}
          onDelete={onDelete}
          onNodeDragStop={onNodeDragStop}
        >
          <Background gap={16} />
          <Controls
            showInteractive={false}
            showFitView={false}
            onZoomIn={() => (userMoved.current = true)}
            onZoomOut={() => (userMoved.current = true)}
          >
            <ControlButton className="react-flow__controls-fitview" onClick={requestFit} title="Fit the graph in view" aria-label="Fit the graph in view">
              <Maximize size={12} />
            </ControlButton>
          </Controls>
          <Panel position="top-right" className="sy-graph-tools">
            {/* Direction: the workflow's layout when editable, a remembered view preference where a
                directionKey is given (execution view); otherwise (a viewer in the designer, whose
                toolbar toggle is disabled too) not offered. */}
            {(editable || directionKey) && (
            <div role="group" aria-label="Layout direction" className="sy-graph-tool-group">
              <button type="button" aria-pressed={direction === "TB"} data-testid="direction-tb" onClick={() => setDirection("TB")} title="Lay out top to bottom" aria-label="Lay out top to bottom">
                <ArrowDown size={14} aria-hidden="true" />
              </button>
              <button type="button" aria-pressed={direction === "LR"} data-testid="direction-lr" onClick={() => setDirection("LR")} title="Lay out left to right" aria-label="Lay out left to right">
                <ArrowRight size={14} aria-hidden="true" />
              </button>
            </div>
            )}
            {!allInView && (
              <button
                type="button"
                aria-pressed={minimap.open}
                data-testid="minimap-toggle"
                onClick={() => minimap.setOpen((o) => !o)}
                title={minimap.open ? "Hide the minimap" : "Show the minimap"}
                aria-label={minimap.open ? "Hide the minimap" : "Show the minimap"}
              >
                <MapIcon size={14} aria-hidden="true" />
              </button>
            )}
            {editable && hints.positions && Object.keys(hints.positions).length > 0 && (
              <button type="button" data-testid="relayout" onClick={relayout} title="Forget moved nodes and lay out again">
                Tidy
              </button>
            )}
          </Panel>
          {message && (
            <Panel position="top-center" className="sy-graph-message">
              <span role="alert" data-testid="graph-message">
                {message}
              </span>
              <button type="button" aria-label="Dismiss" onClick={() => setMessage(null)}>
                ×
              </button>
            </Panel>
          )}
        </ReactFlow>
      </div>
      {showMinimap && (
        <div className="sy-minimap-strip" data-testid="minimap-strip">
          <Overview graph={graph} boxes={boxes} bounds={bounds} statuses={statuses} className="sy-minimap" style={MINIMAP_SIZE} minZoom={MIN_ZOOM} maxZoom={MAX_ZOOM} />
        </div>
      )}
      </div>
    </div>
  );
}

/** The scope of a node id (markers are `<scope>#start|#end`). */
function scopeKey(id: string): string {
  const hash = id.lastIndexOf("#");
  return hash >= 0 ? id.slice(0, hash) : scopeOf(id);
}

function byId<T extends { id: string }>(items: T[]): Map<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}

/** `current` itself when `next` holds the very same objects in the same order (no update at all). */
function keepUnchanged<T>(current: T[], next: T[]): T[] {
  return next.length === current.length && next.every((item, i) => item === current[i]) ? current : next;
}

/**
 * Whether a palette item is being dragged (from its dragstart to its dragend or
 * drop, anywhere on the page): the canvas then shows every edge as a drop
 * target ("+" on its label, its drop path tinted).
 */
function usePaletteDrag(editable: boolean): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    if (!editable) return;
    const start = (event: globalThis.DragEvent) => {
      if (Array.from(event.dataTransfer?.types ?? []).includes(DRAG_MIME)) setDragging(true);
    };
    const stop = () => setDragging(false);
    document.addEventListener("dragstart", start);
    document.addEventListener("dragend", stop);
    document.addEventListener("drop", stop);
    return () => {
      document.removeEventListener("dragstart", start);
      document.removeEventListener("dragend", stop);
      document.removeEventListener("drop", stop);
    };
  }, [editable]);
  return dragging;
}

/**
 * Highlight the edge a drop would insert on (its label and its drop path get
 * `data-drop-over`; null clears). Set on the DOM directly: a drag moves too
 * often to re-render every edge, and React does not own the attribute.
 */
function markDropTarget(root: Element, edgeId: string | null): void {
  for (const el of root.querySelectorAll("[data-drop-over]")) {
    if (el.getAttribute("data-drop-edge") !== edgeId) el.removeAttribute("data-drop-over");
  }
  if (edgeId === null) return;
  for (const el of root.querySelectorAll(`[data-drop-edge="${CSS.escape(edgeId)}"]`)) el.setAttribute("data-drop-over", "");
}

/** Where a drop landed: an edge (its label or path), a lane, else the top-level canvas. */
export function dropTargetOf(element: EventTarget | null, edges: Map<string, GraphEdge>): DropTarget {
  const el = element instanceof Element ? element : null;
  const edgeId = el?.closest("[data-drop-edge]")?.getAttribute("data-drop-edge");
  const edge = edgeId ? edges.get(edgeId) : undefined;
  if (edge) return { kind: "edge", ref: edge.ref, edge };
  const lane = el?.closest("[data-drop-scope]")?.getAttribute("data-drop-scope");
  if (lane) return { kind: "lane", scope: lane };
  // A state drawn in a lane is not inside the lane's element: a drop on it goes to its lane.
  const state = el?.closest("[data-state-path]")?.getAttribute("data-state-path");
  const scope = state ? scopeOf(state) : "";
  if (scope) return { kind: "lane", scope };
  return { kind: "canvas", scope: "" };
}

export type { DropPayload, DropTarget } from "./canvasEdits";
export default WorkflowGraph;
