/** A fetch stand-in for page tests: routes "METHOD /api/path" to handlers and records the calls. */
import { configureApi } from "../api/client";

export interface Call {
  method: string;
  url: string;
  body: unknown;
}

export type Handler = (call: Call) => { status?: number; body?: unknown; text?: string; contentType?: string } | undefined;

export function fakeApi(handler: Handler): Call[] {
  const calls: Call[] = [];
  configureApi({
    csrfToken: "token",
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const call: Call = {
        method: init?.method ?? "GET",
        url: String(input),
        body: init?.body ? JSON.parse(String(init.body)) : undefined,
      };
      calls.push(call);
      const answer = handler(call) ?? { status: 404, body: { code: "not_found", message: "Not found.", details: null } };
      const status = answer.status ?? 200;
      if (answer.text !== undefined) {
        return new Response(answer.text, { status, headers: { "Content-Type": answer.contentType ?? "text/plain" } });
      }
      return new Response(status === 204 ? null : JSON.stringify(answer.body ?? null), {
        status,
        headers: { "Content-Type": "application/json" },
      });
    }) as typeof fetch,
  });
  return calls;
}
