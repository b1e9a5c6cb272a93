/** The designer's calls to the workflow API (designer/api/workflows.py), and save-conflict handling. */
import { api, ApiError } from "../api/client";
import type { Definition, Diagnostic, Layout } from "../asl/types";
import type { WorkflowSnapshot } from "./ConflictDialog";

export interface WorkflowDetail extends WorkflowSnapshot {
  diagnostics: Diagnostic[];
  created_at?: string;
}

export interface SaveBody {
  revision: number;
  name: string;
  type: string;
  description: string;
  definition: Definition;
  layout: Layout;
}

/** The workflow the page asked for before its code loaded (main.tsx), taken once by getWorkflow. */
let early: { id: string; answer: Promise<WorkflowDetail> } | null = null;

/** Ask for workflow `id` now (the designer's entry does, before React and the designer's code load). */
export function prefetchWorkflow(id: string): void {
  const answer = api.get<WorkflowDetail>(`/workflows/${id}/`);
  answer.catch(() => undefined); // reported when getWorkflow takes it
  early = { id, answer };
}

export function getWorkflow(id: string): Promise<WorkflowDetail> {
  if (early?.id === id) {
    const { answer } = early;
    early = null;
    return answer;
  }
  return api.get<WorkflowDetail>(`/workflows/${id}/`);
}
export const putWorkflow = (id: string, body: SaveBody) => api.put<WorkflowDetail>(`/workflows/${id}/`, body);
export const validateDefinition = (id: string, definition: Definition) =>
  api.post<{ valid: boolean; diagnostics: Diagnostic[] }>(`/workflows/${id}/validate/`, { definition });
export const publishWorkflow = (id: string, description: string, revision: number) =>
  api.post<{ number: number }>(`/workflows/${id}/publish/`, { description, revision });
export const createWorkflow = (team: string, body: Omit<SaveBody, "revision">) =>
  api.post<WorkflowDetail>(`/teams/${encodeURIComponent(team)}/workflows/`, body);

/** POST /workflows/<id>/import-preview/: what a file would bring (designer.services.asl_io.workflow_import_preview). */
export interface ImportPreview {
  source: "asl" | "cloudformation";
  logical_id: string | null;
  state_machines: string[];
  name: string | null;
  type: string | null;
  definition: Definition;
  diagnostics: Diagnostic[];
  placeholders: string[];
  notes: string[];
}

export const previewImport = (id: string, text: string, logicalId?: string) =>
  api.post<ImportPreview>(`/workflows/${id}/import-preview/`, logicalId ? { text, logical_id: logicalId } : { text });

export function exportUrl(id: string, format: string): string {
  return `/api/workflows/${id}/export/?format=${encodeURIComponent(format)}`;
}

/** The stored workflow a 409 on save carries (a stale revision), or null for other conflicts (a name taken). */
export function conflictOf(err: unknown): { current: WorkflowSnapshot; yourRevision: number } | null {
  if (!(err instanceof ApiError) || err.status !== 409) return null;
  const details = err.details as { current?: WorkflowSnapshot; your_revision?: number } | null;
  if (!details || !details.current || typeof details.current.revision !== "number") return null;
  return { current: details.current, yourRevision: details.your_revision ?? 0 };
}

/** A name for a copy of a workflow: "<name>-copy", "<name>-copy-2"... within AWS's 80 characters. */
export function copyName(name: string, n = 1): string {
  const suffix = n === 1 ? "-copy" : `-copy-${n}`;
  return name.slice(0, 80 - suffix.length) + suffix;
}
