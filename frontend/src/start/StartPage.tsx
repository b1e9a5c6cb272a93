/**
 * The start page: the team's workflows (search, last execution and its
 * status) and new workflows from blank or from the template gallery.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import type { StudioProps } from "../api/props";
import { BLANK_DEFINITION, type WorkflowTemplate } from "../templates";
import { TemplateGallery } from "./TemplateGallery";
import "./start.css";
import { formatTime } from "../execution/format";

export interface WorkflowListItem {
  id: string;
  team: string;
  name: string;
  type: string;
  description: string;
  revision: number;
  created_at: string;
  updated_at: string;
}

export interface ExecutionSummary {
  id: string;
  name: string;
  status: string;
  start_date: string | null;
  stop_date: string | null;
}

type LastExecution = ExecutionSummary | null | "loading" | "error";

export interface StartPageProps extends StudioProps {
  /** Navigation (tests replace it). */
  navigate?: (url: string) => void;
  /** Search debounce in ms. */
  debounceMs?: number;
}

/** Times as everywhere else in the studio (execution/format.ts): the user's zone, named. */
function formatDate(iso: string | null | undefined): string {
  return iso ? formatTime(iso) : "";
}

export function StartPage(props: StartPageProps) {
  const { teamSlug, canEdit, navigate = (url: string) => window.location.assign(url), debounceMs = 250 } = props;
  const [search, setSearch] = useState("");
  const [workflows, setWorkflows] = useState<WorkflowListItem[] | null>(null);
  const [lastRuns, setLastRuns] = useState<Record<string, LastExecution>>({});
  const [error, setError] = useState<string | null>(null);
  const [blankName, setBlankName] = useState("");
  const [blankType, setBlankType] = useState("STANDARD");
  const [createError, setCreateError] = useState<string | null>(null);
  const requestId = useRef(0);

  const load = useCallback(
    async (query: string) => {
      const id = ++requestId.current;
      try {
        const q = query.trim() ? `?search=${encodeURIComponent(query.trim())}` : "";
        const list = await api.get<WorkflowListItem[]>(`/teams/${encodeURIComponent(teamSlug)}/workflows/${q}`);
        if (id !== requestId.current) return;
        setWorkflows(list);
        setError(null);
        for (const wf of list) {
          setLastRuns((prev) => (wf.id in prev ? prev : { ...prev, [wf.id]: "loading" }));
          api
            .get<{ results: ExecutionSummary[] }>(`/workflows/${wf.id}/executions/?limit=1`)
            .then((page) => setLastRuns((prev) => ({ ...prev, [wf.id]: page.results[0] ?? null })))
            .catch(() => setLastRuns((prev) => ({ ...prev, [wf.id]: "error" })));
        }
      } catch (err) {
        if (id !== requestId.current) return;
        setError(err instanceof Error ? err.message : String(err));
      }
    },
    [teamSlug],
  );

  useEffect(() => {
    const timer = setTimeout(() => void load(search), search ? debounceMs : 0);
    return () => clearTimeout(timer);
  }, [search, load, debounceMs]);

  const create = async (name: string, definition: Record<string, unknown>, type = "STANDARD", description = "") => {
    const created = await api.post<{ id: string }>(`/teams/${encodeURIComponent(teamSlug)}/workflows/`, {
      name,
      type,
      definition,
      description,
    });
    navigate(`/workflows/${created.id}/`);
  };

  const createBlank = async () => {
    setCreateError(null);
    try {
      await create(blankName.trim(), BLANK_DEFINITION, blankType);
    } catch (err) {
      setCreateError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <div className="sy-start" data-testid="start-page">
      <header className="sy-start-head">
        <h1>{props.teamName || teamSlug} workflows</h1>
        {props.urls.executions ? (
          <a href={props.urls.executions} data-testid="team-executions-link">
            All executions
          </a>
        ) : null}
        <input
          type="search"
          data-testid="workflow-search"
          aria-label="Search workflows"
          placeholder="Search by name or description"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </header>
      {error ? (
        <p className="sy-error" role="alert" data-testid="workflow-list-error">
          {error}
        </p>
      ) : null}
      {workflows === null && !error ? <p data-testid="workflow-list-loading">Loading…</p> : null}
      {workflows && workflows.length === 0 ? (
        <p data-testid="workflow-list-empty">{search ? "No workflow matches your search." : "No workflows yet: create one below."}</p>
      ) : null}
      {workflows && workflows.length > 0 ? (
        <table className="sy-workflow-table" data-testid="workflow-list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Last execution</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {workflows.map((wf) => {
              const last = lastRuns[wf.id];
              return (
                <tr key={wf.id} data-testid={`workflow-row-${wf.id}`}>
                  <td>
                    <a href={`/workflows/${wf.id}/`} data-testid={`workflow-link-${wf.id}`}>
                      {wf.name}
                    </a>
                    {wf.description ? <div className="sy-muted">{wf.description}</div> : null}
                  </td>
                  <td>{wf.type}</td>
                  <td data-testid={`workflow-last-${wf.id}`}>
                    {last === "loading" || last === undefined ? (
                      "…"
                    ) : last === "error" ? (
                      "unknown"
                    ) : last === null ? (
                      "never run"
                    ) : (
                      <a href={`/executions/${last.id}/`}>
                        <span className={`sy-status sy-status-${last.status.toLowerCase()}`} data-testid={`workflow-status-${wf.id}`}>
                          {last.status}
                        </span>{" "}
                        {formatDate(last.start_date)}
                      </a>
                    )}
                  </td>
                  <td>{formatDate(wf.updated_at)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {canEdit ? (
        <>
          <section className="sy-new-blank" aria-label="New workflow">
            <h2>New workflow</h2>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                void createBlank();
              }}
            >
              <label htmlFor="sy-new-name">Name</label>
              <input id="sy-new-name" data-testid="new-workflow-name" value={blankName} onChange={(e) => setBlankName(e.target.value)} placeholder="my-workflow" />
              <label htmlFor="sy-new-type">Type</label>
              <select id="sy-new-type" data-testid="new-workflow-type" value={blankType} onChange={(e) => setBlankType(e.target.value)}>
                <option value="STANDARD">Standard</option>
                <option value="EXPRESS">Express</option>
              </select>
              <button type="submit" data-testid="new-workflow-create" disabled={!blankName.trim()}>
                Create blank workflow
              </button>
            </form>
            {createError ? (
              <p className="sy-error" role="alert" data-testid="new-workflow-error">
                {createError}
              </p>
            ) : null}
          </section>
          <TemplateGallery onCreate={(t: WorkflowTemplate, name: string) => create(name, t.definition, "STANDARD", t.summary)} />
        </>
      ) : (
        <p className="sy-muted" data-testid="start-read-only">
          Your role lets you view workflows; ask an editor to create new ones.
        </p>
      )}
    </div>
  );
}

export default StartPage;
