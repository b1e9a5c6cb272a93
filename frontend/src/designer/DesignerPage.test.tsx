import { beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { resetStudio, useStudio } from "../asl/store";
import type { Definition } from "../asl/types";
import { parseProps } from "../api/props";
import { fakeApi, type Call } from "../start/fakeApi";
import { DesignerPage } from "./DesignerPage";

// The canvas has its own tests; here a stand-in shows what it was given.
vi.mock("../components/WorkflowGraph", () => ({
  WorkflowGraph: (props: { definition: Definition; onSelect?: (p: string | null) => void }) => (
    <div data-testid="graph-stub">
      {Object.keys(props.definition.States ?? {}).map((n) => (
        <button key={n} type="button" data-testid={`stub-node-${n}`} onClick={() => props.onSelect?.(`/States/${n}`)}>
          {n}
        </button>
      ))}
    </div>
  ),
}));

const rangeProto = Range.prototype as unknown as Record<string, unknown>;
rangeProto.getClientRects ??= () => [];
rangeProto.getBoundingClientRect ??= () => ({ x: 0, y: 0, width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0, toJSON: () => ({}) });

const definition = (): Definition => ({ StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Succeed" } } });
const theirs: Definition = { StartAt: "T", States: { T: { Type: "Succeed" } } };

const workflow = (revision: number, def: Definition = definition()) => ({
  id: "w1",
  team: "acme",
  name: "orders",
  type: "STANDARD",
  description: "",
  revision,
  definition: def,
  layout: {},
  diagnostics: [],
  updated_at: "2024-05-01T10:00:00Z",
});

function props(extra: Record<string, unknown> = {}) {
  return {
    ...parseProps("designer", JSON.stringify({ teamSlug: "acme", canEdit: true, canRun: true, workflowId: "w1", role: "editor" })),
    validateDebounceMs: 0,
    codeDebounceMs: 0,
    ...extra,
  };
}

interface Server {
  calls: Call[];
  stored: number;
}

function server(opts: { conflictOnce?: boolean; diagnostics?: unknown[] } = {}): Server {
  const s: Server = { calls: [], stored: 5 };
  let conflicted = false;
  s.calls = fakeApi(({ method, url, body }) => {
    if (method === "GET" && url === "/api/workflows/w1/") return { body: workflow(5) };
    if (method === "POST" && url === "/api/workflows/w1/validate/") return { body: { valid: true, diagnostics: opts.diagnostics ?? [] } };
    if (method === "PUT" && url === "/api/workflows/w1/") {
      const b = body as { revision: number; definition: Definition };
      if (opts.conflictOnce && !conflicted) {
        conflicted = true;
        s.stored = 9;
        return {
          status: 409,
          body: { code: "conflict", message: "The draft changed.", details: { current: workflow(9, theirs), your_revision: b.revision } },
        };
      }
      if (b.revision !== s.stored) return { status: 409, body: { code: "conflict", message: "stale", details: { current: workflow(s.stored, theirs), your_revision: b.revision } } };
      s.stored += 1;
      return { body: workflow(s.stored, b.definition) };
    }
    if (method === "POST" && url === "/api/teams/acme/workflows/") return { status: 201, body: { ...workflow(1), id: "w2" } };
    if (method === "POST" && url === "/api/workflows/w1/executions/") return { status: 201, body: { id: "e1" } };
    if (method === "POST" && url === "/api/workflows/w1/publish/") return { status: 201, body: { number: 3 } };
    if (method === "POST" && url === "/api/workflows/w1/import-preview/") {
      const text = (body as { text: string }).text;
      if (!text.includes("StartAt")) {
        return { status: 400, body: { code: "validation_failed", message: "This is not an ASL definition (no StartAt or States) nor a CloudFormation/SAM template (no Resources).", details: null } };
      }
      const def = JSON.parse(text) as Definition;
      return { body: { source: "asl", logical_id: null, state_machines: [], name: null, type: null, definition: def, diagnostics: [], placeholders: [], notes: [] } };
    }
    return undefined;
  });
  return s;
}

async function edit() {
  const s = useStudio.getState();
  act(() => s.setDefinition({ ...s.definition, Comment: "mine" }, "Edit comment"));
}

describe("DesignerPage", () => {
  beforeEach(() => {
    resetStudio();
    localStorage.clear();
  });

  it("loads the workflow, selects from the canvas and edits in the inspector", async () => {
    server();
    render(<DesignerPage {...props()} />);
    await screen.findByTestId("graph-stub");
    expect(screen.getByTestId("workflow-name").textContent).toBe("orders");
    await userEvent.click(screen.getByTestId("stub-node-A"));
    expect((screen.getByTestId("inspector-name") as HTMLInputElement).value).toBe("A");
    await userEvent.click(screen.getByTestId("inspector-end"));
    expect(useStudio.getState().definition.States!.A).toEqual({ Type: "Pass", End: true });
    expect(screen.getByTestId("save-state").textContent).toContain("unsaved");
  });

  it("inserts from the palette by keyboard after the selected state", async () => {
    server();
    render(<DesignerPage {...props()} />);
    await userEvent.click(await screen.findByTestId("stub-node-A"));
    await userEvent.type(screen.getByTestId("palette-search"), "wait{Enter}");
    expect(useStudio.getState().definition.States!.A!.Next).toBe("Wait");
    expect(useStudio.getState().selection).toBe("/States/Wait");
  });

  it("saves with the revision and Ctrl+S", async () => {
    const s = server();
    render(<DesignerPage {...props()} />);
    await screen.findByTestId("graph-stub");
    await edit();
    fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    await waitFor(() => expect(useStudio.getState().dirty).toBe(false));
    const put = s.calls.find((c) => c.method === "PUT")!;
    expect(put.body).toMatchObject({ revision: 5, name: "orders", type: "STANDARD", definition: { Comment: "mine" } });
    expect(useStudio.getState().revision).toBe(6);
  });

  it("on a conflict, keep mine overwrites with the new revision", async () => {
    const s = server({ conflictOnce: true });
    render(<DesignerPage {...props()} />);
    await screen.findByTestId("graph-stub");
    await edit();
    await userEvent.click(screen.getByTestId("toolbar-save"));
    await screen.findByTestId("conflict-dialog");
    await userEvent.click(screen.getByTestId("conflict-keep-mine"));
    await waitFor(() => expect(screen.queryByTestId("conflict-dialog")).toBeNull());
    const puts = s.calls.filter((c) => c.method === "PUT");
    expect(puts.map((p) => (p.body as { revision: number }).revision)).toEqual([5, 9]);
    expect((puts[1]!.body as { definition: Definition }).definition.Comment).toBe("mine");
    expect(useStudio.getState().revision).toBe(10);
    expect(useStudio.getState().dirty).toBe(false);
  });

  it("on a conflict, take theirs loads the stored draft and keeps mine in undo", async () => {
    server({ conflictOnce: true });
    render(<DesignerPage {...props()} />);
    await screen.findByTestId("graph-stub");
    await edit();
    await userEvent.click(screen.getByTestId("toolbar-save"));
    await userEvent.click(await screen.findByTestId("conflict-take-theirs"));
    await waitFor(() => expect(useStudio.getState().definition).toEqual(theirs));
    expect(useStudio.getState().revision).toBe(9);
    expect(useStudio.getState().dirty).toBe(false);
    act(() => useStudio.getState().undo());
    expect(useStudio.getState().definition.Comment).toBe("mine");
  });

  it("on a conflict, copy mine creates a new workflow and opens it", async () => {
    const s = server({ conflictOnce: true });
    const navigate = vi.fn();
    render(<DesignerPage {...props({ navigate })} />);
    await screen.findByTestId("graph-stub");
    await edit();
    await userEvent.click(screen.getByTestId("toolbar-save"));
    await userEvent.click(await screen.findByTestId("conflict-copy-mine"));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith("/workflows/w2/"));
    const post = s.calls.find((c) => c.url === "/api/teams/acme/workflows/")!;
    expect(post.body).toMatchObject({ name: "orders-copy", definition: { Comment: "mine" } });
  });

  it("lists diagnostics; clicking one selects its state", async () => {
    server({ diagnostics: [{ code: "UNREACHABLE", message: "B is unreachable", location: "/States/B/Type", severity: "warning" }] });
    render(<DesignerPage {...props()} />);
    const item = await screen.findByTestId("diagnostic-0");
    expect(screen.getByTestId("diagnostics-count").textContent).toContain("1 warning");
    await userEvent.click(item);
    expect(useStudio.getState().selection).toBe("/States/B");
  });

  it("runs: saves first, starts an execution with the input, remembers it and navigates", async () => {
    const s = server();
    const navigate = vi.fn();
    render(<DesignerPage {...props({ navigate })} />);
    await screen.findByTestId("graph-stub");
    await edit();
    await userEvent.click(screen.getByTestId("toolbar-run"));
    const input = screen.getByTestId("run-input");
    await userEvent.clear(input);
    await userEvent.type(input, '{{"orderId": "A-1"}');
    await userEvent.click(screen.getByTestId("run-start"));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith("/executions/e1/"));
    const order = s.calls.filter((c) => c.method !== "GET" && !c.url.endsWith("/validate/")).map((c) => `${c.method} ${c.url}`);
    expect(order).toEqual(["PUT /api/workflows/w1/", "POST /api/workflows/w1/executions/"]);
    expect(s.calls.find((c) => c.url.endsWith("/executions/"))!.body).toEqual({ input: { orderId: "A-1" } });
    expect(JSON.parse(localStorage.getItem("stateyard:recent-inputs:w1")!)).toEqual(['{"orderId": "A-1"}']);
  });

  it("publishes a version and exports", async () => {
    const s = server();
    const download = vi.fn();
    render(<DesignerPage {...props({ download })} />);
    await screen.findByTestId("graph-stub");
    await userEvent.click(screen.getByTestId("toolbar-publish"));
    await userEvent.type(screen.getByTestId("publish-description"), "first");
    await userEvent.click(screen.getByTestId("publish-confirm"));
    await waitFor(() => expect(screen.getByTestId("toolbar-status").textContent).toContain("Published version 3"));
    expect(s.calls.find((c) => c.url.endsWith("/publish/"))!.body).toEqual({ description: "first", revision: 5 });
    await userEvent.selectOptions(screen.getByTestId("toolbar-export"), "svg");
    await waitFor(() => expect(download).toHaveBeenCalledWith("/api/workflows/w1/export/?format=svg"));
  });

  it("imports an ASL file in place only after showing it and asking (undoable)", async () => {
    const s = server();
    render(<DesignerPage {...props()} />);
    await screen.findByTestId("graph-stub");
    const file = new File([JSON.stringify(theirs)], "other.asl.json", { type: "application/json" });
    await userEvent.upload(screen.getByTestId("toolbar-import-file"), file);
    const dialog = await screen.findByTestId("import-dialog");
    expect(s.calls.find((c) => c.url.endsWith("/import-preview/"))!.body).toEqual({ text: JSON.stringify(theirs) });
    expect(screen.getByTestId("import-states").textContent).toBe("1 state");
    expect(screen.getByTestId("import-query-language").textContent).toBe("JSONPath");
    expect(screen.getByTestId("import-problems").textContent).toBe("None found");
    expect(dialog.contains(document.activeElement)).toBe(true);
    expect(useStudio.getState().definition).toEqual(definition()); // nothing replaced yet
    await userEvent.click(screen.getByTestId("import-confirm"));
    expect(useStudio.getState().definition).toEqual(theirs);
    expect(screen.getByTestId("toolbar-status").getAttribute("data-kind")).toBe("success");
    act(() => useStudio.getState().undo());
    expect(useStudio.getState().definition).toEqual(definition());
  });

  it("refuses a file that is not ASL in the error colour and changes nothing; cancel changes nothing either", async () => {
    server();
    render(<DesignerPage {...props()} />);
    await screen.findByTestId("graph-stub");
    await userEvent.upload(screen.getByTestId("toolbar-import-file"), new File(['{"foo": 1}'], "foo.json", { type: "application/json" }));
    await waitFor(() => expect(screen.getByTestId("toolbar-status").textContent).toContain("Cannot import foo.json: This is not an ASL definition"));
    expect(screen.getByTestId("toolbar-status").getAttribute("data-kind")).toBe("error");
    expect(screen.getByTestId("toolbar-status").className).toContain("sy-notice-error");
    expect(screen.queryByTestId("import-dialog")).toBeNull();
    expect(useStudio.getState().definition).toEqual(definition());
    expect(useStudio.getState().dirty).toBe(false);
    await userEvent.upload(screen.getByTestId("toolbar-import-file"), new File([JSON.stringify(theirs)], "t.json", { type: "application/json" }));
    await screen.findByTestId("import-dialog");
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByTestId("import-dialog")).toBeNull();
    expect(useStudio.getState().definition).toEqual(definition());
  });

  it("says unsaved changes while the code view holds text that does not parse, and keeps the full message on hover", async () => {
    server();
    render(<DesignerPage {...props()} />);
    await screen.findByTestId("graph-stub");
    expect(useStudio.getState().dirty).toBe(false);
    expect(screen.getByTestId("save-state").textContent).toContain("saved · revision");
    act(() => useStudio.getState().setCodeError({ message: "Expected property name", line: 1, column: 3, from: 2, to: 3 }));
    expect(screen.getByTestId("save-state").textContent).toBe("unsaved changes");
    fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    await waitFor(() => expect(screen.getByTestId("toolbar-status").textContent).toContain("Not saved"));
    const status = screen.getByTestId("toolbar-status");
    expect(status.getAttribute("title")).toBe(status.textContent);
  });

  it("refuses to save or publish while the code view's text does not parse, and says where", async () => {
    const s = server();
    render(<DesignerPage {...props()} />);
    await screen.findByTestId("graph-stub");
    await edit();
    act(() => useStudio.getState().setCodeError({ message: "Expected ',' or '}' after property value", line: 3, column: 5, from: 20, to: 21 }));
    fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    await waitFor(() => expect(screen.getByTestId("toolbar-status").textContent).toContain("Not saved: the code view has a syntax error at line 3, column 5"));
    expect(screen.getByTestId("toolbar-status").getAttribute("data-kind")).toBe("error");
    expect(screen.getByTestId("diagnostic-syntax").textContent).toContain("Line 3, column 5");
    expect(screen.queryByTestId("diagnostics-none")).toBeNull();
    expect(screen.getByTestId("diagnostics-count").textContent).toBe("1 error, 0 warnings");
    await userEvent.click(screen.getByTestId("toolbar-publish"));
    await userEvent.click(screen.getByTestId("publish-confirm"));
    await waitFor(() => expect(screen.getByTestId("toolbar-status").textContent).toContain("Not published: the code view has a syntax error"));
    expect(s.calls.filter((c) => c.method === "PUT" || c.url.endsWith("/publish/"))).toEqual([]);
    expect(useStudio.getState().dirty).toBe(true);
  });

  it("is read-only for viewers", async () => {
    const s = server();
    render(<DesignerPage {...props({ canEdit: false, canRun: false, role: "viewer" })} />);
    await screen.findByTestId("graph-stub");
    for (const id of ["toolbar-save", "toolbar-publish", "toolbar-import", "toolbar-direction", "toolbar-run"]) {
      const button = screen.getByTestId(id) as HTMLButtonElement;
      expect(button.disabled, id).toBe(true);
      expect(button.title, id).toMatch(/^Viewers cannot (edit|run) this workflow\.$/);
    }
    expect((screen.getByTestId("machine-settings-fieldset") as HTMLFieldSetElement).disabled).toBe(true);
    expect(screen.getByTestId("palette-item-pass").getAttribute("aria-disabled")).toBe("true");
    expect(screen.getByTestId("palette-item-pass").title).toBe("Viewers cannot edit this workflow.");
    fireEvent.click(screen.getByTestId("toolbar-code")); // the code view starts closed
    expect(screen.getByTestId("code-editor").title).toBe("Viewers cannot edit this workflow.");
    fireEvent.keyDown(window, { key: "s", ctrlKey: true });
    await waitFor(() => expect(screen.getByTestId("toolbar-status").textContent).toBe("Viewers cannot edit this workflow."));
    expect(s.calls.filter((c) => c.method === "PUT")).toEqual([]);
  });

  it("lets runners run but not edit", async () => {
    server();
    render(<DesignerPage {...props({ canEdit: false, canRun: true, role: "runner" })} />);
    await screen.findByTestId("graph-stub");
    expect((screen.getByTestId("toolbar-run") as HTMLButtonElement).disabled).toBe(false);
    expect((screen.getByTestId("toolbar-save") as HTMLButtonElement).title).toBe("Runners cannot edit this workflow (they can run it).");
    await userEvent.click(screen.getByTestId("stub-node-A"));
    expect((screen.getByTestId("inspector-fieldset") as HTMLFieldSetElement).disabled).toBe(true);
    expect((screen.getByTestId("preview-run") as HTMLButtonElement).disabled).toBe(false);
  });
});
