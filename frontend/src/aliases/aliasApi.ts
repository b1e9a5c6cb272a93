/**
 * The alias endpoints (designer/api/aliases.py, docs/operate.md "Aliases") and
 * the published versions an alias can route to, plus the rules the alias form
 * checks before it asks the server (the server checks them again).
 */
import { api, ApiError } from "../api/client";

export interface Route {
  version: number;
  weight: number;
}

export interface Alias {
  name: string;
  description: string;
  routing: Route[];
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface VersionSummary {
  number: number;
  description: string;
  created_by: string | null;
  created_at: string;
}

const base = (workflowId: string) => `/workflows/${encodeURIComponent(workflowId)}`;
const aliasUrl = (workflowId: string, name: string) => `${base(workflowId)}/aliases/${encodeURIComponent(name)}/`;

export const listAliases = (workflowId: string) => api.get<Alias[]>(`${base(workflowId)}/aliases/`);
export const listVersions = (workflowId: string) => api.get<VersionSummary[]>(`${base(workflowId)}/versions/`);
export const createAlias = (workflowId: string, body: { name: string; description: string; routing: Route[] }) =>
  api.post<Alias>(`${base(workflowId)}/aliases/`, body);
export const updateAlias = (workflowId: string, name: string, body: { description: string; routing: Route[] }) =>
  api.patch<Alias>(aliasUrl(workflowId, name), body);
export const deleteAlias = (workflowId: string, name: string) => api.del<null>(aliasUrl(workflowId, name));

/** AWS's alias name rule: 1-80 letters, digits, `-`, `_`, `.`, not only digits. */
export const ALIAS_NAME = /^(?=.*[a-zA-Z_\-.])[a-zA-Z0-9_\-.]{1,80}$/;
export const MAX_DESCRIPTION = 256;

export type AliasField = "name" | "description" | "routing";
export type FieldErrors = Partial<Record<AliasField, string>>;

export interface AliasDraft {
  name: string;
  description: string;
  /** The version that gets `weight` of the starts. */
  first: number | null;
  /** The other version (null: route every start to `first`). */
  second: number | null;
  /** The first version's share, 0-100; the second gets the rest. */
  weight: number;
}

/** The routing a draft asks for: one route at 100, or two whose weights sum to 100. */
export function routingOf(draft: AliasDraft): Route[] {
  if (draft.first === null) return [];
  if (draft.second === null) return [{ version: draft.first, weight: 100 }];
  return [
    { version: draft.first, weight: draft.weight },
    { version: draft.second, weight: 100 - draft.weight },
  ];
}

/** A draft from an alias (or an empty one routing every start to the newest version). */
export function draftOf(alias: Alias | null, newest: number | null): AliasDraft {
  if (!alias) return { name: "", description: "", first: newest, second: null, weight: 100 };
  const [a, b] = alias.routing;
  return {
    name: alias.name,
    description: alias.description,
    first: a?.version ?? null,
    second: b?.version ?? null,
    weight: b ? (a?.weight ?? 100) : 100,
  };
}

/** A weight typed or slid: a whole number clamped to 0-100 (NaN becomes 0). */
export function clampWeight(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(100, Math.max(0, Math.round(value)));
}

/** What is wrong with a draft, per field (empty: it may be sent). */
export function draftErrors(draft: AliasDraft, creating: boolean, taken: string[] = []): FieldErrors {
  const errors: FieldErrors = {};
  if (creating) {
    if (draft.name === "") errors.name = "Give the alias a name.";
    else if (/^\d+$/.test(draft.name)) errors.name = "A name of only digits would look like a version number.";
    else if (!ALIAS_NAME.test(draft.name)) errors.name = "Use 1-80 letters, digits, hyphens, underscores or dots.";
    else if (taken.includes(draft.name)) errors.name = `There is already an alias called ${draft.name}.`;
  }
  if (draft.description.length > MAX_DESCRIPTION) errors.description = `At most ${MAX_DESCRIPTION} characters (${draft.description.length} now).`;
  if (draft.first === null) errors.routing = "Choose a published version.";
  else if (draft.second !== null && draft.second === draft.first) errors.routing = "Split between two different versions.";
  return errors;
}

/** The server's refusal mapped to the form's fields (a 409 is a name taken). */
export function serverErrors(err: unknown): FieldErrors | null {
  if (!(err instanceof ApiError)) return null;
  if (err.status === 409) return { name: err.message };
  const details = err.details as Record<string, unknown> | null;
  if (err.status !== 400 || !details || typeof details !== "object") return null;
  const out: FieldErrors = {};
  for (const field of ["name", "description", "routing"] as const) {
    if (field in details) out[field] = `${err.message} ${flatten(details[field])}`.trim();
  }
  return Object.keys(out).length ? out : null;
}

function flatten(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(flatten).join(" ");
  if (value && typeof value === "object") return Object.values(value).map(flatten).join(" ");
  return "";
}

/** "v4 80% · v3 20%", or "v4" when one version takes every start. */
export function routingText(routing: Route[]): string {
  if (routing.length === 1) return `v${routing[0]!.version}`;
  return routing.map((r) => `v${r.version} ${r.weight}%`).join(" · ");
}
