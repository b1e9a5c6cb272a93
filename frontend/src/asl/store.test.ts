/** Tests for the studio store: load, labelled undo/redo, dirty tracking, selection. */
import { beforeEach, describe, expect, it } from "vitest";
import { sampleDefinition } from "./fixtures";
import { addState, deleteState, renameState } from "./mutations";
import { resetStudio, useStudio } from "./store";

const s = () => useStudio.getState();

beforeEach(() => {
  resetStudio();
  s().load({ definition: sampleDefinition(), layout: { direction: "TB" }, revision: 3 });
});

describe("useStudio", () => {
  it("loads clean, with no history", () => {
    expect(s()).toMatchObject({ revision: 3, dirty: false, canUndo: false, canRedo: false, selection: null });
    expect(s().layout).toEqual({ direction: "TB" });
  });

  it("undoes and redoes with labels", () => {
    const before = s().definition;
    s().setDefinition(addState(before, "", "Pass", { name: "P1" }), "Add P1");
    s().setDefinition(addState(s().definition, "", "Pass", { name: "P2" }), "Add P2");
    expect(s()).toMatchObject({ canUndo: true, undoLabel: "Add P2", dirty: true });
    s().undo();
    expect(s().definition.States?.P2).toBeUndefined();
    expect(s()).toMatchObject({ undoLabel: "Add P1", redoLabel: "Add P2", canRedo: true });
    s().undo();
    expect(s().definition).toBe(before);
    expect(s()).toMatchObject({ dirty: false, canUndo: false });
    s().redo();
    s().redo();
    expect(s().definition.States?.P2).toBeDefined();
    expect(s()).toMatchObject({ canRedo: false, dirty: true });
    s().undo();
    s().setDefinition(addState(s().definition, "", "Wait", { name: "W" }), "Add W");
    expect(s().canRedo).toBe(false);
  });

  it("tracks the saved snapshot", () => {
    s().setDefinition(addState(s().definition, "", "Pass", { name: "P1" }), "Add P1");
    s().markSaved(4);
    expect(s()).toMatchObject({ dirty: false, revision: 4 });
    s().undo();
    expect(s().dirty).toBe(true);
    s().redo();
    expect(s().dirty).toBe(false);
  });

  it("keeps, moves or drops the selection", () => {
    s().select("/States/Route");
    s().setDefinition(addState(s().definition, "", "Pass"), "Add Pass");
    expect(s().selection).toBe("/States/Route");
    s().setDefinition(renameState(s().definition, "/States/Route", "Router"), "Rename", { selection: "/States/Router" });
    expect(s().selection).toBe("/States/Router");
    s().setDefinition(deleteState(s().definition, "/States/Router"), "Delete Router");
    expect(s().selection).toBeNull();
    s().undo();
    expect(s().selection).toBeNull();
  });

  it("stores layout changes, undoable when labelled", () => {
    s().setLayout({ direction: "LR" }, "Left to right");
    expect(s().layout.direction).toBe("LR");
    s().undo();
    expect(s().layout.direction).toBe("TB");
    s().setLayout({ direction: "TB", positions: { "/States/Route": { x: 1, y: 2 } } });
    expect(s()).toMatchObject({ canUndo: false, dirty: true });
    s().setDiagnostics([{ code: "X", message: "m", location: "/States/Route", severity: "error" }]);
    expect(s().diagnostics).toHaveLength(1);
  });
});
