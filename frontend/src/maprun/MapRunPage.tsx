/**
 * The Map Run view: a Distributed Map's run, live.
 *
 * Polls GET /api/map-runs/<id>/ every second while the run is RUNNING and shows
 * one stacked bar of its children by status (with the counts beside it), items
 * per second and the time left, the run's error and cause, Stop and Redrive
 * (runners and up; both act on the parent execution, as on AWS: Stop asks
 * first and says so), and the list
 * of children (GET .../children/, a status filter, "Load more" by cursor), each
 * linked to its own execution page with its error and cause. While the items are
 * still being read, the total is only "so far" and no time left is shown.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { api, errorMessage } from "../api/client";
import type { StudioProps } from "../api/props";
import { formatTime } from "../execution/format";
import { StopDialog } from "../execution/StopDialog";
import "./maprun.css";

export interface Counts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
  resultsWritten: number;
}

export interface MapRunInfo {
  id: string;
  map_run_arn: string;
  execution: string;
  state_name: string;
  label: string;
  status: string;
  execution_type: string;
  start_date: string;
  stop_date: string | null;
  max_concurrency: number;
  tolerated_failure_count: number | null;
  tolerated_failure_percentage: number | null;
  execution_counts: Counts;
  progress: { done: number; items_per_second: number; seconds_left: number | null; reading_done: boolean };
  error: string | null;
  cause: string | null;
  redrive_count: number;
}

export interface Child {
  /** null for a PENDING item (read, no child execution yet). */
  id: string | null;
  name: string | null;
  index: number;
  status: string;
  start_date: string | null;
  stop_date: string | null;
  error: string | null;
  cause: string | null;
}

/** The segments of the progress bar, in the order they are drawn. */
export const SEGMENTS: { key: keyof Counts; label: string }[] = [
  { key: "succeeded", label: "Succeeded" },
  { key: "failed", label: "Failed" },
  { key: "timedOut", label: "Timed out" },
  { key: "aborted", label: "Aborted" },
  { key: "running", label: "Running" },
  { key: "pending", label: "Pending" },
];

const FILTERS = ["", "PENDING", "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];

/** What the Stop dialog says: the Map Run ends with its parent execution, as on AWS. */
export const STOP_EXPLANATION =
  "Stops the Map Run and its parent execution: the parent is aborted at once, its running child executions are stopped and no more items start. This cannot be undone (a redrive of the parent runs the unfinished items again).";

/** "1 h 2 min", "3 min 4 s", "5 s": a duration a person reads at a glance. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${s} s`;
}

/** Each segment's share of the bar, in percent (0 when nothing is counted yet). */
export function shares(counts: Counts): Record<string, number> {
  const total = SEGMENTS.reduce((sum, s) => sum + counts[s.key], 0);
  const out: Record<string, number> = {};
  for (const s of SEGMENTS) out[s.key] = total ? (100 * counts[s.key]) / total : 0;
  return out;
}

/** The total line: final once every item is read, "so far" while reading goes on. */
export function totalText(counts: Counts, readingDone: boolean): string {
  const total = counts.total.toLocaleString();
  return readingDone ? `Total: ${total}` : `Reading items… ${total} so far`;
}

function ProgressBar({ counts, readingDone }: { counts: Counts; readingDone: boolean }) {
  const part = shares(counts);
  return (
    <div className="maprun-progress">
      <div className="maprun-bar" role="img" aria-label="Children by status" data-testid="maprun-bar">
        {SEGMENTS.map((s) =>
          part[s.key] ? (
            <span
              key={s.key}
              className={`maprun-seg maprun-seg-${s.key}`}
              style={{ width: `${part[s.key]}%` }}
              data-testid={`maprun-seg-${s.key}`}
            />
          ) : null,
        )}
      </div>
      <ul className="maprun-legend" data-testid="maprun-counts">
        {SEGMENTS.map((s) => (
          <li key={s.key} data-testid={`maprun-count-${s.key}`}>
            <span className={`maprun-swatch maprun-seg-${s.key}`} aria-hidden="true" />
            {s.label}: <strong>{counts[s.key].toLocaleString()}</strong>
          </li>
        ))}
        <li data-testid="maprun-count-total">
          <strong>{totalText(counts, readingDone)}</strong>
        </li>
      </ul>
    </div>
  );
}

function ChildrenList({ runId, version }: { runId: string; version: number }) {
  const [filter, setFilter] = useState("");
  const [rows, setRows] = useState<Child[]>([]);
  const [cursor, setCursor] = useState<number | null>(null);
  const [error, setError] = useState("");

  const load = useCallback(
    async (after: number | null, replace: boolean) => {
      const params = new URLSearchParams({ limit: "50" });
      if (filter) params.set("status", filter);
      if (after !== null) params.set("cursor", String(after));
      try {
        const page = await api.get<{ results: Child[]; next_cursor: number | null }>(
          `/map-runs/${runId}/children/?${params.toString()}`,
        );
        setRows((old) => (replace ? page.results : [...old, ...page.results]));
        setCursor(page.next_cursor);
        setError("");
      } catch (err) {
        setError(errorMessage(err));
      }
    },
    [filter, runId],
  );

  useEffect(() => {
    void load(null, true);
  }, [load, version]);

  return (
    <section className="maprun-children" aria-label="Child executions">
      <header className="maprun-children-head">
        <h2>Child executions</h2>
        <label>
          Status{" "}
          <select value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="maprun-filter">
            {FILTERS.map((f) => (
              <option key={f} value={f}>
                {f || "All"}
              </option>
            ))}
          </select>
        </label>
      </header>
      {error ? (
        <p className="maprun-error" role="alert">
          {error}
        </p>
      ) : null}
      <table className="maprun-table" data-testid="maprun-children">
        <thead>
          <tr>
            <th>Item</th>
            <th>Execution</th>
            <th>Status</th>
            <th>Started</th>
            <th>Error</th>
            <th>Cause</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id ?? `pending-${c.index}`} data-testid={`maprun-child-${c.index}`}>
              <td>{c.index}</td>
              <td>{c.id ? <a href={`/executions/${c.id}/`}>{c.name}</a> : <span className="maprun-muted">not started</span>}</td>
              <td>
                <span className={`maprun-status maprun-status-${c.status.toLowerCase()}`}>{c.status}</span>
              </td>
              <td>{c.start_date ? formatTime(c.start_date) : ""}</td>
              <td>{c.error ?? ""}</td>
              <td className="maprun-cause">{c.cause ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && !error ? <p className="maprun-muted">No child executions{filter ? ` ${filter}` : ""} yet.</p> : null}
      {cursor !== null ? (
        <button type="button" onClick={() => void load(cursor, false)} data-testid="maprun-more">
          Load more
        </button>
      ) : null}
    </section>
  );
}

export interface MapRunPageProps extends StudioProps {
  /** Tests: poll faster. */
  pollMs?: number;
}

export function MapRunPage(props: MapRunPageProps) {
  const runId = props.mapRunId ?? "";
  const pollMs = props.pollMs ?? 1000;
  const [run, setRun] = useState<MapRunInfo | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);
  const [askingStop, setAskingStop] = useState(false);
  const timer = useRef<number | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      const info = await api.get<MapRunInfo>(`/map-runs/${runId}/`);
      setRun(info);
      setError("");
      setVersion((v) => v + 1);
      return info;
    } catch (err) {
      setError(errorMessage(err));
      return null;
    }
  }, [runId]);

  useEffect(() => {
    let stopped = false;
    const tick = async () => {
      const info = await refresh();
      if (!stopped && (info === null || info.status === "RUNNING")) {
        timer.current = window.setTimeout(() => void tick(), pollMs);
      }
    };
    void tick();
    return () => {
      stopped = true;
      window.clearTimeout(timer.current);
    };
  }, [refresh, pollMs]);

  const act = async (what: "stop" | "redrive", body?: { error: string; cause: string }) => {
    setBusy(true);
    try {
      await api.post(`/map-runs/${runId}/${what}/`, body);
      setAskingStop(false);
      const info = await refresh();
      if (info?.status === "RUNNING") {
        window.clearTimeout(timer.current);
        const again = async () => {
          const next = await refresh();
          if (next?.status === "RUNNING") timer.current = window.setTimeout(() => void again(), pollMs);
        };
        timer.current = window.setTimeout(() => void again(), pollMs);
      }
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="maprun-page" data-testid="maprun-page">
      <nav className="maprun-crumbs">
        <a href={props.urls.start}>{props.teamName || "Workflows"}</a>
        {run ? (
          <>
            {" / "}
            <a href={`/executions/${run.execution}/`} data-testid="maprun-parent">
              {props.executionName ?? "Parent execution"}
            </a>
          </>
        ) : null}
      </nav>
      <header className="maprun-head">
        <h1>
          Map Run <span className="maprun-label">{run?.label ?? ""}</span>
        </h1>
        {run ? (
          <span className={`maprun-status maprun-status-${run.status.toLowerCase()}`} data-testid="maprun-status">
            {run.status}
          </span>
        ) : null}
        <div className="maprun-actions">
          {props.canRun && run?.status === "RUNNING" ? (
            <button type="button" disabled={busy} onClick={() => setAskingStop(true)} data-testid="maprun-stop">
              Stop…
            </button>
          ) : null}
          {props.canRun && run && (run.status === "FAILED" || run.status === "ABORTED") ? (
            <button type="button" disabled={busy} onClick={() => void act("redrive")} data-testid="maprun-redrive">
              Redrive
            </button>
          ) : null}
        </div>
      </header>
      {askingStop && run?.status === "RUNNING" ? (
        <StopDialog
          executionName={`Map Run ${run.label} and ${props.executionName ?? "its parent execution"}`}
          explanation={STOP_EXPLANATION}
          confirmLabel="Stop Map Run and parent"
          busy={busy}
          onStop={(stopError, cause) => void act("stop", { error: stopError, cause })}
          onCancel={() => setAskingStop(false)}
        />
      ) : null}
      {error ? (
        <p className="maprun-error" role="alert">
          {error}
        </p>
      ) : null}
      {run ? (
        <>
          <p className="maprun-arn" title={run.map_run_arn}>
            {run.map_run_arn}
          </p>
          <ProgressBar counts={run.execution_counts} readingDone={run.progress.reading_done} />
          <dl className="maprun-figures">
            <div>
              <dt>Items per second</dt>
              <dd data-testid="maprun-rate">{run.progress.items_per_second.toLocaleString()}</dd>
            </div>
            <div>
              <dt>Time left</dt>
              <dd data-testid="maprun-left">
                {run.progress.reading_done ? formatSeconds(run.progress.seconds_left) : "— (reading items)"}
              </dd>
            </div>
            <div>
              <dt>Max concurrency</dt>
              <dd>{run.max_concurrency || "10,000"}</dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>{formatTime(run.start_date)}</dd>
            </div>
            <div>
              <dt>Redrives</dt>
              <dd>{run.redrive_count}</dd>
            </div>
          </dl>
          {run.error || run.cause ? (
            <section className="maprun-failure" data-testid="maprun-failure">
              <h2>Error</h2>
              <p className="maprun-error-name">{run.error}</p>
              <p className="maprun-cause">{run.cause}</p>
            </section>
          ) : null}
          <ChildrenList runId={runId} version={version} />
        </>
      ) : null}
    </main>
  );
}
