/** Tests for isReached: when a dropped state is part of the flow. */
import { describe, expect, it } from "vitest";
import type { Definition } from "../asl/types";
import { isReached } from "./unconnected";

describe("isReached", () => {
  const def = {
    StartAt: "A",
    States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Succeed" }, Loose: { Type: "Wait", Seconds: 1, End: true } },
  } as Definition;

  it("is false for a state nothing leads to", () => {
    expect(isReached(def, "/States/Loose")).toBe(false);
  });

  it("is true for the start, a transition's target, or a state that is gone", () => {
    expect(isReached(def, "/States/A")).toBe(true);
    expect(isReached(def, "/States/B")).toBe(true);
    expect(isReached(def, "/States/Nope")).toBe(true);
    const linked = { ...def, States: { ...def.States, B: { Type: "Pass", Next: "Loose" } } } as Definition;
    expect(isReached(linked, "/States/Loose")).toBe(true);
  });
});
