/**
 * The timeline's tooltip: what a bar (or one of its segments) is, with its
 * exact start, end and duration in the product's one time format
 * (execution/format.ts). Placed below the bar (above it when there is no room),
 * kept inside the timeline's frame.
 */
import { STATUS_LABELS, formatDuration, formatTime } from "./format";
import type { Segment, SpanStatus, TimelineNode } from "./timeline";

export interface Tip {
  node: TimelineNode;
  segment: Segment | null;
  /** The bar's left and bottom (and top), relative to the frame. */
  x: number;
  y: number;
  above: number;
}

const WIDTH = 340;

function statusLabel(status: SpanStatus): string {
  return status === "aborted" ? "Aborted" : STATUS_LABELS[status];
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function title(node: TimelineNode): string {
  if (node.kind === "iteration") return `${node.name} iteration ${node.label}`;
  if (node.kind === "branch") return `${node.name}: ${node.label}`;
  if (node.kind === "start") return "Start delay (before the first state)";
  return `${node.name} (${node.type})`;
}

function segmentTitle(segment: Segment, node: TimelineNode): string {
  if (segment.kind === "backoff") return `Retry backoff before attempt ${segment.attempt ?? "?"}`;
  if (segment.kind === "wait") return `Waiting for ${segment.waitsFor ?? "time to pass"}`;
  const attempts = node.segments.filter((s) => s.kind === "attempt").length;
  const outcome = segment.outcome === "failed" ? `failed${segment.error ? ` (${segment.error})` : ""}` : (segment.outcome ?? "");
  const waits = segment.waitsFor ? `, waiting for ${segment.waitsFor}` : "";
  return `Attempt ${segment.attempt ?? "?"} of ${attempts}: ${outcome}${waits}`;
}

function Times({ start, end, running }: { start: number; end: number; running: boolean }) {
  return (
    <dl className="tl-tip-times">
      <dt>Start</dt>
      <dd data-testid="timeline-tip-start">{formatTime(iso(start))}</dd>
      <dt>End</dt>
      <dd data-testid="timeline-tip-end">{running ? "running" : formatTime(iso(end))}</dd>
      <dt>Duration</dt>
      <dd data-testid="timeline-tip-duration">
        {formatDuration(end - start)}
        {running ? " so far" : ""}
      </dd>
    </dl>
  );
}

/** About how tall a tooltip with a segment is (to choose below or above the bar). */
const ROOM = 190;

export function TimelineTip({ tip, frame }: { tip: Tip; frame: { width: number; height: number } }) {
  const { node, segment } = tip;
  const left = Math.max(4, Math.min(tip.x, frame.width - WIDTH - 4));
  const below = tip.y + ROOM <= frame.height || tip.above < ROOM;
  const style = below ? { left, top: tip.y + 4, width: WIDTH } : { left, bottom: frame.height - tip.above + 4, width: WIDTH };
  return (
    <div className="tl-tip" role="tooltip" data-testid="timeline-tip" style={style}>
      <strong>{title(node)}</strong>
      <span className={`tl-tip-status tl-st-${node.status}`}>{statusLabel(node.status)}</span>
      {node.critical ? <span className="tl-tip-critical">On the critical path</span> : null}
      <Times start={node.start} end={node.end} running={node.running} />
      {segment ? (
        <div className="tl-tip-segment" data-testid="timeline-tip-segment">
          <em>{segmentTitle(segment, node)}</em>
          <Times start={segment.start} end={segment.end} running={node.running && segment.end === node.end && segment.outcome === "running"} />
        </div>
      ) : null}
    </div>
  );
}

export default TimelineTip;
