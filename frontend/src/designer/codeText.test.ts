import { describe, expect, it } from "vitest";
import { definitionToText, jsonEqual, minimalChange, parseText, pointerRange } from "./codeText";

const def = {
  StartAt: "A",
  States: {
    A: { Type: "Pass", Next: "B/C" },
    "B/C": { Type: "Parallel", Branches: [{ StartAt: "X", States: { X: { Type: "Succeed" } } }], End: true },
  },
};

describe("codeText", () => {
  it("round-trips JSON and YAML", () => {
    for (const mode of ["json", "yaml"] as const) {
      const parsed = parseText(definitionToText(def, mode), mode);
      expect(parsed.ok && jsonEqual(parsed.value, def)).toBe(true);
    }
  });

  it("reports parse errors with a position", () => {
    const bad = parseText('{"StartAt": }', "json");
    expect(bad.ok).toBe(false);
    const badYaml = parseText("StartAt: [a\nStates: {", "yaml");
    expect(badYaml.ok).toBe(false);
    expect(parseText("[1]", "json").ok).toBe(false);
  });

  it("maps JSON Pointers to text ranges in JSON and YAML", () => {
    for (const mode of ["json", "yaml"] as const) {
      const text = definitionToText(def, mode);
      const leaf = pointerRange(text, "/States/A/Next");
      expect(leaf).not.toBeNull();
      const slice = text.slice(leaf!.from, leaf!.to);
      expect(slice).toContain("Next");
      expect(slice).toContain("B/C");
      const state = pointerRange(text, "/States/B~1C/Branches/0/States/X");
      expect(text.slice(state!.from, state!.to)).toContain("X");
      // Past what exists: the deepest part found.
      const missing = pointerRange(text, "/States/A/Retry/0");
      expect(text.slice(missing!.from, missing!.to)).toContain("A");
      expect(pointerRange(text, "")).not.toBeNull();
    }
  });

  it("computes a minimal change", () => {
    expect(minimalChange("abcdef", "abXdef")).toEqual({ from: 2, to: 3, insert: "X" });
    expect(minimalChange("same", "same")).toBeNull();
    expect(minimalChange("aaa", "aaaa")).toEqual({ from: 3, to: 3, insert: "a" });
  });
});
