/**
 * The filters of the team's executions page: status, workflow, version,
 * alias, start time range (in the user's time zone, sent as UTC) and name
 * prefix. Typing in the text fields waits a moment before it filters.
 */
import { useEffect, useRef, useState } from "react";
import { userTimeZone } from "../execution/format";
import { NO_FILTERS, STATUS_CHOICES, isoToLocal, localToIso, type Filters } from "./teamExecutions";

export interface WorkflowChoice {
  id: string;
  name: string;
}

export interface ExecutionFiltersProps {
  filters: Filters;
  workflows: WorkflowChoice[];
  onChange: (filters: Filters) => void;
  /** Milliseconds to wait after typing. */
  debounceMs?: number;
}

/** A text field that reports its value once typing pauses. */
function useTyped(value: string, report: (value: string) => void, debounceMs: number): [string, (value: string) => void] {
  const [text, setText] = useState(value);
  const reportRef = useRef(report);
  reportRef.current = report;
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => reportRef.current(text), debounceMs);
    return () => clearTimeout(timer);
  }, [text, value, debounceMs]);
  return [text, setText];
}

export function ExecutionFilters({ filters, workflows, onChange, debounceMs = 300 }: ExecutionFiltersProps) {
  const set = (key: keyof Filters, value: string) => onChange({ ...filters, [key]: value });
  const [name, setName] = useTyped(filters.name_prefix, (v) => set("name_prefix", v.trim()), debounceMs);
  const [alias, setAlias] = useTyped(filters.alias, (v) => set("alias", v.trim()), debounceMs);
  const [version, setVersion] = useTyped(filters.version, (v) => set("version", v.trim()), debounceMs);
  const any = Object.values(filters).some((v) => v !== "");
  const known = workflows.some((w) => w.id === filters.workflow);
  const zone = userTimeZone();
  return (
    <form className="tx-filters" data-testid="executions-filters" role="search" aria-label="Filter executions" onSubmit={(e) => e.preventDefault()}>
      <label>
        Status
        <select data-testid="filter-status" value={filters.status} onChange={(e) => set("status", e.target.value)}>
          {STATUS_CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Workflow
        <select data-testid="filter-workflow" value={filters.workflow} onChange={(e) => set("workflow", e.target.value)}>
          <option value="">Any workflow</option>
          {!known && filters.workflow ? <option value={filters.workflow}>(this workflow)</option> : null}
          {workflows.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Version
        <input data-testid="filter-version" inputMode="numeric" pattern="[0-9]*" placeholder="any" size={5} value={version} onChange={(e) => setVersion(e.target.value)} />
      </label>
      <label>
        Alias
        <input data-testid="filter-alias" placeholder="any" size={10} value={alias} onChange={(e) => setAlias(e.target.value)} />
      </label>
      <label title="In your time zone">
        Started from ({zone})
        <input
          type="datetime-local"
          data-testid="filter-after"
          value={isoToLocal(filters.started_after)}
          onChange={(e) => set("started_after", localToIso(e.target.value))}
        />
      </label>
      <label title="In your time zone">
        until
        <input
          type="datetime-local"
          data-testid="filter-before"
          value={isoToLocal(filters.started_before)}
          onChange={(e) => set("started_before", localToIso(e.target.value))}
        />
      </label>
      <label>
        Name
        <input type="search" data-testid="filter-name" placeholder="starts with…" size={14} value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <button type="button" data-testid="filter-clear" disabled={!any} onClick={() => onChange({ ...NO_FILTERS })}>
        Clear filters
      </button>
    </form>
  );
}

export default ExecutionFilters;
