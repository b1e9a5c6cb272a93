import { beforeEach, describe, expect, it, vi } from "vitest";
import { resetStudio, useStudio } from "../asl/store";
import type { Definition } from "../asl/types";
import { clearClipboard, handleShortcut, type KeyLike } from "./shortcuts";

const def = (): Definition => ({
  StartAt: "A",
  States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", End: true } },
});

function key(k: string, mods: Partial<KeyLike> = {}): KeyLike {
  return { key: k, ctrlKey: false, metaKey: false, shiftKey: false, target: document.body, preventDefault: vi.fn(), ...mods };
}

describe("shortcuts", () => {
  const actions = { save: vi.fn(), fit: vi.fn(), notify: vi.fn() };
  beforeEach(() => {
    resetStudio();
    clearClipboard();
    useStudio.getState().load({ definition: def() });
    vi.clearAllMocks();
  });

  it("deletes the selection and undoes/redoes", () => {
    useStudio.getState().select("/States/A");
    expect(handleShortcut(key("Delete"), actions)).toBe(true);
    expect(useStudio.getState().definition.States!.A).toBeUndefined();
    handleShortcut(key("z", { ctrlKey: true }), actions);
    expect(useStudio.getState().definition.States!.A).toBeTruthy();
    handleShortcut(key("z", { metaKey: true, shiftKey: true }), actions);
    expect(useStudio.getState().definition.States!.A).toBeUndefined();
    handleShortcut(key("z", { ctrlKey: true }), actions);
    handleShortcut(key("y", { ctrlKey: true }), actions);
    expect(useStudio.getState().definition.States!.A).toBeUndefined();
  });

  it("duplicates, copies and pastes", () => {
    useStudio.getState().select("/States/B");
    handleShortcut(key("d", { ctrlKey: true }), actions);
    expect(useStudio.getState().definition.States!["B copy"]).toEqual({ Type: "Pass", End: true });
    expect(useStudio.getState().selection).toBe("/States/B copy");
    useStudio.getState().select("/States/A");
    handleShortcut(key("c", { ctrlKey: true }), actions);
    handleShortcut(key("v", { ctrlKey: true }), actions);
    const names = Object.keys(useStudio.getState().definition.States!);
    expect(names).toHaveLength(4);
    expect(useStudio.getState().selection).toBe("/States/A 2");
  });

  it("saves with Ctrl+S even in a text field, fits with Shift+1", () => {
    const input = document.createElement("input");
    document.body.appendChild(input);
    expect(handleShortcut(key("s", { ctrlKey: true, target: input }), actions)).toBe(true);
    expect(actions.save).toHaveBeenCalled();
    useStudio.getState().select("/States/A");
    expect(handleShortcut(key("Delete", { target: input }), actions)).toBe(false);
    expect(useStudio.getState().definition.States!.A).toBeTruthy();
    handleShortcut(key("!", { shiftKey: true, code: "Digit1" }), actions);
    expect(actions.fit).toHaveBeenCalled();
    input.remove();
  });

  it("does not edit when read-only", () => {
    useStudio.getState().select("/States/A");
    handleShortcut(key("Delete"), actions, true);
    expect(useStudio.getState().definition.States!.A).toBeTruthy();
  });

  it("tells the user when there is nothing to paste", () => {
    handleShortcut(key("v", { ctrlKey: true }), actions);
    expect(actions.notify).toHaveBeenCalled();
  });
});
