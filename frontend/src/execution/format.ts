/**
 * Small formatting helpers for the execution view (and every other place that
 * shows an execution's times: one function, so the list, the header and the
 * start page agree).
 */
import type { VisitStatus } from "./history";

/** "850 ms", "1.25 s", "2 min 5 s", "1 h 3 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ${Math.floor(s % 60)} s`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** The user's time zone (the browser's), e.g. "Europe/Berlin". */
export function userTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      fractionalSecondDigits: 3,
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * A time in the user's time zone with milliseconds and the zone named:
 * "2024-05-01 12:00:00.250 UTC" ("–" when missing). `timeZone` is for tests.
 */
export function formatTime(iso: string | null | undefined, timeZone: string = userTimeZone()): string {
  if (!iso) return "–";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(d)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}.${parts.fractionalSecond ?? "000"} ${parts.timeZoneName ?? timeZone}`;
}

/** When an execution started: its start date (the one source for every place that shows it). */
/**
 * When an execution stopped: the stored stop_date (what the executions list shows), else
 * `fallback` (the history's last event, while the execution's record is not loaded yet).
 * With executionStart, the one source of an execution's duration on every page.
 */
export function executionStop(execution: { stop_date?: string | null } | null | undefined, fallback?: string | null): string | null {
  return execution?.stop_date ?? fallback ?? null;
}

export function executionStart(execution: { start_date?: string | null } | null | undefined, fallback?: string | null): string | null {
  return execution?.start_date ?? fallback ?? null;
}

export function prettyJson(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return JSON.stringify(value);
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

export const STATUS_LABELS: Record<VisitStatus, string> = {
  running: "In progress",
  succeeded: "Succeeded",
  failed: "Failed",
  caught: "Caught error",
  cancelled: "Cancelled",
};

/** Roles that may start and stop executions (designer.models.ROLE_RANK >= runner). */
export function canRun(role: string | undefined): boolean {
  return role === "runner" || role === "editor" || role === "owner" || role === "admin";
}
