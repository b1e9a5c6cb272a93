/**
 * Fetch wrapper for the Stateyard REST API (`/api/...`): JSON in and out, the
 * CSRF header on unsafe methods (token from the page props, else the
 * `csrftoken` cookie), same-origin credentials, and every non-2xx answer
 * thrown as an `ApiError {status, code, message, details}` (the API's error
 * shape, see designer/api/errors.py).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details: unknown = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

interface ApiConfig {
  csrfToken: string;
  /** Prefix for relative API paths ("/api"). */
  base: string;
  fetch: typeof fetch;
}

const config: ApiConfig = {
  csrfToken: "",
  base: "/api",
  fetch: (...args) => globalThis.fetch(...args),
};

/** Set the CSRF token (from the page props), the base or a fetch stand-in (tests). */
export function configureApi(changes: Partial<ApiConfig>): void {
  Object.assign(config, changes);
}

/** The `csrftoken` cookie, if any. */
export function csrfFromCookie(cookie: string = typeof document === "undefined" ? "" : document.cookie): string {
  for (const part of cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === "csrftoken") return decodeURIComponent(rest.join("="));
  }
  return "";
}

/** `/api` + path, unless path is already absolute under /api or a full URL. */
export function apiUrl(path: string): string {
  if (/^https?:\/\//.test(path) || path.startsWith(config.base + "/")) return path;
  return config.base + (path.startsWith("/") ? path : "/" + path);
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (body && typeof body === "object" && "code" in body) {
    const b = body as { code?: unknown; message?: unknown; details?: unknown };
    return new ApiError(
      response.status,
      String(b.code),
      typeof b.message === "string" ? b.message : response.statusText,
      b.details ?? null,
    );
  }
  const what = response.statusText ? `${response.status} ${response.statusText}` : String(response.status);
  return new ApiError(response.status, "http_" + response.status, `The server answered ${what}; try again in a moment.`, body);
}

/** What the page says when the server cannot be reached at all (the browser's "Failed to fetch"). */
export const NETWORK_MESSAGE = "Cannot reach the Stateyard server — check your connection and try again.";

/**
 * A message for a person: the server's JSON `message` (with the first
 * validation finding, if any), the network message for a failed fetch, else
 * the error's own text.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return NETWORK_MESSAGE;
    const details = err.details as { diagnostics?: unknown } | null;
    const first = details && Array.isArray(details.diagnostics) ? (details.diagnostics[0] as { message?: unknown } | undefined) : undefined;
    return first && typeof first.message === "string" ? `${err.message} ${first.message}` : err.message;
  }
  if (err instanceof TypeError && /fetch|network|load failed/i.test(err.message)) return NETWORK_MESSAGE;
  return err instanceof Error ? err.message : String(err);
}

/** One request; resolves to the parsed JSON (null for 204), rejects with ApiError. */
export async function request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const init: RequestInit = { method, headers, credentials: "same-origin" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  if (!["GET", "HEAD", "OPTIONS"].includes(method)) {
    headers["X-CSRFToken"] = config.csrfToken || csrfFromCookie();
  }
  let response: Response;
  try {
    response = await config.fetch(apiUrl(path), init);
  } catch (err) {
    throw new ApiError(0, "network_error", NETWORK_MESSAGE, err instanceof Error ? err.message : null);
  }
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return null as T;
  const type = response.headers.get("Content-Type") ?? "";
  if (!type.includes("json")) return (await response.text()) as T;
  return (await response.json()) as T;
}

/**
 * A GET for a poller: sends `If-None-Match` with the ETag of the last answer and
 * resolves to `null` when the server says 304 (unchanged), else to the body and
 * its ETag. `cache: "no-store"` keeps the browser's cache out of it, so the 304
 * reaches the page. Rejects with ApiError like `request`.
 */
export async function getIfChanged<T = unknown>(path: string, etag: string | null): Promise<{ data: T; etag: string | null } | null> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (etag) headers["If-None-Match"] = etag;
  let response: Response;
  try {
    response = await config.fetch(apiUrl(path), { method: "GET", headers, credentials: "same-origin", cache: "no-store" });
  } catch (err) {
    throw new ApiError(0, "network_error", NETWORK_MESSAGE, err instanceof Error ? err.message : null);
  }
  if (response.status === 304) return null;
  if (!response.ok) throw await errorOf(response);
  return { data: (await response.json()) as T, etag: response.headers.get("ETag") };
}

export const api = {
  get: <T = unknown>(path: string) => request<T>("GET", path),
  post: <T = unknown>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  put: <T = unknown>(path: string, body?: unknown) => request<T>("PUT", path, body ?? {}),
  patch: <T = unknown>(path: string, body?: unknown) => request<T>("PATCH", path, body ?? {}),
  del: <T = unknown>(path: string) => request<T>("DELETE", path),
};
