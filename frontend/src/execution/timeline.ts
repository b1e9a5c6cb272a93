/**
 * The execution timeline (Gantt) derived from a folded history: one span per
 * state visit on a time axis, nested as the execution ran them: a Map visit
 * holds one group per iteration, a Parallel visit one group per branch, each
 * group holds the visits that ran in it.
 *
 * A span carries segments: each attempt of a retried Task (or of a retried
 * Parallel/Map) with the retry's backoff between attempts, and the waits
 * (a Wait state; a Task that waits for a task token, an activity worker or a
 * `.sync` job). The critical path is the chain of spans that determined when
 * the execution ended: from the span that ended last, back through the span
 * each one followed (its StateEntered event's `previousEventId`), and inside a
 * Parallel or Map through the branch or iteration that ended last.
 *
 * Everything is derived in one pass over the visits (no quadratic scans), so a
 * live history of thousands of visits is cheap to re-derive on each update.
 */
import {
  eventDetails,
  taskEventType,
  timeMs,
  type HistoryFold,
  type IterationRef,
  type IterationStatus,
  type PathResolver,
  type Visit,
  type VisitStatus,
} from "./history";

export type SpanStatus = VisitStatus | IterationStatus;

export type SegmentKind = "attempt" | "backoff" | "wait";

export interface Segment {
  kind: SegmentKind;
  start: number;
  end: number;
  /** Attempts: 1 for the first try; backoffs: the attempt they wait for. */
  attempt?: number;
  outcome?: "running" | "succeeded" | "failed";
  error?: string;
  /** What a wait (or a waiting attempt) waits for. */
  waitsFor?: string;
}

/** "start": the wait from the execution's start to its first state (queued, then started). */
export type RowKind = "state" | "iteration" | "branch" | "start";

export interface TimelineNode {
  /** Unique and stable while the history grows: `v<visit>`, `v<map>/i<index>`, `v<parallel>/b<n>`. */
  key: string;
  kind: RowKind;
  label: string;
  /** The state's name (for a group: its Map's or Parallel's). */
  name: string;
  /** The state type; "" for groups. */
  type: string;
  status: SpanStatus;
  start: number;
  end: number;
  running: boolean;
  segments: Segment[];
  critical: boolean;
  visitId: number | null;
  /** The Map iterations the span ran in, outermost first (for the iteration selection). */
  iterations: IterationRef[];
  /** An iteration group's index. */
  index?: number;
  children: TimelineNode[];
}

export interface Timeline {
  /** The axis, in epoch milliseconds. */
  start: number;
  end: number;
  roots: TimelineNode[];
  /** The wait before the first state (drawn as the first row), null before anything started. */
  startDelay: TimelineNode | null;
  /** Spans (state visits) in the timeline. */
  spans: number;
  /** Keys of the critical nodes (states and groups). */
  critical: Set<string>;
}

export interface TimelineOptions {
  /** Running spans end here (epoch ms); default: the latest time in the history. */
  now?: number;
  /** State name -> JSON Pointer (names Parallel branches by their index in the definition). */
  pathOf?: PathResolver;
  /** The execution's recorded start (epoch ms; what the header shows): the axis starts there. */
  startedAt?: number;
  /** The execution's recorded stop (epoch ms): the axis reaches it. */
  stoppedAt?: number;
}

/** The key of the start delay's row. */
export const START_KEY = "start";

/**
 * The wait before the first state, as its own row: from the execution's start
 * (its record's, or its ExecutionStarted event's, whichever is earlier) until
 * the first state was entered (queueing and the worker picking it up). While
 * no state has been entered yet it reaches `end` and is running.
 */
function startDelay(start: number, roots: TimelineNode[], end: number, running: boolean): TimelineNode | null {
  const first = roots.reduce((at, node) => Math.min(at, node.start), Number.POSITIVE_INFINITY);
  const waiting = !Number.isFinite(first);
  if (waiting && !running) return null;
  const stop = waiting ? end : Math.max(start, first);
  return {
    key: START_KEY,
    kind: "start",
    label: "Start delay",
    name: "",
    type: "",
    status: waiting ? "running" : "succeeded",
    start,
    end: stop,
    running: waiting,
    segments: [],
    critical: false,
    visitId: null,
    iterations: [],
    children: [],
  };
}

const STATUS_RANK: Record<SpanStatus, number> = {
  running: 6,
  failed: 5,
  aborted: 4,
  caught: 3,
  cancelled: 2,
  succeeded: 1,
};

function worst(a: SpanStatus | undefined, b: SpanStatus): SpanStatus {
  return a === undefined || STATUS_RANK[b] > STATUS_RANK[a] ? b : a;
}

/** What a task attempt waits for, from its Scheduled event (undefined: it works). */
export function waitReason(type: string, details: Record<string, unknown>): string | undefined {
  if (type.startsWith("Activity")) return "an activity worker";
  const resource = typeof details.resource === "string" ? details.resource : "";
  if (resource.endsWith(".waitForTaskToken")) return "the task token (callback)";
  if (/\.sync(:\d+)?$/.test(resource)) return "the job to finish (.sync)";
  return undefined;
}

/**
 * Attempts, with the backoff between them. `settled(i)`: when what attempt `i` ran had
 * ended (a Parallel's or Map's attempt is only closed when the retry starts).
 */
function attemptSegments(fold: HistoryFold, visit: Visit, end: number, settled?: (index: number) => number | undefined): Segment[] {
  const container = visit.type === "Parallel" || visit.type === "Map";
  const reasons: (string | undefined)[] = [];
  if (!container) {
    for (const id of visit.eventIds) {
      const event = fold.event(id);
      if (event && taskEventType(event.type) === "TaskScheduled") reasons.push(waitReason(event.type, eventDetails(event)));
    }
  }
  if (visit.attempts.length < 2 && reasons[0] === undefined) return [];
  const out: Segment[] = [];
  visit.attempts.forEach((attempt, index) => {
    const start = timeMs(attempt.startedAt) ?? end;
    const recorded = timeMs(attempt.endedAt) ?? end;
    const inner = index < visit.attempts.length - 1 ? settled?.(index) : undefined;
    const stop = inner === undefined ? recorded : Math.min(recorded, Math.max(start, inner));
    if (index > 0) {
      const previous = out[out.length - 1];
      if (previous && start > previous.end) out.push({ kind: "backoff", start: previous.end, end: start, attempt: attempt.number });
    }
    const segment: Segment = { kind: "attempt", start, end: Math.max(start, stop), attempt: attempt.number, outcome: attempt.outcome };
    if (attempt.error !== undefined) segment.error = attempt.error;
    const reason = reasons[index];
    if (reason !== undefined) segment.waitsFor = reason;
    out.push(segment);
  });
  return out;
}

function spanOf(fold: HistoryFold, visit: Visit, fallbackEnd: number): TimelineNode {
  const start = timeMs(visit.enteredAt) ?? fallbackEnd;
  const running = visit.status === "running";
  // a failed task ends when its last attempt failed (its Parallel may notice only later)
  const lastAttempt = visit.attempts[visit.attempts.length - 1];
  const failedAt = visit.status === "failed" ? timeMs(lastAttempt?.endedAt) : null;
  const recorded = running ? null : timeMs(visit.endedAt);
  const end = Math.max(start, (failedAt !== null && recorded !== null ? Math.min(failedAt, recorded) : recorded) ?? fallbackEnd);
  const segments: Segment[] =
    visit.type === "Wait" ? [{ kind: "wait", start, end, waitsFor: "the Wait state's time" }] : attemptSegments(fold, visit, end);
  return {
    key: `v${visit.id}`,
    kind: "state",
    label: visit.name,
    name: visit.name,
    type: visit.type,
    status: visit.status,
    start,
    end,
    running,
    segments,
    critical: false,
    visitId: visit.id,
    iterations: visit.iterations,
    children: [],
  };
}

function group(parent: TimelineNode, kind: "iteration" | "branch", id: number, label: string): TimelineNode {
  return {
    ...(kind === "iteration" ? { index: id } : {}),
    key: `${parent.key}/${kind === "iteration" ? "i" : "b"}${id}`,
    kind,
    label,
    name: parent.name,
    type: "",
    status: "succeeded",
    start: Number.POSITIVE_INFINITY,
    end: Number.NEGATIVE_INFINITY,
    running: false,
    segments: [],
    critical: false,
    visitId: null,
    iterations: parent.iterations,
    children: [],
  };
}

/** The visit a visit followed in its branch or iteration (null: it came first there). */
function predecessor(fold: HistoryFold, visit: Visit): Visit | null {
  const entered = fold.event(visit.id);
  const before = entered?.previousEventId ? fold.visitOfEvent(entered.previousEventId) : undefined;
  if (!before || before.id === visit.parent || before.parent !== visit.parent) return null;
  return before;
}

/** A Parallel branch's number: from the state's path (`.../Branches/<n>/...`), else -1. */
function branchFromPath(path: string | null | undefined, parentPath: string | null | undefined): number {
  if (!path || !parentPath || !path.startsWith(`${parentPath}/Branches/`)) return -1;
  const rest = path.slice(parentPath.length + "/Branches/".length);
  const n = Number.parseInt(rest, 10);
  return Number.isNaN(n) ? -1 : n;
}

class Builder {
  readonly nodes = new Map<number, TimelineNode>();
  /** The group (iteration or branch) node each visit inside a container belongs to. */
  readonly groupOf = new Map<number, TimelineNode>();
  private readonly groups = new Map<string, TimelineNode>();

  constructor(
    private readonly fold: HistoryFold,
    private readonly end: number,
    private readonly pathOf: PathResolver,
  ) {}

  build(): TimelineNode[] {
    const roots: TimelineNode[] = [];
    const run = this.fold.run;
    for (const visit of run.visits) {
      const node = spanOf(this.fold, visit, this.end);
      this.nodes.set(visit.id, node);
      const parentVisit = visit.parent === null ? undefined : this.fold.visit(visit.parent);
      const parentNode = visit.parent === null ? undefined : this.nodes.get(visit.parent);
      if (!parentVisit || !parentNode) {
        roots.push(node);
        continue;
      }
      const holder = parentVisit.type === "Map" ? this.iterationGroup(parentNode, visit) : this.branchGroup(parentVisit, parentNode, visit);
      holder.children.push(node);
      this.groupOf.set(visit.id, holder);
    }
    for (const iteration of run.iterations) {
      const mapNode = this.nodes.get(iteration.mapVisit);
      if (!mapNode) continue;
      const holder = this.groupNode(mapNode, "iteration", iteration.index);
      holder.status = iteration.status;
      holder.start = Math.min(holder.start, timeMs(iteration.startedAt) ?? this.end);
      holder.end = Math.max(holder.end, iteration.status === "running" ? this.end : (timeMs(iteration.endedAt) ?? this.end));
      holder.running = iteration.status === "running";
    }
    for (const root of roots) this.finish(root);
    return roots;
  }

  private groupNode(parent: TimelineNode, kind: "iteration" | "branch", id: number): TimelineNode {
    const key = `${parent.key}/${kind === "iteration" ? "i" : "b"}${id}`;
    let found = this.groups.get(key);
    if (!found) {
      found = group(parent, kind, id, kind === "iteration" ? `#${id}` : `Branch ${id + 1}`);
      this.groups.set(key, found);
      parent.children.push(found);
    }
    return found;
  }

  private iterationGroup(mapNode: TimelineNode, visit: Visit): TimelineNode {
    let index = 0;
    for (const ref of visit.iterations) if (ref.map === mapNode.name) index = ref.index;
    return this.groupNode(mapNode, "iteration", index);
  }

  private branchGroup(parallel: Visit, parallelNode: TimelineNode, visit: Visit): TimelineNode {
    // the branch of the visit it followed, else a new branch (by path, or numbered in order)
    const before = predecessor(this.fold, visit);
    if (before) {
      const known = this.groupOf.get(before.id);
      if (known) return known;
    }
    const fromPath = branchFromPath(this.pathOf(visit.name), this.pathOf(parallel.name));
    if (fromPath >= 0) return this.groupNode(parallelNode, "branch", fromPath);
    const seen = parallelNode.children.length;
    return this.groupNode(parallelNode, "branch", seen);
  }

  /** A retried Parallel's or Map's attempts end when what ran in them ended. */
  private settleAttempts(node: TimelineNode): void {
    const visit = node.visitId === null ? undefined : this.fold.visit(node.visitId);
    if (!visit || visit.attempts.length < 2) return;
    const starts = visit.attempts.map((a) => timeMs(a.startedAt) ?? node.start);
    const settled = (index: number): number | undefined => {
      const from = starts[index]!;
      const until = starts[index + 1] ?? Number.POSITIVE_INFINITY;
      let last: number | undefined;
      for (const holder of node.children) {
        for (const child of holder.children) {
          if (child.start >= from && child.start < until) last = Math.max(last ?? child.end, child.end);
        }
      }
      return last;
    };
    node.segments = attemptSegments(this.fold, visit, node.end, settled);
  }

  /** Groups: times (and a branch's status) from what they hold; groups in order. */
  private finish(node: TimelineNode): void {
    for (const child of node.children) this.finish(child);
    if (node.kind === "state") {
      if (node.children.length > 0) {
        node.children.sort((a, b) => groupOrder(a) - groupOrder(b));
        this.settleAttempts(node);
      }
      return;
    }
    for (const child of node.children) {
      node.start = Math.min(node.start, child.start);
      node.end = Math.max(node.end, child.end);
      node.running ||= child.running;
    }
    if (!Number.isFinite(node.start)) node.start = this.end;
    if (!Number.isFinite(node.end)) node.end = node.start;
    if (node.kind === "branch") {
      node.status = node.children.reduce<SpanStatus | undefined>((s, c) => worst(s, c.status), undefined) ?? "succeeded";
    }
  }
}

function groupOrder(node: TimelineNode): number {
  const match = /\/[ib](\d+)$/.exec(node.key);
  return match ? Number(match[1]) : 0;
}

/** The node (in `nodes`) that ended last; ties go to the later one in the list. */
function lastEnded(nodes: TimelineNode[]): TimelineNode | undefined {
  let best: TimelineNode | undefined;
  for (const node of nodes) if (!best || node.end >= best.end) best = node;
  return best;
}

function markCritical(fold: HistoryFold, builder: Builder, roots: TimelineNode[]): Set<string> {
  const critical = new Set<string>();
  const chain = (last: TimelineNode | undefined, holder: TimelineNode | undefined): void => {
    const seen = new Set<number>();
    let node = last;
    while (node && node.visitId !== null && !seen.has(node.visitId)) {
      seen.add(node.visitId);
      node.critical = true;
      critical.add(node.key);
      inside(node);
      const visit = fold.visit(node.visitId);
      const before = visit ? predecessor(fold, visit) : null;
      node = before && builder.groupOf.get(before.id) === holder ? builder.nodes.get(before.id) : undefined;
    }
  };
  const inside = (node: TimelineNode): void => {
    if (node.children.length === 0) return;
    const visit = node.visitId === null ? undefined : fold.visit(node.visitId);
    const lastAttempt = visit?.attempts[visit.attempts.length - 1];
    const since = timeMs(lastAttempt?.startedAt) ?? node.start;
    // the branch or iteration that ended last, in the attempt that decided the span's end
    const candidates = node.children.filter((g) => g.children.some((c) => c.start >= since));
    const decisive = lastEnded(candidates.length > 0 ? candidates : node.children);
    if (!decisive) return;
    decisive.critical = true;
    critical.add(decisive.key);
    chain(lastEnded(decisive.children.filter((c) => c.start >= since)) ?? lastEnded(decisive.children), decisive);
  };
  chain(lastEnded(roots), undefined);
  return critical;
}

/** The timeline of a folded history (see the module docstring). */
export function buildTimeline(fold: HistoryFold, options: TimelineOptions = {}): Timeline {
  const run = fold.run;
  // events come in time order: the first and the last bound the axis
  const first = timeMs(run.startedAt) ?? timeMs(run.events[0]?.timestamp);
  const latest = Math.max(
    timeMs(run.stoppedAt) ?? Number.NEGATIVE_INFINITY,
    timeMs(run.events[run.events.length - 1]?.timestamp) ?? Number.NEGATIVE_INFINITY,
    options.stoppedAt ?? Number.NEGATIVE_INFINITY,
  );
  const earliest = Math.min(first ?? Number.POSITIVE_INFINITY, options.startedAt ?? Number.POSITIVE_INFINITY);
  const running = run.status === "RUNNING" || (run.status === null && run.visits.length > 0);
  const end = running && options.now !== undefined ? Math.max(options.now, latest) : latest;
  if (!Number.isFinite(earliest) || !Number.isFinite(end)) {
    return { start: 0, end: 0, roots: [], startDelay: null, spans: 0, critical: new Set() };
  }
  const builder = new Builder(fold, end, options.pathOf ?? (() => null));
  const roots = builder.build();
  const critical = markCritical(fold, builder, roots);
  let start = earliest;
  let stop = end;
  for (const root of roots) {
    start = Math.min(start, root.start);
    stop = Math.max(stop, root.end);
  }
  const delay = startDelay(start, roots, stop, running);
  return { start, end: Math.max(stop, start), roots, startDelay: delay, spans: run.visits.length, critical };
}

/** Does a span's chain of iterations agree with the iteration selection? */
export function inIterations(iterations: IterationRef[], selection: Record<string, number>): boolean {
  return iterations.every((ref) => selection[ref.map] === undefined || selection[ref.map] === ref.index);
}

/** What selecting a row selects: its state, in its iterations (an iteration: in that one). */
export function selectionOf(node: TimelineNode): { name: string; iterations: IterationRef[] } {
  const iterations = node.index === undefined ? node.iterations : [...node.iterations, { map: node.name, index: node.index }];
  return { name: node.name, iterations };
}

export interface TimelineRow {
  node: TimelineNode;
  depth: number;
  /** Whether its group is folded (only rows with children). */
  collapsed: boolean;
}

/** The rows shown, depth first, leaving out what folded groups hold. */
export function visibleRows(timeline: Timeline, collapsed: ReadonlySet<string>): TimelineRow[] {
  const rows: TimelineRow[] = [];
  const stack: { node: TimelineNode; depth: number }[] = [];
  for (let i = timeline.roots.length - 1; i >= 0; i--) stack.push({ node: timeline.roots[i]!, depth: 0 });
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const folded = node.children.length > 0 && collapsed.has(node.key);
    rows.push({ node, depth, collapsed: folded });
    if (folded) continue;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, depth: depth + 1 });
  }
  return rows;
}

/** Keys of every node with children (to fold or unfold all). */
export function groupKeys(timeline: Timeline): string[] {
  const keys: string[] = [];
  const walk = (nodes: TimelineNode[]): void => {
    for (const node of nodes) {
      if (node.children.length === 0) continue;
      keys.push(node.key);
      walk(node.children);
    }
  };
  walk(timeline.roots);
  return keys;
}
