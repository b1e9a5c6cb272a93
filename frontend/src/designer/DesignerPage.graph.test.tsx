/** The designer with the real canvas (no stand-in): it mounts, shows the states, and a palette drop lands in the store. */
import { beforeEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { resetStudio, useStudio } from "../asl/store";
import { parseProps } from "../api/props";
import { fakeApi } from "../start/fakeApi";
import { DesignerPage } from "./DesignerPage";
import { DRAG_MIME } from "./paletteItems";

const rangeProto = Range.prototype as unknown as Record<string, unknown>;
rangeProto.getClientRects ??= () => [];
rangeProto.getBoundingClientRect ??= () => ({ x: 0, y: 0, width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0, toJSON: () => ({}) });

describe("DesignerPage with the real canvas", () => {
  beforeEach(() => resetStudio());

  it("mounts and accepts a palette drop", async () => {
    fakeApi(({ method, url }) => {
      if (method === "GET" && url === "/api/workflows/w1/")
        return {
          body: {
            id: "w1", team: "acme", name: "orders", type: "STANDARD", description: "", revision: 1,
            definition: { StartAt: "A", States: { A: { Type: "Pass", End: true } } }, layout: {}, diagnostics: [],
          },
        };
      if (url.endsWith("/validate/")) return { body: { valid: true, diagnostics: [] } };
      return undefined;
    });
    const props = parseProps("designer", JSON.stringify({ teamSlug: "acme", canEdit: true, workflowId: "w1" }));
    render(<DesignerPage {...props} validateDebounceMs={0} />);
    const graph = await screen.findByTestId("workflow-graph");
    const payload = JSON.stringify({ type: "Wait" });
    fireEvent.drop(graph, {
      dataTransfer: { getData: (k: string) => (k === DRAG_MIME ? payload : ""), types: [DRAG_MIME] },
    });
    await waitFor(() => expect(useStudio.getState().definition.States!.Wait).toMatchObject({ Type: "Wait", Seconds: 5 }));
    expect(useStudio.getState().selection).toBe("/States/Wait");
  });
});
