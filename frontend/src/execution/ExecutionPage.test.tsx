import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { configureApi } from "../api/client";
import type { Definition } from "../asl/types";
import { parseProps } from "../api/props";
import { ExecutionPage, ExecutionView } from "./ExecutionPage";
import { FakeSocket } from "./fakeSocket";
import { FIXTURES, type Recorded } from "./testing";
import type { HistoryEvent } from "./history";

// The canvas itself (xyflow + ELK) belongs to the foundation; here we only check what it is given.
interface GraphProps {
  statuses?: Record<string, string>;
  onSelect?: (path: string | null) => void;
  selection?: string | null;
  legend?: boolean;
}
const graphProps: GraphProps[] = [];
vi.mock("../components/WorkflowGraph", () => ({
  WorkflowGraph: (props: GraphProps) => {
    graphProps.push(props);
    return <div data-testid="graph-stub">{JSON.stringify(props.statuses ?? {})}</div>;
  },
}));

interface Call {
  method: string;
  url: string;
  body: unknown;
}

function fakeApi(routes: Record<string, unknown>) {
  const calls: Call[] = [];
  configureApi({
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      const method = init?.method ?? "GET";
      calls.push({ method, url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      const key = `${method} ${url}`;
      if (!(key in routes)) return new Response(JSON.stringify({ code: "not_found", message: "nope" }), { status: 404, headers: { "Content-Type": "application/json" } });
      return new Response(JSON.stringify(routes[key]), { status: 200, headers: { "Content-Type": "application/json" } });
    }) as typeof fetch,
  });
  return calls;
}

function detailOf(rec: Recorded, status: string, extra: Record<string, unknown> = {}) {
  return {
    id: "ex-1",
    name: "run-42",
    workflow: "wf-1",
    workflow_name: "Orders",
    version: 3,
    type: "STANDARD",
    status,
    input: rec.input,
    output: null,
    error: null,
    cause: null,
    start_date: rec.events[0]!.timestamp,
    stop_date: null,
    event_count: rec.events.length,
    ...extra,
  };
}

function feed(events: HistoryEvent[]) {
  act(() => {
    const socket = FakeSocket.last;
    if (socket.readyState !== 1) socket.open();
    for (const event of events) socket.receive({ type: "event", event });
  });
}

async function settle() {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 60));
  });
}

describe("ExecutionView", () => {
  beforeEach(() => {
    FakeSocket.reset();
    graphProps.length = 0;
  });
  afterEach(() => configureApi({ fetch: (...args) => globalThis.fetch(...args) }));

  it("shows a finished execution with a caught error, its graph statuses and a state's details", async () => {
    const rec = FIXTURES.caught;
    const calls = fakeApi({
      "GET /api/executions/ex-1/": detailOf(rec, "FAILED", { error: "TripNotBooked" }),
      "GET /api/workflows/wf-1/versions/3/": { number: 3, definition: rec.definition },
    });
    render(<ExecutionView executionId="ex-1" role="viewer" socketFactory={FakeSocket.factory} />);
    expect(FakeSocket.last.url).toMatch(/\/ws\/executions\/ex-1\/$/);
    feed(rec.events);
    await settle();
    await screen.findByTestId("graph-stub");
    expect(screen.getByTestId("execution-name").textContent).toBe("run-42");
    expect(screen.getByTestId("execution-status").textContent).toBe("FAILED");
    expect(screen.getByTestId("execution-error").textContent).toContain("TripNotBooked");
    expect(screen.getByTestId("execution-cause").textContent).toContain("flight was cancelled");
    expect(screen.getByTestId("execution-input").textContent).toContain('"trip": 9');
    expect(screen.queryByTestId("execution-stop-button")).toBeNull();
    expect(calls.map((c) => c.url)).toContain("/api/workflows/wf-1/versions/3/");

    const last = graphProps[graphProps.length - 1]!;
    expect(last.statuses).toEqual({
      "/States/BookFlight": "succeeded",
      "/States/BookHotel": "caught",
      "/States/CancelFlight": "succeeded",
      "/States/TripFailed": "failed",
    });
    expect(screen.getByTestId("state-status-/States/BookHotel").dataset.status).toBe("caught");
    expect(last.legend).toBe(true);
    expect(last.selection).toBeNull();

    act(() => last.onSelect?.("/States/BookHotel"));
    const panel = await screen.findByTestId("state-panel");
    expect(within(panel).getByTestId("state-panel-name").textContent).toBe("BookHotel");
    expect(within(panel).getByTestId("state-panel-status").textContent).toBe("Caught error");
    expect(within(panel).getByTestId("state-panel-error").textContent).toContain("HotelFull");
    expect(within(panel).getByTestId("state-input").textContent).toContain("FL-42");
    expect(within(panel).getByTestId("state-output").textContent).toContain("No rooms");
    expect(within(panel).getByTestId("state-event-10").textContent).toContain("TaskFailed");
  });

  it("updates live, shows the current state, lets a runner stop it", async () => {
    const rec = FIXTURES.map;
    const calls = fakeApi({
      "GET /api/executions/ex-1/": detailOf(rec, "RUNNING", { version: null }),
      "GET /api/workflows/wf-1/": { id: "wf-1", definition: rec.definition },
      "POST /api/executions/ex-1/stop/": detailOf(rec, "ABORTED"),
    });
    render(<ExecutionView executionId="ex-1" role="runner" socketFactory={FakeSocket.factory} />);
    feed(rec.events.filter((e) => e.id <= 21));
    await settle();
    await screen.findByTestId("graph-stub");
    expect(screen.getByTestId("execution-status").textContent).toBe("RUNNING");
    expect(screen.getByTestId("current-states").textContent).toContain("Work");
    // several running states are told apart: "A, B", never "AB"
    const running = [...screen.getByTestId("current-states").querySelectorAll("button")].map((b) => b.textContent);
    expect(running.length).toBeGreaterThan(1);
    expect(screen.getByTestId("current-states").textContent).toBe(`Current: ${running.join(", ")}`);
    expect(screen.getByTestId("state-status-/States/Each/ItemProcessor/States/Work").dataset.current).toBe("true");
    expect(screen.getByTestId("state-status-/States/Each").dataset.status).toBe("running");
    expect(graphProps[graphProps.length - 1]!.selection).toBe("/States/Each/ItemProcessor/States/Work");

    // Iteration picker: iteration 0 never reached Work.
    const picker = screen.getByTestId("iteration-picker-Each") as HTMLSelectElement;
    expect(picker.options).toHaveLength(4);
    fireEvent.change(picker, { target: { value: "0" } });
    expect(screen.queryByTestId("state-status-/States/Each/ItemProcessor/States/Work")).toBeNull();
    expect(screen.getByTestId("state-status-/States/Each/ItemProcessor/States/Skip").dataset.status).toBe("succeeded");
    // ...and the events table lists only that iteration's events.
    fireEvent.click(screen.getByTestId("tab-events"));
    const allCount = rec.events.filter((e) => e.id <= 21).length;
    const shownIds = () => screen.getAllByTestId(/^event-row-/).map((row) => Number(row.dataset.testid!.slice("event-row-".length)));
    expect(screen.getByTestId("event-count").textContent).not.toBe(`${allCount} of ${allCount} events`);
    expect(screen.getByTestId("event-iteration-filter").textContent).toBe("Only Each iteration #0");
    for (const id of shownIds()) {
      const event = rec.events.find((e) => e.id === id)!;
      const details = JSON.stringify(event);
      expect(event.type.startsWith("Execution"), details).toBe(false);
      if (event.type.startsWith("MapIteration")) expect(details).toContain('"index":0');
    }
    expect(shownIds().some((id) => rec.events.find((e) => e.id === id)!.type === "MapIterationStarted")).toBe(true);
    fireEvent.change(picker, { target: { value: "" } });
    expect(screen.getByTestId("event-count").textContent).toBe(`${allCount} of ${allCount} events`);
    fireEvent.click(screen.getByTestId("tab-graph"));

    // Stop asks first, with an optional error and cause; cancel stops nothing.
    fireEvent.click(screen.getByTestId("execution-stop-button"));
    expect(screen.getByTestId("stop-dialog")).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByTestId("stop-error"));
    fireEvent.click(screen.getByTestId("stop-cancel"));
    expect(screen.queryByTestId("stop-dialog")).toBeNull();
    expect(calls.some((c) => c.url.endsWith("/stop/"))).toBe(false);
    fireEvent.click(screen.getByTestId("execution-stop-button"));
    fireEvent.change(screen.getByTestId("stop-error"), { target: { value: "Operator.Cancelled" } });
    fireEvent.change(screen.getByTestId("stop-cause"), { target: { value: "Wrong batch" } });
    fireEvent.click(screen.getByTestId("stop-confirm"));
    await waitFor(() => expect(calls.some((c) => c.method === "POST" && c.url === "/api/executions/ex-1/stop/")).toBe(true));
    expect(calls.find((c) => c.url.endsWith("/stop/"))!.body).toEqual({ error: "Operator.Cancelled", cause: "Wrong batch" });

    // The rest of the history arrives.
    feed(rec.events.filter((e) => e.id > 21));
    await settle();
    expect(screen.getByTestId("execution-status").textContent).toBe("SUCCEEDED");
    expect(screen.queryByTestId("execution-stop-button")).toBeNull();
    expect(screen.getByTestId("execution-output").textContent).toContain("recovered");
    expect(screen.getByTestId("state-status-/States/Each/ItemProcessor/States/Work").dataset.status).toBe("caught");
  });

  it("hides Stop from viewers", async () => {
    const rec = FIXTURES.map;
    fakeApi({ "GET /api/executions/ex-1/": detailOf(rec, "RUNNING") });
    render(<ExecutionView executionId="ex-1" role="viewer" definition={rec.definition as Definition} socketFactory={FakeSocket.factory} />);
    feed(rec.events.slice(0, 5));
    await settle();
    expect(screen.getByTestId("execution-status").textContent).toBe("RUNNING");
    expect(screen.queryByTestId("execution-stop-button")).toBeNull();
  });

  it("links to the parent execution and to the children it started", async () => {
    const rec = FIXTURES.map;
    const links = {
      parent: { id: "p-1", name: "nightly", workflow_name: "orders", status: "RUNNING" },
      children: [{ id: "c-1", name: "child-a", workflow_name: "approve", status: "SUCCEEDED", state: "Ask" }],
    };
    fakeApi({ "GET /api/executions/ex-1/": detailOf(rec, "SUCCEEDED", links) });
    render(<ExecutionView executionId="ex-1" role="viewer" definition={rec.definition as Definition} socketFactory={FakeSocket.factory} />);
    await settle();
    const parent = await screen.findByTestId("execution-parent");
    expect(parent.querySelector("a")?.getAttribute("href")).toBe("/executions/p-1/");
    expect(parent.textContent).toContain("orders/nightly");
    const child = screen.getByTestId("execution-child-c-1");
    expect(child.getAttribute("href")).toBe("/executions/c-1/");
    expect(screen.getByTestId("execution-children").textContent).toContain("(from Ask)");
  });

  it("shows the states table with retries and durations", async () => {
    const rec = FIXTURES.retry;
    fakeApi({ "GET /api/executions/ex-1/": detailOf(rec, "SUCCEEDED") });
    render(<ExecutionView executionId="ex-1" role="viewer" definition={rec.definition as Definition} socketFactory={FakeSocket.factory} />);
    feed(rec.events);
    await settle();
    fireEvent.click(screen.getByTestId("tab-table"));
    const row = screen.getByTestId("state-row-CallService");
    expect(row.textContent).toContain("Succeeded");
    expect(screen.getByTestId("state-duration-CallService").textContent).toBe("2.05 s");
    fireEvent.click(within(row).getByText("CallService"));
    expect(screen.getByTestId("state-panel-retries").textContent).toBe("2");
    expect(screen.getByTestId("attempt-3").textContent).toContain("succeeded");
    expect(screen.getByTestId("attempt-1").textContent).toContain("States.Http.StatusCode.503");
  });

  it("filters and pages a long event history", async () => {
    const events: HistoryEvent[] = [
      { id: 1, previousEventId: 0, type: "ExecutionStarted", timestamp: "2024-01-01T00:00:00.000Z", executionStartedEventDetails: { input: "{}" } },
    ];
    for (let i = 0; i < 60; i++) {
      const id = events.length + 1;
      events.push({ id, previousEventId: id - 1, type: "PassStateEntered", timestamp: "2024-01-01T00:00:01.000Z", stateEnteredEventDetails: { name: i % 2 ? "Odd" : "Even", input: `{"i":${i}}` } });
      events.push({ id: id + 1, previousEventId: id, type: "PassStateExited", timestamp: "2024-01-01T00:00:01.000Z", stateExitedEventDetails: { name: i % 2 ? "Odd" : "Even", output: `{"i":${i}}` } });
    }
    fakeApi({ "GET /api/executions/ex-1/": detailOf({ definition: {}, input: {}, status: "RUNNING", events }, "RUNNING") });
    render(<ExecutionView executionId="ex-1" role="viewer" definition={{ StartAt: "Even", States: {} }} socketFactory={FakeSocket.factory} />);
    feed(events);
    await settle();
    fireEvent.click(screen.getByTestId("tab-events"));
    expect(screen.getByTestId("event-count").textContent).toBe("121 of 121 events");
    expect(screen.getByTestId("event-page").textContent).toBe("Page 1 of 3");
    fireEvent.click(screen.getByTestId("event-page-next"));
    expect(screen.getByTestId("event-page").textContent).toBe("Page 2 of 3");
    expect(screen.getByTestId("event-row-51")).toBeTruthy();

    fireEvent.change(screen.getByTestId("event-filter-type"), { target: { value: "PassStateExited" } });
    expect(screen.getByTestId("event-count").textContent).toBe("60 of 121 events");
    expect(screen.getByTestId("event-page").textContent).toBe("Page 1 of 2");
    fireEvent.change(screen.getByTestId("event-filter-state"), { target: { value: "Odd" } });
    expect(screen.getByTestId("event-count").textContent).toBe("30 of 121 events");
    expect(screen.queryByTestId("event-pager")).toBeNull();
    fireEvent.change(screen.getByTestId("event-filter-text"), { target: { value: '\\"i\\":59' } });
    expect(screen.getByTestId("event-count").textContent).toBe("1 of 121 events");
    fireEvent.click(screen.getByTestId("event-row-121"));
    expect(screen.getByTestId("event-details-121").textContent).toContain('"i": 59');
  });

  it("copies JSON to the clipboard", async () => {
    const writeText = vi.fn(async (_text: string) => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    const rec = FIXTURES.success;
    fakeApi({ "GET /api/executions/ex-1/": detailOf(rec, "SUCCEEDED") });
    render(<ExecutionView executionId="ex-1" role="viewer" definition={rec.definition as Definition} socketFactory={FakeSocket.factory} />);
    feed(rec.events);
    await settle();
    fireEvent.click(screen.getByTestId("execution-output-copy"));
    await waitFor(() => expect(screen.getByTestId("execution-output-copy").textContent).toBe("Copied"));
    expect(JSON.parse(writeText.mock.calls[0]![0])).toEqual({ orderId: "A-1", total: 42, charge: { charged: true } });
  });

  it("shows an error when the execution cannot be loaded", async () => {
    fakeApi({});
    render(<ExecutionPage {...parseProps("execution", JSON.stringify({ executionId: "nope", role: "viewer" }))} />);
    expect((await screen.findByTestId("execution-load-error")).textContent).toBe("nope");
  });
});
