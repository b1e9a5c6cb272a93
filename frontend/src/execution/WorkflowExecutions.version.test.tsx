/** The executions list says which version (and alias) ran each execution, live ones too. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, render, screen, waitFor } from "@testing-library/react";
import { configureApi } from "../api/client";
import { WorkflowExecutions, type ExecutionSummary } from "./WorkflowExecutions";
import { FakeSocket } from "./fakeSocket";

const row = (id: string, version: number | null, alias: string | null = null): ExecutionSummary => ({
  id,
  name: `run-${id}`,
  status: "SUCCEEDED",
  start_date: "2024-01-01T00:00:00.000Z",
  stop_date: "2024-01-01T00:00:02.500Z",
  version,
  alias,
});

describe("WorkflowExecutions: version and alias", () => {
  beforeEach(() => FakeSocket.reset());
  afterEach(() => configureApi({ fetch: (...args) => globalThis.fetch(...args) }));

  it("shows draft, version or version via alias, and fills in a live newcomer with one listing", async () => {
    let page = [row("2", 4, "live"), row("1", null)];
    const urls: string[] = [];
    configureApi({
      fetch: (async (input: RequestInfo | URL) => {
        urls.push(String(input));
        return new Response(JSON.stringify({ results: page, next_cursor: null }), { status: 200, headers: { "Content-Type": "application/json" } });
      }) as typeof fetch,
    });
    render(<WorkflowExecutions workflowId="wf-1" limit={10} socketFactory={FakeSocket.factory} />);
    expect((await screen.findByTestId("execution-row-version-2")).textContent).toBe("version 4 via alias live");
    expect(screen.getByTestId("execution-row-version-1").textContent).toBe("draft");

    // three new executions arrive live (status messages carry no version): one listing fills them in
    page = [row("5", 3, "live"), row("4", 4, "live"), row("3", 3), ...page];
    act(() => {
      FakeSocket.last.open();
      for (const id of ["3", "4", "5"]) FakeSocket.last.receive({ type: "status", execution: { id, name: `run-${id}`, status: "RUNNING", start_date: null, stop_date: null } });
    });
    expect(screen.getByTestId("execution-row-version-5").textContent).toBe("…");
    await waitFor(() => expect(screen.getByTestId("execution-row-version-5").textContent).toBe("version 3 via alias live"));
    expect(screen.getByTestId("execution-row-version-3").textContent).toBe("version 3");
    expect(urls).toHaveLength(2); // the first page, then one listing for the burst
  });
});
