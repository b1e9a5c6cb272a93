/** Tests for the route paths: ends snap to the handles, corners are rounded, the label sits halfway. */
import { describe, expect, it } from "vitest";
import { fitRoute, halfway, roundedPath } from "./routePath";

describe("fitRoute", () => {
  const route = [
    { x: 100, y: 48 },
    { x: 100, y: 80 },
    { x: 300, y: 80 },
    { x: 300, y: 120 },
  ];
  it("replaces the ends by the handle points when they are close", () => {
    expect(fitRoute(route, { x: 100, y: 52 }, { x: 300, y: 116 })).toEqual([
      { x: 100, y: 52 },
      { x: 100, y: 80 },
      { x: 300, y: 80 },
      { x: 300, y: 116 },
    ]);
  });
  it("gives up when a node moved away from its route", () => {
    expect(fitRoute(route, { x: 140, y: 52 }, { x: 300, y: 116 })).toBeNull();
    expect(fitRoute(route, { x: 100, y: 52 }, { x: 300, y: 160 })).toBeNull();
    expect(fitRoute(undefined, { x: 0, y: 0 }, { x: 0, y: 0 })).toBeNull();
  });
});

describe("roundedPath", () => {
  it("draws straight lines with a curve at each bend", () => {
    const { path } = roundedPath([
      { x: 0, y: 0 },
      { x: 0, y: 40 },
      { x: 100, y: 40 },
    ]);
    expect(path).toBe("M 0 0 L 0 32 Q 0 40 8 40 L 100 40");
  });
  it("puts the label halfway along the route", () => {
    expect(halfway([{ x: 0, y: 0 }, { x: 0, y: 40 }, { x: 60, y: 40 }])).toEqual({ x: 10, y: 40 });
    expect(roundedPath([{ x: 0, y: 0 }, { x: 0, y: 10 }])).toMatchObject({ labelX: 0, labelY: 5 });
  });
});
