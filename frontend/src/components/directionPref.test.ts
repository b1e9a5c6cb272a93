/** Tests for the remembered read-only layout direction. */
import { describe, expect, it } from "vitest";
import { readDirection, writeDirection } from "./directionPref";
import type { PrefStorage } from "./panelState";

function memory(): PrefStorage {
  const data: Record<string, string> = {};
  return { getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

describe("direction preference", () => {
  it("is remembered per workflow", () => {
    const storage = memory();
    expect(readDirection(storage, "wf-1")).toBeNull();
    writeDirection(storage, "wf-1", "LR");
    expect(readDirection(storage, "wf-1")).toBe("LR");
    expect(readDirection(storage, "wf-2")).toBeNull();
  });
  it("ignores junk and missing storage", () => {
    const storage = memory();
    storage.setItem("stateyard.direction.wf", "sideways");
    expect(readDirection(storage, "wf")).toBeNull();
    expect(readDirection(null, "wf")).toBeNull();
    expect(() => writeDirection(null, "wf", "TB")).not.toThrow();
  });
});
