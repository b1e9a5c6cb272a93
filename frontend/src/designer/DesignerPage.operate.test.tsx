/** The designer's Config and Versions tabs inside the page: switching, the hash, the title, shortcuts, restore and undo. */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { resetStudio, useStudio } from "../asl/store";
import type { Definition } from "../asl/types";
import { parseProps } from "../api/props";
import { fakeApi } from "../start/fakeApi";
import { DesignerPage } from "./DesignerPage";

vi.mock("../components/WorkflowGraph", () => ({
  WorkflowGraph: (props: { definition: Definition }) => <div data-testid="graph-stub">{Object.keys(props.definition.States ?? {}).join(",")}</div>,
}));

const rangeProto = Range.prototype as unknown as Record<string, unknown>;
rangeProto.getClientRects ??= () => [];
rangeProto.getBoundingClientRect ??= () => ({ x: 0, y: 0, width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0, toJSON: () => ({}) });

const draft: Definition = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Succeed" } } };
const v1: Definition = { StartAt: "Old", States: { Old: { Type: "Succeed" } } };

function server() {
  const stored = { name: "orders", revision: 5 };
  return fakeApi(({ method, url, body }) => {
    const wf = (definition: Definition) => ({ id: "w1", team: "acme", name: stored.name, type: "STANDARD", description: "", revision: stored.revision, definition, layout: {}, diagnostics: [] });
    if (method === "GET" && url === "/api/workflows/w1/") return { body: wf(draft) };
    if (method === "POST" && url === "/api/workflows/w1/validate/") return { body: { valid: true, diagnostics: [] } };
    if (method === "GET" && url === "/api/workflows/w1/settings/") {
      return { body: { id: "w1", revision: stored.revision, name: stored.name, description: "", type: "STANDARD", timeout_seconds: null, tags: {}, retention_days: 90 } };
    }
    if (method === "PATCH" && url === "/api/workflows/w1/settings/") {
      stored.name = (body as { name: string }).name;
      stored.revision += 1;
      return { body: { id: "w1", revision: stored.revision, name: stored.name, description: "", type: "STANDARD", timeout_seconds: null, tags: {}, retention_days: 90 } };
    }
    if (method === "GET" && url === "/api/workflows/w1/versions/") return { body: [{ number: 1, description: "first", created_by: "alice", created_at: "2024-05-01T09:00:00Z" }] };
    if (method === "GET" && url === "/api/workflows/w1/versions/1/") return { body: { number: 1, description: "first", created_by: "alice", created_at: "2024-05-01T09:00:00Z", definition: v1 } };
    if (method === "POST" && url === "/api/workflows/w1/versions/1/restore/") {
      stored.revision += 1;
      return { body: wf(v1) };
    }
    return undefined;
  });
}

const props = () => ({
  ...parseProps("designer", JSON.stringify({ teamSlug: "acme", canEdit: true, canRun: true, workflowId: "w1", role: "editor", urls: { start: "/teams/acme/studio/" } })),
  validateDebounceMs: 0,
  codeDebounceMs: 0,
  showExecutions: false,
});

describe("DesignerPage views", () => {
  beforeEach(() => {
    resetStudio();
    localStorage.clear();
    window.history.replaceState(null, "", "/workflows/w1/");
  });

  it("switches views by tab (the hash follows) and a rename shows in the title", async () => {
    server();
    render(<DesignerPage {...props()} />);
    await screen.findByTestId("graph-stub");
    expect(screen.getByTestId("view-tab-design").getAttribute("aria-selected")).toBe("true");
    await userEvent.click(screen.getByTestId("view-tab-config"));
    expect(window.location.hash).toBe("#config");
    expect(screen.queryByTestId("designer-canvas")).toBeNull();
    const name = await screen.findByTestId("settings-name");
    await userEvent.clear(name);
    await userEvent.type(name, "orders-v2");
    await userEvent.click(screen.getByTestId("settings-save"));
    await waitFor(() => expect(screen.getByTestId("workflow-name").textContent).toBe("orders-v2"));
    expect(screen.getByTestId("save-state").textContent).toBe("saved · revision 6");
    // back to Design by keyboard (arrow keys move along the tabs)
    screen.getByTestId("view-tab-config").focus();
    fireEvent.keyDown(screen.getByTestId("view-tab-config"), { key: "ArrowLeft" });
    expect(window.location.hash).toBe("");
    expect(await screen.findByTestId("designer-canvas")).toBeTruthy();
  });

  it("restores a version from the Versions tab, shows the draft, and Ctrl+Z brings the draft back", async () => {
    server();
    window.history.replaceState(null, "", "/workflows/w1/#versions/1");
    render(<DesignerPage {...props()} />);
    await userEvent.click(await screen.findByTestId("version-head-restore"));
    await userEvent.click(screen.getByTestId("restore-confirm"));
    const canvas = () => within(screen.getByTestId("designer-canvas")).getByTestId("graph-stub");
    await waitFor(() => expect(canvas().textContent).toBe("Old"));
    expect(window.location.hash).toBe("");
    expect(screen.getByTestId("toolbar-status").textContent).toContain("Restored version 1 into the draft (revision 6)");
    expect(screen.getByTestId("save-state").textContent).toBe("saved · revision 6");
    act(() => {
      fireEvent.keyDown(window, { key: "z", ctrlKey: true });
    });
    expect(canvas().textContent).toBe("A,B");
    expect(screen.getByTestId("save-state").textContent).toBe("unsaved changes");
  });

  it("keeps canvas shortcuts to the Design view; undo still works elsewhere", async () => {
    server();
    render(<DesignerPage {...props()} />);
    await screen.findByTestId("graph-stub");
    act(() => useStudio.getState().select("/States/A"));
    act(() => useStudio.getState().setDefinition({ ...draft, Comment: "x" }, "Edit comment"));
    await userEvent.click(screen.getByTestId("view-tab-config"));
    await screen.findByTestId("config-view");
    fireEvent.keyDown(document.body, { key: "Delete" });
    fireEvent.keyDown(document.body, { key: "d", ctrlKey: true });
    expect(Object.keys(useStudio.getState().definition.States!)).toEqual(["A", "B"]);
    fireEvent.keyDown(document.body, { key: "z", ctrlKey: true });
    expect(useStudio.getState().definition.Comment).toBeUndefined();
  });
});
