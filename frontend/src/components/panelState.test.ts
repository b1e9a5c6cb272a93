/** Tests for the remembered panel state: defaults, clamping, broken entries, round trips. */
import { describe, expect, it } from "vitest";
import { clampSize, readPanel, shareRoom, writePanel, type PanelSpec, type PrefStorage } from "./panelState";

const spec: PanelSpec = { key: "test.panel", defaultOpen: false, size: 420, min: 280, max: 900 };

function memory(initial: Record<string, string> = {}): PrefStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

describe("panel state", () => {
  it("clamps sizes to the panel's limits", () => {
    expect(clampSize(100, spec)).toBe(280);
    expect(clampSize(5000, spec)).toBe(900);
    expect(clampSize(500.4, spec)).toBe(500);
    expect(clampSize(Number.NaN, spec)).toBe(280);
  });

  it("gives the defaults without storage or a stored entry", () => {
    expect(readPanel(null, spec)).toEqual({ open: false, size: 420 });
    expect(readPanel(memory(), spec)).toEqual({ open: false, size: 420 });
  });

  it("remembers open and size", () => {
    const storage = memory();
    writePanel(storage, spec, { open: true, size: 512 });
    expect(JSON.parse(storage.data["test.panel"]!)).toEqual({ open: true, size: 512 });
    expect(readPanel(storage, spec)).toEqual({ open: true, size: 512 });
    writePanel(storage, spec, { open: false, size: 12 });
    expect(readPanel(storage, spec)).toEqual({ open: false, size: 280 });
  });

  it("survives broken entries and a full storage", () => {
    expect(readPanel(memory({ "test.panel": "{not json" }), spec)).toEqual({ open: false, size: 420 });
    expect(readPanel(memory({ "test.panel": '{"open":"yes","size":"big"}' }), spec)).toEqual({ open: false, size: 420 });
    expect(readPanel(memory({ "test.panel": '{"size":9999}' }), spec)).toEqual({ open: false, size: 900 });
    const full: PrefStorage = { getItem: () => null, setItem: () => { throw new Error("QuotaExceededError"); } };
    expect(() => writePanel(full, spec, { open: true, size: 300 })).not.toThrow();
  });
});

describe("shareRoom", () => {
  it("keeps the panels' sizes when the canvas has its room", () => {
    expect(shareRoom(1440, [{ size: 200, min: 150 }, { size: 320, min: 260 }], 400)).toEqual([200, 320]);
  });
  it("shrinks the panels in proportion to their slack, not below their min", () => {
    // 1000 - 400 = 600 for panels wanting 700: cut 100 of a slack of 50 + 150
    expect(shareRoom(1000, [{ size: 200, min: 150 }, { size: 500, min: 350 }], 400)).toEqual([175, 425]);
    expect(shareRoom(500, [{ size: 200, min: 150 }, { size: 500, min: 350 }], 400)).toEqual([150, 350]);
  });
});
