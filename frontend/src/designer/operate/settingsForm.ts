/**
 * The settings form's state and the rules it checks before asking the
 * server (which checks them again): what changed since the stored settings,
 * and a clear message for each field that cannot be sent as it is.
 */
import type { Settings, SettingsChanges, WorkflowType } from "./operateApi";

export interface TagRow {
  /** Stable React key of the row. */
  id: number;
  key: string;
  value: string;
}

export interface SettingsForm {
  name: string;
  description: string;
  type: WorkflowType;
  /** Seconds as typed ("" = no timeout). */
  timeout: string;
  tags: TagRow[];
  /** Days as typed. */
  retention: string;
}

export const STANDARD_MAX_SECONDS = 365 * 24 * 3600;
export const EXPRESS_MAX_SECONDS = 300;
export const MAX_RETENTION_DAYS = 3650;
export const MAX_TAGS = 50;

let rows = 0;
export const newTagRow = (key = "", value = ""): TagRow => ({ id: ++rows, key, value });

export function formOf(settings: Settings): SettingsForm {
  return {
    name: settings.name,
    description: settings.description,
    type: settings.type,
    timeout: settings.timeout_seconds === null ? "" : String(settings.timeout_seconds),
    tags: Object.entries(settings.tags).map(([key, value]) => newTagRow(key, value)),
    retention: String(settings.retention_days),
  };
}

const wholeNumber = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : NaN);

function tagsOf(rows: TagRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) if (r.key !== "" || r.value !== "") out[r.key] = r.value;
  return out;
}

function sameTags(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}

/** Field -> message for what cannot be sent (empty when the form is fine). */
export function formProblems(form: SettingsForm): Record<string, string> {
  const out: Record<string, string> = {};
  if (!form.name.trim()) out.name = "A workflow needs a name.";
  if (form.timeout.trim() !== "") {
    const most = form.type === "EXPRESS" ? EXPRESS_MAX_SECONDS : STANDARD_MAX_SECONDS;
    const seconds = wholeNumber(form.timeout);
    if (!(seconds >= 1 && seconds <= most)) {
      out.timeout_seconds = `A ${form.type === "EXPRESS" ? "Express" : "Standard"} workflow's timeout is a whole number of seconds from 1 to ${most.toLocaleString("en")} (empty: none).`;
    }
  }
  const days = wholeNumber(form.retention);
  if (!(days >= 1 && days <= MAX_RETENTION_DAYS)) out.retention_days = `Keep executions for a whole number of days from 1 to ${MAX_RETENTION_DAYS}.`;
  const filled = form.tags.filter((r) => r.key !== "" || r.value !== "");
  const keys = filled.map((r) => r.key);
  if (filled.length > MAX_TAGS) out.tags = `A workflow has at most ${MAX_TAGS} tags.`;
  else if (keys.some((k) => k === "")) out.tags = "Every tag needs a key.";
  else {
    const twice = keys.find((k, i) => keys.indexOf(k) !== i);
    if (twice !== undefined) out.tags = `The key "${twice}" is used twice; keys are unique.`;
  }
  return out;
}

/** What the form changes in `settings` (only the fields that differ). */
export function changesOf(settings: Settings, form: SettingsForm): SettingsChanges {
  const out: SettingsChanges = {};
  if (form.name !== settings.name) out.name = form.name;
  if (form.description !== settings.description) out.description = form.description;
  if (form.type !== settings.type) out.type = form.type;
  const timeout = form.timeout.trim() === "" ? null : wholeNumber(form.timeout);
  if (timeout !== settings.timeout_seconds) out.timeout_seconds = timeout;
  const days = wholeNumber(form.retention);
  if (days !== settings.retention_days) out.retention_days = days;
  const tags = tagsOf(form.tags);
  if (!sameTags(tags, settings.tags)) out.tags = tags;
  return out;
}
