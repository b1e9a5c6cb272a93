import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { resetStudio, useStudio } from "../../asl/store";
import type { Definition } from "../../asl/types";
import { formatTime } from "../../execution/format";
import { fakeApi, type Call } from "../../start/fakeApi";
import type { WorkflowDiff } from "./operateApi";
import { VersionsView, type VersionsViewProps } from "./VersionsView";

const rangeProto = Range.prototype as unknown as Record<string, unknown>;
rangeProto.getClientRects ??= () => [];
// jsdom lays nothing out: scrolling the change list into view is a no-op here
Element.prototype.scrollIntoView ??= function scrollIntoView() {};
rangeProto.getBoundingClientRect ??= () => ({ x: 0, y: 0, width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0, toJSON: () => ({}) });

const v1: Definition = { StartAt: "Check", States: { Check: { Type: "Pass", Next: "Done" }, Old: { Type: "Fail", Error: "E" }, Done: { Type: "Succeed" } } };
const v2: Definition = { StartAt: "Verify", States: { Verify: { Type: "Pass", Result: 1, Next: "Done" }, Done: { Type: "Succeed" } } };
const draft: Definition = { StartAt: "Draft", States: { Draft: { Type: "Succeed" } } };
const DIFF: WorkflowDiff = {
  from: 1,
  to: 2,
  identical: false,
  summary: { added: 0, removed: 1, renamed: 1, changed: 0, transitions: 0, fields: 0 },
  fields: [],
  states: [
    { change: "removed", name: "Old", old_name: "Old", type: "Fail", path: ["Old"], pointer: null, old_pointer: "/States/Old", fields: [] },
    {
      change: "renamed", name: "Verify", old_name: "Check", type: "Pass", path: ["Verify"], pointer: "/States/Verify", old_pointer: "/States/Check", similarity: 0.7,
      fields: [{ change: "added", pointer: "/States/Verify/Result", old_pointer: null, old: null, new: 1 }],
    },
  ],
  transitions: [],
};
const VERSIONS = [
  { number: 2, description: "Verify step", created_by: "alice", created_at: "2024-05-02T10:00:00Z" },
  { number: 1, description: "", created_by: null, created_at: "2024-05-01T09:30:00.250Z" },
];

function server(): Call[] {
  return fakeApi(({ method, url, body }) => {
    if (method === "GET" && url === "/api/workflows/w1/versions/") return { body: VERSIONS };
    if (method === "GET" && url === "/api/workflows/w1/versions/1/") return { body: { ...VERSIONS[1], definition: v1 } };
    if (method === "GET" && url === "/api/workflows/w1/versions/2/") return { body: { ...VERSIONS[0], definition: v2 } };
    if (method === "GET" && url === "/api/workflows/w1/diff/?from=1&to=2") return { body: DIFF };
    if (method === "POST" && url === "/api/workflows/w1/versions/1/restore/") {
      const revision = (body as { revision: number }).revision;
      return { body: { id: "w1", team: "acme", name: "orders", type: "STANDARD", description: "", revision: revision + 1, definition: v1, layout: {}, diagnostics: [] } };
    }
    return undefined;
  });
}

function props(extra: Partial<VersionsViewProps> = {}): VersionsViewProps {
  return { workflowId: "w1", onRoute: vi.fn(), canEdit: true, editReason: null, publish: vi.fn(async () => 3), published: 0, onRestored: vi.fn(), ...extra };
}

const node = (path: string) => document.querySelector<HTMLElement>(`[data-testid="state-node"][data-state-path="${path}"]`);

describe("VersionsView", () => {
  beforeEach(() => {
    resetStudio();
    useStudio.getState().load({ definition: draft, revision: 6 });
  });

  it("lists the versions newest first with who published them and when", async () => {
    server();
    const p = props();
    render(<VersionsView {...p} />);
    const rows = await screen.findAllByTestId("version-row");
    expect(rows.map((r) => r.dataset.version)).toEqual(["2", "1"]);
    expect(within(rows[0]!).getByTestId("version-description").textContent).toBe("Verify step");
    expect(within(rows[0]!).getByTestId("version-meta").textContent).toBe(`alice · ${formatTime("2024-05-02T10:00:00Z")}`);
    expect(within(rows[1]!).getByTestId("version-description").textContent).toBe("No description");
    expect(screen.getByTestId("version-draft").textContent).toContain("revision 6");
    await userEvent.click(within(rows[1]!).getByTestId("version-open"));
    expect(p.onRoute).toHaveBeenCalledWith({ view: "versions", open: 1 });
    await userEvent.click(within(rows[1]!).getByTestId("version-compare"));
    expect(p.onRoute).toHaveBeenCalledWith({ view: "versions", compare: [1, "draft"] });
    // what changed since the last version, from the draft's row
    await userEvent.click(screen.getByTestId("draft-compare"));
    expect(p.onRoute).toHaveBeenLastCalledWith({ view: "versions", compare: [2, "draft"] });
    // the picker compares any two
    await userEvent.selectOptions(screen.getByTestId("compare-a"), "1");
    await userEvent.selectOptions(screen.getByTestId("compare-b"), "2");
    await userEvent.click(screen.getByTestId("compare-run"));
    expect(p.onRoute).toHaveBeenLastCalledWith({ view: "versions", compare: [1, 2] });
  });

  it("opens a version read-only: its graph and its code, nothing to edit", async () => {
    server();
    render(<VersionsView {...props({ open: 1 })} />);
    expect((await screen.findByTestId("version-title")).textContent).toBe("Version 1");
    expect(screen.getByTestId("version-readonly").textContent).toBe("Read-only");
    const graph = within(screen.getByTestId("version-graph")).getByTestId("workflow-graph");
    expect(graph.className).toContain("sy-readonly");
    expect(node("/States/Check")).toBeTruthy();
    expect(node("/States/Draft")).toBeNull();
    expect(document.querySelector('[data-testid="version-code-editor"] .cm-content')?.getAttribute("contenteditable")).toBe("false");
    expect(document.querySelector('[data-testid="version-code-editor"] .cm-content')?.textContent).toContain('"StartAt": "Check"');
    expect(screen.queryByTestId("palette-panel")).toBeNull();
    expect(useStudio.getState().definition).toEqual(draft); // opening changes nothing
  });

  it("restores a version into the draft as an undoable edit", async () => {
    const calls = server();
    const p = props({ open: 1 });
    render(<VersionsView {...p} />);
    await userEvent.click(await screen.findByTestId("version-head-restore"));
    await userEvent.click(screen.getByTestId("restore-confirm"));
    await waitFor(() => expect(p.onRestored).toHaveBeenCalledOnce());
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ revision: 6 });
    const store = useStudio.getState();
    expect(store.definition).toEqual(v1);
    expect(store.revision).toBe(7);
    expect(store.dirty).toBe(false);
    expect(store.undoLabel).toBe("Restore version 1");
    expect(vi.mocked(p.onRestored).mock.calls[0]![0].text).toContain("Undo (Ctrl+Z) brings the draft back");
    store.undo();
    expect(useStudio.getState().definition).toEqual(draft);
    expect(useStudio.getState().dirty).toBe(true);
  });

  it("draws a comparison on the graph and lists it field by field; a click selects the state", async () => {
    server();
    render(<VersionsView {...props({ compare: [1, 2] })} />);
    expect((await screen.findByTestId("diff-summary")).textContent).toBe("1 removed · 1 renamed");
    expect(screen.getByTestId("diff-title").textContent).toBe("Version 1 → Version 2");
    expect(screen.getByTestId("diff-legend").textContent).toContain("Removed (ghost)");
    await waitFor(() => expect(node("/States/Old")).toBeTruthy());
    const ghost = node("/States/Old")!;
    expect(ghost.dataset.diff).toBe("removed");
    expect(ghost.className).toContain("sy-diff-removed");
    const renamed = node("/States/Verify")!;
    expect(renamed.className).toContain("sy-diff-renamed");
    expect(within(renamed).getByTestId("renamed-label").textContent).toBe("Check → Verify");
    expect(node("/States/Done")!.dataset.diff).toBeUndefined();
    const field = screen.getByTestId("diff-field");
    expect(field.dataset.pointer).toBe("/States/Verify/Result");
    expect(within(field).getByTestId("diff-before").textContent).toBe("—");
    expect(within(field).getByTestId("diff-after").textContent).toBe("1");
    await userEvent.click(within(field).getByRole("button"));
    await waitFor(() => expect(node("/States/Verify")!.className).toContain("sy-selected"));
    const entries = screen.getAllByTestId("diff-state");
    expect(entries.map((e) => e.getAttribute("aria-current"))).toEqual([null, "true"]);
    // and the other way: a click on the graph marks the list
    fireEvent.click(ghost); // (a pointer press on the canvas needs a real browser: d3-drag)
    await waitFor(() => expect(screen.getAllByTestId("diff-state")[0]!.getAttribute("aria-current")).toBe("true"));
  });

  it("shows a viewer the versions and diffs with publish and restore disabled, saying why", async () => {
    server();
    const why = "Viewers cannot edit this workflow.";
    render(<VersionsView {...props({ open: 2, canEdit: false, editReason: why })} />);
    await screen.findByTestId("version-title");
    for (const id of ["versions-publish", "version-head-restore"]) {
      const control = screen.getByTestId(id) as HTMLButtonElement;
      expect(control.disabled, id).toBe(true);
      expect(control.title, id).toBe(why);
    }
    for (const control of screen.getAllByTestId("version-restore") as HTMLButtonElement[]) {
      expect(control.disabled).toBe(true);
      expect(control.title).toBe(why);
    }
    expect((screen.getAllByTestId("version-compare")[0] as HTMLButtonElement).disabled).toBe(false);
    expect((screen.getByTestId("compare-run") as HTMLButtonElement).disabled).toBe(false);
  });
});
