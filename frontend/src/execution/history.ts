/**
 * Folds an execution's history (events shaped like AWS GetExecutionHistory's)
 * into what the execution view shows: the execution's status, every state
 * visit (status, attempts and retries, input and output, error and cause,
 * duration, the events that belong to it), Map iterations and the current
 * state(s).
 *
 * Only `StateEntered`/`StateExited` and the Map iteration events carry a
 * state name; every other event (TaskScheduled, TaskFailed,
 * ParallelStateStarted...) is attributed by following its `previousEventId`,
 * which points at the previous event of the same branch or iteration. The
 * fold keeps, for each event id, the visit it belongs to and the scope
 * (branch or iteration) a state entered right after it would run in.
 *
 * The fold is incremental (`add` one event at a time, duplicates ignored) so
 * that a live execution with a long history is not re-folded on every event.
 * Closing what runs inside a branch or iteration scans only the visits and
 * iterations that may still run (kept aside, pruned as they end), not the whole
 * history, so a Map of thousands of iterations folds in linear time.
 *
 * Redrive: after `ExecutionRedriven` the execution runs again and each visit
 * records the redrive it belongs to (`redrive`, 0 for the first run). A state
 * re-entered right after the redrive event resumes where its earlier visit
 * stopped (inside its Parallel branch or Map iteration), and the Parallel or
 * Map around it runs again (it is not entered anew). For each state and Map
 * iteration the latest redrive's visits decide its status; `notRerun` names
 * the states the last redrive kept without running them.
 */

export interface HistoryEvent {
  id: number;
  previousEventId?: number;
  type: string;
  timestamp: string;
  [key: string]: unknown;
}

/** A state's colour on the graph (the contract of `<WorkflowGraph statuses>`). */
export type VisitStatus = "running" | "succeeded" | "failed" | "caught" | "cancelled";

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export type IterationStatus = "running" | "succeeded" | "failed" | "aborted";

export interface Attempt {
  /** 1 for the first try, 2 for the first retry... */
  number: number;
  startedAt: string;
  endedAt?: string;
  outcome: "running" | "succeeded" | "failed";
  /** A Task's parameters (TaskScheduled), parsed. */
  parameters?: unknown;
  /** A Task's raw result (TaskSucceeded), parsed. */
  result?: unknown;
  error?: string;
  cause?: string;
}

/** Where a visit runs: the chain of Map iterations around it, outermost first. */
export interface IterationRef {
  map: string;
  index: number;
}

export interface Visit {
  /** The id of its StateEntered event. */
  id: number;
  name: string;
  /** The state type, from the event type (`TaskStateEntered` -> `Task`). */
  type: string;
  /** The state's JSON Pointer in the definition (null when unknown). */
  path: string | null;
  status: VisitStatus;
  input: unknown;
  hasOutput: boolean;
  output: unknown;
  error?: string;
  cause?: string;
  enteredAt: string;
  endedAt?: string;
  attempts: Attempt[];
  /** Attempts after the first. */
  retries: number;
  /** Ids of the events that belong to this visit, in order. */
  eventIds: number[];
  iterations: IterationRef[];
  /** The Parallel or Map visit this one runs inside (null at top level). */
  parent: number | null;
  /** The redrive it ran in (0: the first run); a revived Parallel or Map takes the new one. */
  redrive: number;
}

export interface Iteration {
  map: string;
  /** The id of the Map visit that ran it. */
  mapVisit: number;
  index: number;
  status: IterationStatus;
  startedAt: string;
  endedAt?: string;
}

export interface ExecutionRun {
  status: ExecutionStatus | null;
  input: unknown;
  output: unknown;
  hasOutput: boolean;
  error?: string;
  cause?: string;
  startedAt?: string;
  stoppedAt?: string;
  /** Every event, in id order. */
  events: HistoryEvent[];
  /** Every visit, in the order they were entered. */
  visits: Visit[];
  iterations: Iteration[];
  lastEventId: number;
  /** How often it was redriven (the last ExecutionRedriven's redriveCount). */
  redriveCount: number;
  /** Each redrive: its event id, time and count. */
  redrives: Redrive[];
}

export interface Redrive {
  eventId: number;
  timestamp: string;
  count: number;
}

/** Resolves a state name to its path in the definition (e.g. `pathOfName(def, name)`). */
export type PathResolver = (name: string) => string | null | undefined;

// ---- helpers ------------------------------------------------------------------------------

/** Parse JSON text from an event; text that is not JSON is returned as is. */
export function parseJsonText(text: unknown): unknown {
  if (typeof text !== "string") return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The `...EventDetails` object of an event ({} when it has none). */
export function eventDetails(event: HistoryEvent): Record<string, unknown> {
  for (const key of Object.keys(event)) {
    if (key.endsWith("EventDetails")) {
      const value = event[key];
      if (value && typeof value === "object") return value as Record<string, unknown>;
    }
  }
  return {};
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function timeMs(iso: string | undefined | null): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** Milliseconds between two ISO times (null when either is missing). */
export function durationMs(start?: string | null, end?: string | null): number | null {
  const a = timeMs(start);
  const b = timeMs(end);
  return a === null || b === null ? null : Math.max(0, b - a);
}

// ---- the fold -----------------------------------------------------------------------------

interface Scope {
  parent: Scope | null;
  /** The Parallel or Map visit this scope is a branch or iteration of. */
  container: VisitState | null;
  iteration?: number;
}

interface VisitState extends Visit {
  scope: Scope;
  pendingFailure: boolean;
  iterationScopes: Map<number, Scope>;
}

interface Ctx {
  scope: Scope;
  visit: VisitState | null;
  /** The ExecutionRedriven event: a state entered after it resumes where it stopped. */
  redriven?: boolean;
}

export class HistoryFold {
  readonly run: ExecutionRun;
  private readonly root: Scope = { parent: null, container: null };
  private readonly ctx = new Map<number, Ctx>();
  private readonly byId = new Map<number, VisitState>();
  private readonly iterationsByKey = new Map<string, Iteration>();
  private readonly eventVisit = new Map<number, number>();
  private readonly eventsById = new Map<number, HistoryEvent>();
  private readonly pathOf: PathResolver;
  private lastFailure: { error?: string; cause?: string } = {};
  /** Visits and iterations that may still be running (pruned when scanned). */
  private live: VisitState[] = [];
  private readonly liveSet = new Set<VisitState>();
  private liveIterations: Iteration[] = [];

  constructor(pathOf?: PathResolver) {
    this.pathOf = pathOf ?? (() => null);
    this.run = {
      status: null,
      input: undefined,
      output: undefined,
      hasOutput: false,
      events: [],
      visits: [],
      iterations: [],
      lastEventId: 0,
      redriveCount: 0,
      redrives: [],
    };
  }

  /** Fold a list of events (duplicates and already-seen ids are ignored). */
  static of(events: HistoryEvent[], pathOf?: PathResolver): HistoryFold {
    const fold = new HistoryFold(pathOf);
    fold.addAll(events);
    return fold;
  }

  addAll(events: Iterable<HistoryEvent>): boolean {
    let changed = false;
    for (const event of events) changed = this.add(event) || changed;
    return changed;
  }

  /** Has this event id been folded already? */
  has(id: number): boolean {
    return this.ctx.has(id);
  }

  /** The visit an event belongs to (undefined for execution-level events). */
  visitOfEvent(eventId: number): Visit | undefined {
    const id = this.eventVisit.get(eventId);
    return id === undefined ? undefined : this.byId.get(id);
  }

  event(id: number): HistoryEvent | undefined {
    return this.eventsById.get(id);
  }

  visit(id: number): Visit | undefined {
    return this.byId.get(id);
  }

  /** Fold one event; false when it was already folded. Events must arrive in id order. */
  add(event: HistoryEvent): boolean {
    if (typeof event.id !== "number" || this.ctx.has(event.id)) return false;
    const run = this.run;
    run.events.push(event);
    this.eventsById.set(event.id, event);
    run.lastEventId = Math.max(run.lastEventId, event.id);
    const prev = this.ctx.get(event.previousEventId ?? 0) ?? { scope: this.root, visit: null };
    const ctx = this.apply(event, prev);
    this.ctx.set(event.id, ctx.out);
    if (ctx.owner) {
      ctx.owner.eventIds.push(event.id);
      this.eventVisit.set(event.id, ctx.owner.id);
    }
    return true;
  }

  private apply(event: HistoryEvent, p: Ctx): { out: Ctx; owner: VisitState | null } {
    const t = taskEventType(event.type);
    const d = eventDetails(event);
    const ts = event.timestamp;
    const run = this.run;
    const rootCtx = { out: { scope: this.root, visit: null }, owner: null };

    if (t === "ExecutionStarted") {
      run.status = "RUNNING";
      run.input = parseJsonText(d.input);
      run.startedAt = ts;
      return rootCtx;
    }
    if (t === "ExecutionSucceeded") {
      run.status = "SUCCEEDED";
      run.output = parseJsonText(d.output);
      run.hasOutput = true;
      run.stoppedAt = ts;
      this.closeRunning(ts, "cancelled");
      return rootCtx;
    }
    if (t === "ExecutionRedriven") {
      const count = typeof d.redriveCount === "number" ? d.redriveCount : run.redriveCount + 1;
      run.status = "RUNNING";
      run.redriveCount = count;
      run.redrives.push({ eventId: event.id, timestamp: ts, count });
      run.error = run.cause = run.stoppedAt = undefined;
      run.hasOutput = false;
      run.output = undefined;
      return { out: { scope: this.root, visit: null, redriven: true }, owner: null };
    }
    if (t === "ExecutionFailed" || t === "ExecutionTimedOut" || t === "ExecutionAborted") {
      run.status = t === "ExecutionFailed" ? "FAILED" : t === "ExecutionTimedOut" ? "TIMED_OUT" : "ABORTED";
      run.error = str(d.error);
      run.cause = str(d.cause);
      run.stoppedAt = ts;
      if (t === "ExecutionFailed" && p.visit && p.visit.status === "running") {
        this.fail(p.visit, ts, run.error, run.cause);
      }
      this.closeRunning(ts, "cancelled");
      return rootCtx;
    }

    if (t.endsWith("StateEntered")) {
      const name = str(d.name) ?? "?";
      const type = t.slice(0, -"StateEntered".length);
      const scope = p.redriven ? this.resumedScope(name) : p.scope;
      const visit: VisitState = {
        id: event.id,
        name,
        type,
        path: this.pathOf(name) ?? null,
        status: "running",
        input: parseJsonText(d.input),
        hasOutput: false,
        output: undefined,
        enteredAt: ts,
        attempts: [],
        retries: 0,
        eventIds: [],
        iterations: iterationChain(scope),
        parent: scope.container?.id ?? null,
        redrive: run.redriveCount,
        scope,
        pendingFailure: false,
        iterationScopes: new Map(),
      };
      this.byId.set(visit.id, visit);
      run.visits.push(visit);
      this.markLive(visit);
      return { out: { scope, visit }, owner: visit };
    }

    if (t.endsWith("StateExited")) {
      const visit = this.find(p, str(d.name));
      if (!visit) return { out: p, owner: null };
      visit.output = parseJsonText(d.output);
      visit.hasOutput = true;
      visit.endedAt = ts;
      visit.status = visit.pendingFailure ? "caught" : "succeeded";
      const attempt = visit.attempts[visit.attempts.length - 1];
      if (attempt && attempt.outcome === "running") {
        attempt.outcome = "succeeded";
        attempt.endedAt = ts;
      }
      return { out: { scope: visit.scope, visit }, owner: visit };
    }

    if (t === "TaskScheduled" || t === "ParallelStateStarted" || t === "MapStateStarted") {
      const isContainer = t !== "TaskScheduled";
      const visit = isContainer ? this.container(p, t.startsWith("Map") ? "Map" : "Parallel") : p.visit;
      if (!visit) return { out: p, owner: null };
      if (isContainer && visit.attempts.length > 0) {
        // A retry of the whole Parallel/Map: what ran inside the failed attempt is over.
        const culprit = p.visit && p.visit !== visit && isDescendant(p.visit, visit) ? p.visit : null;
        const last = visit.attempts[visit.attempts.length - 1]!;
        if (last.outcome === "running") {
          last.outcome = "failed";
          last.endedAt = ts;
          last.error = culprit?.error ?? this.lastFailure.error;
          last.cause = culprit?.cause ?? this.lastFailure.cause;
          visit.error = last.error;
          visit.cause = last.cause;
        }
        this.closeInside(visit, ts, () => true);
      }
      visit.pendingFailure = false;
      visit.attempts.push({
        number: visit.attempts.length + 1,
        startedAt: ts,
        outcome: "running",
        ...(d.parameters !== undefined ? { parameters: parseJsonText(d.parameters) } : {}),
        ...(d.parameters === undefined && d.input !== undefined ? { parameters: parseJsonText(d.input) } : {}),
      });
      visit.retries = visit.attempts.length - 1;
      if (visit.status !== "running") {
        visit.status = "running";
        delete visit.endedAt;
        this.markLive(visit);
      }
      if (t === "TaskScheduled") return { out: p, owner: visit };
      return { out: { scope: { parent: visit.scope, container: visit }, visit }, owner: visit };
    }

    if (t === "TaskSucceeded") {
      const visit = p.visit;
      const attempt = visit?.attempts[visit.attempts.length - 1];
      if (attempt) {
        attempt.result = parseJsonText(d.output);
      }
      return { out: p, owner: visit };
    }

    if (t === "TaskFailed" || t === "TaskTimedOut" || t === "TaskSubmitFailed" || t === "TaskStartFailed") {
      const visit = p.visit;
      if (!visit) return { out: p, owner: null };
      const error = str(d.error) ?? (t === "TaskTimedOut" ? "States.Timeout" : undefined);
      this.attemptFailed(visit, ts, error, str(d.cause));
      return { out: p, owner: visit };
    }

    if (t === "EvaluationFailed") {
      const visit = this.find(p, str(d.state));
      if (!visit) return { out: p, owner: null };
      this.attemptFailed(visit, ts, str(d.error), str(d.cause));
      return { out: { scope: visit.scope, visit }, owner: visit };
    }

    if (t === "MapIterationStarted") {
      const mapVisit = this.find(p, str(d.name));
      const index = typeof d.index === "number" ? d.index : 0;
      if (!mapVisit) return { out: p, owner: null };
      if (mapVisit.status !== "running" && mapVisit.redrive < run.redriveCount) this.revive(mapVisit);
      const scope: Scope = { parent: mapVisit.scope, container: mapVisit, iteration: index };
      mapVisit.iterationScopes.set(index, scope);
      const iteration: Iteration = {
        map: mapVisit.name,
        mapVisit: mapVisit.id,
        index,
        status: "running",
        startedAt: ts,
      };
      const key = `${mapVisit.id}/${index}`;
      const existing = this.iterationsByKey.get(key);
      if (existing) {
        if (existing.status !== "running") this.liveIterations.push(existing);
        Object.assign(existing, iteration);
      } else {
        this.iterationsByKey.set(key, iteration);
        run.iterations.push(iteration);
        this.liveIterations.push(iteration);
      }
      return { out: { scope, visit: mapVisit }, owner: mapVisit };
    }

    if (t === "MapIterationSucceeded" || t === "MapIterationFailed" || t === "MapIterationAborted") {
      const mapVisit = this.find(p, str(d.name));
      if (!mapVisit) return { out: p, owner: null };
      const index = typeof d.index === "number" ? d.index : 0;
      const iteration = this.iterationsByKey.get(`${mapVisit.id}/${index}`);
      const status: IterationStatus =
        t === "MapIterationSucceeded" ? "succeeded" : t === "MapIterationFailed" ? "failed" : "aborted";
      if (iteration) {
        iteration.status = status;
        iteration.endedAt = ts;
      }
      if (t === "MapIterationFailed" && p.visit && p.visit !== mapVisit && p.visit.status === "running") {
        this.fail(p.visit, ts, p.visit.error ?? this.lastFailure.error, p.visit.cause ?? this.lastFailure.cause);
      }
      const scope = mapVisit.iterationScopes.get(index);
      if (scope) this.closeInside(mapVisit, ts, (s) => s === scope || isInside(s, scope));
      return { out: { scope: mapVisit.scope, visit: mapVisit }, owner: mapVisit };
    }

    if (t === "ParallelStateSucceeded" || t === "MapStateSucceeded") {
      const visit = this.container(p, t.startsWith("Map") ? "Map" : "Parallel");
      if (!visit) return { out: p, owner: null };
      const attempt = visit.attempts[visit.attempts.length - 1];
      if (attempt && attempt.outcome === "running") {
        attempt.outcome = "succeeded";
        attempt.endedAt = ts;
      }
      return { out: { scope: visit.scope, visit }, owner: visit };
    }

    if (t === "ParallelStateFailed" || t === "MapStateFailed") {
      const visit = this.container(p, t.startsWith("Map") ? "Map" : "Parallel");
      if (!visit) return { out: p, owner: null };
      // The descendant that failed, if the failure came from inside (prev points at it).
      const culprit = p.visit && p.visit !== visit && isDescendant(p.visit, visit) ? p.visit : null;
      const error = culprit ? culprit.error : this.lastFailure.error;
      const cause = culprit ? culprit.cause : this.lastFailure.cause;
      if (culprit && culprit.status === "running") this.fail(culprit, ts, culprit.error, culprit.cause);
      this.closeInside(visit, ts, () => true);
      this.attemptFailed(visit, ts, error, cause);
      return { out: { scope: visit.scope, visit }, owner: visit };
    }

    if (t.endsWith("StateAborted")) {
      const visit = p.visit;
      if (visit && visit.status === "running") {
        visit.status = "cancelled";
        visit.endedAt = ts;
      }
      return { out: p, owner: visit };
    }

    if (t === "MapRunFailed" || t === "MapRunAborted") {
      const visit = p.visit;
      if (visit && d.error !== undefined) {
        visit.error = str(d.error);
        visit.cause = str(d.cause);
      }
      return { out: p, owner: visit };
    }

    // Anything else (TaskStarted, TaskSubmitted, MapRunStarted, heartbeats...): same visit.
    const named = str(d.name);
    const visit = named ? this.find(p, named) ?? p.visit : p.visit;
    return { out: visit && visit !== p.visit ? { scope: visit.scope, visit } : p, owner: visit };
  }

  /**
   * Where a state entered right after a redrive runs: where its latest earlier
   * visit that did not succeed ran (its branch or iteration), whose Parallels
   * and Maps run again. Top level when it never ran.
   */
  private resumedScope(name: string): Scope {
    const visits = this.run.visits as VisitState[];
    for (let i = visits.length - 1; i >= 0; i--) {
      const v = visits[i]!;
      if (v.name !== name || v.status === "succeeded" || v.redrive >= this.run.redriveCount) continue;
      if (v.scope.container) this.revive(v.scope.container);
      return v.scope;
    }
    return this.root;
  }

  /** A Parallel or Map (and those around it) runs again after a redrive. */
  private revive(visit: VisitState): void {
    for (let v: VisitState | null = visit; v && v.redrive < this.run.redriveCount; v = v.scope.container) {
      v.status = "running";
      v.redrive = this.run.redriveCount;
      v.pendingFailure = false;
      v.error = v.cause = undefined;
      delete v.endedAt;
      this.markLive(v); // running again: it ends with what holds it, or with the execution
    }
  }

  private attemptFailed(visit: VisitState, ts: string, error?: string, cause?: string): void {
    visit.pendingFailure = true;
    visit.error = error;
    visit.cause = cause;
    this.lastFailure = { error, cause };
    const attempt = visit.attempts[visit.attempts.length - 1];
    if (attempt && attempt.outcome === "running") {
      attempt.outcome = "failed";
      attempt.endedAt = ts;
      attempt.error = error;
      attempt.cause = cause;
    }
  }

  private fail(visit: VisitState, ts: string, error?: string, cause?: string): void {
    visit.status = "failed";
    visit.endedAt = ts;
    if (visit.error === undefined) visit.error = error;
    if (visit.cause === undefined) visit.cause = cause;
    const attempt = visit.attempts[visit.attempts.length - 1];
    if (attempt && attempt.outcome === "running") {
      attempt.outcome = "failed";
      attempt.endedAt = ts;
    }
  }

  /** Running visits inside `container` (within scopes accepted by `which`) end. */
  private closeInside(container: VisitState, ts: string, which: (scope: Scope) => boolean): void {
    for (const visit of this.runningVisits()) {
      if (visit.status !== "running" || !isDescendant(visit, container) || !which(visit.scope)) continue;
      if (visit.pendingFailure) this.fail(visit, ts);
      else {
        visit.status = "cancelled";
        visit.endedAt = ts;
      }
    }
    for (const iteration of this.runningIterations()) {
      if (iteration.status !== "running") continue;
      const owner = this.byId.get(iteration.mapVisit);
      if (owner && owner !== container && isDescendant(owner, container)) {
        iteration.status = "aborted";
        iteration.endedAt = ts;
      } else if (owner === container) {
        const scope = container.iterationScopes.get(iteration.index);
        if (scope && which(scope)) {
          iteration.status = "aborted";
          iteration.endedAt = ts;
        }
      }
    }
  }

  private closeRunning(ts: string, status: VisitStatus): void {
    for (const visit of this.runningVisits()) {
      if (visit.status === "running") {
        visit.status = visit.pendingFailure ? "failed" : status;
        visit.endedAt = ts;
      }
    }
    for (const iteration of this.runningIterations()) {
      if (iteration.status === "running") {
        iteration.status = "aborted";
        iteration.endedAt = ts;
      }
    }
  }

  private markLive(visit: VisitState): void {
    if (this.liveSet.has(visit)) return;
    this.liveSet.add(visit);
    this.live.push(visit);
  }

  /** The visits still running, in the order entered (the list is pruned of the others). */
  private runningVisits(): VisitState[] {
    const kept: VisitState[] = [];
    for (const visit of this.live) {
      if (visit.status === "running") kept.push(visit);
      else this.liveSet.delete(visit);
    }
    this.live = kept;
    return kept.slice();
  }

  private runningIterations(): Iteration[] {
    this.liveIterations = this.liveIterations.filter((it) => it.status === "running");
    return this.liveIterations.slice();
  }

  /** The visit named `name` that an event following `p` belongs to. */
  private find(p: Ctx, name: string | undefined): VisitState | null {
    if (name === undefined) return p.visit;
    if (p.visit?.name === name) return p.visit;
    for (let s: Scope | null = p.scope; s; s = s.parent) {
      if (s.container?.name === name) return s.container;
    }
    const visits = this.run.visits as VisitState[];
    let fallback: VisitState | null = null;
    for (let i = visits.length - 1; i >= 0; i--) {
      const v = visits[i]!;
      if (v.name !== name) continue;
      if (v.status === "running") return v;
      fallback ??= v;
    }
    return fallback;
  }

  /** The running Parallel/Map visit of `type` that an event following `p` belongs to. */
  private container(p: Ctx, type: string): VisitState | null {
    if (p.visit?.type === type && p.visit.status === "running") return p.visit;
    for (let s: Scope | null = p.visit?.scope ?? p.scope; s; s = s.parent) {
      const c = s.container;
      if (c && c.type === type && c.status === "running") return c;
    }
    for (let s: Scope | null = p.scope; s; s = s.parent) {
      const c = s.container;
      if (c && c.type === type && c.status === "running") return c;
    }
    return p.visit;
  }
}

function iterationChain(scope: Scope): IterationRef[] {
  const chain: IterationRef[] = [];
  for (let s: Scope | null = scope; s; s = s.parent) {
    if (s.container && s.iteration !== undefined) chain.unshift({ map: s.container.name, index: s.iteration });
  }
  return chain;
}

function isInside(scope: Scope, outer: Scope): boolean {
  for (let s: Scope | null = scope; s; s = s.parent) if (s === outer) return true;
  return false;
}

function isDescendant(visit: VisitState, container: VisitState): boolean {
  for (let s: Scope | null = visit.scope; s; s = s.parent) if (s.container === container) return true;
  return false;
}

/** Fold a whole history at once. */
export function foldHistory(events: HistoryEvent[], pathOf?: PathResolver): ExecutionRun {
  return HistoryFold.of(events, pathOf).run;
}

// ---- views of a run -------------------------------------------------------------------------

/** Which iteration to show for each Map state (by name); absent: every iteration. */
export type IterationSelection = Record<string, number>;

/** Does a visit belong to the selected Map iterations? */
export function inSelection(visit: Visit, selection: IterationSelection = {}): boolean {
  for (const ref of visit.iterations) {
    const wanted = selection[ref.map];
    if (wanted !== undefined && wanted !== ref.index) return false;
  }
  return true;
}

/** When a state was visited several times, the most telling status wins. */
const PRIORITY: Record<VisitStatus, number> = {
  running: 5,
  failed: 4,
  caught: 3,
  cancelled: 2,
  succeeded: 1,
};

export function combineStatus(a: VisitStatus | undefined, b: VisitStatus): VisitStatus {
  return a === undefined || PRIORITY[b] > PRIORITY[a] ? b : a;
}

/** A state in one Map iteration (or at its place outside any Map). */
function placeKey(visit: Visit): string {
  return `${visit.name}\u0000${visit.iterations.map((r) => `${r.map}[${r.index}]`).join("/")}`;
}

/**
 * The visits that decide each state's status: per state and Map iteration,
 * those of the latest redrive that ran it (a failure a redrive ran again no
 * longer counts). Every visit when it was never redriven.
 */
export function deciding(run: ExecutionRun): Visit[] {
  if (run.redriveCount === 0) return run.visits;
  return decidingSet(run).visits;
}

/** `deciding(run)` and the same as a set (the views ask several times per event: kept per run). */
function decidingSet(run: ExecutionRun): { visits: Visit[]; set: Set<Visit> } {
  const cached = decided.get(run);
  if (cached && cached.at === run.lastEventId) return cached;
  const keys = run.visits.map(placeKey);
  const latest = new Map<string, number>();
  run.visits.forEach((visit, i) => latest.set(keys[i]!, Math.max(latest.get(keys[i]!) ?? 0, visit.redrive)));
  const visits = run.visits.filter((visit, i) => visit.redrive === latest.get(keys[i]!));
  const found = { at: run.lastEventId, visits, set: new Set(visits) };
  decided.set(run, found);
  return found;
}

const decided = new WeakMap<ExecutionRun, { at: number; visits: Visit[]; set: Set<Visit> }>();

/**
 * The states the last redrive did not run again (they had succeeded or caught
 * their error before it): every visit ran before it. Empty when never redriven.
 */
export function notRerun(run: ExecutionRun): Set<string> {
  const names = new Set<string>();
  if (run.redriveCount === 0) return names;
  const ranAgain = new Set(run.visits.filter((v) => v.redrive === run.redriveCount).map((v) => v.name));
  for (const visit of run.visits) if (!ranAgain.has(visit.name)) names.add(visit.name);
  return names;
}

/** Per-state status by path, for `<WorkflowGraph statuses>`. */
export function stateStatuses(
  run: ExecutionRun,
  selection: IterationSelection = {},
): Record<string, VisitStatus> {
  const out: Record<string, VisitStatus> = {};
  for (const visit of deciding(run)) {
    if (visit.path === null || !inSelection(visit, selection)) continue;
    out[visit.path] = combineStatus(out[visit.path], visit.status);
  }
  return out;
}

/** Per-state status by name (paths may be unknown without the definition). */
export function statusesByName(
  run: ExecutionRun,
  selection: IterationSelection = {},
): Record<string, VisitStatus> {
  const out: Record<string, VisitStatus> = {};
  for (const visit of deciding(run)) {
    if (!inSelection(visit, selection)) continue;
    out[visit.name] = combineStatus(out[visit.name], visit.status);
  }
  return out;
}

/** The visits of one state (by name), in order. */
export function visitsOf(run: ExecutionRun, name: string, selection: IterationSelection = {}): Visit[] {
  return run.visits.filter((v) => v.name === name && inSelection(v, selection));
}

/** The visits running now with nothing running inside them: the current state(s). */
export function currentVisits(run: ExecutionRun): Visit[] {
  const running = run.visits.filter((v) => v.status === "running");
  const busyParents = new Set(running.map((v) => v.parent).filter((id): id is number => id !== null));
  return running.filter((v) => !busyParents.has(v.id));
}

/**
 * The iterations of a Map state for an iteration picker: those of its latest
 * visit within the selection of the Maps around it, by index.
 */
export function mapIterations(
  run: ExecutionRun,
  mapName: string,
  selection: IterationSelection = {},
): Iteration[] {
  const mapVisits = visitsOf(run, mapName, selection);
  const latest = mapVisits[mapVisits.length - 1];
  if (!latest) return [];
  return run.iterations.filter((it) => it.mapVisit === latest.id).sort((a, b) => a.index - b.index);
}

/** Per-state statuses of one Map iteration (for the picker's badges). */
export function iterationStatuses(
  run: ExecutionRun,
  mapName: string,
  index: number,
  selection: IterationSelection = {},
): Record<string, VisitStatus> {
  const out: Record<string, VisitStatus> = {};
  const wanted = { ...selection, [mapName]: index };
  for (const visit of deciding(run)) {
    if (!visit.iterations.some((ref) => ref.map === mapName) || !inSelection(visit, wanted)) continue;
    out[visit.name] = combineStatus(out[visit.name], visit.status);
  }
  return out;
}

/** The Map states that ran iterations (names, in the order first seen). */
export function mapsWithIterations(run: ExecutionRun): string[] {
  const seen: string[] = [];
  for (const it of run.iterations) if (!seen.includes(it.map)) seen.push(it.map);
  return seen;
}

export interface StateRow {
  name: string;
  path: string | null;
  type: string;
  status: VisitStatus;
  /** Whether `status` comes from a deciding visit yet (see `deciding`). */
  decided: boolean;
  visits: number;
  attempts: number;
  retries: number;
  firstEnteredAt: string;
  lastEndedAt?: string;
  /** Sum of the visits' durations (running ones up to `now`). */
  durationMs: number | null;
  error?: string;
}

/** One row per state for the table view, in the order first entered. */
export function stateRows(
  run: ExecutionRun,
  selection: IterationSelection = {},
  now?: string,
): StateRow[] {
  const rows = new Map<string, StateRow>();
  const decides = run.redriveCount > 0 ? decidingSet(run).set : null; // null: every visit decides
  for (const visit of run.visits) {
    if (!inSelection(visit, selection)) continue;
    const end = visit.endedAt ?? (visit.status === "running" ? now : undefined) ?? run.stoppedAt;
    const ms = durationMs(visit.enteredAt, end);
    const row = rows.get(visit.name);
    if (!row) {
      rows.set(visit.name, {
        name: visit.name,
        path: visit.path,
        type: visit.type,
        status: visit.status,
        decided: !decides || decides.has(visit),
        visits: 1,
        attempts: Math.max(1, visit.attempts.length),
        retries: visit.retries,
        firstEnteredAt: visit.enteredAt,
        lastEndedAt: visit.endedAt,
        durationMs: ms,
        error: visit.error,
      });
      continue;
    }
    // the latest redrive's visits decide the status
    if (!decides || decides.has(visit)) {
      row.status = row.decided ? combineStatus(row.status, visit.status) : visit.status;
      row.decided = true;
    }
    row.visits += 1;
    row.attempts += Math.max(1, visit.attempts.length);
    row.retries += visit.retries;
    if (visit.endedAt) row.lastEndedAt = visit.endedAt;
    row.durationMs = row.durationMs === null || ms === null ? (row.durationMs ?? ms) : row.durationMs + ms;
    if (visit.error !== undefined) row.error = visit.error;
  }
  return [...rows.values()];
}

/** The state name an event belongs to ("" for execution-level events). */
export function eventStateName(fold: HistoryFold, event: HistoryEvent): string {
  return fold.visitOfEvent(event.id)?.name ?? "";
}


/**
 * AWS names task events after the resource: Task* for service integrations,
 * LambdaFunction* for function ARNs and Activity* for activities. They mean the
 * same for the fold, so the other two are read as Task*.
 */
export function taskEventType(type: string): string {
  const match = /^(LambdaFunction|Activity)(Scheduled|Started|Succeeded|Failed|TimedOut|ScheduleFailed|StartFailed)$/.exec(type);
  if (!match) return type;
  const suffix = match[2] === "ScheduleFailed" ? "SubmitFailed" : match[2];
  return `Task${suffix}`;
}
