import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { configureApi } from "../api/client";
import { parseProps } from "../api/props";
import { MapRunPage, formatSeconds, shares, type Counts, type MapRunInfo } from "./MapRunPage";

const counts = (over: Partial<Counts> = {}): Counts => ({
  pending: 0,
  running: 0,
  succeeded: 0,
  failed: 0,
  timedOut: 0,
  aborted: 0,
  total: 0,
  resultsWritten: 0,
  ...over,
});

const info = (over: Partial<MapRunInfo> = {}): MapRunInfo => ({
  id: "run-1",
  map_run_arn: "arn:aws:states:us-east-1:000000000000:mapRun:fan/Fan:abc",
  execution: "parent-1",
  state_name: "Fan",
  label: "Fan",
  status: "RUNNING",
  execution_type: "STANDARD",
  start_date: "2024-01-01T00:00:00.000Z",
  stop_date: null,
  max_concurrency: 10,
  tolerated_failure_count: null,
  tolerated_failure_percentage: null,
  execution_counts: counts({ pending: 50, running: 10, succeeded: 35, failed: 5, total: 100 }),
  progress: { done: 40, items_per_second: 12.5, seconds_left: 4.8, reading_done: true },
  error: null,
  cause: null,
  redrive_count: 0,
  ...over,
});

function fakeApi(routes: Record<string, unknown>) {
  const calls: string[] = [];
  configureApi({
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      calls.push(`${init?.method ?? "GET"} ${url}`);
      const key = Object.keys(routes).find((k) => url.startsWith(k));
      const body = key ? routes[key] : { code: "not_found", message: "No such map run." };
      const status = key ? 200 : 404;
      return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
    }) as typeof fetch,
  });
  return calls;
}

const props = (canRun: boolean) => ({
  ...parseProps("maprun", JSON.stringify({ mapRunId: "run-1", canRun, teamName: "Acme", executionName: "parent" })),
  pollMs: 20,
});

describe("shares / formatSeconds", () => {
  it("splits the bar by status and reads durations", () => {
    const part = shares(counts({ succeeded: 3, failed: 1 }));
    expect(part.succeeded).toBe(75);
    expect(part.failed).toBe(25);
    expect(shares(counts()).pending).toBe(0);
    expect(formatSeconds(4.8)).toBe("5 s");
    expect(formatSeconds(125)).toBe("2 min 5 s");
    expect(formatSeconds(7260)).toBe("2 h 1 min");
    expect(formatSeconds(null)).toBe("—");
  });
});

describe("MapRunPage", () => {
  afterEach(() => configureApi({ fetch: (...args) => globalThis.fetch(...args) }));

  it("shows progress, rate, time left and the children with their failures", async () => {
    fakeApi({
      "/api/map-runs/run-1/children/": {
        results: [
          { id: "c1", name: "child-1", index: 1, status: "FAILED", start_date: null, stop_date: null, error: "Odd", cause: "three" },
        ],
        next_cursor: null,
      },
      "/api/map-runs/run-1/": info(),
    });
    render(<MapRunPage {...props(true)} />);
    expect((await screen.findByTestId("maprun-status")).textContent).toContain("RUNNING");
    expect((screen.getByTestId("maprun-count-succeeded")).textContent).toContain("Succeeded: 35");
    expect(screen.getByTestId("maprun-seg-succeeded").style.width).toBe("35%");
    expect((screen.getByTestId("maprun-rate")).textContent).toContain("12.5");
    expect((screen.getByTestId("maprun-left")).textContent).toContain("5 s");
    expect((await screen.findByTestId("maprun-child-1")).textContent).toContain("Odd");
    expect(screen.getByRole("link", { name: "child-1" }).getAttribute("href")).toBe("/executions/c1/");
    expect(screen.getByTestId("maprun-stop")).toBeTruthy();
  });

  it("offers redrive to runners once the run failed, not to viewers", async () => {
    const failed = info({ status: "FAILED", error: "States.ExceedToleratedFailureThreshold", cause: "too many" });
    const calls = fakeApi({ "/api/map-runs/run-1/children/": { results: [], next_cursor: null }, "/api/map-runs/run-1/": failed });
    const { unmount } = render(<MapRunPage {...props(false)} />);
    expect((await screen.findByTestId("maprun-failure")).textContent).toContain("States.ExceedToleratedFailureThreshold");
    expect(screen.queryByTestId("maprun-redrive")).toBeNull();
    unmount();
    render(<MapRunPage {...props(true)} />);
    fireEvent.click(await screen.findByTestId("maprun-redrive"));
    await waitFor(() => expect(calls).toContain("POST /api/map-runs/run-1/redrive/"));
  });

  it("filters the children by status", async () => {
    const calls = fakeApi({ "/api/map-runs/run-1/children/": { results: [], next_cursor: null }, "/api/map-runs/run-1/": info({ status: "SUCCEEDED" }) });
    render(<MapRunPage {...props(false)} />);
    fireEvent.change(await screen.findByTestId("maprun-filter"), { target: { value: "FAILED" } });
    await waitFor(() => expect(calls.some((c) => c.includes("status=FAILED"))).toBe(true));
  });

  it("asks before Stop and says the parent execution stops too", async () => {
    const calls = fakeApi({ "/api/map-runs/run-1/children/": { results: [], next_cursor: null }, "/api/map-runs/run-1/": info() });
    render(<MapRunPage {...props(true)} />);
    fireEvent.click(await screen.findByTestId("maprun-stop"));
    const dialog = await screen.findByTestId("stop-dialog");
    expect(dialog.textContent).toContain("Stops the Map Run and its parent execution");
    expect(calls.some((c) => c.startsWith("POST"))).toBe(false);
    fireEvent.click(screen.getByTestId("stop-cancel"));
    expect(screen.queryByTestId("stop-dialog")).toBeNull();
    expect(calls.some((c) => c.startsWith("POST"))).toBe(false);
    fireEvent.click(screen.getByTestId("maprun-stop"));
    fireEvent.click(await screen.findByTestId("stop-confirm"));
    await waitFor(() => expect(calls).toContain("POST /api/map-runs/run-1/stop/"));
  });

  it("shows the total as so far, and no time left, while items are still read", async () => {
    const reading = info({
      execution_counts: counts({ pending: 80_000, running: 1000, succeeded: 12_000, total: 93_000 }),
      progress: { done: 12_000, items_per_second: 30, seconds_left: null, reading_done: false },
    });
    fakeApi({ "/api/map-runs/run-1/children/": { results: [], next_cursor: null }, "/api/map-runs/run-1/": reading });
    render(<MapRunPage {...props(false)} />);
    const total = await screen.findByTestId("maprun-count-total");
    expect(total.textContent).toContain("Reading items… 93,000 so far");
    expect(total.textContent).not.toContain("Total:");
    expect(screen.getByTestId("maprun-left").textContent).toContain("reading items");
    expect(screen.getByTestId("maprun-left").textContent).not.toMatch(/\d+ (s|min|h)/);
  });

  it("lists pending items without a link", async () => {
    fakeApi({
      "/api/map-runs/run-1/children/": {
        results: [{ id: null, name: null, index: 7, status: "PENDING", start_date: null, stop_date: null, error: null, cause: null }],
        next_cursor: null,
      },
      "/api/map-runs/run-1/": info(),
    });
    render(<MapRunPage {...props(false)} />);
    const row = await screen.findByTestId("maprun-child-7");
    expect(row.textContent).toContain("PENDING");
    expect(row.textContent).toContain("not started");
    expect(row.querySelector("a")).toBeNull();
  });
});
