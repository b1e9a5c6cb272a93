/**
 * Node components of the workflow canvas: one look per state type (Task,
 * Choice diamond, Pass, Wait, Succeed, Fail), Parallel/Map containers with a
 * collapsible header, lanes (branches, item processor) and start/end markers.
 * Every state node carries `data-testid="state-node"`, `data-state-path` and
 * `data-state-type` for end-to-end tests. On a run's graph a state shows its
 * status by border, fill and an icon (not by colour alone), or "not run".
 */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { ChevronDown, ChevronRight } from "lucide-react";
import { memo } from "react";
import type { Direction } from "../asl/types";
import type { FlowNode, RunStatus, StateNodeData } from "./flowTypes";
import { StateIcon, StatusIcon } from "./icons";
import { STATUS_LABELS } from "./Legend";

function runStatus(data: StateNodeData): RunStatus | null {
  return data.status ?? (data.notRun ? "notrun" : null);
}

function RunBadge({ data }: { data: StateNodeData }) {
  const status = runStatus(data);
  if (!status) return null;
  return <StatusIcon status={status} label={STATUS_LABELS[status]} />;
}

function sides(direction: Direction) {
  return direction === "TB"
    ? { in: Position.Top, out: Position.Bottom, catch: Position.Right }
    : { in: Position.Left, out: Position.Right, catch: Position.Bottom };
}

const CATCHES = new Set(["Task", "Parallel", "Map"]);
const ENDS = new Set(["Succeed", "Fail"]);

function Handles({ data }: { data: StateNodeData }) {
  const at = sides(data.direction);
  const type = data.node.type;
  return (
    <>
      <Handle type="target" id="in" position={at.in} className="sy-handle" isConnectable={data.editable} />
      {!ENDS.has(type) && <Handle type="source" id="out" position={at.out} className="sy-handle" isConnectable={data.editable} />}
      {CATCHES.has(type) && (
        <Handle type="source" id="catch" position={at.catch} className="sy-handle sy-handle-catch" title="Drag to add a Catch" isConnectable={data.editable} />
      )}
    </>
  );
}

function classes(data: StateNodeData, selected: boolean, extra: string): string {
  const type = data.node.type || "Unknown";
  return [
    "sy-node",
    extra,
    `sy-type-${type.toLowerCase()}`,
    data.status ? `sy-status-${data.status}` : data.notRun ? "sy-status-notrun" : "",
    selected ? "sy-selected" : "",
    data.problems ? "sy-has-problems" : "",
    data.diff ? `sy-diff-${data.diff}` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

function testAttrs(data: StateNodeData) {
  return {
    "data-testid": "state-node",
    "data-state-path": data.node.id,
    "data-state-type": data.node.type,
    "data-status": data.status ?? "",
    ...(data.diff ? { "data-diff": data.diff } : {}),
  };
}

/**
 * The state's name; a renamed state (in a comparison) reads "old -> new" on two
 * lines (the old name struck through above the new one), so each name has the
 * node's whole width and the new one is never cut off by the old.
 */
function Label({ data }: { data: StateNodeData }) {
  if (data.diff !== "renamed" || !data.oldName) return <span className="sy-label">{data.node.label}</span>;
  return (
    <span className="sy-label sy-renamed-label" data-testid="renamed-label">
      <span className="sy-old-line">
        <span className="sy-old-name" data-testid="renamed-old">{data.oldName}</span> →
      </span>{" "}
      <span className="sy-new-name" data-testid="renamed-new">{data.node.label}</span>
    </span>
  );
}

function Badge({ data }: { data: StateNodeData }) {
  if (!data.badge) return null;
  return (
    <span className="sy-node-badge" title={data.badge.title} aria-label={data.badge.title} data-testid="state-badge">
      {data.badge.text}
    </span>
  );
}

function titleOf(data: StateNodeData): string {
  const { node } = data;
  if (data.diff === "renamed" && data.oldName) return `${node.type}: ${data.oldName} renamed to ${node.label}`;
  return data.diff ? `${node.type}: ${node.label} (${data.diff})` : `${node.type}: ${node.label}`;
}

function Problems({ count }: { count: number }) {
  if (!count) return null;
  return (
    <span className="sy-problems" title={`${count} problem${count > 1 ? "s" : ""}`} data-testid="state-problems">
      {count}
    </span>
  );
}

function CollapseToggle({ data, collapsed }: { data: StateNodeData; collapsed: boolean }) {
  if (!data.onToggle) return null;
  return (
    <button
      type="button"
      className="sy-collapse nodrag"
      aria-label={collapsed ? "Expand" : "Collapse"}
      aria-expanded={!collapsed}
      data-testid="collapse-toggle"
      onClick={(event) => {
        event.stopPropagation();
        data.onToggle?.(data.node.id);
      }}
    >
      {collapsed ? <ChevronRight size={14} aria-hidden="true" /> : <ChevronDown size={14} aria-hidden="true" />}
    </button>
  );
}

/** A plain state (and a collapsed container). */
export function StateNode({ data, selected }: NodeProps<FlowNode>) {
  const { node } = data;
  return (
    <div className={classes(data, selected, node.type === "Choice" ? "sy-choice" : "sy-state")} {...testAttrs(data)} title={titleOf(data)}>
      <Handles data={data} />
      {node.type === "Choice" && <span className="sy-diamond" aria-hidden="true" />}
      <StateIcon type={node.type} />
      <Label data={data} />
      <RunBadge data={data} />
      <Badge data={data} />
      {node.collapsed && <CollapseToggle data={data} collapsed />}
      <Problems count={data.problems} />
    </div>
  );
}

/** An expanded Parallel or Map: a titled box holding its lanes. */
export function ContainerNode({ data, selected }: NodeProps<FlowNode>) {
  const { node } = data;
  return (
    <div className={classes(data, selected, "sy-container")} {...testAttrs(data)} {...(data.diff ? { title: titleOf(data) } : {})}>
      <Handles data={data} />
      <div className="sy-container-head">
        <CollapseToggle data={data} collapsed={false} />
        <StateIcon type={node.type} />
        <Label data={data} />
        <span className="sy-kind">{node.type}</span>
        <RunBadge data={data} />
        <Badge data={data} />
        <Problems count={data.problems} />
      </div>
    </div>
  );
}

/** A Parallel branch or a Map's item processor: a drop target for new states. */
export function LaneNode({ data }: NodeProps<FlowNode>) {
  return (
    <div className="sy-lane" data-testid="lane" data-scope-path={data.node.id} data-drop-scope={data.node.id}>
      <span className="sy-lane-label">{data.node.label}</span>
    </div>
  );
}

/** The start or end marker of a scope. */
export function MarkerNode({ data }: NodeProps<FlowNode>) {
  const at = sides(data.direction);
  const start = data.node.kind === "start";
  return (
    <div
      className={`sy-marker sy-marker-${data.node.kind}`}
      data-testid={start ? "start-marker" : "end-marker"}
      data-scope-path={data.node.scope}
      title={start ? "Start" : "End"}
    >
      {start ? (
        <Handle type="source" id="out" position={at.out} className="sy-handle" isConnectable={data.editable} />
      ) : (
        <Handle type="target" id="in" position={at.in} className="sy-handle" isConnectable={data.editable} />
      )}
    </div>
  );
}

// memo: xyflow re-renders a node's wrapper for reasons of its own (drag state, internals);
// the node itself renders again only when its props change.
export const nodeTypes = {
  state: memo(StateNode),
  container: memo(ContainerNode),
  lane: memo(LaneNode),
  marker: memo(MarkerNode),
};
