import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { resetStudio, useStudio } from "../../asl/store";
import type { Definition } from "../../asl/types";
import { fakeApi, type Call } from "../../start/fakeApi";
import { ConfigView, type ConfigViewProps } from "./ConfigView";
import type { Settings } from "./operateApi";

const definition: Definition = {
  StartAt: "Approve",
  States: { Approve: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", End: true } },
};
const REFUSAL = "An Express workflow cannot run this definition: State 'Approve' uses arn:aws:states:::lambda:invoke.waitForTaskToken: the Wait for a Callback pattern (.waitForTaskToken) waits for a token, which Express workflows do not support.";

function server(stored: Settings) {
  const calls: Call[] = fakeApi(({ method, url, body }) => {
    if (method === "GET" && url === "/api/workflows/w1/settings/") return { body: stored };
    if (method === "PATCH" && url === "/api/workflows/w1/settings/") {
      const b = body as Partial<Settings> & { revision: number };
      if (b.type === "EXPRESS") {
        return {
          status: 400,
          body: {
            code: "validation_failed",
            message: REFUSAL,
            details: { type: ["Express cannot run this definition."], problems: [{ code: "EXPRESS_UNSUPPORTED_INTEGRATION", message: "State 'Approve' uses ...", location: "/States/Approve/Resource", severity: "error" }] },
          },
        };
      }
      if (b.tags && "aws:x" in b.tags) return { status: 400, body: { code: "validation_failed", message: "Some tags are not allowed.", details: { tags: { "aws:x": ["Keys starting with 'aws:' are reserved."] } } } };
      const { revision, ...rest } = b;
      Object.assign(stored, rest, { revision: revision + 1 });
      return { body: stored };
    }
    if (method === "GET" && url === "/api/workflows/w1/") {
      return { body: { id: "w1", team: "acme", name: stored.name, type: stored.type, description: "", revision: stored.revision, definition: { ...definition, TimeoutSeconds: stored.timeout_seconds }, layout: {}, diagnostics: [] } };
    }
    return undefined;
  });
  return calls;
}

const settings = (): Settings => ({ id: "w1", revision: 3, name: "orders", description: "", type: "STANDARD", timeout_seconds: null, tags: {}, retention_days: 90 });

function props(extra: Partial<ConfigViewProps> = {}): ConfigViewProps {
  return {
    workflowId: "w1",
    canEdit: true,
    editReason: null,
    saveDraft: vi.fn(async () => {}),
    onSaved: vi.fn(),
    onShowState: vi.fn(),
    onDuplicated: vi.fn(),
    onDeleted: vi.fn(),
    ...extra,
  };
}

/** Whether a control (or fieldset) is disabled. */
const isDisabled = (el: HTMLElement) => (el as HTMLButtonElement | HTMLFieldSetElement).disabled;

describe("ConfigView", () => {
  beforeEach(() => {
    resetStudio();
    useStudio.getState().load({ definition, revision: 3 });
  });

  it("saves only the changed settings with the draft revision, after saving the draft", async () => {
    const calls = server(settings());
    const p = props();
    render(<ConfigView {...p} />);
    const name = await screen.findByTestId("settings-name");
    expect(isDisabled(screen.getByTestId("settings-save"))).toBe(true);
    await userEvent.clear(name);
    await userEvent.type(name, "orders-v2");
    await userEvent.click(screen.getByTestId("tag-add"));
    await userEvent.keyboard("team"); // the new row's key has the focus
    await userEvent.type(screen.getByTestId("tag-value"), "payments");
    await userEvent.click(screen.getByTestId("settings-save"));
    await waitFor(() => expect(screen.getByTestId("settings-status").textContent).toBe("Settings saved (revision 4)."));
    expect(p.saveDraft).toHaveBeenCalledOnce();
    expect(calls.filter((c) => c.method === "PATCH").map((c) => c.body)).toEqual([{ revision: 3, name: "orders-v2", tags: { team: "payments" } }]);
    expect(p.onSaved).toHaveBeenCalledWith(expect.objectContaining({ name: "orders-v2", revision: 4 }));
    expect(useStudio.getState().revision).toBe(4);
    expect(useStudio.getState().dirty).toBe(false);
    expect(isDisabled(screen.getByTestId("settings-save"))).toBe(true);
  });

  it("shows the server's Express refusal beside the type, pointing at the state", async () => {
    server(settings());
    const p = props();
    render(<ConfigView {...p} />);
    await userEvent.click(await screen.findByTestId("settings-type-express"));
    await userEvent.click(screen.getByTestId("settings-save"));
    const refusal = await screen.findByTestId("settings-type-refusal");
    expect(within(refusal).getByTestId("settings-type-reason").textContent).toBe(REFUSAL);
    const problem = within(refusal).getByTestId("settings-type-problem");
    expect(problem.dataset.pointer).toBe("/States/Approve/Resource");
    await userEvent.click(within(problem).getByTestId("settings-type-problem-state"));
    expect(p.onShowState).toHaveBeenCalledWith("/States/Approve");
    expect(screen.getByTestId("settings-status").textContent).toContain("Express cannot run 1 state");
    // choosing Standard again clears the refusal
    await userEvent.click(screen.getByTestId("settings-type-standard"));
    expect(screen.queryByTestId("settings-type-refusal")).toBeNull();
  });

  it("brings a saved timeout into the draft as an undoable edit", async () => {
    server(settings());
    render(<ConfigView {...props()} />);
    await userEvent.type(await screen.findByTestId("settings-timeout"), "120");
    await userEvent.click(screen.getByTestId("settings-save"));
    await waitFor(() => expect(useStudio.getState().definition.TimeoutSeconds).toBe(120));
    const store = useStudio.getState();
    expect(store.dirty).toBe(false);
    expect(store.revision).toBe(4);
    expect(store.undoLabel).toBe("Set workflow timeout to 120 s");
    store.undo();
    expect(useStudio.getState().definition.TimeoutSeconds).toBeUndefined();
    expect(useStudio.getState().dirty).toBe(true);
  });

  it("checks fields before sending and shows the server's field errors", async () => {
    const calls = server(settings());
    render(<ConfigView {...props()} />);
    await userEvent.type(await screen.findByTestId("settings-timeout"), "abc");
    await userEvent.click(screen.getByTestId("settings-save"));
    expect(screen.getByTestId("settings-timeout_seconds-error").textContent).toContain("whole number of seconds");
    expect(calls.some((c) => c.method === "PATCH")).toBe(false);
    await userEvent.clear(screen.getByTestId("settings-timeout"));
    await userEvent.click(screen.getByTestId("tag-add"));
    await userEvent.keyboard("aws:x");
    await userEvent.click(screen.getByTestId("settings-save"));
    expect((await screen.findByTestId("settings-tags-error")).textContent).toBe("aws:x: Keys starting with 'aws:' are reserved.");
    // removing the tag leaves nothing to save
    await userEvent.click(screen.getByTestId("tag-remove"));
    expect(screen.getByTestId("tags-empty")).toBeTruthy();
    expect(isDisabled(screen.getByTestId("settings-save"))).toBe(true);
  });

  it("asks before the page goes while settings are unsaved", async () => {
    server(settings());
    render(<ConfigView {...props()} />);
    const leave = () => {
      const event = new Event("beforeunload", { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    await userEvent.type(await screen.findByTestId("settings-description"), "x");
    expect(leave()).toBe(true);
    await userEvent.click(screen.getByTestId("settings-discard"));
    expect(leave()).toBe(false);
  });

  it("shows a viewer every setting with every control disabled, saying why", async () => {
    server({ ...settings(), tags: { team: "payments" } });
    const why = "Viewers cannot edit this workflow.";
    render(<ConfigView {...props({ canEdit: false, editReason: why })} />);
    const fieldset = await screen.findByTestId("config-fieldset");
    expect(isDisabled(fieldset)).toBe(true);
    expect(fieldset.getAttribute("title")).toBe(why);
    expect((screen.getByTestId("settings-name") as HTMLInputElement).value).toBe("orders");
    expect((screen.getByTestId("tag-key") as HTMLInputElement).value).toBe("team");
    for (const id of ["settings-save", "settings-discard", "config-duplicate", "config-delete", "tag-add", "tag-remove"]) {
      expect(isDisabled(screen.getByTestId(id)), id).toBe(true);
      expect(screen.getByTestId(id).getAttribute("title"), id).toBe(why);
    }
    expect(screen.getByTestId("config-readonly").textContent).toContain(why);
  });
});
