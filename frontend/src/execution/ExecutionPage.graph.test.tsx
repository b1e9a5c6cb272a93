/** The execution view with the real canvas (synchronous layout in tests): nodes coloured live. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, fireEvent, render, screen } from "@testing-library/react";
import { configureApi } from "../api/client";
import type { Definition } from "../asl/types";
import { ExecutionView } from "./ExecutionPage";
import { FakeSocket } from "./fakeSocket";
import { FIXTURES } from "./testing";

function node(path: string): HTMLElement {
  const found = document.querySelector(`[data-testid="state-node"][data-state-path="${path}"]`);
  if (!(found instanceof HTMLElement)) throw new Error(`no node ${path}`);
  return found;
}

describe("ExecutionView with WorkflowGraph", () => {
  beforeEach(() => FakeSocket.reset());
  afterEach(() => configureApi({ fetch: (...args) => globalThis.fetch(...args) }));

  it("colours the graph as events arrive and opens a clicked state", async () => {
    const rec = FIXTURES.parallel;
    configureApi({
      fetch: (async () =>
        new Response(JSON.stringify({ id: "ex-1", name: "p", workflow: "wf", workflow_name: "W", version: 1, type: "STANDARD", status: "RUNNING", input: {}, output: null, error: null, cause: null, start_date: null, stop_date: null, event_count: 0 }), {
          status: 200,
          headers: { "Content-Type": "application/json" },
        })) as typeof fetch,
    });
    render(<ExecutionView executionId="ex-1" role="viewer" definition={rec.definition as Definition} socketFactory={FakeSocket.factory} />);
    expect(node("/States/Fan").dataset.status).toBe("");
    await act(async () => {
      FakeSocket.last.open();
      for (const event of rec.events.slice(0, 8)) FakeSocket.last.receive({ type: "event", event });
      await new Promise((r) => setTimeout(r, 60));
    });
    expect(node("/States/Fan").dataset.status).toBe("running");
    expect(node("/States/Fan/Branches/0/States/Left").dataset.status).toBe("succeeded");
    expect(node("/States/Fan/Branches/1/States/Right").dataset.status).toBe("running");
    expect(screen.getByTestId("graph-legend")).toBeTruthy();
    await act(async () => {
      for (const event of rec.events.slice(8)) FakeSocket.last.receive({ type: "event", event });
      await new Promise((r) => setTimeout(r, 60));
    });
    expect(node("/States/Join").dataset.status).toBe("succeeded");
    expect(node("/States/Fan/Branches/1/States/Right").dataset.status).toBe("succeeded");
    fireEvent.click(node("/States/Fan/Branches/1/States/Right"));
    expect(screen.getByTestId("state-panel-name").textContent).toBe("Right");
    expect(screen.getByTestId("state-output").textContent).toContain('"R"');
  });
});
