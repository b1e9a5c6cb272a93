import { describe, expect, it } from "vitest";
import { MAX_PX_PER_MS, anchoredScroll, clampZoom, maxZoom, tickStep, ticks } from "./timelineAxis";

describe("timeline axis", () => {
  it("picks 1/2/5 steps at least the gap apart", () => {
    expect(tickStep(0.1, 90)).toBe(1000); // 900 ms wanted
    expect(tickStep(0.05, 90)).toBe(2000); // 1800 ms
    expect(tickStep(0.02, 90)).toBe(5000); // 4500 ms
    expect(tickStep(1, 90)).toBe(100);
    expect(tickStep(100, 90)).toBe(1); // never below a millisecond
    expect(tickStep(0.0001, 96)).toBe(1_000_000);
  });

  it("lists the ticks of the visible range only, from zero", () => {
    expect(ticks(-500, 2500, 1000)).toEqual([0, 1000, 2000]);
    expect(ticks(1500, 4200, 1000)).toEqual([2000, 3000, 4000]);
    expect(ticks(0, 1e9, 1, 5)).toHaveLength(5);
  });

  it("limits the zoom to a few pixels a millisecond", () => {
    expect(maxZoom(10_000, 1000)).toBe((10_000 * MAX_PX_PER_MS) / 1000);
    expect(maxZoom(100, 1000)).toBe(1);
    expect(clampZoom(0.2, 10_000, 1000)).toBe(1);
    expect(clampZoom(1e6, 10_000, 1000)).toBe(40);
  });

  it("keeps the time under the pointer in place", () => {
    // 300 px into the chart at 0.1 px/ms is 3 s; at 0.2 px/ms 3 s is 600 px into the chart
    const after = anchoredScroll(0, 200 + 300, 200, 0.1, 0.2);
    expect(after + 500 - 200).toBeCloseTo(600);
    expect(anchoredScroll(50, 250, 200, 0.1, 0.05)).toBe(0);
  });
});
