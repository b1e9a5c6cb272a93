/**
 * The team's executions across all its workflows (`/teams/<slug>/executions/`):
 * filters (kept in the page's URL, so a filtered list can be bookmarked or
 * shared), the list kept live by polling (useTeamExecutions), rows to select,
 * and bulk Stop and Redrive with the outcome shown on each row.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { api } from "../api/client";
import type { StudioProps } from "../api/props";
import { durationMs } from "../execution/history";
import { executionStart, executionStop, formatDuration, formatTime } from "../execution/format";
import { Notice } from "../ui/Notice";
import { BulkActions } from "./BulkActions";
import { ExecutionFilters, type WorkflowChoice } from "./ExecutionFilters";
import { useTeamExecutions } from "./useTeamExecutions";
import { applyRedrives, filtersFrom, queryOf, rowResult, runResult, summary, type BulkAction, type BulkOutcome, type Filters, type RowResult, type TeamExecution } from "./teamExecutions";
import "../execution/execution.css";
import "./executions.css";

export interface TeamExecutionsPageProps extends StudioProps {
  /** Milliseconds between polls (0: none; tests). */
  pollMs?: number;
  /** The filters at start (default: from the page's URL). */
  initialFilters?: Filters;
}

interface Report {
  action: BulkAction;
  text: string;
  results: Map<string, RowResult>;
}

function versionText(version: number | null, alias: string | null): string {
  const v = version ? `v${version}` : "draft";
  return alias ? `${v} · ${alias}` : v;
}

export function TeamExecutionsPage(props: TeamExecutionsPageProps) {
  const { teamSlug, teamName, canRun, role, pollMs = 4000 } = props;
  const [filters, setFilters] = useState<Filters>(() => props.initialFilters ?? filtersFrom(window.location.search));
  const [workflows, setWorkflows] = useState<WorkflowChoice[]>([]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [report, setReport] = useState<Report | null>(null);
  const list = useTeamExecutions(teamSlug, filters, { pollMs });

  useEffect(() => {
    api
      .get<WorkflowChoice[]>(`/teams/${encodeURIComponent(teamSlug)}/workflows/`)
      .then((found) => setWorkflows(found.map((w) => ({ id: w.id, name: w.name }))))
      .catch(() => setWorkflows([]));
  }, [teamSlug]);

  // the filters live in the URL (bookmarks, the back button after opening an execution)
  useEffect(() => {
    const url = `${window.location.pathname}${queryOf(filters)}`;
    if (url !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, "", url);
  }, [filters]);

  const changeFilters = useCallback((next: Filters) => {
    setFilters(next);
    setSelected(new Set());
    setReport(null);
  }, []);

  // a selected row that left the list is no longer selected
  const shown = useMemo(() => new Set(list.rows.map((r) => r.id)), [list.rows]);
  const picked = [...selected].filter((id) => shown.has(id));
  const allPicked = list.rows.length > 0 && picked.length === list.rows.length;

  const toggle = (id: string) =>
    setSelected((old) => {
      const next = new Set(old);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const done = (action: BulkAction, outcomes: BulkOutcome[]) => {
    list.pin(outcomes.map((o) => o.id));
    if (action === "redrive") list.update((rows) => applyRedrives(rows, outcomes));
    setReport({ action, text: summary(action, outcomes), results: new Map(outcomes.map((o) => [o.id, rowResult(action, o)])) });
    setSelected(new Set());
    void list.refresh();
  };

  const empty = Object.values(filters).some((v) => v) ? "No executions match these filters." : "No executions yet.";

  return (
    <div className="tx-page" data-testid="team-executions-page">
      <header className="tx-head">
        <h1>{teamName || teamSlug} executions</h1>
        <nav className="tx-nav" aria-label="Team">
          <a href={props.urls.start} data-testid="link-workflows">
            Workflows
          </a>
          <a href={props.urls.team}>Team</a>
        </nav>
        <span className="tx-live" data-testid="executions-live" title={list.checkedAt ? `Checked ${formatTime(list.checkedAt.toISOString())}` : undefined}>
          {pollMs > 0 ? (list.error ? "Offline" : "Live") : "Static"}
        </span>
      </header>
      <ExecutionFilters filters={filters} workflows={workflows} onChange={changeFilters} />
      <BulkActions selected={picked} canRun={canRun} role={role} onDone={done} onClear={() => setSelected(new Set())} />
      {report ? (
        <div className="tx-report">
          <Notice kind={[...report.results.values()].every((r) => r.ok) ? "success" : "info"} testId="bulk-summary">
            {report.action === "stop" ? "Stop" : "Redrive"}: {report.text}.
          </Notice>
          <button type="button" className="tx-link" data-testid="bulk-summary-close" onClick={() => setReport(null)}>
            Dismiss
          </button>
        </div>
      ) : null}
      {list.error ? (
        <Notice kind="error" testId="executions-error">
          {list.error}
        </Notice>
      ) : null}
      <div className="tx-table-wrap">
        <table className="tx-table" data-testid="team-executions">
          <thead>
            <tr>
              <th className="tx-check">
                <input
                  type="checkbox"
                  data-testid="select-all"
                  aria-label="Select all listed executions"
                  checked={allPicked}
                  ref={(el) => {
                    if (el) el.indeterminate = picked.length > 0 && !allPicked;
                  }}
                  onChange={() => setSelected(allPicked ? new Set() : new Set(list.rows.map((r) => r.id)))}
                />
              </th>
              <th>Execution</th>
              <th>Workflow</th>
              <th>Version</th>
              <th>Status</th>
              <th>Started</th>
              <th>Duration</th>
              <th>Redrives</th>
              <th>Result</th>
            </tr>
          </thead>
          <tbody>
            {list.rows.map((row) => {
              const result = report?.results.get(row.id);
              const gone = list.gone.has(row.id);
              return (
                <tr key={row.id} data-testid={`execution-row-${row.id}`} data-name={row.name} className={`${selected.has(row.id) ? "tx-picked" : ""}${gone ? " tx-gone" : ""}`}>
                  <td className="tx-check">
                    <input type="checkbox" data-testid={`select-${row.id}`} aria-label={`Select ${row.name}`} checked={selected.has(row.id)} onChange={() => toggle(row.id)} />
                  </td>
                  <td className="tx-name">
                    <a href={`/executions/${row.id}/`} title={row.name}>
                      {row.name}
                    </a>
                  </td>
                  <td className="tx-workflow">
                    <a href={`/workflows/${row.workflow}/`} title={row.workflow_name}>
                      {row.workflow_name}
                    </a>
                  </td>
                  <td>{versionText(row.version, row.alias)}</td>
                  <td>
                    <span className={`exec-badge exec-exec-${row.status.toLowerCase()}`} data-testid={`status-${row.id}`} data-status={row.status} title={row.error ?? undefined}>
                      {row.status}
                    </span>
                  </td>
                  <td className="tx-time">{formatTime(row.start_date)}</td>
                  <td data-testid={`duration-${row.id}`}>{executionStop(row) ? formatDuration(durationMs(executionStart(row), executionStop(row))) : "–"}</td>
                  <td>{row.redrive_count || ""}</td>
                  <td className="tx-result" data-testid={`result-${row.id}`} data-ok={result ? String(result.ok) : undefined}>
                    {result ? <span className={result.ok ? "tx-ok" : "tx-refused"}>{result.text}</span> : <RunResult row={row} />}
                    {gone ? <span className="tx-muted"> (no longer matches the filters)</span> : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {list.rows.length === 0 && !list.loading ? (
          <p className="tx-muted tx-empty" data-testid="executions-empty">
            {empty}
          </p>
        ) : null}
      </div>
      {list.cursor ? (
        <button type="button" className="tx-more" onClick={() => void list.loadMore()} disabled={list.loading} data-testid="executions-load-more">
          {list.loading ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </div>
  );
}

export default TeamExecutionsPage;

/** A row's own result: the error of a failed (timed out, aborted) run; the execution's page has its cause. */
function RunResult({ row }: { row: TeamExecution }) {
  const outcome = runResult(row);
  if (!outcome) return null;
  if (!outcome.failed) {
    // the list carries no output: link to it
    return (
      <a href={`/executions/${encodeURIComponent(row.id)}/`} data-testid={`run-result-${row.id}`} title="Open the execution to see its output">
        Output
      </a>
    );
  }
  return (
    <span className="tx-refused" data-testid={`run-result-${row.id}`} title="The error; open the execution for its cause">
      {outcome.text}
    </span>
  );
}
