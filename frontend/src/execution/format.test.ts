/** Tests for the execution formatting helpers: one time format, in the user's zone, with the zone named. */
import { describe, expect, it } from "vitest";
import { executionStart, executionStop, formatTime } from "./format";

describe("formatTime", () => {
  it("shows the time in the given zone, with milliseconds and the zone's name", () => {
    expect(formatTime("2024-05-01T12:00:00.250Z", "UTC")).toBe("2024-05-01 12:00:00.250 UTC");
    expect(formatTime("2024-05-01T12:00:00.250Z", "Asia/Tokyo")).toBe("2024-05-01 21:00:00.250 GMT+9");
    expect(formatTime("2024-12-31T23:30:00Z", "America/New_York")).toBe("2024-12-31 18:30:00.000 GMT-5");
    expect(formatTime(null)).toBe("–");
  });

  it("takes an execution's start from its start date, not from its first event", () => {
    expect(executionStart({ start_date: "2024-05-01T12:00:00.000Z" }, "2024-05-01T12:00:00.007Z")).toBe("2024-05-01T12:00:00.000Z");
    expect(executionStart(null, "2024-05-01T12:00:00.007Z")).toBe("2024-05-01T12:00:00.007Z");
  });
});

describe("executionStop", () => {
  it("takes an execution's stop from its stop date (as the executions list does), not from its last event", () => {
    expect(executionStop({ stop_date: "2024-05-01T12:00:00.089Z" }, "2024-05-01T12:00:00.074Z")).toBe("2024-05-01T12:00:00.089Z");
    expect(executionStop(null, "2024-05-01T12:00:00.074Z")).toBe("2024-05-01T12:00:00.074Z");
    expect(executionStop({ stop_date: null }, null)).toBeNull();
  });
});
