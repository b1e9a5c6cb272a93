import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { resetStudio, useStudio } from "../asl/store";
import type { Definition } from "../asl/types";
import { Palette } from "./Palette";
import { insertItem } from "./insert";
import { DRAG_MIME, PALETTE_ITEMS, dragPayloadOf, filterPalette, newState } from "./paletteItems";

const def = (): Definition => ({
  StartAt: "A",
  States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", End: true }, C: { Type: "Choice", Choices: [{ Variable: "$.x", IsPresent: true, Next: "A" }] } },
});

describe("palette catalogue", () => {
  it("has every flow state and the task kinds", () => {
    const flow = PALETTE_ITEMS.filter((i) => i.group === "Flow").map((i) => i.type);
    expect(flow).toEqual(["Pass", "Wait", "Choice", "Parallel", "Map", "Succeed", "Fail"]);
    const resources = PALETTE_ITEMS.filter((i) => i.group === "Actions").map((i) => i.resource);
    expect(resources).toContain("arn:aws:states:::http:invoke");
    expect(resources).toContain("arn:aws:states:::lambda:invoke");
    expect(resources).toContain("arn:aws:states:::states:startExecution.sync:2");
    expect(resources.some((r) => r?.endsWith(".waitForTaskToken"))).toBe(true);
    expect(resources.some((r) => r?.includes(":activity:"))).toBe(true);
  });

  it("searches by label, type and description", () => {
    expect(filterPalette("http").map((i) => i.id)).toEqual(["http"]);
    expect(filterPalette("task token").map((i) => i.id)).toEqual(["callback"]);
    expect(filterPalette("each item").map((i) => i.id)).toEqual(["map"]);
    expect(filterPalette("zzz")).toEqual([]);
  });

  it("makes new states with unique names, in the workflow's query language", () => {
    const taken = new Set(["Call API", "Branch step"]);
    const http = newState({ type: "Task", resource: "arn:aws:states:::http:invoke" }, taken);
    expect(http.name).toBe("Call API 2");
    expect(http.state).toMatchObject({ Type: "Task", Resource: "arn:aws:states:::http:invoke", Parameters: { Method: "GET" }, End: true });
    const fn = newState({ type: "Task", resource: "arn:aws:states:::lambda:invoke" }, new Set(), true);
    expect(fn.state.Arguments).toMatchObject({ Payload: "{% $states.input %}" });
    const par = newState({ type: "Parallel" }, taken);
    expect(par.state.Branches).toEqual([{ StartAt: "Branch step 2", States: { "Branch step 2": { Type: "Pass", End: true } } }]);
  });
});

describe("inserting", () => {
  it("adds after the selected state, on its transition", () => {
    const r = insertItem(def(), { type: "Wait" }, "/States/A");
    expect(r.path).toBe("/States/Wait");
    expect(r.definition.States!.A!.Next).toBe("Wait");
    expect(r.definition.States!.Wait).toMatchObject({ Type: "Wait", Next: "B" });
    expect(Object.keys(r.definition.States!)).toEqual(["A", "Wait", "B", "C"]);
  });

  it("continues an end state", () => {
    const r = insertItem(def(), { type: "Succeed" }, "/States/B");
    expect(r.definition.States!.B).toEqual({ Type: "Pass", Next: "Succeed" });
    expect(r.definition.States!.Succeed).toEqual({ Type: "Succeed" });
  });

  it("a Choice inserted on a transition gets a rule and a Default to the old target", () => {
    const r = insertItem(def(), { type: "Choice" }, "/States/A");
    expect(r.definition.States!.Choice).toMatchObject({ Default: "B", Choices: [{ Next: "B" }] });
  });

  it("without selection (or after a Choice) adds an unconnected state", () => {
    expect(Object.keys(insertItem(def(), { type: "Pass" }, null).definition.States!)).toContain("Pass");
    const r = insertItem(def(), { type: "Fail" }, "/States/C");
    expect(r.definition.States!.Fail).toMatchObject({ Type: "Fail" });
  });
});

describe("Palette component", () => {
  beforeEach(() => resetStudio());

  it("filters with the search box and inserts by keyboard", async () => {
    const onInsert = vi.fn();
    render(<Palette onInsert={onInsert} />);
    await userEvent.type(screen.getByTestId("palette-search"), "wait");
    expect(screen.getByTestId("palette-item-wait")).toBeTruthy();
    expect(screen.queryByTestId("palette-item-pass")).toBeNull();
    await userEvent.keyboard("{Enter}");
    expect(onInsert).toHaveBeenLastCalledWith(expect.objectContaining({ id: "wait" }));

    await userEvent.clear(screen.getByTestId("palette-search"));
    await userEvent.keyboard("{ArrowDown}");
    expect(document.activeElement).toBe(screen.getByTestId("palette-item-pass"));
    await userEvent.keyboard("{ArrowDown}{ArrowDown}");
    expect(document.activeElement).toBe(screen.getByTestId("palette-item-choice"));
    await userEvent.keyboard("{Enter}");
    expect(onInsert).toHaveBeenLastCalledWith(expect.objectContaining({ id: "choice" }));
    await userEvent.keyboard("{End}{Enter}");
    expect(onInsert).toHaveBeenLastCalledWith(expect.objectContaining({ id: "callback" }));
  });

  it("shows when nothing matches", async () => {
    render(<Palette onInsert={() => {}} />);
    await userEvent.type(screen.getByTestId("palette-search"), "nothing-like-this");
    expect(screen.getByTestId("palette-empty")).toBeTruthy();
  });

  it("puts the state payload on a drag", () => {
    render(<Palette onInsert={() => {}} />);
    const data: Record<string, string> = {};
    fireEvent.dragStart(screen.getByTestId("palette-item-http"), {
      dataTransfer: { setData: (k: string, v: string) => (data[k] = v), effectAllowed: "" },
    });
    expect(JSON.parse(data[DRAG_MIME]!)).toEqual(dragPayloadOf(PALETTE_ITEMS.find((i) => i.id === "http")!));
  });

  it("keyboard insertion through the store adds after the selection (integration)", async () => {
    useStudio.getState().load({ definition: def() });
    useStudio.getState().select("/States/A");
    render(
      <Palette
        onInsert={(item) => {
          const s = useStudio.getState();
          const r = insertItem(s.definition, dragPayloadOf(item), s.selection);
          s.setDefinition(r.definition, `Add ${r.name}`, { selection: r.path });
        }}
      />,
    );
    await userEvent.type(screen.getByTestId("palette-search"), "http{Enter}");
    const d = useStudio.getState().definition;
    expect(d.States!.A!.Next).toBe("Call API");
    expect(useStudio.getState().selection).toBe("/States/Call API");
    expect(useStudio.getState().undoLabel).toBe("Add Call API");
  });
});

describe("dropping on the canvas", () => {
  it("adds to a scope or inserts on a transition", async () => {
    const { insertAtDrop } = await import("./insert");
    const lane = insertAtDrop(def(), { type: "Task", resource: "arn:aws:states:::http:invoke" }, { kind: "canvas", scope: "" });
    expect(lane.definition.States!["Call API"]).toMatchObject({ Resource: "arn:aws:states:::http:invoke", End: true });
    const edge = insertAtDrop(def(), { type: "Choice" }, { kind: "edge", ref: { kind: "next", source: "/States/A" } });
    expect(edge.definition.States!.A!.Next).toBe("Choice");
    expect(edge.definition.States!.Choice).toMatchObject({ Default: "B", Choices: [{ Next: "B" }] });
    const start = insertAtDrop(def(), { type: "Pass" }, { kind: "edge", ref: { kind: "start", source: "" } });
    expect(start.definition.StartAt).toBe("Pass");
    expect(start.definition.States!.Pass).toEqual({ Type: "Pass", Next: "A" });
  });
});
