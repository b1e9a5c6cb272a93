import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { configureApi } from "../api/client";
import { WorkflowExecutions, mergePage, mergeStatus, type ExecutionSummary } from "./WorkflowExecutions";
import { FakeSocket } from "./fakeSocket";

const row = (id: string, status = "SUCCEEDED"): ExecutionSummary => ({
  id,
  name: `run-${id}`,
  status,
  start_date: "2024-01-01T00:00:00.000Z",
  stop_date: status === "RUNNING" ? null : "2024-01-01T00:00:02.500Z",
});

function fakeApi(pages: Record<string, { results: ExecutionSummary[]; next_cursor: string | null }>) {
  const urls: string[] = [];
  configureApi({
    fetch: (async (input: RequestInfo | URL) => {
      const url = String(input);
      urls.push(url);
      const body = pages[url] ?? { results: [], next_cursor: null };
      return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
    }) as typeof fetch,
  });
  return urls;
}

describe("mergeStatus / mergePage", () => {
  it("updates in place, adds new ones on top, honours a status filter", () => {
    const list = [row("b"), row("a")];
    const updated = mergeStatus(list, { ...row("a"), status: "FAILED" });
    expect(updated.map((e) => `${e.id}:${e.status}`)).toEqual(["b:SUCCEEDED", "a:FAILED"]);
    expect(list[1]!.status).toBe("SUCCEEDED");
    expect(mergeStatus(list, row("c", "RUNNING")).map((e) => e.id)).toEqual(["c", "b", "a"]);
    expect(mergeStatus(list, row("c", "RUNNING"), "FAILED")).toBe(list);
    expect(mergeStatus([row("c", "RUNNING")], row("c", "SUCCEEDED"), "RUNNING")).toEqual([]);
    expect(mergePage([row("b"), row("a")], [row("c"), { ...row("b"), status: "FAILED" }]).map((e) => `${e.id}:${e.status}`)).toEqual([
      "c:SUCCEEDED",
      "b:FAILED",
      "a:SUCCEEDED",
    ]);
  });
});

describe("WorkflowExecutions", () => {
  beforeEach(() => FakeSocket.reset());
  afterEach(() => configureApi({ fetch: (...args) => globalThis.fetch(...args) }));

  it("lists, pages with the cursor, and updates live", async () => {
    const urls = fakeApi({
      "/api/workflows/wf-1/executions/?limit=2": { results: [row("3", "RUNNING"), row("2")], next_cursor: "c2" },
      "/api/workflows/wf-1/executions/?limit=2&cursor=c2": { results: [row("1", "FAILED")], next_cursor: null },
    });
    render(<WorkflowExecutions workflowId="wf-1" limit={2} socketFactory={FakeSocket.factory} />);
    await screen.findByTestId("execution-row-3");
    expect(FakeSocket.last.url).toMatch(/\/ws\/workflows\/wf-1\/executions\/$/);
    expect(screen.getByTestId("execution-row-3").querySelector("a")!.getAttribute("href")).toBe("/executions/3/");

    fireEvent.click(screen.getByTestId("executions-load-more"));
    await screen.findByTestId("execution-row-1");
    expect(screen.queryByTestId("executions-load-more")).toBeNull();
    expect(urls).toContain("/api/workflows/wf-1/executions/?limit=2&cursor=c2");

    act(() => {
      FakeSocket.last.open();
      FakeSocket.last.receive({ type: "status", execution: { ...row("3"), status: "SUCCEEDED" } });
      FakeSocket.last.receive({ type: "status", execution: row("4", "RUNNING") });
    });
    expect(screen.getByTestId("execution-row-status-3").textContent).toBe("SUCCEEDED");
    const rows = screen.getAllByTestId(/^execution-row-\d$/).map((el) => el.dataset.testid);
    expect(rows).toEqual(["execution-row-4", "execution-row-3", "execution-row-2", "execution-row-1"]);
    expect(screen.getByTestId("executions-live-state").textContent).toBe("Live");
  });

  it("filters by status and refetches after a reconnect", async () => {
    const urls = fakeApi({
      "/api/workflows/wf-1/executions/?limit=20": { results: [row("1")], next_cursor: null },
      "/api/workflows/wf-1/executions/?limit=20&status=FAILED": { results: [row("9", "FAILED")], next_cursor: null },
    });
    render(<WorkflowExecutions workflowId="wf-1" socketFactory={FakeSocket.factory} />);
    await screen.findByTestId("execution-row-1");
    fireEvent.change(screen.getByTestId("executions-filter-status"), { target: { value: "FAILED" } });
    await screen.findByTestId("execution-row-9");
    expect(screen.queryByTestId("execution-row-1")).toBeNull();

    const before = urls.length;
    act(() => {
      FakeSocket.last.open();
      FakeSocket.last.drop();
    });
    await act(async () => {
      await new Promise((r) => setTimeout(r, 600));
    });
    act(() => FakeSocket.last.open());
    await waitFor(() => expect(urls.length).toBeGreaterThan(before));
  });

  it("says when there is nothing yet", async () => {
    fakeApi({});
    render(<WorkflowExecutions workflowId="wf-1" socketFactory={FakeSocket.factory} />);
    expect(await screen.findByTestId("executions-empty")).toBeTruthy();
  });
});
