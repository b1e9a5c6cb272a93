/** Tests for startsEmpty: which workflows open the designer with the palette out. */
import { describe, expect, it } from "vitest";
import { BLANK_DEFINITION } from "../templates";
import type { Definition } from "../asl/types";
import { startsEmpty } from "./startsEmpty";

describe("startsEmpty", () => {
  it("is true for a blank workflow and one with no states", () => {
    expect(startsEmpty(BLANK_DEFINITION as unknown as Definition)).toBe(true);
    expect(startsEmpty({ StartAt: "", States: {} } as Definition)).toBe(true);
    expect(startsEmpty(null)).toBe(true);
  });

  it("is false once there is something to look at", () => {
    const two = { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Succeed" } } } as Definition;
    expect(startsEmpty(two)).toBe(false);
    const map = { StartAt: "M", States: { M: { Type: "Map", End: true, ItemProcessor: { StartAt: "X", States: { X: { Type: "Pass", End: true } } } } } } as Definition;
    expect(startsEmpty(map)).toBe(false);
  });
});
