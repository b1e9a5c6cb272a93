/** Tests for the canvas gestures' definition edits. */
import { describe, expect, it } from "vitest";
import { sampleDefinition } from "../asl/fixtures";
import { MutationError } from "../asl/mutations";
import { getAt, getState } from "../asl/paths";
import { deriveGraph } from "../graph/derive";
import type { Definition } from "../asl/types";
import { connectEdit, deleteEdit, dropEdit, parseDropPayload, reconnectEdit } from "./canvasEdits";

const def = sampleDefinition();
const edge = (id: string) => {
  const found = deriveGraph(def).edges.find((e) => e.id === id);
  if (!found) throw new Error(`no edge ${id}`);
  return found;
};

describe("canvas edits", () => {
  it("parses drag payloads", () => {
    expect(parseDropPayload("Task")).toEqual({ type: "Task" });
    expect(parseDropPayload('{"type":"Task","resource":"arn:aws:states:::http:invoke"}')).toEqual({ type: "Task", resource: "arn:aws:states:::http:invoke" });
    expect(parseDropPayload("nonsense")).toBeNull();
    expect(parseDropPayload('{"type":"Bogus"}')).toBeNull();
  });

  it("connects from markers, to end markers and from the catch handle", () => {
    expect(connectEdit(def, "#start", "/States/Route").definition.StartAt).toBe("Route");
    const ended = connectEdit(def, "/States/Fan", "#end").definition;
    expect(getState(ended, "/States/Fan")?.End).toBe(true);
    expect(getState(ended, "/States/Fan")?.Next).toBeUndefined();
    const caught = connectEdit(def, "/States/Fan", "/States/Oops", "catch");
    expect(caught.definition.States?.Fan?.Catch).toEqual([{ ErrorEquals: ["States.ALL"], Next: "Oops" }]);
    expect(caught.label).toBe("Connect Fan to Oops");
    expect(() => connectEdit(def, "/States/Route", "#end")).toThrow(MutationError);
    expect(() => connectEdit(def, "#start", "/States/Fan/Branches/0/States/Left")).toThrow(MutationError);
  });

  it("reconnects edges, including end and start edges", () => {
    const moved = reconnectEdit(def, edge("e:/States/Route#default"), "/States/Route", "/States/Oops");
    expect(moved.definition.States?.Route?.Default).toBe("Oops");
    const endEdge = edge("e:/States/Fan/Branches/1/States/Right#end");
    const fromEnd = reconnectEdit(def, endEdge, endEdge.source, "/States/Fan/Branches/1/States/Right");
    expect(getState(fromEnd.definition, "/States/Fan/Branches/1/States/Right")).toEqual({ Type: "Pass", Next: "Right" });
    const start = reconnectEdit(def, edge("e:#start"), "#start", "/States/Done");
    expect(start.definition.StartAt).toBe("Done");
    const toEnd = reconnectEdit(def, edge("e:/States/Fan#next"), "/States/Fan", "#end");
    expect(toEnd.definition.States?.Fan?.End).toBe(true);
  });

  it("deletes states and transitions", () => {
    const edit = deleteEdit(def, ["/States/Oops"], [edge("e:/States/Route#choice/0"), edge("e:/States/Route#choice/1")]);
    expect(edit.definition.States?.Oops).toBeUndefined();
    expect(edit.definition.States?.Route?.Choices).toEqual([]);
    expect(edit.label).toBe("Delete Oops");
  });

  it("deleting a state with the edges the canvas hands over (in and out) joins its neighbours", () => {
    const chain: Definition = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", Next: "C" }, C: { Type: "Succeed" } } };
    const edges = deriveGraph(chain).edges.filter((e) => e.source === "/States/B" || e.target === "/States/B");
    expect(edges.length).toBe(2);
    const edit = deleteEdit(chain, ["/States/B"], edges);
    expect(edit.definition).toEqual({ StartAt: "A", States: { A: { Type: "Pass", Next: "C" }, C: { Type: "Succeed" } } });
    const first = deriveGraph(chain).edges.filter((e) => e.source === "/States/A" || e.target === "/States/A");
    expect(deleteEdit(chain, ["/States/A"], first).definition.StartAt).toBe("B");
  });

  it("drops onto the canvas, a lane and an edge", () => {
    const canvas = dropEdit(def, { type: "Pass" }, { kind: "canvas", scope: "" });
    expect(canvas.selection).toBe("/States/Pass");
    const lane = dropEdit(def, { type: "Wait" }, { kind: "lane", scope: "/States/Each/ItemProcessor" });
    expect(getAt(lane.definition, "/States/Each/ItemProcessor/States/Wait/Type")).toBe("Wait");
    const onEdge = dropEdit(def, { type: "Task", resource: "arn:aws:states:::http:invoke" }, { kind: "edge", ref: edge("e:/States/Validate#next").ref, edge: edge("e:/States/Validate#next") });
    expect(onEdge.definition.States?.Validate?.Next).toBe("Task");
    expect(onEdge.definition.States?.Task).toMatchObject({ Type: "Task", Resource: "arn:aws:states:::http:invoke", Next: "Route" });
    expect(onEdge.selection).toBe("/States/Task");
  });
});
