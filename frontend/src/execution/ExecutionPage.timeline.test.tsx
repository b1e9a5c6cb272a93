/** The execution view's Timeline tab: live bars from the socket, a click selects the state. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen } from "@testing-library/react";
import { configureApi } from "../api/client";
import type { Definition } from "../asl/types";
import { ExecutionView } from "./ExecutionPage";
import { FakeSocket } from "./fakeSocket";
import type { Recorded } from "./testing";
import timelineFixture from "./fixtures/timeline.json";

vi.mock("../components/WorkflowGraph", () => ({ WorkflowGraph: () => <div data-testid="graph-stub" /> }));

const REC = timelineFixture as unknown as Recorded;

async function feed(from: number, to: number) {
  await act(async () => {
    const socket = FakeSocket.last;
    if (socket.readyState !== 1) socket.open();
    for (const event of REC.events.slice(from, to)) socket.receive({ type: "event", event });
    await new Promise((r) => setTimeout(r, 60));
  });
}

const bars = () => screen.getAllByTestId("timeline-bar");
const bar = (name: string, nth = 0) => bars().filter((b) => b.dataset.name === name && !b.dataset.key!.includes("/"))[nth]!;

describe("ExecutionView timeline tab", () => {
  beforeEach(() => FakeSocket.reset());
  afterEach(() => configureApi({ fetch: (...args) => globalThis.fetch(...args) }));

  it("grows as events arrive and selects the clicked state in its iteration", async () => {
    configureApi({
      fetch: (async () =>
        new Response(
          JSON.stringify({ id: "ex-1", name: "t", workflow: "wf", workflow_name: "W", version: 1, type: "STANDARD", status: "RUNNING", input: {}, output: null, error: null, cause: null, start_date: REC.events[0]!.timestamp, stop_date: null, event_count: 0 }),
          { status: 200, headers: { "Content-Type": "application/json" } },
        )) as typeof fetch,
    });
    render(<ExecutionView executionId="ex-1" role="viewer" definition={REC.definition as Definition} socketFactory={FakeSocket.factory} />);
    fireEvent.click(screen.getByTestId("tab-timeline"));
    expect(screen.getByTestId("tab-timeline").getAttribute("aria-selected")).toBe("true");
    await feed(0, 18); // Fetch done, Fan running: Quick waits, Slow works
    expect(bar("Slow").dataset.status).toBe("running");
    expect(bar("Fan").dataset.status).toBe("running");
    expect(bars().some((b) => b.dataset.name === "Each")).toBe(false);
    await feed(18, REC.events.length);
    expect(bar("Slow").dataset.status).toBe("succeeded");
    expect(bar("Done").dataset.critical).toBe("true");

    const naps = bars().filter((b) => b.dataset.name === "Nap");
    expect(naps).toHaveLength(3);
    fireEvent.click(naps[2]!);
    expect(screen.getByTestId("state-panel-name").textContent).toBe("Nap");
    // the iteration picker follows the bar's iteration, so the panel shows that visit
    expect((screen.getByTestId("iteration-picker-Each") as HTMLSelectElement).value).toBe("2");
    expect(screen.getByTestId("state-input").textContent).toContain('"s": 2');
    expect(screen.getAllByTestId("timeline-row").filter((r) => r.classList.contains("tl-row-selected"))).toHaveLength(1);
  });
});
