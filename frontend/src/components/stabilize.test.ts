import { describe, expect, it } from "vitest";
import { deriveGraph } from "../graph/derive";
import { layoutSync } from "../graph/layout";
import { stabilizeEdges, stabilizeNodes, toFlowEdges, toFlowNodes } from "./toFlow";
import type { Definition } from "../asl/types";

const definition: Definition = {
  StartAt: "A",
  States: {
    A: { Type: "Pass", Next: "B" },
    B: { Type: "Wait", Seconds: 1, Next: "C" },
    C: { Type: "Succeed" },
  },
};

function nodesFor(def: Definition, selection: string | null) {
  const graph = deriveGraph(def);
  const boxes = layoutSync(graph, { direction: "TB" });
  return toFlowNodes(graph, boxes, { direction: "TB", editable: true, selection });
}

describe("stabilizeNodes", () => {
  it("keeps every node object but the ones a selection change touches", () => {
    const first = nodesFor(definition, "/States/A");
    const before = new Map(first.map((n) => [n.id, n]));
    const second = stabilizeNodes(before, nodesFor(definition, "/States/B"));
    const changed = second.filter((n) => n !== before.get(n.id)).map((n) => n.id);
    expect(changed.sort()).toEqual(["/States/A", "/States/B"]);
    expect(second.find((n) => n.id === "/States/B")?.selected).toBe(true);
  });

  it("keeps untouched nodes when the definition is edited elsewhere", () => {
    const first = nodesFor(definition, null);
    const before = new Map(first.map((n) => [n.id, n]));
    const edited: Definition = { ...definition, States: { ...definition.States, B: { Type: "Wait", Seconds: 5, Next: "C" } } };
    const second = stabilizeNodes(before, nodesFor(edited, null));
    expect(second.find((n) => n.id === "/States/A")).toBe(before.get("/States/A"));
    expect(second.find((n) => n.id === "/States/C")).toBe(before.get("/States/C"));
  });

  it("keeps edges whose ends did not change and replaces the ones that did", () => {
    const graph = deriveGraph(definition);
    const before = new Map(toFlowEdges(graph, true).map((e) => [e.id, e]));
    const rewired: Definition = { ...definition, States: { ...definition.States, A: { Type: "Pass", Next: "C" } } };
    const after = stabilizeEdges(before, toFlowEdges(deriveGraph(rewired), true));
    const fromA = after.find((e) => e.source === "/States/A");
    const fromB = after.find((e) => e.source === "/States/B");
    expect(fromA).not.toBe(before.get(fromA!.id));
    expect(fromB).toBe(before.get(fromB!.id));
  });
});
