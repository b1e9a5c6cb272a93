/**
 * The team's executions page, the parts without React: the filters and their
 * query string (the API's and the page URL's, the same names), merging a
 * freshly polled first page into what is listed, and the outcome of a bulk
 * stop or redrive in words, per row.
 */

/** A row (designer.api.team_executions.TeamExecutionSerializer). */
export interface TeamExecution {
  id: string;
  name: string;
  workflow: string;
  workflow_name: string;
  version: number | null;
  alias: string | null;
  type: string;
  status: string;
  error: string | null;
  start_date: string | null;
  stop_date: string | null;
  event_count: number;
  redrive_count: number;
}

export interface TeamExecutionPage {
  results: TeamExecution[];
  next_cursor: string | null;
}

export interface Filters {
  /** One status, or several with commas. */
  status: string;
  workflow: string;
  version: string;
  alias: string;
  /** ISO 8601 (UTC). */
  started_after: string;
  started_before: string;
  name_prefix: string;
}

export const FILTER_KEYS: (keyof Filters)[] = ["status", "workflow", "version", "alias", "started_after", "started_before", "name_prefix"];

export const NO_FILTERS: Filters = { status: "", workflow: "", version: "", alias: "", started_after: "", started_before: "", name_prefix: "" };

/** What the status filter offers: each status, and the ones a redrive can restart. */
export const STATUS_CHOICES: { value: string; label: string }[] = [
  { value: "", label: "Any status" },
  { value: "RUNNING", label: "Running" },
  { value: "SUCCEEDED", label: "Succeeded" },
  { value: "FAILED", label: "Failed" },
  { value: "TIMED_OUT", label: "Timed out" },
  { value: "ABORTED", label: "Aborted" },
  { value: "FAILED,TIMED_OUT,ABORTED", label: "Failed, timed out or aborted" },
];

/** Filters from a query string (the page's URL); unknown keys are ignored. */
export function filtersFrom(search: string): Filters {
  const params = new URLSearchParams(search);
  const out: Filters = { ...NO_FILTERS };
  for (const key of FILTER_KEYS) out[key] = params.get(key)?.trim() ?? "";
  return out;
}

/** The query string of the filters that are set (plus any extra parameters). */
export function queryOf(filters: Filters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key].trim();
    if (value) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** `datetime-local` input value (the user's zone) -> ISO UTC; "" stays "". */
export function localToIso(value: string): string {
  if (!value) return "";
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? "" : at.toISOString();
}

/** ISO -> a `datetime-local` value in the user's zone ("" when empty or not a time). */
export function isoToLocal(iso: string): string {
  if (!iso) return "";
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** Newest first, as the API orders: start time, then id, both descending. */
function newer(a: TeamExecution, b: TeamExecution): boolean {
  const ta = a.start_date ?? "";
  const tb = b.start_date ?? "";
  return ta === tb ? a.id > b.id : Date.parse(ta) > Date.parse(tb);
}

/**
 * A polled first page merged into the list: the page's rows as they are now,
 * then the listed rows older than the page's last row (the later pages the
 * user loaded). A listed row that left the first page's range without moving
 * on (it no longer matches the filters) is dropped, unless it is pinned (a bulk
 * action just reported on it): then it stays, marked as no longer matching.
 */
export function mergeFirstPage(
  list: TeamExecution[],
  page: TeamExecutionPage,
  pinned: ReadonlySet<string> = new Set(),
): { rows: TeamExecution[]; gone: Set<string> } {
  const fresh = new Set(page.results.map((r) => r.id));
  const last = page.results[page.results.length - 1];
  const gone = new Set<string>();
  const rest: TeamExecution[] = [];
  for (const row of list) {
    if (fresh.has(row.id)) continue;
    const beyond = page.next_cursor !== null && last !== undefined && newer(last, row);
    if (beyond) rest.push(row);
    else if (pinned.has(row.id)) {
      rest.push(row);
      gone.add(row.id);
    }
  }
  const rows = [...page.results, ...rest];
  rows.sort((a, b) => (newer(a, b) ? -1 : newer(b, a) ? 1 : 0));
  return { rows, gone };
}

/** One outcome of POST /api/executions/stop/ or /api/executions/redrive/. */
export interface BulkOutcome {
  id: string;
  stopped?: boolean;
  redriven?: boolean;
  redrive_count?: number;
  code?: string;
  message?: string;
}

export type BulkAction = "stop" | "redrive";

export interface RowResult {
  ok: boolean;
  text: string;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

/** What a row shows after a bulk action. */
export function rowResult(action: BulkAction, outcome: BulkOutcome): RowResult {
  const ok = action === "stop" ? outcome.stopped === true : outcome.redriven === true;
  if (!ok) return { ok, text: `Refused: ${outcome.message ?? outcome.code ?? "unknown reason"}` };
  if (action === "stop") return { ok, text: "Stop requested" };
  return { ok, text: outcome.redrive_count ? `Redriven (${ordinal(outcome.redrive_count)} redrive)` : "Redriven" };
}

/** "2 redriven, 1 refused" (a summary of the outcomes). */
export function summary(action: BulkAction, outcomes: BulkOutcome[]): string {
  const ok = outcomes.filter((o) => rowResult(action, o).ok).length;
  const refused = outcomes.length - ok;
  const done = action === "stop" ? "stopped" : "redriven";
  return refused ? `${ok} ${done}, ${refused} refused` : `${ok} ${done}`;
}

/** The rows' new status and redrive count where a redrive went through. */
export function applyRedrives(rows: TeamExecution[], outcomes: BulkOutcome[]): TeamExecution[] {
  const done = new Map(outcomes.filter((o) => o.redriven).map((o) => [o.id, o]));
  return rows.map((row) => {
    const outcome = done.get(row.id);
    return outcome ? { ...row, status: "RUNNING", stop_date: null, error: null, redrive_count: outcome.redrive_count ?? row.redrive_count + 1 } : row;
  });
}

/** What a row's Result column says about the run itself: the error of a run that ended
 * badly (the list carries no output or cause; the execution's page has them). */
export function runResult(row: Pick<TeamExecution, "status" | "error">): { text: string; failed: boolean } | null {
  if (row.status === "FAILED" || row.status === "TIMED_OUT" || row.status === "ABORTED") {
    const fallback = row.status === "FAILED" ? "Failed" : row.status === "TIMED_OUT" ? "Timed out" : "Aborted";
    return { text: row.error || fallback, failed: true };
  }
  if (row.status === "SUCCEEDED") return { text: "Output", failed: false };
  return null;
}
