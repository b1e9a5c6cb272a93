import { describe, expect, it, vi } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ConflictDialog, type WorkflowSnapshot } from "./ConflictDialog";

const current: WorkflowSnapshot = {
  id: "w1",
  team: "acme",
  name: "orders",
  type: "STANDARD",
  description: "",
  revision: 7,
  definition: { StartAt: "X", States: { X: { Type: "Succeed" } } },
  layout: {},
  updated_at: "2024-05-01T10:00:00Z",
};

describe("ConflictDialog", () => {
  it("offers the three choices and passes the copy name", async () => {
    const onResolve = vi.fn(async () => {});
    render(<ConflictDialog current={current} yourRevision={5} copyName="orders-copy" onResolve={onResolve} onCancel={() => {}} />);
    expect(screen.getByTestId("conflict-dialog").textContent).toContain("revision 7");
    await userEvent.click(screen.getByTestId("conflict-keep-mine"));
    expect(onResolve).toHaveBeenLastCalledWith("keep-mine", undefined);
    await userEvent.click(screen.getByTestId("conflict-take-theirs"));
    expect(onResolve).toHaveBeenLastCalledWith("take-theirs", undefined);
    const name = screen.getByTestId("conflict-copy-name");
    await userEvent.clear(name);
    await userEvent.type(name, "orders-mine");
    await userEvent.click(screen.getByTestId("conflict-copy-mine"));
    expect(onResolve).toHaveBeenLastCalledWith("copy-mine", "orders-mine");
  });

  it("shows a failure and lets the user try another way", async () => {
    const onResolve = vi.fn(async () => {
      throw new Error("A workflow named 'orders-copy' already exists in this team.");
    });
    render(<ConflictDialog current={current} yourRevision={5} copyName="orders-copy" onResolve={onResolve} onCancel={() => {}} />);
    await userEvent.click(screen.getByTestId("conflict-copy-mine"));
    await waitFor(() => expect(screen.getByTestId("conflict-error").textContent).toContain("already exists"));
    expect((screen.getByTestId("conflict-keep-mine") as HTMLButtonElement).disabled).toBe(false);
  });
});
