/** The Run dialog: the draft (saved first), a published version or an alias. */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { fakeApi, type Call } from "../start/fakeApi";
import { RunDialog } from "./RunDialog";

function server(versions = [{ number: 2, description: "retry", created_by: "a", created_at: "" }, { number: 1, description: "", created_by: "a", created_at: "" }]): Call[] {
  return fakeApi(({ method, url }) => {
    if (url === "/api/workflows/w1/versions/") return { body: versions };
    if (url === "/api/workflows/w1/aliases/")
      return {
        body: [{ name: "live", description: "", routing: [{ version: 2, weight: 80 }, { version: 1, weight: 20 }], created_by: "a", created_at: "", updated_at: "" }],
      };
    if (method === "POST" && url === "/api/workflows/w1/executions/") return { status: 201, body: { id: "e9" } };
    return undefined;
  });
}

const started = (calls: Call[]) => calls.filter((c) => c.method === "POST").map((c) => c.body);

describe("RunDialog", () => {
  beforeEach(() => localStorage.clear());

  it("offers the draft, the aliases with their routing and the versions", async () => {
    server();
    render(<RunDialog workflowId="w1" onClose={() => undefined} navigate={() => undefined} />);
    const picker = screen.getByTestId("run-target");
    await within(picker).findByRole("option", { name: "Alias live (v2 80% · v1 20%)" });
    expect(within(picker).getAllByRole("option").map((o) => o.textContent)).toEqual([
      "The draft (as saved)",
      "Alias live (v2 80% · v1 20%)",
      "Version 2 — retry",
      "Version 1",
    ]);
    expect(document.activeElement).toBe(screen.getByTestId("run-input")); // the input is what one types first
  });

  it("starts a version as published, without saving the draft", async () => {
    const calls = server();
    const beforeRun = vi.fn(async () => undefined);
    const navigate = vi.fn();
    render(<RunDialog workflowId="w1" beforeRun={beforeRun} onClose={() => undefined} navigate={navigate} />);
    await within(screen.getByTestId("run-target")).findByRole("option", { name: "Version 1" });
    await userEvent.selectOptions(screen.getByTestId("run-target"), "version:1");
    expect(screen.getByTestId("run-target-help").textContent).toMatch(/Runs version 1 as published/);
    await userEvent.click(screen.getByTestId("run-start"));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith("/executions/e9/"));
    expect(beforeRun).not.toHaveBeenCalled();
    expect(started(calls)).toEqual([{ input: {}, version: 1 }]);
  });

  it("starts through an alias, or the draft after saving it", async () => {
    const calls = server();
    const beforeRun = vi.fn(async () => undefined);
    const { unmount } = render(<RunDialog workflowId="w1" beforeRun={beforeRun} onClose={() => undefined} navigate={() => undefined} />);
    await within(screen.getByTestId("run-target")).findByRole("option", { name: /Alias live/ });
    await userEvent.selectOptions(screen.getByTestId("run-target"), "alias:live");
    await userEvent.click(screen.getByTestId("run-start"));
    await waitFor(() => expect(started(calls)).toEqual([{ input: {}, alias: "live" }]));
    expect(beforeRun).not.toHaveBeenCalled();
    unmount();

    render(<RunDialog workflowId="w1" beforeRun={beforeRun} onClose={() => undefined} navigate={() => undefined} />);
    await userEvent.click(screen.getByTestId("run-start"));
    await waitFor(() => expect(started(calls)).toHaveLength(2));
    expect(beforeRun).toHaveBeenCalledTimes(1);
    expect(started(calls)[1]).toEqual({ input: {} });
  });

  it("with nothing published only the draft runs, and it says how to get more", async () => {
    server([]);
    render(<RunDialog workflowId="w1" onClose={() => undefined} navigate={() => undefined} />);
    await waitFor(() => expect(screen.getByTestId("run-target-help").textContent).toMatch(/No version is published yet/));
    expect(within(screen.getByTestId("run-target")).queryAllByRole("option", { name: /^Version/ })).toHaveLength(0);
  });
});
