import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { configureApi } from "../api/client";
import { parseProps } from "../api/props";
import { TeamExecutionsPage } from "./TeamExecutionsPage";
import { NO_FILTERS, type TeamExecution } from "./teamExecutions";

function row(id: string, minute: number, status: string, workflow = "wf-1"): TeamExecution {
  return {
    id,
    name: `run-${id}`,
    workflow,
    workflow_name: workflow === "wf-1" ? "orders" : "billing",
    version: workflow === "wf-1" ? 2 : null,
    alias: workflow === "wf-1" ? "live" : null,
    type: "STANDARD",
    status,
    error: status === "FAILED" ? "Boom" : null,
    start_date: `2026-01-01T00:${String(minute).padStart(2, "0")}:00Z`,
    stop_date: status === "RUNNING" ? null : `2026-01-01T00:${String(minute).padStart(2, "0")}:02Z`,
    event_count: 5,
    redrive_count: 0,
  };
}

interface Call {
  method: string;
  url: string;
  body: unknown;
  etag: string | null;
}

/** The API as the page sees it: the list honours `status` and `workflow`, and ETags. */
function server(rows: TeamExecution[]) {
  const calls: Call[] = [];
  const state = { rows, outcomes: [] as unknown[] };
  configureApi({
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      const method = init?.method ?? "GET";
      const headers = (init?.headers ?? {}) as Record<string, string>;
      calls.push({ method, url, body: init?.body ? JSON.parse(String(init.body)) : undefined, etag: headers["If-None-Match"] ?? null });
      const json = (data: unknown, extra: Record<string, string> = {}) =>
        new Response(JSON.stringify(data), { status: 200, headers: { "Content-Type": "application/json", ...extra } });
      if (url.startsWith("/api/teams/acme/workflows/")) return json([{ id: "wf-1", name: "orders" }, { id: "wf-2", name: "billing" }]);
      if (url.startsWith("/api/teams/acme/executions/")) {
        const params = new URL(url, "http://x").searchParams;
        const statuses = params.get("status")?.split(",");
        const results = state.rows.filter((r) => (!statuses || statuses.includes(r.status)) && (!params.get("workflow") || r.workflow === params.get("workflow")));
        const tag = `"${JSON.stringify(results).length}-${results.map((r) => r.status).join("")}"`;
        if (headers["If-None-Match"] === tag) return new Response(null, { status: 304 });
        return json({ results, next_cursor: null }, { ETag: tag });
      }
      if (method === "POST" && (url === "/api/executions/redrive/" || url === "/api/executions/stop/")) return json({ results: state.outcomes });
      return new Response(JSON.stringify({ code: "not_found", message: "nope" }), { status: 404, headers: { "Content-Type": "application/json" } });
    }) as typeof fetch,
  });
  return { calls, state };
}

const ROWS = [row("e5", 5, "RUNNING"), row("e4", 4, "FAILED"), row("e3", 3, "SUCCEEDED", "wf-2"), row("e2", 2, "FAILED", "wf-2"), row("e1", 1, "TIMED_OUT")];

function page(role: "viewer" | "runner", pollMs = 0) {
  const props = parseProps("executions", JSON.stringify({ teamSlug: "acme", teamName: "Acme", role, canRun: role !== "viewer", urls: { start: "/teams/acme/studio/", team: "/teams/acme/" } }));
  return render(<TeamExecutionsPage {...props} pollMs={pollMs} initialFilters={{ ...NO_FILTERS }} />);
}

const names = () => screen.getAllByRole("row").slice(1).map((r) => r.dataset.name);

describe("TeamExecutionsPage", () => {
  beforeEach(() => window.history.replaceState(null, "", "/teams/acme/executions/"));
  afterEach(() => configureApi({ fetch: (...args) => globalThis.fetch(...args) }));

  it("lists the team's executions and filters them by status and workflow (kept in the URL)", async () => {
    const { calls } = server(ROWS);
    page("viewer");
    await waitFor(() => expect(names()).toEqual(["run-e5", "run-e4", "run-e3", "run-e2", "run-e1"]));
    const e4 = screen.getByTestId("execution-row-e4");
    expect(within(e4).getByText("orders").getAttribute("href")).toBe("/workflows/wf-1/");
    expect(within(e4).getByText("v2 · live")).toBeTruthy();
    expect(within(e4).getByRole("link", { name: "run-e4" }).getAttribute("href")).toBe("/executions/e4/");
    expect(screen.getByTestId("status-e4").textContent).toBe("FAILED");
    // the Result column: a failed run's error, a succeeded one's output (on its page)
    expect(screen.getByTestId("result-e4").textContent).toBe("Boom");
    expect(screen.getByTestId("result-e1").textContent).toBe("Timed out");
    expect(screen.getByTestId("run-result-e3").getAttribute("href")).toBe("/executions/e3/");
    expect(screen.getByTestId("result-e5").textContent).toBe("");

    fireEvent.change(screen.getByTestId("filter-status"), { target: { value: "FAILED" } });
    await waitFor(() => expect(names()).toEqual(["run-e4", "run-e2"]));
    fireEvent.change(screen.getByTestId("filter-workflow"), { target: { value: "wf-2" } });
    await waitFor(() => expect(names()).toEqual(["run-e2"]));
    expect(calls.at(-1)!.url).toBe("/api/teams/acme/executions/?status=FAILED&workflow=wf-2&limit=50");
    expect(window.location.search).toBe("?status=FAILED&workflow=wf-2");
    fireEvent.change(screen.getByTestId("filter-status"), { target: { value: "FAILED,TIMED_OUT,ABORTED" } });
    fireEvent.click(screen.getByTestId("filter-clear"));
    await waitFor(() => expect(names()).toHaveLength(5));
    expect(window.location.search).toBe("");
  });

  it("lets a viewer select but not stop or redrive, and says why", async () => {
    server(ROWS);
    page("viewer");
    await waitFor(() => expect(names()).toHaveLength(5));
    fireEvent.click(screen.getByTestId("select-e4"));
    expect(screen.getByTestId("selected-count").textContent).toBe("1 selected");
    for (const action of ["stop", "redrive"]) {
      expect((screen.getByTestId(`bulk-${action}`) as HTMLButtonElement).disabled).toBe(true);
      expect(screen.getByTestId(`bulk-${action}-wrap`).getAttribute("title")).toBe("Stopping and redriving need the runner role; you are viewer.");
    }
  });

  it("redrives the selected executions and shows each one's outcome", async () => {
    const { calls, state } = server(ROWS);
    page("runner");
    await waitFor(() => expect(names()).toHaveLength(5));
    fireEvent.change(screen.getByTestId("filter-status"), { target: { value: "FAILED,TIMED_OUT,ABORTED" } });
    await waitFor(() => expect(names()).toEqual(["run-e4", "run-e2", "run-e1"]));
    fireEvent.click(screen.getByTestId("select-all"));
    expect(screen.getByTestId("selected-count").textContent).toBe("3 selected");
    fireEvent.click(screen.getByTestId("bulk-redrive"));
    expect(screen.getByTestId("redrive-dialog").textContent).toContain("Redrive 3 executions?");
    state.outcomes = [
      { id: "e4", redriven: true, redrive_count: 1 },
      { id: "e2", redriven: true, redrive_count: 1 },
      { id: "e1", redriven: false, code: "execution_not_redrivable", message: "Execution redrivable period exceeded." },
    ];
    state.rows = state.rows.map((r) => (r.id === "e4" || r.id === "e2" ? { ...r, status: "RUNNING", redrive_count: 1 } : r));
    await act(async () => {
      fireEvent.click(screen.getByTestId("redrive-confirm"));
    });
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/executions/redrive/");
    expect(post.body).toEqual({ ids: ["e4", "e2", "e1"] });
    await waitFor(() => expect(screen.getByTestId("bulk-summary").textContent).toBe("Redrive: 2 redriven, 1 refused."));
    expect(screen.getByTestId("result-e4").textContent).toContain("Redriven (1st redrive)");
    expect(screen.getByTestId("result-e1").textContent).toBe("Refused: Execution redrivable period exceeded.");
    // the redriven ones no longer match "failed", yet stay listed with their outcome
    expect(names()).toEqual(["run-e4", "run-e2", "run-e1"]);
    expect(screen.getByTestId("status-e4").textContent).toBe("RUNNING");
    expect(screen.getByTestId("result-e4").textContent).toContain("no longer matches the filters");
    expect(screen.getByTestId("selected-count").textContent).toBe("0 selected");
  });

  it("stops the selected executions with one error and cause for all", async () => {
    const { calls, state } = server(ROWS);
    page("runner");
    await waitFor(() => expect(names()).toHaveLength(5));
    fireEvent.click(screen.getByTestId("select-e5"));
    fireEvent.click(screen.getByTestId("select-e3"));
    fireEvent.click(screen.getByTestId("bulk-stop"));
    expect(screen.getByTestId("stop-dialog").textContent).toContain("Stop 2 executions?");
    fireEvent.change(screen.getByTestId("stop-error"), { target: { value: "Ops.Cancelled" } });
    fireEvent.change(screen.getByTestId("stop-cause"), { target: { value: "wrong batch" } });
    state.outcomes = [
      { id: "e5", stopped: true },
      { id: "e3", stopped: false, code: "conflict", message: "The execution is already SUCCEEDED." },
    ];
    await act(async () => {
      fireEvent.click(screen.getByTestId("stop-confirm"));
    });
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/executions/stop/");
    expect(post.body).toEqual({ ids: ["e5", "e3"], error: "Ops.Cancelled", cause: "wrong batch" });
    await waitFor(() => expect(screen.getByTestId("bulk-summary").textContent).toBe("Stop: 1 stopped, 1 refused."));
    expect(screen.getByTestId("result-e5").textContent).toBe("Stop requested");
    expect(screen.getByTestId("result-e3").textContent).toBe("Refused: The execution is already SUCCEEDED.");
    expect(screen.queryByTestId("stop-dialog")).toBeNull();
  });

  it("polls with the ETag it has and shows what changed", async () => {
    const { calls, state } = server(ROWS);
    page("viewer", 40);
    await waitFor(() => expect(names()).toHaveLength(5));
    await waitFor(() => expect(calls.filter((c) => c.url.includes("/executions/") && c.etag !== null).length).toBeGreaterThan(1));
    const polls = calls.filter((c) => c.url.includes("/executions/"));
    expect(polls[1]!.etag).toMatch(/^"/);
    expect(names()).toHaveLength(5);
    state.rows = [row("e6", 6, "RUNNING"), ...state.rows.map((r) => (r.id === "e5" ? { ...r, status: "SUCCEEDED" } : r))];
    await waitFor(() => expect(names()).toEqual(["run-e6", "run-e5", "run-e4", "run-e3", "run-e2", "run-e1"]));
    expect(screen.getByTestId("status-e5").textContent).toBe("SUCCEEDED");
  });
});
