/** Tests for the WorkflowGraph canvas in jsdom (synchronous layout): attributes, selection, drops, statuses. */
import { act, fireEvent, render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { sampleDefinition } from "../asl/fixtures";
import { getAt } from "../asl/paths";
import { resetStudio, useStudio } from "../asl/store";
import { DRAG_MIME } from "./canvasEdits";
import { WorkflowGraph, dropTargetOf } from "./WorkflowGraph";

function dataTransfer(payload: string) {
  return { types: [DRAG_MIME], getData: (t: string) => (t === DRAG_MIME ? payload : ""), dropEffect: "none" };
}

function node(path: string): HTMLElement {
  const found = document.querySelector(`[data-testid="state-node"][data-state-path="${path}"]`);
  if (!(found instanceof HTMLElement)) throw new Error(`no node ${path}`);
  return found;
}

beforeEach(() => {
  resetStudio();
  useStudio.getState().load({ definition: sampleDefinition() });
});

describe("WorkflowGraph", () => {
  it("renders every state with stable test attributes, lanes and markers", () => {
    const { unmount } = render(<WorkflowGraph definition={sampleDefinition()} editable />);
    expect(screen.getAllByTestId("state-node")).toHaveLength(13);
    expect(node("/States/Route").dataset.stateType).toBe("Choice");
    expect(node("/States/Each/ItemProcessor/States/Inner/Branches/0/States/Deeper")).toBeTruthy();
    expect(screen.getAllByTestId("lane").map((l) => l.dataset.scopePath)).toEqual([
      "/States/Fan/Branches/0",
      "/States/Fan/Branches/1",
      "/States/Each/ItemProcessor",
      "/States/Each/ItemProcessor/States/Inner/Branches/0",
    ]);
    expect(screen.getAllByTestId("start-marker")).toHaveLength(5);
    expect(screen.getByTestId("workflow-graph").dataset.direction).toBe("TB");
    unmount();
    // a run's graph (read-only) keeps only the top level's markers
    render(<WorkflowGraph definition={sampleDefinition()} editable={false} />);
    expect(screen.getAllByTestId("state-node")).toHaveLength(13);
    expect(screen.getAllByTestId("lane")).toHaveLength(4);
    expect(screen.getAllByTestId("start-marker").map((m) => m.dataset.scopePath)).toEqual([""]);
  });

  it("colours states by status and shows a legend in read-only mode", () => {
    const onSelect = vi.fn();
    render(<WorkflowGraph definition={sampleDefinition()} statuses={{ "/States/Validate": "succeeded", "/States/Route": "running" }} onSelect={onSelect} />);
    expect(node("/States/Validate").dataset.status).toBe("succeeded");
    expect(node("/States/Validate").className).toContain("sy-status-succeeded");
    expect(screen.getByTestId("graph-legend").textContent).toContain("Caught");
    fireEvent.click(node("/States/Route"));
    expect(onSelect).toHaveBeenCalledWith("/States/Route");
    expect(useStudio.getState().selection).toBeNull();
  });

  it("selects into the store when editable", () => {
    render(<WorkflowGraph definition={useStudio.getState().definition} editable />);
    fireEvent.click(node("/States/Fan/Branches/0/States/Left"));
    expect(useStudio.getState().selection).toBe("/States/Fan/Branches/0/States/Left");
  });

  it("accepts palette drops into a lane and onto the canvas", () => {
    render(<WorkflowGraph definition={useStudio.getState().definition} editable />);
    const lane = screen.getAllByTestId("lane")[1] as HTMLElement;
    act(() => {
      fireEvent.drop(lane, { dataTransfer: dataTransfer('{"type":"Wait"}') });
    });
    const def = useStudio.getState().definition;
    expect(getAt(def, "/States/Fan/Branches/1/States/Wait/Type")).toBe("Wait");
    expect(useStudio.getState()).toMatchObject({ undoLabel: "Add Wait", selection: "/States/Fan/Branches/1/States/Wait" });
    act(() => {
      fireEvent.drop(screen.getByTestId("workflow-graph"), { dataTransfer: dataTransfer("Succeed") });
    });
    expect(useStudio.getState().definition.States?.Succeed).toEqual({ Type: "Succeed" });
  });

  it("switches direction through the store when editable", () => {
    render(<WorkflowGraph definition={useStudio.getState().definition} editable />);
    fireEvent.click(screen.getByTestId("direction-lr"));
    expect(useStudio.getState().layout.direction).toBe("LR");
    expect(screen.getByTestId("workflow-graph").dataset.direction).toBe("LR");
  });

  it("collapses a container", () => {
    render(<WorkflowGraph definition={sampleDefinition()} />);
    const toggle = node("/States/Fan").querySelector('[data-testid="collapse-toggle"]') as HTMLElement;
    fireEvent.click(toggle);
    expect(document.querySelector('[data-state-path="/States/Fan/Branches/0/States/Left"]')).toBeNull();
    expect(node("/States/Fan").dataset.stateType).toBe("Parallel");
  });
});

describe("dropTargetOf", () => {
  it("finds edges, lanes and the canvas", () => {
    document.body.innerHTML = '<div data-drop-scope="/States/P/Branches/0"><span id="in-lane"></span></div><div data-drop-edge="e:/States/A#next"><b id="on-edge"></b></div>';
    const edges = new Map([["e:/States/A#next", { id: "e:/States/A#next", source: "/States/A", target: "/States/B", kind: "next" as const, label: "", ref: { kind: "next" as const, source: "/States/A" }, scope: "" }]]);
    expect(dropTargetOf(document.getElementById("on-edge"), edges)).toMatchObject({ kind: "edge", ref: { source: "/States/A" } });
    expect(dropTargetOf(document.getElementById("in-lane"), edges)).toEqual({ kind: "lane", scope: "/States/P/Branches/0" });
    expect(dropTargetOf(document.body, edges)).toEqual({ kind: "canvas", scope: "" });
  });
});
