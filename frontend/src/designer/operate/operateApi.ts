/**
 * The designer's calls to the operate endpoints (docs/operate.md): settings,
 * delete summary, delete, duplicate, versions (list, one, restore) and the
 * semantic diff; with the shapes they answer.
 */
import { api, ApiError } from "../../api/client";
import type { Definition, Diagnostic } from "../../asl/types";
import type { WorkflowDetail } from "../workflowApi";

export type WorkflowType = "STANDARD" | "EXPRESS";

export interface Settings {
  id: string;
  revision: number;
  name: string;
  description: string;
  type: WorkflowType;
  /** The definition's TimeoutSeconds (null: none). */
  timeout_seconds: number | null;
  tags: Record<string, string>;
  retention_days: number;
}

export type SettingsChanges = Partial<Omit<Settings, "id" | "revision">>;

export interface DeleteSummary {
  running_executions: number;
  stored_executions: number;
  versions: number;
  aliases: number;
}

export interface VersionItem {
  number: number;
  description: string;
  created_by: string | null;
  created_at: string;
}

export interface VersionDetail extends VersionItem {
  definition: Definition;
}

/** "draft" or a version number. */
export type DiffSide = "draft" | number;

export interface FieldChange {
  change: "added" | "removed" | "changed";
  /** JSON Pointer in the "to" side (null when removed). */
  pointer: string | null;
  /** JSON Pointer in the "from" side (null when added). */
  old_pointer: string | null;
  old: unknown;
  new: unknown;
}

export interface StateChange {
  change: "added" | "removed" | "renamed" | "changed";
  name: string;
  old_name: string | null;
  type: string | null;
  path: string[];
  pointer: string | null;
  old_pointer: string | null;
  fields: FieldChange[];
  similarity?: number;
}

export interface TransitionChange {
  change: "added" | "removed";
  /** JSON Pointer of the States object the transition belongs to ("/States", ".../Branches/0/States"). */
  scope: string;
  /** null for StartAt. */
  from: string | null;
  /** StartAt, Next, Default, Choices/<i>, Catch/<i>, End. */
  via: string;
  /** null for End. */
  to: string | null;
}

export interface WorkflowDiff {
  from: DiffSide;
  to: DiffSide;
  identical: boolean;
  summary: { added: number; removed: number; renamed: number; changed: number; transitions: number; fields: number };
  fields: FieldChange[];
  states: StateChange[];
  transitions: TransitionChange[];
}

const base = (id: string) => `/workflows/${encodeURIComponent(id)}`;

export const getSettings = (id: string) => api.get<Settings>(`${base(id)}/settings/`);
export const patchSettings = (id: string, revision: number, changes: SettingsChanges) =>
  api.patch<Settings>(`${base(id)}/settings/`, { revision, ...changes });
export const getDeleteSummary = (id: string) => api.get<DeleteSummary>(`${base(id)}/delete-summary/`);
export const deleteWorkflow = (id: string) => api.del<null>(`${base(id)}/`);
export const duplicateWorkflow = (id: string, name: string) => api.post<WorkflowDetail>(`${base(id)}/duplicate/`, { name });
export const listVersions = (id: string) => api.get<VersionItem[]>(`${base(id)}/versions/`);
export const getVersion = (id: string, n: number) => api.get<VersionDetail>(`${base(id)}/versions/${n}/`);
export const restoreVersion = (id: string, n: number, revision: number) =>
  api.post<WorkflowDetail>(`${base(id)}/versions/${n}/restore/`, { revision });
export const getDiff = (id: string, from: DiffSide, to: DiffSide) =>
  api.get<WorkflowDiff>(`${base(id)}/diff/?from=${encodeURIComponent(String(from))}&to=${encodeURIComponent(String(to))}`);

/** The states an Express workflow cannot run, from a refused settings change (400 details.problems). */
export function expressProblems(err: unknown): Diagnostic[] {
  if (!(err instanceof ApiError) || err.status !== 400) return [];
  const details = err.details as { problems?: unknown } | null;
  return Array.isArray(details?.problems) ? (details.problems as Diagnostic[]) : [];
}

/** Per-field messages of a refused change (`details: {field: [...] | {key: [...]}}`), as text. */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const details = err.details;
  if (!details || typeof details !== "object") return {};
  // a name taken is a 409 naming it: the message says it all
  if (err.status === 409) return typeof (details as { name?: unknown }).name === "string" ? { name: err.message } : {};
  if (err.status !== 400) return {};
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(details as Record<string, unknown>)) {
    if (field === "problems" || field === "current" || field === "your_revision") continue;
    out[field] = flatten(value);
  }
  return out;
}

function flatten(value: unknown): string {
  if (Array.isArray(value)) return value.map(flatten).join(" ");
  if (value && typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, v]) => `${key}: ${flatten(v)}`)
      .join(" ");
  }
  return String(value);
}

/** "Draft" or "Version 3". */
export function sideLabel(side: DiffSide): string {
  return side === "draft" ? "Draft" : `Version ${side}`;
}
