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
 * add a state on the canvas, in a lane, or on an edge.
 */
import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type Node,
  type NodeChange,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import "@xyflow/react/dist/style.css";
import "../styles/graph.css";
import { MutationError } from "../asl/mutations";
import { scopeOf } from "../asl/paths";
import { useStudio } from "../asl/store";
import type { Definition, Direction, Layout, StateStatus } from "../asl/types";
import { deriveGraph, type GraphEdge } from "../graph/derive";
import { DRAG_MIME, connectEdit, deleteEdit, dropEdit, parseDropPayload, reconnectEdit, type DropPayload, type DropTarget, type Edit } from "./canvasEdits";
import type { FlowEdge, FlowNode } from "./flowTypes";
import { Legend } from "./Legend";
import { nodeTypes } from "./nodes";
import { stabilizeEdges, stabilizeNodes, toFlowEdges, toFlowNodes } from "./toFlow";
import { edgeTypes } from "./TransitionEdge";
import { useGraphLayout, type LayoutEngine } from "./useGraphLayout";
import { useStableCallback } from "./useStableCallback";

export interface WorkflowGraphProps {
  definition: Definition;
  /** Designer mode: edits go to the studio store (useStudio). */
  editable?: boolean;
  /** Execution view: per-state status by path. */
  statuses?: Record<string, StateStatus>;
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
  /** Layout engine (default ELK in a worker; "sync" in tests). */
  engine?: LayoutEngine;
  className?: string;
}

const EMPTY_LAYOUT: Layout = {};
// Constant objects: a new one per render would reach xyflow's store (and every edge) each time.
const EDGE_OPTIONS = { markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 } };
const PRO_OPTIONS = { hideAttribution: true };

export function WorkflowGraph(props: WorkflowGraphProps) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

function Canvas({ definition, editable = false, statuses, onSelect, selection, layout, legend, onDropState, onError, engine, className, fitSignal }: WorkflowGraphProps) {
  const storeLayout = useStudio((s) => s.layout);
  const storeSelection = useStudio((s) => s.selection);
  const diagnostics = useStudio((s) => s.diagnostics);
  const hints = (editable ? storeLayout : layout) ?? EMPTY_LAYOUT;
  const [localDirection, setLocalDirection] = useState<Direction | null>(null);
  const [localCollapsed, setLocalCollapsed] = useState<Record<string, boolean>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [clicked, setClicked] = useState<string | null>(null);
  const direction: Direction = (editable ? hints.direction : localDirection ?? hints.direction) ?? "TB";
  const hintCollapsed = hints.collapsed;
  const collapsed = useMemo(
    () => (editable ? hintCollapsed : { ...hintCollapsed, ...localCollapsed }),
    [editable, hintCollapsed, localCollapsed],
  );
  const selected = editable ? storeSelection : selection !== undefined ? selection : clicked;

  const graph = useMemo(() => deriveGraph(definition, collapsed ? { collapsed } : {}), [definition, collapsed]);
  const { boxes, exact } = useGraphLayout(graph, direction, hints.positions, engine);
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
    const fresh = toFlowNodes(graph, boxes, { direction, editable, statuses, selection: selected, diagnostics: editable ? diagnostics : [], onToggle: toggle });
    const stable = stabilizeNodes(previousNodes.current, fresh);
    previousNodes.current = new Map(stable.map((n) => [n.id, n]));
    return stable;
  }, [graph, boxes, direction, editable, statuses, selected, diagnostics, toggle]);
  const flowEdges = useMemo(() => {
    const stable = stabilizeEdges(previousEdges.current, toFlowEdges(graph, editable));
    previousEdges.current = new Map(stable.map((e) => [e.id, e]));
    return stable;
  }, [graph, editable]);
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

  // fit the view when the layout first settles and when the direction changes
  const flow = useReactFlow();
  const fitted = useRef<string>("");
  useEffect(() => {
    const key = `${direction}:${exact}`;
    if (exact && fitted.current !== key) {
      fitted.current = key;
      requestAnimationFrame(() => void flow.fitView({ padding: 0.15, duration: 0 }));
    }
  }, [direction, exact, flow]);
  useEffect(() => {
    if (fitSignal) void flow.fitView({ padding: 0.15, duration: 200 });
  }, [fitSignal, flow]);

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
    const raw = event.dataTransfer.getData(DRAG_MIME) || event.dataTransfer.getData("text/plain");
    const payload = parseDropPayload(raw);
    if (!payload) return;
    event.preventDefault();
    const target = dropTargetOf(event.target, edgesById);
    if (onDropState?.(payload, target)) return;
    commit(() => dropEdit(useStudio.getState().definition, payload, target));
  };

  const current = () => useStudio.getState().definition;

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
      className={`sy-graph ${editable ? "sy-editable" : "sy-readonly"} ${className ?? ""}`}
      data-testid="workflow-graph"
      data-direction={direction}
      data-layout={exact ? "ready" : "pending"}
      onDragOver={(event) => {
        if (editable && Array.from(event.dataTransfer.types).some((t) => t === DRAG_MIME || t === "text/plain")) {
          event.preventDefault();
          event.dataTransfer.dropEffect = "copy";
        }
      }}
      onDrop={onDrop}
    >
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
        deleteKeyCode={editable ? ["Delete", "Backspace"] : null}
        minZoom={0.1}
        fitView
        proOptions={PRO_OPTIONS}
        onNodeClick={onNodeClick}
        onPaneClick={onPaneClick}
        isValidConnection={isValidConnection}
        onConnect={onConnect}
        onReconnect={onReconnect}
        onDelete={onDelete}
        onNodeDragStop={onNodeDragStop}
      >
        <Background gap={16} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable className="sy-minimap" nodeClassName={miniClass} />
        <Panel position="top-right" className="sy-graph-tools">
          <div role="group" aria-label="Direction">
            <button type="button" aria-pressed={direction === "TB"} data-testid="direction-tb" onClick={() => setDirection("TB")} title="Top to bottom">
              ↓
            </button>
            <button type="button" aria-pressed={direction === "LR"} data-testid="direction-lr" onClick={() => setDirection("LR")} title="Left to right">
              →
            </button>
          </div>
          {editable && hints.positions && Object.keys(hints.positions).length > 0 && (
            <button type="button" data-testid="relayout" onClick={relayout} title="Forget moved nodes and lay out again">
              Tidy
            </button>
          )}
        </Panel>
        {(legend ?? statuses !== undefined) && (
          <Panel position="bottom-left" className="sy-legend-panel">
            <Legend />
          </Panel>
        )}
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
  );
}

/** The scope of a node id (markers are `<scope>#start|#end`). */
function scopeKey(id: string): string {
  const hash = id.lastIndexOf("#");
  return hash >= 0 ? id.slice(0, hash) : scopeOf(id);
}

function miniClass(node: Node): string {
  const data = (node as FlowNode).data;
  if (data.node.kind !== "state") return `sy-mini-${data.node.kind}`;
  return `sy-mini-state ${data.status ? `sy-status-${data.status}` : ""}`;
}

function byId<T extends { id: string }>(items: T[]): Map<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}

/** `current` itself when `next` holds the very same objects in the same order (no update at all). */
function keepUnchanged<T>(current: T[], next: T[]): T[] {
  return next.length === current.length && next.every((item, i) => item === current[i]) ? current : next;
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
