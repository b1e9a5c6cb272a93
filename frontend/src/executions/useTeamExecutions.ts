/**
 * React hook: a team's executions for some filters, kept up to date by
 * polling the first page with `If-None-Match` (the server answers an empty 304
 * while nothing changed; there is no team-wide websocket). Polls pause while
 * the tab is hidden and resume, at once, when it shows again. "Load more"
 * follows the API's cursor; later pages stay while the first page refreshes.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { api, errorMessage, getIfChanged } from "../api/client";
import { mergeFirstPage, queryOf, type Filters, type TeamExecution, type TeamExecutionPage } from "./teamExecutions";

export interface TeamExecutionsState {
  rows: TeamExecution[];
  /** Rows kept (pinned) although they no longer match the filters. */
  gone: ReadonlySet<string>;
  cursor: string | null;
  loading: boolean;
  error: string | null;
  /** When the list was last confirmed current. */
  checkedAt: Date | null;
  /** Fetch the first page now (after a bulk action). */
  refresh: () => Promise<void>;
  loadMore: () => Promise<void>;
  /** Keep these rows listed through refreshes even if they stop matching. */
  pin: (ids: Iterable<string>) => void;
  /** Change rows in place (the outcome of a bulk action). */
  update: (change: (rows: TeamExecution[]) => TeamExecution[]) => void;
}

export function useTeamExecutions(teamSlug: string, filters: Filters, { pollMs = 4000, limit = 50 } = {}): TeamExecutionsState {
  const [rows, setRows] = useState<TeamExecution[]>([]);
  const [gone, setGone] = useState<ReadonlySet<string>>(new Set());
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [checkedAt, setCheckedAt] = useState<Date | null>(null);
  const rowsRef = useRef<TeamExecution[]>([]);
  const etag = useRef<string | null>(null);
  const pinned = useRef<Set<string>>(new Set());
  const loadedMore = useRef(false);
  const generation = useRef(0);
  const base = `/teams/${encodeURIComponent(teamSlug)}/executions/`;
  const query = queryOf(filters, { limit: String(limit) });

  const show = useCallback((next: TeamExecution[]) => {
    rowsRef.current = next;
    setRows(next);
  }, []);

  const fetchFirst = useCallback(
    async (replace: boolean) => {
      const mine = generation.current;
      try {
        const answer = await getIfChanged<TeamExecutionPage>(base + query, replace ? null : etag.current);
        if (mine !== generation.current) return; // the filters changed meanwhile
        setError(null);
        setCheckedAt(new Date());
        if (answer === null) return;
        etag.current = answer.etag;
        const page = answer.data;
        if (replace) {
          show(page.results);
          setGone(new Set());
          setCursor(page.next_cursor);
          loadedMore.current = false;
          return;
        }
        const merged = mergeFirstPage(rowsRef.current, page, pinned.current);
        show(merged.rows);
        setGone(merged.gone);
        if (!loadedMore.current) setCursor(page.next_cursor);
      } catch (err) {
        if (mine === generation.current) setError(errorMessage(err));
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [base, query, show],
  );

  // new filters: a new list
  useEffect(() => {
    generation.current += 1;
    etag.current = null;
    pinned.current = new Set();
    setLoading(true);
    void fetchFirst(true);
  }, [fetchFirst]);

  // poll while the page is visible
  useEffect(() => {
    if (pollMs <= 0) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    const tick = async () => {
      if (!document.hidden) await fetchFirst(false);
      if (!stopped) timer = setTimeout(() => void tick(), pollMs);
    };
    timer = setTimeout(() => void tick(), pollMs);
    const onVisible = () => {
      if (!document.hidden) void fetchFirst(false);
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [fetchFirst, pollMs]);

  const loadMore = useCallback(async () => {
    if (!cursor) return;
    const mine = generation.current;
    setLoading(true);
    try {
      const page = await api.get<TeamExecutionPage>(base + queryOf(filters, { limit: String(limit), cursor }));
      if (mine !== generation.current) return;
      const known = new Set(rowsRef.current.map((r) => r.id));
      show([...rowsRef.current, ...page.results.filter((r) => !known.has(r.id))]);
      setCursor(page.next_cursor);
      loadedMore.current = true;
    } catch (err) {
      if (mine === generation.current) setError(errorMessage(err));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [base, cursor, filters, limit, show]);

  const pin = useCallback((ids: Iterable<string>) => {
    for (const id of ids) pinned.current.add(id);
  }, []);

  const update = useCallback((change: (rows: TeamExecution[]) => TeamExecution[]) => show(change(rowsRef.current)), [show]);

  const refresh = useCallback(() => fetchFirst(false), [fetchFirst]);

  return { rows, gone, cursor, loading, error, checkedAt, refresh, loadMore, pin, update };
}
