/** Tests for state paths (JSON Pointers) and scope helpers. */
import { describe, expect, it } from "vitest";
import { sampleDefinition } from "./fixtures";
import {
  allScopes,
  allStatePaths,
  getAt,
  nameOf,
  ownerOf,
  parsePointer,
  pathOfName,
  pointer,
  scopeOf,
  stateOfLocation,
} from "./paths";

describe("paths", () => {
  it("escapes and parses pointers", () => {
    expect(pointer("States", "a/b~c")).toBe("/States/a~1b~0c");
    expect(parsePointer("/States/a~1b~0c")).toEqual(["States", "a/b~c"]);
    expect(nameOf("/States/a~1b")).toBe("a/b");
  });

  it("finds scopes, owners and names", () => {
    const def = sampleDefinition();
    expect(scopeOf("/States/A")).toBe("");
    expect(scopeOf("/States/P/Branches/0/States/B")).toBe("/States/P/Branches/0");
    expect(scopeOf("/States/M/ItemProcessor/States/C")).toBe("/States/M/ItemProcessor");
    expect(ownerOf("/States/P/Branches/0")).toBe("/States/P");
    expect(ownerOf("/States/M/ItemProcessor")).toBe("/States/M");
    expect(ownerOf("")).toBeNull();
    expect(pathOfName(def, "Deeper")).toBe("/States/Each/ItemProcessor/States/Inner/Branches/0/States/Deeper");
    expect(pathOfName(def, "Nope")).toBeNull();
    expect(getAt(def, "/States/Fan/Branches/1/States/Right/Type")).toBe("Pass");
  });

  it("lists scopes and states depth first", () => {
    const def = sampleDefinition();
    expect(allScopes(def)).toEqual([
      "",
      "/States/Fan/Branches/0",
      "/States/Fan/Branches/1",
      "/States/Each/ItemProcessor",
      "/States/Each/ItemProcessor/States/Inner/Branches/0",
    ]);
    expect(allStatePaths(def)).toHaveLength(13);
  });

  it("maps diagnostic locations to states", () => {
    expect(stateOfLocation("/States/A/Next")).toBe("/States/A");
    expect(stateOfLocation("/States/M/ItemProcessor/States/C/Catch/0/Next")).toBe("/States/M/ItemProcessor/States/C");
    expect(stateOfLocation("/States/P/Branches/1/StartAt")).toBe("/States/P");
    expect(stateOfLocation("/StartAt")).toBeNull();
  });
});
