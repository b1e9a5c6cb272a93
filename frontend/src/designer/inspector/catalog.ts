/**
 * What the task pickers list, fetched from the API once per team and kind:
 * the team's connections, activities and workflows, and the registered
 * Python functions. A list that cannot be fetched (no team, a 403 for
 * runners on connections) is an empty list plus the reason.
 */
import { useEffect, useState } from "react";
import { api, errorMessage } from "../../api/client";

export interface Connection {
  id: string;
  name: string;
  arn: string;
  auth_type: string;
}
export interface Activity {
  id: number;
  name: string;
  arn: string;
}
export interface WorkflowItem {
  id: string;
  name: string;
  type: string;
}
export interface PyFunction {
  name: string;
  doc: string;
}

export interface CatalogList<T> {
  items: T[];
  error: string | null;
  loading: boolean;
  reload: () => void;
}

const team = (slug: string) => `/teams/${encodeURIComponent(slug)}`;

export const catalogPaths = {
  connections: (slug: string) => `${team(slug)}/connections/`,
  activities: (slug: string) => `${team(slug)}/activities/`,
  workflows: (slug: string) => `${team(slug)}/workflows/`,
  functions: () => `/functions/`,
};

/** GET `path` (skipped when null) as a list. */
export function useCatalog<T>(path: string | null): CatalogList<T> {
  const [state, setState] = useState<{ items: T[]; error: string | null; loading: boolean }>({ items: [], error: null, loading: false });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!path) {
      setState({ items: [], error: null, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    api.get<T[]>(path).then(
      (items) => live && setState({ items: Array.isArray(items) ? items : [], error: null, loading: false }),
      (err: unknown) => live && setState({ items: [], error: errorMessage(err), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

export const createActivity = (slug: string, name: string) => api.post<Activity>(`${team(slug)}/activities/`, { name });
