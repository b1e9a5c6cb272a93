/** The designer's frame: the code view starts closed, panels fold, and both are remembered (localStorage). */
import { beforeEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { resetStudio } from "../asl/store";
import { parseProps } from "../api/props";
import { fakeApi } from "../start/fakeApi";
import { DesignerPage } from "./DesignerPage";

const rangeProto = Range.prototype as unknown as Record<string, unknown>;
rangeProto.getClientRects ??= () => [];
rangeProto.getBoundingClientRect ??= () => ({ x: 0, y: 0, width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0, toJSON: () => ({}) });

const TWO = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Succeed" } } };
const BLANK = { StartAt: "A", States: { A: { Type: "Pass", End: true } } };

function open(definition: Record<string, unknown> = TWO) {
  fakeApi(({ method, url }) => {
    if (method === "GET" && url === "/api/workflows/w1/")
      return {
        body: {
          id: "w1", team: "acme", name: "orders", type: "STANDARD", description: "", revision: 1,
          definition, layout: {}, diagnostics: [],
        },
      };
    if (url.endsWith("/validate/")) return { body: { valid: true, diagnostics: [] } };
    return undefined;
  });
  const props = parseProps("designer", JSON.stringify({ teamSlug: "acme", canEdit: true, workflowId: "w1" }));
  return render(<DesignerPage {...props} validateDebounceMs={0} showExecutions={false} />);
}

describe("DesignerPage frame", () => {
  beforeEach(() => {
    resetStudio();
    window.localStorage.clear();
  });

  it("starts with the palette folded to its rail below 1440 px wide, open from 1440 px", async () => {
    window.innerWidth = 1280;
    try {
      const first = open();
      await screen.findByTestId("workflow-graph");
      expect(screen.getByTestId("palette-panel").dataset.open).toBe("false");
      first.unmount();
    } finally {
      window.innerWidth = 1440;
    }
    resetStudio();
    open();
    await screen.findByTestId("workflow-graph");
    expect(screen.getByTestId("palette-panel").dataset.open).toBe("true");
  });

  it("opens the palette for a new workflow (nothing but its placeholder state), without remembering it", async () => {
    window.innerWidth = 1280;
    try {
      window.localStorage.setItem("stateyard.designer.palette", JSON.stringify({ open: false, size: 200 }));
      open(BLANK);
      await screen.findByTestId("workflow-graph");
      expect(screen.getByTestId("palette-panel").dataset.open).toBe("true");
      expect(JSON.parse(window.localStorage.getItem("stateyard.designer.palette")!)).toMatchObject({ open: false });
    } finally {
      window.innerWidth = 1440;
    }
  });

  it("starts with the code view closed and remembers it opened", async () => {
    const first = open();
    await screen.findByTestId("workflow-graph");
    expect(screen.queryByTestId("code-panel")).toBeNull();
    fireEvent.click(screen.getByTestId("toolbar-code"));
    expect(screen.getByTestId("code-panel")).toBeTruthy();
    expect(JSON.parse(window.localStorage.getItem("stateyard.designer.code")!)).toMatchObject({ open: true });
    first.unmount();

    resetStudio();
    open();
    await screen.findByTestId("workflow-graph");
    expect(screen.getByTestId("code-panel")).toBeTruthy();
    fireEvent.click(screen.getByTestId("code-panel-toggle")); // its × closes it
    expect(screen.queryByTestId("code-panel")).toBeNull();
    expect(JSON.parse(window.localStorage.getItem("stateyard.designer.code")!)).toMatchObject({ open: false });
  });

  it("folds the inspector to a rail, remembered, and a splitter resizes it by keyboard", async () => {
    const first = open();
    await screen.findByTestId("workflow-graph");
    const splitter = screen.getByTestId("inspector-splitter");
    expect(splitter.getAttribute("aria-valuenow")).toBe("320");
    fireEvent.keyDown(splitter, { key: "ArrowLeft" }); // the inspector is right of it: it grows
    expect(screen.getByTestId("inspector-splitter").getAttribute("aria-valuenow")).toBe("336");
    fireEvent.keyDown(screen.getByTestId("inspector-splitter"), { key: "Home" });
    expect(screen.getByTestId("inspector-splitter").getAttribute("aria-valuenow")).toBe("240");
    fireEvent.click(screen.getByTestId("inspector-panel-toggle"));
    expect(screen.getByTestId("inspector-panel").dataset.open).toBe("false");
    expect(screen.queryByTestId("inspector")).toBeNull();
    first.unmount();

    resetStudio();
    open();
    await screen.findByTestId("workflow-graph");
    expect(screen.getByTestId("inspector-panel").dataset.open).toBe("false");
    fireEvent.click(screen.getByTestId("inspector-panel-toggle"));
    expect(screen.getByTestId("inspector")).toBeTruthy();
    expect(screen.getByTestId("inspector-splitter").getAttribute("aria-valuenow")).toBe("240");
  });
});
