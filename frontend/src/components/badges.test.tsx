/** A word on a state's corner (the execution view's "kept" after a redrive): data, drawing, stability. */
import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import { ReactFlowProvider } from "@xyflow/react";
import type { Definition } from "../asl/types";
import { deriveGraph } from "../graph/derive";
import { layoutSync } from "../graph/layout";
import { StateNode } from "./nodes";
import { stabilizeNodes, toFlowNodes } from "./toFlow";
import type { FlowNode } from "./flowTypes";

const definition: Definition = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Succeed" } } };
const KEPT = { text: "kept", title: "Not run again by the last redrive." };

function nodes(badges?: Record<string, typeof KEPT>) {
  const graph = deriveGraph(definition);
  return toFlowNodes(graph, layoutSync(graph, { direction: "TB" }), { direction: "TB", editable: false, statuses: {}, badges });
}

describe("state badges", () => {
  it("reach only the states named, and an unchanged badge keeps the node object", () => {
    const first = nodes({ "/States/A": KEPT });
    expect(first.find((n) => n.id === "/States/A")!.data.badge).toBe(KEPT);
    expect(first.find((n) => n.id === "/States/B")!.data.badge).toBeUndefined();
    const before = new Map(first.map((n) => [n.id, n]));
    const again = stabilizeNodes(before, nodes({ "/States/A": KEPT }));
    expect(again.every((n) => n === before.get(n.id))).toBe(true);
    const gone = stabilizeNodes(before, nodes({}));
    expect(gone.filter((n) => n !== before.get(n.id)).map((n) => n.id)).toEqual(["/States/A"]);
  });

  it("draws the word with its meaning on hover", () => {
    const node = nodes({ "/States/A": KEPT }).find((n) => n.id === "/States/A") as FlowNode;
    const props = { id: node.id, data: node.data, selected: false, type: "state", dragging: false, zIndex: 0, isConnectable: false, positionAbsoluteX: 0, positionAbsoluteY: 0, draggable: false, selectable: true, deletable: false } as unknown as Parameters<typeof StateNode>[0];
    render(
      <ReactFlowProvider>
        <StateNode {...props} />
      </ReactFlowProvider>,
    );
    const badge = screen.getByTestId("state-badge");
    expect(badge.textContent).toBe("kept");
    expect(badge.getAttribute("title")).toBe(KEPT.title);
  });
});
