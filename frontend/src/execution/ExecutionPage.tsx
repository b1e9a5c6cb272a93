/**
 * The execution view (`/executions/<uuid>/`): header (name, status, times,
 * Stop) and error on top; below, filling the window, the graph coloured live
 * from the history (every state: run, running, failed, caught, cancelled or
 * not run, with a legend, the current states and a Map iteration picker), a
 * table of states with durations or the event history; beside it the
 * execution's input/output and the selected state's details. The history comes over `/ws/executions/<id>/` (backlog first, then
 * live; see live.ts) and is folded by history.ts.
 */
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { StudioProps } from "../api/props";
import { api, errorMessage } from "../api/client";
import type { Definition } from "../asl/types";
import { nameOf, pathOfName } from "../asl/paths";
import { WorkflowGraph } from "../components/WorkflowGraph";
import { startLayoutWorker } from "../graph/layoutWorker";
import {
  currentVisits,
  durationMs,
  mapIterations,
  mapsWithIterations,
  stateRows,
  statusesByName,
  visitsOf,
  type IterationRef,
  type IterationSelection,
  type VisitStatus,
} from "./history";
import type { SocketFactory } from "./live";
import { useLiveHistory } from "./useLiveHistory";
import { EventTable } from "./EventTable";
import { StatePanel } from "./StatePanel";
import { ErrorBanner } from "./ErrorBanner";
import { JsonView } from "./JsonView";
import { STATUS_LABELS, canRun, executionStart, executionStop, formatDuration, formatTime } from "./format";
import { StopDialog } from "./StopDialog";
import { ExecutionTimeline } from "./Timeline";
import { Notice } from "../ui/Notice";
import { notRerun } from "./history";
import { keptBadges, rerunBlocked } from "./rerunRules";
import { RedriveControl } from "./RedriveControl";
import { RedriveBadge, RunFactsList, versionText } from "./RunLinks";
import type { Redriven, RunFacts } from "./runsApi";
import "./execution.css";

const RerunDialog = lazy(() => import("./RerunDialog"));

/** GET /api/executions/<id>/ (designer.api.executions.ExecutionSerializer). */
export interface ExecutionDetail extends RunFacts {
  id: string;
  name: string;
  workflow: string;
  workflow_name: string;
  version: number | null;
  type: string;
  status: string;
  input: unknown;
  output: unknown;
  error: string | null;
  cause: string | null;
  start_date: string | null;
  stop_date: string | null;
  event_count: number;
  /** The execution that started this one (states:startExecution), if any. */
  parent?: ExecutionLink | null;
  /** Executions this one started, with the state that started each. */
  children?: ExecutionLink[];
  /** The runs of its Distributed Maps (designer.selectors.map_runs.map_run_links). */
  map_runs?: { id: string; label: string; status: string }[];
  /** The Map Run this child execution runs an item of (map_run_of_child). */
  map_run?: { id: string; label: string; status: string; index: number | null; definition?: Definition } | null;
}

/** An Express child of a Map Run keeps its history only when it fails (as on AWS). */
export function expressChildNote(detail: ExecutionDetail | null): string | null {
  if (!detail?.map_run || detail.type !== "EXPRESS") return null;
  if (detail.status === "SUCCEEDED") {
    return "Express child executions of a Map Run keep their history only when they fail (as on AWS): this one succeeded, so its states show no events. Its input and output are kept.";
  }
  return "Express child executions of a Map Run are not redriven one by one: redrive the parent execution to run the failed items again.";
}

/** A parent or child execution (designer.services.child_executions.execution_links). */
export interface ExecutionLink {
  id: string;
  name: string;
  workflow_name: string;
  status: string;
  /** The parent's state that started this child. */
  state?: string | null;
}

export interface ExecutionViewProps {
  executionId: string;
  role: string;
  /** May start/stop executions (the page props' canRun; else derived from the role). */
  canRun?: boolean;
  /** The definition the execution ran (else fetched from the workflow's version or draft). */
  definition?: Definition;
  /** Tests: a WebSocket stand-in, and a socket URL. */
  socketFactory?: SocketFactory;
  socketUrl?: string;
  /** Go to another page (a re-run's execution); tests replace it. */
  navigate?: (url: string) => void;
}

type Tab = "graph" | "table" | "events" | "timeline";

async function loadDefinition(detail: ExecutionDetail): Promise<Definition | null> {
  if (detail.map_run?.definition) return detail.map_run.definition; // a child runs the ItemProcessor
  const base = `/workflows/${detail.workflow}/`;
  const data = await api.get<{ definition?: Definition }>(
    detail.version ? `${base}versions/${detail.version}/` : base,
  );
  return data?.definition ?? null;
}

export function ExecutionView({
  executionId,
  role,
  canRun: mayRun,
  definition: given,
  socketFactory,
  socketUrl,
  navigate = (url: string) => window.location.assign(url),
}: ExecutionViewProps) {
  const [detail, setDetail] = useState<ExecutionDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [definition, setDefinition] = useState<Definition | null>(given ?? null);
  const [definitionMissing, setDefinitionMissing] = useState(false);
  const [selectedName, setSelectedName] = useState<string | null>(null);
  const [selection, setSelection] = useState<IterationSelection>({});
  const [tab, setTab] = useState<Tab>("graph");
  const [stopping, setStopping] = useState(false);
  const [stopError, setStopError] = useState<string | null>(null);
  const [askingStop, setAskingStop] = useState(false);
  const [now, setNow] = useState(() => new Date().toISOString());
  const [rerunning, setRerunning] = useState<{ state: string; input: unknown } | null>(null);
  const { fold, version, state: liveState, follow } = useLiveHistory(executionId, { factory: socketFactory, url: socketUrl });
  const run = fold.run;

  useEffect(() => {
    let cancelled = false;
    startLayoutWorker(); // the layout worker starts while the execution loads (main.tsx starts it sooner)
    api
      .get<ExecutionDetail>(`/executions/${executionId}/`)
      .then(async (data) => {
        if (cancelled) return;
        setDetail(data);
        if (!given) {
          const def = await loadDefinition(data).catch(() => null);
          if (cancelled) return;
          if (def) setDefinition(def);
          else setDefinitionMissing(true);
        }
      })
      .catch((err: unknown) => {
        if (!cancelled) setLoadError(errorMessage(err));
      });
    return () => {
      cancelled = true;
    };
  }, [executionId, given]);

  const status = run.status ?? detail?.status ?? null;
  const running = status === "RUNNING";

  // It ended while watched: describe again, once per ending (what may be done with it now, e.g. redrive).
  const describedAt = useRef(0);
  useEffect(() => {
    const ended = run.status !== null && run.status !== "RUNNING";
    if (!ended || !detail || detail.status === run.status || describedAt.current === run.lastEventId) return;
    describedAt.current = run.lastEventId;
    api
      .get<ExecutionDetail>(`/executions/${executionId}/`)
      .then(setDetail)
      .catch(() => undefined);
  }, [version, detail, executionId]);

  const redriven = (result: Redriven) => {
    setDetail((d) => (d ? { ...d, ...result, stop_date: null, error: null, cause: null, output: null } : d));
    follow(); // the same execution, live again
  };

  // Durations of running states grow: tick while running.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(new Date().toISOString()), 1000);
    return () => clearInterval(timer);
  }, [running]);

  const byName = useMemo(() => statusesByName(run, selection), [run, selection, version]);
  const statuses = useMemo(() => {
    const out: Record<string, VisitStatus> = {};
    if (!definition) return out;
    for (const [name, s] of Object.entries(byName)) {
      const path = pathOfName(definition, name);
      if (path) out[path] = s;
    }
    return out;
  }, [byName, definition]);
  const current = useMemo(() => currentVisits(run), [run, version]);
  // With nothing selected, the graph highlights the (latest) current state.
  const lastCurrent = current[current.length - 1];
  const currentPath = definition && lastCurrent ? pathOfName(definition, lastCurrent.name) : null;
  const selectedPath = definition && selectedName ? pathOfName(definition, selectedName) : null;
  const maps = useMemo(() => mapsWithIterations(run), [run, version]);
  const rows = useMemo(() => stateRows(run, selection, running ? now : undefined), [run, selection, version, now, running]);
  const kept = useMemo(() => notRerun(run), [run, version]);
  const badges = useMemo(() => keptBadges(kept, definition), [kept, definition]);

  const select = useCallback((path: string | null) => {
    setSelectedName(path ? nameOf(path) : null);
  }, []);
  const selectName = (name: string) => setSelectedName(name);
  // the timeline selects a state in the iterations its bar ran in
  const selectInIterations = useCallback((name: string, iterations: IterationRef[]) => {
    setSelectedName(name);
    if (iterations.length > 0) setSelection((s) => ({ ...s, ...Object.fromEntries(iterations.map((r) => [r.map, r.index])) }));
  }, []);
  const pathOf = useCallback((name: string) => (definition ? pathOfName(definition, name) : null), [definition]);

  /** Stop, after the dialog: AWS's StopExecution takes an optional error and cause. */
  const stop = async (error: string, cause: string) => {
    setStopping(true);
    setStopError(null);
    try {
      const body: Record<string, string> = {};
      if (error) body.error = error;
      if (cause) body.cause = cause;
      const data = await api.post<ExecutionDetail>(`/executions/${executionId}/stop/`, body);
      setDetail(data);
      setAskingStop(false);
    } catch (err) {
      setStopError(`Could not stop the execution: ${errorMessage(err)}`);
    } finally {
      setStopping(false);
    }
  };

  if (loadError && !run.status) {
    return (
      <div className="exec-page" data-testid="execution-page">
        <Notice kind="error" testId="execution-load-error">
          {loadError}
        </Notice>
      </div>
    );
  }

  const input = run.status ? run.input : detail?.input;
  const finished = status !== null && status !== "RUNNING";
  const output = run.hasOutput ? run.output : finished && detail?.output != null ? detail.output : undefined;
  const error = run.error ?? detail?.error ?? undefined;
  const cause = run.cause ?? detail?.cause ?? undefined;
  const startedAt = executionStart(detail, run.startedAt); // the same source as the executions list
  const stoppedAt = running ? null : executionStop(detail, run.stoppedAt); // the same source as the executions list
  const selectedVisits = selectedName ? visitsOf(run, selectedName, selection) : [];

  return (
    <div className="exec-page" data-testid="execution-page">
      <header className="exec-header">
        <div>
          <h1 data-testid="execution-name" title={detail?.name ?? executionId}>
            {detail?.name ?? executionId}
          </h1>
          {detail && (
            <p className="exec-muted" title={`${detail.workflow_name} · ${versionText(detail.version, detail.alias)} · ${detail.type}`}>
              <a href={`/workflows/${detail.workflow}/`}>{detail.workflow_name}</a>
              <span data-testid="execution-version"> · {versionText(detail.version, detail.alias)}</span> · {detail.type}
            </p>
          )}
          {detail?.map_run ? (
            <p className="exec-muted" data-testid="execution-map-run-parent">
              Item {detail.map_run.index ?? "?"} of Map Run{" "}
              <a href={`/map-runs/${detail.map_run.id}/`}>{detail.map_run.label}</a>{" "}
              <span className={`exec-badge exec-exec-${detail.map_run.status.toLowerCase()}`}>{detail.map_run.status}</span>
            </p>
          ) : null}
          {detail?.parent ? (
            <p className="exec-muted" data-testid="execution-parent">
              Started by <a href={`/executions/${detail.parent.id}/`}>{detail.parent.workflow_name}/{detail.parent.name}</a>
            </p>
          ) : null}
          {detail?.children && detail.children.length > 0 ? (
            <p className="exec-muted" data-testid="execution-children">
              Started:{" "}
              {detail.children.map((child, index) => (
                <span key={child.id}>
                  {index > 0 ? ", " : ""}
                  <a href={`/executions/${child.id}/`} data-testid={`execution-child-${child.id}`}>
                    {child.workflow_name}/{child.name}
                  </a>{" "}
                  <span className={`exec-badge exec-exec-${child.status.toLowerCase()}`}>{child.status}</span>
                  {child.state ? ` (from ${child.state})` : ""}
                </span>
              ))}
            </p>
          ) : null}
          {detail?.map_runs && detail.map_runs.length > 0 ? (
            <p className="exec-muted" data-testid="execution-map-runs">
              Map Runs:{" "}
              {detail.map_runs.map((run, index) => (
                <span key={run.id}>
                  {index > 0 ? ", " : ""}
                  <a href={`/map-runs/${run.id}/`} data-testid={`execution-map-run-${run.id}`}>
                    {run.label}
                  </a>{" "}
                  <span className={`exec-badge exec-exec-${run.status.toLowerCase()}`}>{run.status}</span>
                </span>
              ))}
            </p>
          ) : null}
        </div>
        <span
          className={`exec-badge exec-exec-${(status ?? "unknown").toLowerCase()}`}
          data-testid="execution-status"
          data-status={status ?? ""}
        >
          {status ?? "…"}
        </span>
        <RedriveBadge count={Math.max(run.redriveCount, detail?.redrive_count ?? 0)} date={detail?.redrive_date ?? null} />
        <dl className="exec-facts">
          <dt>Started</dt>
          <dd data-testid="execution-start">{formatTime(startedAt)}</dd>
          <dt>Stopped</dt>
          <dd data-testid="execution-stop">{formatTime(stoppedAt)}</dd>
          <dt>Duration</dt>
          <dd data-testid="execution-duration">
            {formatDuration(durationMs(startedAt, stoppedAt ?? (running ? now : null)))}
          </dd>
        </dl>
        <span className={`exec-live exec-live-${liveState}`} data-testid="live-state">
          {liveState === "open" ? (running ? "Live" : "Loaded") : liveState === "closed" ? "Complete" : liveState}
        </span>
        {(mayRun ?? canRun(role)) && running && (
          <button type="button" className="exec-stop" data-testid="execution-stop-button" onClick={() => setAskingStop(true)} disabled={stopping}>
            {stopping ? "Stopping…" : "Stop…"}
          </button>
        )}
        {detail && status !== null && !running && !(detail.map_run && detail.type === "EXPRESS") && (
          <RedriveControl
            executionId={executionId}
            executionName={detail.name}
            facts={{ ...detail, status }}
            run={run}
            mayRun={mayRun ?? canRun(role)}
            role={role}
            onRedriven={redriven}
          />
        )}
        {stopError && !askingStop && (
          <Notice kind="error" testId="execution-stop-error">
            {stopError}
          </Notice>
        )}
        {askingStop && running && (
          <StopDialog
            executionName={detail?.name ?? executionId}
            busy={stopping}
            error={stopError}
            onStop={(error, cause) => void stop(error, cause)}
            onCancel={() => {
              setAskingStop(false);
              setStopError(null);
            }}
          />
        )}
      </header>

      {expressChildNote(detail) ? (
        <Notice kind="info" testId="execution-express-child-note">
          {expressChildNote(detail)}
        </Notice>
      ) : null}

      {(error !== undefined || cause !== undefined) && (
        <ErrorBanner error={error} cause={cause} />
      )}

      <div className="exec-body">
        <section className="exec-center">
      <div className="exec-bar">
      <nav className="exec-tabs" role="tablist">
        {(["graph", "table", "timeline", "events"] as Tab[]).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            data-testid={`tab-${t}`}
            onClick={() => setTab(t)}
          >
            {t === "graph" ? "Graph" : t === "table" ? "States" : t === "timeline" ? "Timeline" : `Events (${run.events.length})`}
          </button>
        ))}
      </nav>

      <div className="exec-toolbar">
        {current.length > 0 && (
          <div className="exec-current" data-testid="current-states">
            Current:{" "}
            {current.map((v, index) => (
              <span key={v.id}>
              {index > 0 ? ", " : ""}
              <button
                type="button"
                className="exec-link"
                data-testid={`current-state-${v.name}`}
                onClick={() => selectName(v.name)}
              >
                {v.name}
                {v.iterations.length ? ` [${v.iterations.map((r) => r.index).join(",")}]` : ""}
              </button>
              </span>
            ))}
          </div>
        )}
        {maps.map((map) => {
          const iterations = mapIterations(run, map, selection);
          return (
            <label key={map} className="exec-iteration-picker">
              {map}{" "}
              <select
                data-testid={`iteration-picker-${map}`}
                value={selection[map] ?? ""}
                onChange={(e) => {
                  const value = e.target.value;
                  setSelection((s) => {
                    const next = { ...s };
                    if (value === "") delete next[map];
                    else next[map] = Number(value);
                    return next;
                  });
                }}
              >
                <option value="">All iterations ({iterations.length})</option>
                {iterations.map((it) => (
                  <option key={it.index} value={it.index}>
                    #{it.index} – {it.status}
                  </option>
                ))}
              </select>
            </label>
          );
        })}
      </div>

      </div>

      {tab === "graph" && (
        <div className="exec-graph" data-testid="execution-graph">
          {definition ? (
            <WorkflowGraph
              definition={definition}
              editable={false}
              statuses={statuses}
              badges={badges}
              onSelect={select}
              selection={selectedPath ?? currentPath}
              legend
              {...(detail?.workflow ? { directionKey: detail.workflow } : {})}
            />
          ) : (
            <p className="exec-muted" data-testid="definition-missing">
              {definitionMissing ? "The workflow definition is not available." : "Loading the definition…"}
            </p>
          )}
        </div>
      )}

      {tab === "table" && (
        <div className="exec-scroll">
          <table className="exec-table" data-testid="state-table">
            <thead>
              <tr>
                <th>State</th>
                <th>Type</th>
                <th>Status</th>
                <th>Visits</th>
                <th>Retries</th>
                <th>Started</th>
                <th>Duration</th>
                <th>Error</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.name} data-testid={`state-row-${row.name}`} onClick={() => selectName(row.name)}>
                  <td>
                    <button type="button" className="exec-link">
                      {row.name}
                    </button>
                  </td>
                  <td>{row.type}</td>
                  <td>
                    <span className={`exec-badge exec-status-${row.status}`}>{STATUS_LABELS[row.status]}</span>
                  </td>
                  <td>{row.visits}</td>
                  <td>{row.retries}</td>
                  <td>{formatTime(row.firstEnteredAt)}</td>
                  <td data-testid={`state-duration-${row.name}`}>{formatDuration(row.durationMs)}</td>
                  <td>{row.error ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {tab === "timeline" && (
        <ExecutionTimeline
          fold={fold}
          version={version}
          {...(running ? { now } : {})}
          {...(startedAt ? { startedAt } : {})}
          {...(stoppedAt ? { stoppedAt } : {})}
          pathOf={pathOf}
          selectedName={selectedName}
          selection={selection}
          onSelect={selectInIterations}
        />
      )}

      {tab === "events" && (
        <div className="exec-scroll">
          <EventTable fold={fold} version={version} selection={selection} />
        </div>
      )}
        </section>
        <aside className="exec-side" data-testid="execution-side" aria-label="Execution details">
          {detail ? <RunFactsList facts={detail} version={detail.version} redriveCount={Math.max(run.redriveCount, detail.redrive_count ?? 0)} /> : null}
          <div className="exec-io">
            <JsonView label="Execution input" value={input} testId="execution-input" />
            <JsonView
              label="Execution output"
              value={output}
              testId="execution-output"
              empty={running ? "(running)" : "(none)"}
            />
          </div>

          {selectedName && (
            <StatePanel
              key={`${selectedName}/${JSON.stringify(selection)}`}
              fold={fold}
              name={selectedName}
              visits={selectedVisits}
              now={running ? now : undefined}
              onClose={() => select(null)}
              selection={selection}
              rerun={{ blocked: rerunBlocked({ fold, definition, name: selectedName, status, mayRun: mayRun ?? canRun(role), role }), start: (stateInput) => setRerunning({ state: selectedName, input: stateInput }) }}
              note={kept.has(selectedName) ? `Not run again by redrive ${run.redriveCount}: the result shown is from before it.` : null}
            />
          )}
          {rerunning && detail ? (
            <Suspense fallback={null}>
              <RerunDialog
                executionId={executionId}
                executionName={detail.name}
                version={detail.version}
                state={rerunning.state}
                input={rerunning.input}
                navigate={navigate}
                onClose={() => setRerunning(null)}
              />
            </Suspense>
          ) : null}
          {/* Machine-readable per-state statuses (end-to-end tests, screen readers). */}
          <ul className="exec-status-list" data-testid="state-statuses" aria-label="State statuses">
            {Object.entries(byName).map(([name, s]) => {
              const path = definition ? pathOfName(definition, name) : null;
              return (
                <li
                  key={name}
                  data-testid={`state-status-${path ?? name}`}
                  data-status={s}
                  data-current={current.some((v) => v.name === name) ? "true" : undefined}
                >
                  <button type="button" className="exec-link" onClick={() => selectName(name)}>
                    {name}
                  </button>
                  : {STATUS_LABELS[s]}
                </li>
              );
            })}
          </ul>
        </aside>
      </div>
    </div>
  );
}

export function ExecutionPage(props: StudioProps) {
  const extra = props as StudioProps & { definition?: Definition };
  if (!props.executionId) {
    return (
      <div className="exec-page" data-testid="execution-page">
        <p className="exec-error">No execution to show.</p>
      </div>
    );
  }
  return (
    <ExecutionView
      executionId={props.executionId}
      role={props.role}
      canRun={props.canRun}
      definition={extra.definition}
    />
  );
}

export default ExecutionPage;
