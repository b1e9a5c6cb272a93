/** Tests for the minimap (Overview.tsx): one rectangle per node from the layout, the view
 * unmasked, and a drag on it moves the canvas's view. */
import { ReactFlow, ReactFlowProvider, useStore } from "@xyflow/react";
import { fireEvent, render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Definition } from "../asl/types";
import { deriveGraph } from "../graph/derive";
import { graphBounds } from "../graph/geometry";
import { layoutSync } from "../graph/layout";
import { Overview, overviewRects } from "./Overview";

const DEFINITION: Definition = {
  StartAt: "A",
  States: {
    A: { Type: "Pass", Next: "Fan" },
    Fan: { Type: "Parallel", Branches: [{ StartAt: "B", States: { B: { Type: "Pass", End: true } } }], Next: "C" },
    C: { Type: "Succeed" },
  },
};

function Transform() {
  const transform = useStore((s) => s.transform);
  return <output data-testid="transform">{transform.join(",")}</output>;
}

describe("Overview", () => {
  const graph = deriveGraph(DEFINITION);
  const boxes = layoutSync(graph, { direction: "TB" });

  it("has a rectangle per node in graph coordinates, nested nodes inside their containers", () => {
    const rects = overviewRects(graph, boxes, { "/States/A": "succeeded" });
    expect(rects.map((r) => r.id)).toEqual(graph.nodes.map((n) => n.id));
    const fan = rects.find((r) => r.id === "/States/Fan")!.box;
    const inner = rects.find((r) => r.id === "/States/Fan/Branches/0/States/B")!.box;
    expect(inner.x).toBeGreaterThanOrEqual(fan.x);
    expect(inner.y + inner.height).toBeLessThanOrEqual(fan.y + fan.height);
    expect(rects.find((r) => r.id === "/States/A")!.className).toBe("react-flow__minimap-node sy-mini-state sy-status-succeeded");
    expect(rects.find((r) => r.id === "/States/Fan/Branches/0")!.className).toBe("react-flow__minimap-node sy-mini-lane");
  });

  it("draws every node and the view's mask, and a drag on it moves the view", () => {
    const { container, getByTestId } = render(
      <ReactFlowProvider initialWidth={800} initialHeight={600}>
        <ReactFlow nodes={[]} edges={[]} />
        <Overview graph={graph} boxes={boxes} bounds={graphBounds(graph, boxes)} style={{ width: 150, height: 110 }} minZoom={0.1} maxZoom={2} />
        <Transform />
      </ReactFlowProvider>,
    );
    expect(container.querySelectorAll(".react-flow__minimap-node")).toHaveLength(graph.nodes.length);
    expect(container.querySelectorAll(".react-flow__minimap-mask")).toHaveLength(1);
    expect(getByTestId("transform").textContent).toBe("0,0,1");
    const svg = container.querySelector("svg")!;
    fireEvent.pointerDown(svg, { button: 0, clientX: 50, clientY: 50, pointerId: 1 });
    fireEvent.pointerMove(svg, { clientX: 50, clientY: 60, pointerId: 1 });
    fireEvent.pointerUp(svg, { pointerId: 1 });
    const [x, y, zoom] = getByTestId("transform").textContent!.split(",").map(Number);
    // dragging the view's frame down on the minimap shows what is further down: the graph moves up
    expect(x).toBe(0);
    expect(y).toBeLessThan(0);
    expect(zoom).toBe(1);
  });
});
