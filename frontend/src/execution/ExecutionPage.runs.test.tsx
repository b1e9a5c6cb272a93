/** The execution view's redrive, "re-run from here", version/alias and re-run links. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { configureApi } from "../api/client";
import type { Definition } from "../asl/types";
import { ExecutionView } from "./ExecutionPage";
import { FakeSocket } from "./fakeSocket";
import { FIXTURES, type Recorded } from "./testing";
import type { HistoryEvent } from "./history";
import { jsonEditorView } from "../ui/JsonEditor";

interface GraphProps {
  statuses?: Record<string, string>;
  badges?: Record<string, { text: string; title: string }>;
  onSelect?: (path: string | null) => void;
}
const graphProps: GraphProps[] = [];
vi.mock("../components/WorkflowGraph", () => ({
  WorkflowGraph: (props: GraphProps) => {
    graphProps.push(props);
    return <div data-testid="graph-stub" />;
  },
}));

const rangeProto = Range.prototype as unknown as Record<string, unknown>;
rangeProto.getClientRects ??= () => [];
rangeProto.getBoundingClientRect ??= () => ({ x: 0, y: 0, width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0, toJSON: () => ({}) });

interface Call {
  method: string;
  url: string;
  body: unknown;
}

type Route = unknown | ((body: unknown) => { status: number; body: unknown });

function fakeApi(routes: Record<string, Route>) {
  const calls: Call[] = [];
  configureApi({
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      const method = init?.method ?? "GET";
      const body = init?.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ method, url, body });
      const key = `${method} ${url}`;
      const json = (status: number, data: unknown) => new Response(JSON.stringify(data), { status, headers: { "Content-Type": "application/json" } });
      if (!(key in routes)) return json(404, { code: "not_found", message: "nope" });
      const route = routes[key];
      if (typeof route === "function") {
        const answer = (route as (b: unknown) => { status: number; body: unknown })(body);
        return json(answer.status, answer.body);
      }
      return json(200, route);
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
    alias: null,
    type: "STANDARD",
    status,
    input: rec.input,
    output: null,
    error: null,
    cause: null,
    start_date: rec.events[0]!.timestamp,
    stop_date: rec.events[rec.events.length - 1]!.timestamp,
    event_count: rec.events.length,
    redrive_count: 0,
    redrive_date: null,
    redrive_status: "NOT_REDRIVABLE",
    redrive_status_reason: "",
    rerun_of: null,
    rerun_state: null,
    reruns: [],
    ...extra,
  };
}

function feed(events: HistoryEvent[]) {
  act(() => {
    const socket = FakeSocket.last;
    if (socket.readyState !== 1) socket.open();
    socket.receive({ type: "events", events });
  });
}

async function settle() {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 60));
  });
}

const lastGraph = () => graphProps[graphProps.length - 1]!;
const until = (rec: Recorded, type: string) => rec.events.filter((e) => e.id <= rec.events.find((x) => x.type === type)!.id);

describe("redrive in the execution view", () => {
  beforeEach(() => {
    FakeSocket.reset();
    graphProps.length = 0;
  });
  afterEach(() => configureApi({ fetch: (...args) => globalThis.fetch(...args) }));

  it("a runner redrives a failed execution, asked first; the view follows it live and shows what was kept", async () => {
    const rec = FIXTURES.redrive;
    let described = detailOf(rec, "FAILED", { error: "Boom", redrive_status: "REDRIVABLE" });
    const calls = fakeApi({
      "GET /api/executions/ex-1/": () => ({ status: 200, body: described }),
      "POST /api/executions/ex-1/redrive/": {
        id: "ex-1",
        name: "run-42",
        status: "RUNNING",
        redrive_count: 1,
        redrive_date: "2026-12-02T06:20:19.946Z",
        redrive_status: "NOT_REDRIVABLE",
        redrive_status_reason: "Execution is RUNNING and cannot be redriven.",
      },
    });
    render(<ExecutionView executionId="ex-1" role="runner" definition={rec.definition as Definition} socketFactory={FakeSocket.factory} />);
    feed(until(rec, "ExecutionFailed"));
    await settle();
    const button = await screen.findByTestId("execution-redrive-button");
    await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
    // at the failure it asks whether anything follows; closed when nothing does
    expect(FakeSocket.last.sent).toContainEqual({ type: "ping" });
    act(() => FakeSocket.last.receive({ type: "pong", last_id: until(rec, "ExecutionFailed").at(-1)!.id }));
    expect(FakeSocket.last.closedWith).toBe(1000);

    fireEvent.click(button);
    const dialog = screen.getByTestId("redrive-dialog");
    expect(within(dialog).getByTestId("redrive-again").textContent).toBe("C");
    expect(within(dialog).getByTestId("redrive-kept").textContent).toBe("A, B");
    fireEvent.click(within(dialog).getByTestId("redrive-confirm"));
    await waitFor(() => expect(calls.some((c) => c.method === "POST" && c.url === "/api/executions/ex-1/redrive/")).toBe(true));
    await waitFor(() => expect(screen.queryByTestId("redrive-dialog")).toBeNull());
    expect(FakeSocket.instances).toHaveLength(2); // following it again

    described = detailOf(rec, "SUCCEEDED", { redrive_count: 1, redrive_date: "2026-12-02T06:20:19.946Z", redrive_status_reason: "Execution is SUCCEEDED and cannot be redriven." });
    feed(rec.events); // the new connection's backlog: everything again, then the redrive
    await settle();
    expect(screen.getByTestId("execution-status").textContent).toBe("SUCCEEDED");
    expect(screen.getByTestId("execution-redrive-count").dataset.count).toBe("1");
    expect(screen.getByTestId("run-fact-redrives").textContent).toMatch(/^1, last 2026-12-02/);
    await waitFor(() => expect(screen.queryByTestId("execution-error")).toBeNull());
    // described again once it ended: a succeeded execution cannot be redriven
    await waitFor(() => expect(screen.queryByTestId("execution-redrive-button")).toBeNull());
    expect(lastGraph().statuses).toEqual({ "/States/A": "succeeded", "/States/B": "succeeded", "/States/C": "succeeded" });
    expect(Object.keys(lastGraph().badges ?? {}).sort()).toEqual(["/States/A", "/States/B"]);
    expect(lastGraph().badges!["/States/A"]!.text).toBe("kept");

    // A's panel says it was not run again; the events list the redrive
    fireEvent.click(within(screen.getByTestId("state-status-/States/A")).getByRole("button"));
    expect(screen.getByTestId("state-panel-note").textContent).toMatch(/Not run again by redrive 1/);
    fireEvent.click(screen.getByTestId("tab-events"));
    const redrivenRow = screen.getAllByTestId(/^event-row-/).find((row) => row.textContent?.includes("ExecutionRedriven"));
    expect(redrivenRow?.dataset.testid).toBe(`event-row-${rec.events.find((e) => e.type === "ExecutionRedriven")!.id}`);
  });

  it.each([
    ["a viewer", "viewer", { redrive_status: "REDRIVABLE" }, /Viewers cannot redrive/],
    ["one closed 15 days ago", "runner", { redrive_status_reason: "Execution redrivable period exceeded." }, /more than 14 days ago/],
  ])("for %s the button is disabled and says why", async (_what, role, extra, why) => {
    const rec = FIXTURES.failed;
    fakeApi({ "GET /api/executions/ex-1/": detailOf(rec, "FAILED", extra) });
    render(<ExecutionView executionId="ex-1" role={role} definition={rec.definition as Definition} socketFactory={FakeSocket.factory} />);
    feed(rec.events);
    const button = (await screen.findByTestId("execution-redrive-button")) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.title).toMatch(why);
  });

  it.each([
    ["a succeeded execution", "success", "SUCCEEDED", { redrive_status_reason: "Execution is SUCCEEDED and cannot be redriven." }],
    ["an Express execution", "failed", "FAILED", { type: "EXPRESS", redrive_status_reason: "Execution is EXPRESS and cannot be redriven." }],
  ] as const)("for %s, where a redrive can never apply, there is no Redrive button", async (_what, fixture, status, extra) => {
    const rec = FIXTURES[fixture];
    fakeApi({ "GET /api/executions/ex-1/": detailOf(rec, status, extra) });
    render(<ExecutionView executionId="ex-1" role="runner" definition={rec.definition as Definition} socketFactory={FakeSocket.factory} />);
    feed(rec.events);
    await screen.findByTestId("execution-version"); // the execution's record is loaded
    expect(screen.queryByTestId("execution-redrive-button")).toBeNull();
  });

  it("while running there is no Redrive (Stop is offered)", async () => {
    const rec = FIXTURES.redrive;
    fakeApi({ "GET /api/executions/ex-1/": detailOf(rec, "RUNNING") });
    render(<ExecutionView executionId="ex-1" role="runner" definition={rec.definition as Definition} socketFactory={FakeSocket.factory} />);
    feed(rec.events.slice(0, 4));
    await screen.findByTestId("execution-stop-button");
    expect(screen.queryByTestId("execution-redrive-button")).toBeNull();
  });
});

describe("re-run from here", () => {
  beforeEach(() => {
    FakeSocket.reset();
    graphProps.length = 0;
  });
  afterEach(() => configureApi({ fetch: (...args) => globalThis.fetch(...args) }));

  async function openFailed(role = "runner", rec: Recorded = FIXTURES.redrive) {
    const calls = fakeApi({
      "GET /api/executions/ex-1/": detailOf(rec, "FAILED", { redrive_status: "REDRIVABLE" }),
      "POST /api/executions/ex-1/rerun/": (body: unknown) =>
        (body as { target: string }).target === "draft" && (body as { state: string }).state === "B"
          ? { status: 400, body: { code: "validation_failed", message: "The current draft has no state 'B'.", details: { state: ["B"] } } }
          : { status: 201, body: { id: "ex-2", name: "rerun", status: "RUNNING", version: 3, rerun_of: "ex-1", rerun_state: "B", input: {} } },
    });
    const navigate = vi.fn();
    render(<ExecutionView executionId="ex-1" role={role} definition={rec.definition as Definition} socketFactory={FakeSocket.factory} navigate={navigate} />);
    feed(until(rec, "ExecutionFailed"));
    await settle();
    await screen.findByTestId("graph-stub");
    return { calls, navigate };
  }

  it("starts a new execution at the state with the input it received, edited and checked", async () => {
    const { calls, navigate } = await openFailed();
    act(() => lastGraph().onSelect?.("/States/B"));
    fireEvent.click(await screen.findByTestId("state-rerun-button"));
    const dialog = await screen.findByTestId("rerun-dialog", {}, { timeout: 5000 }); // loaded on demand (CodeMirror)
    const editor = jsonEditorView(within(dialog).getByTestId("rerun-input"))!;
    expect(JSON.parse(editor.state.doc.toString())).toEqual({ n: 1, a: { ok: true } }); // what B received
    expect(within(dialog).getByTestId("rerun-target-version").parentElement!.textContent).toContain("Version 3");

    // broken JSON: said where, and Start waits
    act(() => editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: '{"n": 2,\n  "a": }' } }));
    expect(within(dialog).getByTestId("rerun-input-error").textContent).toMatch(/^Line 2, column \d+:/);
    expect((within(dialog).getByTestId("rerun-start") as HTMLButtonElement).disabled).toBe(true);

    act(() => editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: '{"n": 2, "a": {"ok": "edited"}}' } }));
    expect(within(dialog).queryByTestId("rerun-input-error")).toBeNull();
    fireEvent.click(within(dialog).getByTestId("rerun-start"));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith("/executions/ex-2/"));
    expect(calls.find((c) => c.url.endsWith("/rerun/"))!.body).toEqual({ state: "B", input: { n: 2, a: { ok: "edited" } }, target: "version" });
  });

  it("against the current draft; the server's refusal is shown and nothing navigates", async () => {
    const { navigate } = await openFailed();
    act(() => lastGraph().onSelect?.("/States/B"));
    fireEvent.click(await screen.findByTestId("state-rerun-button"));
    const dialog = await screen.findByTestId("rerun-dialog", {}, { timeout: 5000 }); // loaded on demand (CodeMirror)
    fireEvent.click(within(dialog).getByTestId("rerun-target-draft"));
    fireEvent.click(within(dialog).getByTestId("rerun-start"));
    expect((await within(dialog).findByTestId("rerun-error")).textContent).toContain("The current draft has no state 'B'.");
    expect(navigate).not.toHaveBeenCalled();
  });

  it("a state inside a Parallel names the state to re-run; a viewer cannot re-run", async () => {
    await openFailed("runner", FIXTURES.redriveParallel);
    act(() => lastGraph().onSelect?.("/States/P/Branches/1/States/R"));
    const inside = (await screen.findByTestId("state-rerun-button")) as HTMLButtonElement;
    expect(inside.disabled).toBe(true);
    expect(inside.title).toMatch(/^R runs inside P: re-run P/);
    act(() => lastGraph().onSelect?.("/States/P"));
    await waitFor(() => expect((screen.getByTestId("state-rerun-button") as HTMLButtonElement).disabled).toBe(false));
  });

  it("a viewer sees the button disabled, saying why", async () => {
    await openFailed("viewer");
    act(() => lastGraph().onSelect?.("/States/B"));
    const button = (await screen.findByTestId("state-rerun-button")) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.title).toMatch(/Viewers cannot re-run/);
  });
});

describe("what ran and where it came from", () => {
  beforeEach(() => FakeSocket.reset());
  afterEach(() => configureApi({ fetch: (...args) => globalThis.fetch(...args) }));

  it("shows the version and alias, the execution it re-runs and its own re-runs", async () => {
    const rec = FIXTURES.success;
    fakeApi({
      "GET /api/executions/ex-1/": detailOf(rec, "SUCCEEDED", {
        version: 4,
        alias: "live",
        rerun_of: { id: "ex-0", name: "first", status: "FAILED" },
        rerun_state: "Charge",
        reruns: [{ id: "ex-5", name: "again", status: "SUCCEEDED", state: "IsCharged" }],
      }),
    });
    render(<ExecutionView executionId="ex-1" role="viewer" definition={rec.definition as Definition} socketFactory={FakeSocket.factory} />);
    expect((await screen.findByTestId("execution-version")).textContent).toBe(" · version 4 via alias live");
    expect(screen.getByTestId("run-fact-version").textContent).toBe("Version 4");
    expect(screen.getByTestId("run-fact-alias").textContent).toBe("live");
    expect(screen.getByTestId("execution-rerun-of").textContent).toBe("first from Charge");
    expect(screen.getByTestId("execution-rerun-of-link").getAttribute("href")).toBe("/executions/ex-0/");
    expect(screen.getByTestId("execution-reruns").textContent).toBe("again from IsCharged SUCCEEDED");
    expect(screen.getByTestId("execution-rerun-ex-5").getAttribute("href")).toBe("/executions/ex-5/");
  });

  it("says draft for an execution of the draft", async () => {
    const rec = FIXTURES.success;
    fakeApi({ "GET /api/executions/ex-1/": detailOf(rec, "SUCCEEDED", { version: null }) });
    render(<ExecutionView executionId="ex-1" role="viewer" definition={rec.definition as Definition} socketFactory={FakeSocket.factory} />);
    expect((await screen.findByTestId("execution-version")).textContent).toBe(" · draft");
    expect(screen.getByTestId("run-fact-version").textContent).toBe("Draft (as it was then)");
    expect(screen.getByTestId("run-fact-alias").textContent).toBe("–");
    expect(screen.queryByTestId("run-fact-redrives")).toBeNull();
  });
});
