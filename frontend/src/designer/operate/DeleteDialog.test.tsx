import { describe, expect, it, vi } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { fakeApi } from "../../start/fakeApi";
import { consequences, DeleteDialog } from "./DeleteDialog";

/** Whether a control (or fieldset) is disabled. */
const isDisabled = (el: HTMLElement) => (el as HTMLButtonElement | HTMLFieldSetElement).disabled;

describe("DeleteDialog", () => {
  it("says what deleting takes with it, then deletes once the name is typed", async () => {
    const calls = fakeApi(({ method, url }) => {
      if (method === "GET" && url === "/api/workflows/w1/delete-summary/") return { body: { running_executions: 2, stored_executions: 7, versions: 3, aliases: 1 } };
      if (method === "DELETE" && url === "/api/workflows/w1/") return { status: 204 };
      return undefined;
    });
    const onDeleted = vi.fn();
    render(<DeleteDialog workflowId="w1" name="orders" onDeleted={onDeleted} onCancel={vi.fn()} />);
    expect(screen.getByTestId("delete-summary-loading")).toBeTruthy();
    const running = await screen.findByTestId("delete-summary-running");
    expect(running.textContent).toBe("2 running executions will stop: they are deleted with the workflow and any pending work finds nothing to continue.");
    expect(running.className).toBe("sy-warn");
    expect(screen.getByTestId("delete-summary-stored").textContent).toBe("7 executions and their history will be deleted for good.");
    expect(screen.getByTestId("delete-summary-versions").textContent).toBe("3 published versions and 1 alias will be deleted.");
    const confirm = screen.getByTestId("delete-confirm");
    expect(isDisabled(confirm)).toBe(true);
    await userEvent.type(screen.getByTestId("delete-confirm-name"), "order");
    expect(isDisabled(confirm)).toBe(true);
    await userEvent.type(screen.getByTestId("delete-confirm-name"), "s");
    expect(isDisabled(confirm)).toBe(false);
    await userEvent.click(confirm);
    await waitFor(() => expect(onDeleted).toHaveBeenCalledOnce());
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(["GET /api/workflows/w1/delete-summary/", "DELETE /api/workflows/w1/"]);
  });

  it("says so when nothing runs and nothing is stored, and reports a refused delete", async () => {
    expect(consequences({ running_executions: 0, stored_executions: 0, versions: 1, aliases: 0 }).map((c) => [c.text, c.warn])).toEqual([
      ["No execution is running.", false],
      ["There is no execution history to delete.", false],
      ["1 published version and 0 aliases will be deleted.", true],
    ]);
    fakeApi(({ method }) =>
      method === "GET"
        ? { body: { running_executions: 0, stored_executions: 1, versions: 0, aliases: 0 } }
        : { status: 403, body: { code: "permission_denied", message: "Viewers cannot delete workflows.", details: null } },
    );
    const onDeleted = vi.fn();
    render(<DeleteDialog workflowId="w1" name="orders" onDeleted={onDeleted} onCancel={vi.fn()} />);
    expect((await screen.findByTestId("delete-summary-stored")).textContent).toBe("1 execution and its history will be deleted for good.");
    await userEvent.type(screen.getByTestId("delete-confirm-name"), "orders{Enter}");
    expect((await screen.findByTestId("delete-error")).textContent).toBe("Not deleted: Viewers cannot delete workflows.");
    expect(onDeleted).not.toHaveBeenCalled();
  });
});
