/**
 * A workflow's executions, newest first, kept up to date live: the first
 * page from GET /api/workflows/<id>/executions/ (cursor pagination, "Load
 * more"), then status messages from `/ws/workflows/<id>/executions/` update a
 * listed execution or add a new one at the top. After a reconnect the first
 * page is fetched again (messages sent while disconnected are lost).
 * Embeddable in the designer and the start page.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { api, ApiError } from "../api/client";
import { durationMs } from "./history";
import { watchWorkflowExecutions, type ExecutionStatusMessage, type LiveState, type SocketFactory } from "./live";
import { formatDuration, formatTime } from "./format";
import { versionText } from "./RunLinks";
import "./execution.css";

/** One row (designer.api.executions.ExecutionSummarySerializer; live messages carry fewer fields). */
export interface ExecutionSummary {
  id: string;
  name: string;
  status: string;
  start_date: string | null;
  stop_date: string | null;
  workflow?: string;
  workflow_name?: string;
  version?: number | null;
  /** The alias it was started through (null: none). */
  alias?: string | null;
  type?: string;
  error?: string | null;
  event_count?: number;
}

interface Page {
  results: ExecutionSummary[];
  next_cursor: string | null;
}

/** After a live message names a new execution, list again this much later (once per burst). */
const REFILL_MS = 400;

export const STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];

/** Merge a live status into the list: update in place, or add at the top. Pure. */
export function mergeStatus(
  list: ExecutionSummary[],
  message: ExecutionStatusMessage,
  statusFilter = "",
): ExecutionSummary[] {
  const index = list.findIndex((e) => e.id === message.id);
  if (index >= 0) {
    const next = list.slice();
    next[index] = { ...list[index]!, ...message };
    return statusFilter && message.status !== statusFilter ? next.filter((e) => e.id !== message.id) : next;
  }
  if (statusFilter && message.status !== statusFilter) return list;
  return [{ ...message }, ...list];
}

/** Merge a freshly fetched first page with what is listed (fresh rows win, older pages kept). */
export function mergePage(list: ExecutionSummary[], page: ExecutionSummary[]): ExecutionSummary[] {
  const ids = new Set(page.map((e) => e.id));
  return [...page, ...list.filter((e) => !ids.has(e.id))];
}

export interface WorkflowExecutionsProps {
  workflowId: string;
  /** Rows per page (the API's `limit`). */
  limit?: number;
  /** Link of an execution (default `/executions/<id>/`). */
  executionHref?: (id: string) => string;
  /** Tests: a WebSocket stand-in and a socket URL. */
  socketFactory?: SocketFactory;
  socketUrl?: string;
  title?: string;
}

export function WorkflowExecutions({
  workflowId,
  limit = 20,
  executionHref = (id) => `/executions/${id}/`,
  socketFactory,
  socketUrl,
  title = "Executions",
}: WorkflowExecutionsProps) {
  const [items, setItems] = useState<ExecutionSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [statusFilter, setStatusFilter] = useState("");
  const [liveState, setLiveState] = useState<LiveState>("connecting");
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const filterRef = useRef(statusFilter);
  filterRef.current = statusFilter;
  const known = useRef(new Set<string>());
  known.current = new Set(items.map((e) => e.id));

  const url = useCallback(
    (after: string | null) => {
      const params = new URLSearchParams({ limit: String(limit) });
      if (after) params.set("cursor", after);
      if (filterRef.current) params.set("status", filterRef.current);
      return `/workflows/${workflowId}/executions/?${params.toString()}`;
    },
    [workflowId, limit],
  );

  const loadFirst = useCallback(
    async (merge: boolean) => {
      setLoading(true);
      try {
        const page = await api.get<Page>(url(null));
        setItems((list) => (merge ? mergePage(list, page.results) : page.results));
        if (!merge) setCursor(page.next_cursor);
        setError(null);
      } catch (err) {
        setError(err instanceof ApiError ? err.message : "Could not load the executions.");
      } finally {
        setLoading(false);
      }
    },
    [url],
  );

  useEffect(() => {
    void loadFirst(false);
  }, [loadFirst, statusFilter]);

  useEffect(() => {
    let refill: ReturnType<typeof setTimeout> | null = null;
    const socket = watchWorkflowExecutions(
      workflowId,
      (message) => {
        // a new execution: its version and alias come with the next listing (one per burst)
        if (!known.current.has(message.id) && refill === null) refill = setTimeout(() => ((refill = null), void loadFirst(true)), REFILL_MS);
        setItems((list) => mergeStatus(list, message, filterRef.current));
        setFresh((s) => new Set(s).add(message.id));
      },
      { factory: socketFactory, url: socketUrl, onState: setLiveState, onReconnect: () => void loadFirst(true) },
    );
    return () => {
      socket.close();
      if (refill !== null) clearTimeout(refill);
    };
  }, [workflowId, socketFactory, socketUrl, loadFirst]);

  const loadMore = async () => {
    if (!cursor) return;
    setLoading(true);
    try {
      const page = await api.get<Page>(url(cursor));
      setItems((list) => {
        const ids = new Set(list.map((e) => e.id));
        return [...list, ...page.results.filter((e) => !ids.has(e.id))];
      });
      setCursor(page.next_cursor);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Could not load more executions.");
    } finally {
      setLoading(false);
    }
  };

  return (
    <section className="exec-list" data-testid="workflow-executions">
      <header className="exec-filters">
        <h3>{title}</h3>
        <label>
          Status{" "}
          <select
            data-testid="executions-filter-status"
            value={statusFilter}
            onChange={(e) => setStatusFilter(e.target.value)}
          >
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <span className={`exec-live exec-live-${liveState}`} data-testid="executions-live-state">
          {liveState === "open" ? "Live" : liveState}
        </span>
      </header>
      {error && (
        <p className="exec-error" role="alert">
          {error}
        </p>
      )}
      {items.length === 0 && !loading ? (
        <p className="exec-muted" data-testid="executions-empty">
          No executions yet.
        </p>
      ) : (
        <table className="exec-table exec-list-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Version</th>
              <th>Started</th>
              <th>Stopped</th>
              <th>Duration</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id} data-testid={`execution-row-${e.id}`} className={fresh.has(e.id) ? "exec-list-new" : ""}>
                <td>
                  <a href={executionHref(e.id)}>{e.name}</a>
                </td>
                <td>
                  <span
                    className={`exec-badge exec-exec-${e.status.toLowerCase()}`}
                    data-testid={`execution-row-status-${e.id}`}
                  >
                    {e.status}
                  </span>
                </td>
                <td data-testid={`execution-row-version-${e.id}`}>{e.version === undefined ? "…" : versionText(e.version, e.alias)}</td>
                <td data-testid={`execution-row-start-${e.id}`}>{formatTime(e.start_date)}</td>
                <td>{formatTime(e.stop_date)}</td>
                <td>{e.stop_date ? formatDuration(durationMs(e.start_date, e.stop_date)) : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <button type="button" onClick={loadMore} disabled={loading} data-testid="executions-load-more">
          {loading ? "Loading…" : "Load more"}
        </button>
      )}
    </section>
  );
}

export default WorkflowExecutions;
