/**
 * The execution view's Timeline tab: a Gantt chart of the state visits
 * (timeline.ts derives it from the folded history). Rows are virtualised
 * (only the rows in view are in the DOM), so a Map of thousands of
 * iterations scrolls as smoothly as a handful of states. The axis zooms
 * (buttons, or Ctrl/Cmd + wheel around the pointer) and scrolls both ways; the
 * label column and the axis stay in place. Hovering or focusing a bar shows
 * its exact start, end and duration (execution/format.ts); clicking it
 * selects the state, as the graph and the states table do. Each redrive is a
 * mark across the axis and the rows at the time it started the run again.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from "react";
import { timeMs, type HistoryFold, type IterationRef, type IterationSelection, type PathResolver } from "./history";
import { buildTimeline, groupKeys, inIterations, selectionOf, visibleRows, type Segment, type TimelineNode } from "./timeline";
import { anchoredScroll, clampZoom, maxZoom, tickStep, ticks } from "./timelineAxis";
import { TimelineTip, type Tip } from "./TimelineTip";
import { formatDuration, formatTime } from "./format";
import "./timeline.css";

export const ROW_HEIGHT = 26;
export const AXIS_HEIGHT = 28;
export const LABEL_WIDTH = 232;
/** Room right of the last bar for its duration. */
const END_ROOM = 84;
const INDENT = 14;
const OVERSCAN = 6;
const TICK_GAP = 96;

export interface ExecutionTimelineProps {
  fold: HistoryFold;
  /** The fold's version (changes whenever the history grows). */
  version: number;
  /** While the execution runs: the time now (ISO); running spans reach it. */
  now?: string;
  pathOf?: PathResolver;
  /** The execution's recorded start and stop (ISO; the header's): the axis spans them. */
  startedAt?: string;
  stoppedAt?: string;
  selectedName?: string | null;
  selection?: IterationSelection;
  onSelect?: (name: string, iterations: IterationRef[]) => void;
  /** Tests (jsdom measures nothing): the scroller's size. */
  initialSize?: { width: number; height: number };
}

interface Size {
  width: number;
  height: number;
}

function useSize(ref: React.RefObject<HTMLElement | null>, fallback: Size): Size {
  const [size, setSize] = useState<Size>(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      if (el.clientWidth > 0) setSize({ width: el.clientWidth, height: el.clientHeight });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

function statusClass(node: TimelineNode): string {
  return `tl-st-${node.status}`;
}

/** The narrowest a bar is drawn (px): a span of a millisecond or less stays visible. */
export const MIN_BAR_PX = 6;

function segmentStyle(segment: Segment, node: TimelineNode, px: number): CSSProperties {
  return { left: (segment.start - node.start) * px, width: Math.max(2, (segment.end - segment.start) * px) };
}

/** A bar's duration label: under a millisecond reads "< 1 ms" (not "0 ms"). */
export function spanLabel(ms: number): string {
  return ms < 1 ? "< 1 ms" : formatDuration(ms);
}

function rowTitle(node: TimelineNode): string {
  if (node.kind === "start") return "Start delay: from the execution's start until its first state was entered (queued, then picked up)";
  return node.kind === "state" ? `${node.label} (${node.type})` : `${node.name} ${node.label}`;
}

function barName(node: TimelineNode): string {
  return node.kind === "state" || node.kind === "start" ? node.label : `${node.name} ${node.label}`;
}

export function ExecutionTimeline({
  fold,
  version,
  now,
  pathOf,
  startedAt,
  stoppedAt,
  selectedName = null,
  selection = {},
  onSelect,
  initialSize = { width: 960, height: 480 },
}: ExecutionTimelineProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const size = useSize(scroller, initialSize);
  const [scroll, setScroll] = useState({ top: 0, left: 0 });
  const [zoom, setZoom] = useState(1);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const [tip, setTip] = useState<Tip | null>(null);
  const anchor = useRef<{ pointer: number; oldPx: number } | null>(null);

  const nowMs = now ? timeMs(now) ?? undefined : undefined;
  const startMs = startedAt ? timeMs(startedAt) ?? undefined : undefined;
  const stopMs = stoppedAt ? timeMs(stoppedAt) ?? undefined : undefined;
  const timeline = useMemo(
    () =>
      buildTimeline(fold, {
        ...(nowMs !== undefined ? { now: nowMs } : {}),
        ...(pathOf ? { pathOf } : {}),
        ...(startMs !== undefined ? { startedAt: startMs } : {}),
        ...(stopMs !== undefined ? { stoppedAt: stopMs } : {}),
      }),
    // the fold grows in place: `version` says when it changed
    [fold, version, nowMs, pathOf, startMs, stopMs],
  );
  const rows = useMemo(() => {
    const states = visibleRows(timeline, collapsed);
    return timeline.startDelay ? [{ node: timeline.startDelay, depth: 0, collapsed: false }, ...states] : states;
  }, [timeline, collapsed]);

  const duration = Math.max(1, timeline.end - timeline.start);
  const fitWidth = Math.max(120, size.width - LABEL_WIDTH - END_ROOM);
  const effectiveZoom = clampZoom(zoom, duration, fitWidth);
  const chartWidth = fitWidth * effectiveZoom;
  const px = chartWidth / duration;

  // keep the time under the pointer in place across a zoom
  useLayoutEffect(() => {
    const el = scroller.current;
    const pending = anchor.current;
    if (!el || !pending) return;
    anchor.current = null;
    el.scrollLeft = anchoredScroll(el.scrollLeft, pending.pointer, LABEL_WIDTH, pending.oldPx, px);
    setScroll({ top: el.scrollTop, left: el.scrollLeft });
  }, [px]);

  const zoomBy = useCallback(
    (factor: number, pointer?: number) => {
      const el = scroller.current;
      const at = pointer ?? LABEL_WIDTH + (el ? (el.clientWidth - LABEL_WIDTH) / 2 : fitWidth / 2);
      const next = clampZoom(effectiveZoom * factor, duration, fitWidth);
      if (next === effectiveZoom) return;
      anchor.current = { pointer: at, oldPx: px };
      setZoom(next);
    },
    [effectiveZoom, duration, fitWidth, px],
  );

  // Ctrl/Cmd + wheel zooms around the pointer (a plain wheel scrolls)
  const zoomRef = useRef(zoomBy);
  zoomRef.current = zoomBy;
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const box = el.getBoundingClientRect();
      zoomRef.current(e.deltaY < 0 ? 1.25 : 0.8, Math.max(LABEL_WIDTH, e.clientX - box.left));
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, []);

  const toggle = (key: string) =>
    setCollapsed((old) => {
      const next = new Set(old);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const showTip = (node: TimelineNode, segment: Segment | null, target: Element) => {
    const box = target.getBoundingClientRect();
    const outer = frame.current?.getBoundingClientRect();
    setTip({ node, segment, x: box.left - (outer?.left ?? 0), y: box.bottom - (outer?.top ?? 0), above: box.top - (outer?.top ?? 0) });
  };

  const first = Math.max(0, Math.floor(scroll.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scroll.top + size.height) / ROW_HEIGHT) + OVERSCAN);
  const step = tickStep(px, TICK_GAP);
  const visibleFrom = Math.max(0, scroll.left) / px;
  const visibleTo = (scroll.left + size.width) / px;
  const marks = ticks(visibleFrom - step, Math.min(duration, visibleTo + step), step);
  const canvasWidth = LABEL_WIDTH + chartWidth + END_ROOM;
  const x = (t: number) => (t - timeline.start) * px;
  const redrives = redriveMarks(fold, version);

  return (
    <div className="tl" data-testid="execution-timeline" ref={frame}>
      <div className="tl-toolbar">
        <div className="tl-zoom" role="group" aria-label="Zoom">
          <button type="button" data-testid="timeline-zoom-out" onClick={() => zoomBy(1 / 1.5)} disabled={effectiveZoom <= 1} title="Zoom out">
            −
          </button>
          <span className="tl-zoom-level" data-testid="timeline-zoom">
            {Math.round(effectiveZoom * 100)}%
          </span>
          <button
            type="button"
            data-testid="timeline-zoom-in"
            onClick={() => zoomBy(1.5)}
            disabled={effectiveZoom >= maxZoom(duration, fitWidth)}
            title="Zoom in (or Ctrl + wheel)"
          >
            +
          </button>
          <button type="button" data-testid="timeline-fit" onClick={() => setZoom(1)} disabled={effectiveZoom === 1}>
            Fit
          </button>
        </div>
        <button type="button" data-testid="timeline-collapse-all" onClick={() => setCollapsed(new Set(groupKeys(timeline)))}>
          Collapse all
        </button>
        <button type="button" data-testid="timeline-expand-all" onClick={() => setCollapsed(new Set())} disabled={collapsed.size === 0}>
          Expand all
        </button>
        <ul className="tl-legend" aria-label="Legend">
          <li>
            <span className="tl-key tl-key-critical" /> Critical path
          </li>
          <li>
            <span className="tl-key tl-key-attempt" /> Attempt
          </li>
          <li>
            <span className="tl-key tl-key-backoff" /> Retry backoff
          </li>
          <li>
            <span className="tl-key tl-key-wait" /> Waiting
          </li>
        </ul>
        <span className="tl-count" data-testid="timeline-count">
          {timeline.spans} {timeline.spans === 1 ? "span" : "spans"} · {formatDuration(timeline.end - timeline.start)}
        </span>
      </div>
      <div
        className="tl-scroll"
        ref={scroller}
        data-testid="timeline-scroll"
        onScroll={(e) => {
          const el = e.currentTarget;
          setScroll({ top: el.scrollTop, left: el.scrollLeft });
          setTip(null);
        }}
      >
        <div className="tl-canvas" style={{ width: canvasWidth, height: AXIS_HEIGHT + rows.length * ROW_HEIGHT }}>
          <div className="tl-axis" data-testid="timeline-axis" style={{ width: canvasWidth, height: AXIS_HEIGHT }}>
            <div className="tl-corner" style={{ width: LABEL_WIDTH }}>
              State
            </div>
            {marks.map((t) => (
              <span key={t} className="tl-tick" data-testid="timeline-tick" style={{ left: LABEL_WIDTH + t * px }}>
                {formatDuration(t)}
              </span>
            ))}
            {redrives.map((r) => (
              <span
                key={r.eventId}
                className="tl-redrive"
                data-testid="timeline-redrive"
                data-count={r.count}
                role="img"
                aria-label={r.label}
                title={r.label}
                style={{ left: LABEL_WIDTH + x(r.at) - 1 }}
              />
            ))}
          </div>
          <div className="tl-grid" style={{ top: AXIS_HEIGHT, height: rows.length * ROW_HEIGHT }} aria-hidden="true">
            {marks.map((t) => (
              <span key={t} className="tl-gridline" style={{ left: LABEL_WIDTH + t * px }} />
            ))}
            {redrives.map((r) => (
              <span key={r.eventId} className="tl-redrive-line" style={{ left: LABEL_WIDTH + x(r.at) }} />
            ))}
          </div>
          {rows.slice(first, last).map(({ node, depth, collapsed: folded }, offset) => {
            const index = first + offset;
            const selected = node.kind === "state" && node.name === selectedName && inIterations(node.iterations, selection);
            const left = LABEL_WIDTH + x(node.start);
            const width = Math.max(MIN_BAR_PX, (node.end - node.start) * px);
            return (
              <div
                key={node.key}
                className={`tl-row tl-row-${node.kind}${selected ? " tl-row-selected" : ""}`}
                style={{ top: AXIS_HEIGHT + index * ROW_HEIGHT, height: ROW_HEIGHT, width: canvasWidth }}
                data-testid="timeline-row"
                data-key={node.key}
                data-kind={node.kind}
                data-name={node.name}
                data-depth={depth}
              >
                <div className="tl-label" style={{ width: LABEL_WIDTH, paddingLeft: 6 + depth * INDENT }}>
                  {node.children.length > 0 ? (
                    <button
                      type="button"
                      className="tl-toggle"
                      data-testid={`timeline-toggle-${node.key}`}
                      aria-expanded={!folded}
                      aria-label={`${folded ? "Expand" : "Collapse"} ${node.kind === "state" ? node.label : `${node.name} ${node.label}`}`}
                      onClick={() => toggle(node.key)}
                    >
                      {folded ? "▸" : "▾"}
                    </button>
                  ) : (
                    <span className="tl-toggle-space" />
                  )}
                  <span className="tl-label-text" data-testid="timeline-label" title={rowTitle(node)}>
                    {node.label}
                  </span>
                </div>
                <button
                  type="button"
                  className={`tl-bar tl-bar-${node.kind} ${statusClass(node)}${node.segments.length ? " tl-has-segments" : ""}${node.running ? " tl-running" : ""}`}
                  style={{ left, width }}
                  data-testid="timeline-bar"
                  data-key={node.key}
                  data-name={node.name}
                  data-status={node.status}
                  data-critical={node.critical ? "true" : undefined}
                  aria-label={`${barName(node)}: ${node.status}, ${spanLabel(node.end - node.start)}`}
                  onClick={() => {
                    if (node.kind === "start") return;
                    const picked = selectionOf(node);
                    onSelect?.(picked.name, picked.iterations);
                  }}
                  onMouseEnter={(e) => showTip(node, null, e.currentTarget)}
                  onMouseLeave={() => setTip(null)}
                  onFocus={(e) => showTip(node, null, e.currentTarget)}
                  onBlur={() => setTip(null)}
                >
                  {node.segments.map((segment, i) => (
                    <span
                      key={i}
                      className={`tl-seg tl-seg-${segment.kind}${segment.outcome ? ` tl-seg-${segment.outcome}` : ""}${segment.waitsFor ? " tl-seg-waiting" : ""}`}
                      style={segmentStyle(segment, node, px)}
                      data-testid="timeline-segment"
                      data-kind={segment.kind}
                      data-attempt={segment.attempt}
                      data-outcome={segment.outcome}
                      onMouseEnter={(e) => {
                        e.stopPropagation();
                        showTip(node, segment, e.currentTarget);
                      }}
                      onMouseLeave={(e) => showTip(node, null, e.currentTarget.parentElement ?? e.currentTarget)}
                    />
                  ))}
                </button>
                <span className="tl-duration" data-testid="timeline-duration" style={{ left: left + width + 6 }}>
                  {spanLabel(node.end - node.start)}
                </span>
              </div>
            );
          })}
        </div>
      </div>
      {tip && <TimelineTip tip={tip} frame={{ width: frame.current?.clientWidth ?? size.width, height: frame.current?.clientHeight ?? size.height }} />}
    </div>
  );
}

/** Each redrive as a mark on the axis: when it started the run again. */
function redriveMarks(fold: HistoryFold, _version: number): { eventId: number; count: number; at: number; label: string }[] {
  return fold.run.redrives.flatMap((r) => {
    const at = timeMs(r.timestamp);
    return at === null ? [] : [{ eventId: r.eventId, count: r.count, at, label: `Redrive ${r.count} (${formatTime(r.timestamp)})` }];
  });
}

export default ExecutionTimeline;
