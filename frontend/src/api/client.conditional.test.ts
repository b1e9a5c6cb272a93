import { afterEach, describe, expect, it } from "vitest";
import { ApiError, configureApi, getIfChanged } from "./client";

describe("getIfChanged", () => {
  afterEach(() => configureApi({ fetch: (...args) => globalThis.fetch(...args) }));

  it("sends the ETag it has, gives null on 304 and the body with its ETag on 200", async () => {
    const seen: RequestInit[] = [];
    let answer = new Response(JSON.stringify({ n: 1 }), { status: 200, headers: { "Content-Type": "application/json", ETag: '"v1"' } });
    configureApi({
      fetch: (async (_url: RequestInfo | URL, init?: RequestInit) => {
        seen.push(init ?? {});
        return answer;
      }) as typeof fetch,
    });
    expect(await getIfChanged("/teams/acme/executions/", null)).toEqual({ data: { n: 1 }, etag: '"v1"' });
    expect((seen[0]!.headers as Record<string, string>)["If-None-Match"]).toBeUndefined();
    expect(seen[0]!.cache).toBe("no-store");
    answer = new Response(null, { status: 304, headers: { ETag: '"v1"' } });
    expect(await getIfChanged("/teams/acme/executions/", '"v1"')).toBeNull();
    expect((seen[1]!.headers as Record<string, string>)["If-None-Match"]).toBe('"v1"');
    answer = new Response(JSON.stringify({ code: "not_found", message: "No such team." }), { status: 404, headers: { "Content-Type": "application/json" } });
    await expect(getIfChanged("/teams/x/executions/", null)).rejects.toEqual(new ApiError(404, "not_found", "No such team."));
  });
});
