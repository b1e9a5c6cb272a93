import { describe, expect, it } from "vitest";
import { toFlowEdges, toFlowNodes } from "../components/toFlow";
import { deriveGraph } from "./derive";
import { edgeMark, nodeMark, withExtraEdges, type GraphMarks } from "./marks";

const definition = {
  StartAt: "A",
  States: {
    A: { Type: "Pass", Next: "M" },
    M: { Type: "Map", ItemProcessor: { StartAt: "In", States: { In: { Type: "Pass", End: true } } }, Next: "Gone" },
    Gone: { Type: "Pass", End: true },
  },
};
const marks: GraphMarks = {
  nodes: { "/States/M": { mark: "added" }, "/States/Gone": { mark: "removed" }, "/States/A": { mark: "renamed", oldName: "Start" } },
  within: { "/States/M": "added" },
  edges: { "e:/States/A#next": "added" },
  extraEdges: [
    { id: "diff:/States/A->/States/Gone#Next", source: "/States/A", target: "/States/Gone", kind: "next", label: "", ref: { kind: "next", source: "/States/A" }, scope: "" },
    { id: "diff:/States/A->/States/Nowhere#Next", source: "/States/A", target: "/States/Nowhere", kind: "next", label: "", ref: { kind: "next", source: "/States/A" }, scope: "" },
  ],
};

describe("graph marks", () => {
  it("marks a container's inside with it, and edges into or out of a removed state", () => {
    expect(nodeMark(marks, "/States/M/ItemProcessor/States/In")).toEqual({ mark: "added" });
    expect(nodeMark(marks, "/States/MX")).toBeUndefined();
    const graph = withExtraEdges(deriveGraph(definition), marks);
    const byId = Object.fromEntries(graph.edges.map((e) => [e.id, edgeMark(marks, e) ?? null]));
    expect(byId["e:/States/A#next"]).toBe("added");
    expect(byId["e:/States/M#next"]).toBe("removed"); // into the ghost
    expect(byId["e:/States/Gone#end"]).toBe("removed");
    expect(byId["diff:/States/A->/States/Gone#Next"]).toBe("removed");
    expect("diff:/States/A->/States/Nowhere#Next" in byId).toBe(false); // no end on the graph: not drawn
  });

  it("carries the marks to the canvas: node data and a coloured arrowhead", () => {
    const graph = withExtraEdges(deriveGraph(definition), marks);
    const nodes = toFlowNodes(graph, {}, { direction: "TB", editable: false, marks });
    const data = Object.fromEntries(nodes.map((n) => [n.id, [n.data.diff ?? null, n.data.oldName ?? null]]));
    expect(data["/States/A"]).toEqual(["renamed", "Start"]);
    expect(data["/States/M/ItemProcessor/States/In"]).toEqual(["added", null]);
    expect(data["/States/M/ItemProcessor"]).toEqual([null, null]); // lanes carry no mark
    const edges = toFlowEdges(graph, false, {}, marks);
    const added = edges.find((e) => e.id === "e:/States/A#next")!;
    expect(added.data?.diff).toBe("added");
    expect(added.markerEnd).toMatchObject({ color: "var(--sy-diff-added)" });
    expect(toFlowEdges(graph, false).every((e) => e.markerEnd === undefined && e.data?.diff === undefined)).toBe(true);
  });
});
