/** The designer's Aliases window: opened from the toolbar; what each role may do there. */
import { describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Definition } from "../asl/types";
import { parseProps } from "../api/props";
import { fakeApi } from "../start/fakeApi";
import { DesignerPage } from "./DesignerPage";

vi.mock("../components/WorkflowGraph", () => ({ WorkflowGraph: () => <div data-testid="graph-stub" /> }));

const definition: Definition = { StartAt: "A", States: { A: { Type: "Succeed" } } };

function server() {
  return fakeApi(({ url }) => {
    if (url === "/api/workflows/w1/")
      return { body: { id: "w1", team: "acme", name: "orders", type: "STANDARD", description: "", revision: 1, definition, layout: {}, diagnostics: [] } };
    if (url === "/api/workflows/w1/validate/") return { body: { valid: true, diagnostics: [] } };
    if (url === "/api/workflows/w1/aliases/")
      return { body: [{ name: "live", description: "", routing: [{ version: 1, weight: 100 }], created_by: "a", created_at: "", updated_at: "" }] };
    if (url === "/api/workflows/w1/versions/") return { body: [{ number: 1, description: "", created_by: "a", created_at: "" }] };
    return undefined;
  });
}

function page(role: string) {
  const flags = { editor: [true, true], runner: [false, true], viewer: [false, false] }[role]!;
  const props = parseProps("designer", JSON.stringify({ teamSlug: "acme", role, canEdit: flags[0], canRun: flags[1], workflowId: "w1" }));
  return render(<DesignerPage {...props} validateDebounceMs={0} codeDebounceMs={0} showExecutions={false} />);
}

describe("the designer's aliases", () => {
  it("an editor opens them from the toolbar and may change them", async () => {
    server();
    page("editor");
    await userEvent.click(await screen.findByTestId("toolbar-aliases"));
    const dialog = screen.getByTestId("aliases-dialog");
    await within(dialog).findByTestId("alias-row-live");
    expect((within(dialog).getByTestId("alias-new") as HTMLButtonElement).disabled).toBe(false);
    await userEvent.click(within(dialog).getByTestId("aliases-close"));
    expect(screen.queryByTestId("aliases-dialog")).toBeNull();
  });

  it.each([
    ["runner", "Runners cannot change aliases (they can start executions through them)."],
    ["viewer", "Viewers cannot change aliases."],
  ])("a %s sees them but cannot change them, and is told why", async (role, why) => {
    server();
    page(role);
    await userEvent.click(await screen.findByTestId("toolbar-aliases"));
    await screen.findByTestId("alias-row-live");
    for (const id of ["alias-new", "alias-edit-live", "alias-delete-live"]) {
      expect((screen.getByTestId(id) as HTMLButtonElement).disabled).toBe(true);
      expect(screen.getByTestId(id).title).toBe(why);
    }
  });
});
