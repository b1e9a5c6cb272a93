/**
 * Redrive and "re-run from here" (designer/api/execution_redrive.py,
 * docs/operate.md), and the execution fields they add to describe.
 */
import { api } from "../api/client";

export type RedriveStatus = "REDRIVABLE" | "NOT_REDRIVABLE";

/** What describe says of redrives and re-runs (beside ExecutionDetail's other fields). */
export interface RunFacts {
  alias?: string | null;
  redrive_count?: number;
  redrive_date?: string | null;
  redrive_status?: RedriveStatus;
  redrive_status_reason?: string;
  /** The execution this one re-runs. */
  rerun_of?: { id: string; name: string; status: string } | null;
  /** The state it started at (a re-run). */
  rerun_state?: string | null;
  /** Its own re-runs, oldest first. */
  reruns?: { id: string; name: string; status: string; state: string }[];
}

export interface Redriven {
  id: string;
  name: string;
  status: string;
  redrive_count: number;
  redrive_date: string | null;
  redrive_status: RedriveStatus;
  redrive_status_reason: string;
}

export interface RerunRequest {
  state: string;
  input: unknown;
  target: "version" | "draft";
  name?: string;
}

export interface RerunStarted {
  id: string;
  name: string;
  status: string;
  version: number | null;
  rerun_of: string;
  rerun_state: string;
}

export const redriveExecution = (id: string) => api.post<Redriven>(`/executions/${encodeURIComponent(id)}/redrive/`);
export const rerunExecution = (id: string, body: RerunRequest) => api.post<RerunStarted>(`/executions/${encodeURIComponent(id)}/rerun/`, body);

/** AWS's limit: a closed execution can be redriven for 14 days. */
export const REDRIVE_DAYS = 14;
