/** Tests for the view fitting: zoom clamping, centring, and big graphs shown from their start. */
import { describe, expect, it } from "vitest";
import { LABEL_FONT_PX, MIN_SCREEN_FONT_PX } from "../graph/sizes";
import { boundsInView, clampZoom, fitViewport, MAX_FIT_ZOOM, mostlyNew, READABLE_ZOOM } from "./viewFit";

describe("READABLE_ZOOM", () => {
  it("keeps a state label at least 11 px on screen", () => {
    expect(MIN_SCREEN_FONT_PX).toBeGreaterThanOrEqual(11);
    expect(LABEL_FONT_PX * READABLE_ZOOM).toBeGreaterThanOrEqual(MIN_SCREEN_FONT_PX);
    // and the fit never chooses less
    const { viewport } = fitViewport({ x: 0, y: 0, width: 5000, height: 5000 }, { width: 400, height: 300 }, { direction: "TB" });
    expect(viewport.zoom * LABEL_FONT_PX).toBeGreaterThanOrEqual(11);
  });
});

describe("clampZoom", () => {
  it("keeps the zoom between readable and the largest fit", () => {
    expect(clampZoom(0.1)).toBe(READABLE_ZOOM);
    expect(clampZoom(0.9)).toBe(0.9);
    expect(clampZoom(4)).toBe(MAX_FIT_ZOOM);
    expect(clampZoom(Number.NaN)).toBe(MAX_FIT_ZOOM);
    expect(clampZoom(0.2, 0.25, 2)).toBe(0.25);
  });
});

describe("fitViewport", () => {
  const size = { width: 800, height: 500 };

  it("centres a graph that fits, zoomed to fill the room", () => {
    const bounds = { x: 10, y: 20, width: 704, height: 480 };
    const { viewport, fits } = fitViewport(bounds, size, { direction: "TB", padding: 48 });
    expect(fits).toBe(true);
    expect(viewport.zoom).toBeCloseTo(404 / 480);
    expect(boundsInView(bounds, viewport, size)).toBe(true);
    // centred: as much room left as right
    const left = bounds.x * viewport.zoom + viewport.x;
    const right = size.width - (left + bounds.width * viewport.zoom);
    expect(left).toBeCloseTo(right);
  });

  it("does not blow up a small graph", () => {
    const { viewport } = fitViewport({ x: 0, y: 0, width: 184, height: 48 }, size, { direction: "TB" });
    expect(viewport.zoom).toBe(MAX_FIT_ZOOM);
  });

  it("never goes below the readable zoom: a long chain starts at the top, centred in the room beside the minimap", () => {
    const bounds = { x: 0, y: 0, width: 184, height: 5000 };
    const { viewport, fits } = fitViewport(bounds, size, { direction: "TB", padding: 40, reserve: { right: 200, bottom: 0 } });
    expect(fits).toBe(false);
    expect(viewport.zoom).toBe(READABLE_ZOOM);
    expect(viewport.y).toBe(40);
    expect(viewport.x).toBeCloseTo((600 - 184 * READABLE_ZOOM) / 2);
    expect(boundsInView(bounds, viewport, size)).toBe(false);
  });

  it("says the graph fits when it is all on screen from its start and only the margin at the end is short", () => {
    const bounds = { x: 0, y: 0, width: 184, height: (500 - 40 - 10) / READABLE_ZOOM };
    const { viewport, fits } = fitViewport(bounds, size, { direction: "TB", padding: 40 });
    expect(viewport).toMatchObject({ y: 40, zoom: READABLE_ZOOM });
    expect(boundsInView(bounds, viewport, size)).toBe(true);
    expect(fits).toBe(true);
  });

  it("starts a long left-to-right chain at the left", () => {
    const bounds = { x: -30, y: 0, width: 6000, height: 48 };
    const { viewport, fits } = fitViewport(bounds, size, { direction: "LR", padding: 40 });
    expect(fits).toBe(false);
    expect(viewport.x).toBe(40 + 30 * READABLE_ZOOM);
    expect(viewport.zoom).toBe(READABLE_ZOOM);
  });
});

describe("mostlyNew", () => {
  const set = (...ids: string[]) => new Set(ids);
  it("tells a load or an import from an edit", () => {
    expect(mostlyNew(set(), set("a"))).toBe(true); // first load
    expect(mostlyNew(set("a", "b", "c"), set("a", "b", "c", "d"))).toBe(false); // a state added
    expect(mostlyNew(set("a", "b", "c"), set("a", "b"))).toBe(false); // one deleted
    expect(mostlyNew(set("a", "b", "c"), set("x", "y", "c"))).toBe(true); // imported
    expect(mostlyNew(set("a"), set())).toBe(true); // everything gone
    expect(mostlyNew(set(), set())).toBe(false);
  });
});
