/** Tests for the API client: CSRF header, JSON bodies, ApiError on failures. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { api, ApiError, apiUrl, configureApi, csrfFromCookie, errorMessage, NETWORK_MESSAGE } from "./client";

function respond(status: number, body: unknown): Response {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

afterEach(() => configureApi({ csrfToken: "", fetch: (...a) => globalThis.fetch(...a) }));

describe("api client", () => {
  it("sends JSON with the CSRF token on unsafe methods", async () => {
    const fetchMock = vi.fn(async () => respond(200, { ok: true }));
    configureApi({ csrfToken: "tok", fetch: fetchMock });
    const out = await api.post<{ ok: boolean }>("/workflows/x/validate/", { a: 1 });
    expect(out.ok).toBe(true);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/workflows/x/validate/");
    expect((init.headers as Record<string, string>)["X-CSRFToken"]).toBe("tok");
    expect(init.body).toBe('{"a":1}');
  });

  it("throws ApiError with the API's code and details", async () => {
    configureApi({ fetch: async () => respond(409, { code: "conflict", message: "Stale", details: { your_revision: 1 } }) });
    const err = await api.put("/workflows/x/", {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: "conflict", message: "Stale", details: { your_revision: 1 } });
  });

  it("returns null for 204 and reads the cookie token", async () => {
    configureApi({ fetch: async () => new Response(null, { status: 204 }) });
    expect(await api.del("/workflows/x/")).toBeNull();
    expect(csrfFromCookie("a=b; csrftoken=xyz")).toBe("xyz");
    expect(apiUrl("/api/teams/")).toBe("/api/teams/");
  });

  it("turns a failed fetch into a message for people, and shows the server's JSON message", async () => {
    configureApi({
      fetch: async () => {
        throw new TypeError("Failed to fetch");
      },
    });
    const offline = await api.get("/workflows/x/").catch((e: unknown) => e);
    expect(offline).toMatchObject({ status: 0, code: "network_error" });
    expect(errorMessage(offline)).toBe(NETWORK_MESSAGE);
    expect(errorMessage(offline)).not.toContain("Failed to fetch");
    expect(errorMessage(new TypeError("Failed to fetch"))).toBe(NETWORK_MESSAGE);
    configureApi({ fetch: async () => respond(403, { code: "permission_denied", message: "Viewers cannot run workflows.", details: null }) });
    expect(errorMessage(await api.post("/x/").catch((e: unknown) => e))).toBe("Viewers cannot run workflows.");
    configureApi({ fetch: async () => new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }) });
    expect(errorMessage(await api.get("/x/").catch((e: unknown) => e))).toBe("The server answered 502 Bad Gateway; try again in a moment.");
  });
});
