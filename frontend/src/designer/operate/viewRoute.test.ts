import { describe, expect, it } from "vitest";
import { formatRoute, parseRoute, shortcutAllowed, type DesignerRoute } from "./viewRoute";

describe("designer routes", () => {
  it("round-trips every route through the hash", () => {
    const routes: DesignerRoute[] = [
      { view: "design" },
      { view: "config" },
      { view: "versions" },
      { view: "versions", open: 3 },
      { view: "versions", compare: [1, "draft"] },
      { view: "versions", compare: ["draft", 12] },
    ];
    for (const r of routes) expect(parseRoute(formatRoute(r))).toEqual(r);
    expect(formatRoute({ view: "versions", compare: [1, 2] })).toBe("#compare/1/2");
  });

  it("reads anything unknown as the design view or the version list", () => {
    expect(parseRoute("")).toEqual({ view: "design" });
    expect(parseRoute("#nonsense")).toEqual({ view: "design" });
    expect(parseRoute("#versions/0")).toEqual({ view: "versions" });
    expect(parseRoute("#versions/abc")).toEqual({ view: "versions" });
    expect(parseRoute("#compare/1")).toEqual({ view: "versions" });
    expect(parseRoute("#compare/x/draft")).toEqual({ view: "versions" });
  });

  it("keeps only save, undo and redo outside the Design view", () => {
    const key = (k: string, ctrl = true) => ({ key: k, ctrlKey: ctrl, metaKey: false });
    expect(shortcutAllowed("design", key("Delete", false))).toBe(true);
    expect(shortcutAllowed("config", key("Delete", false))).toBe(false);
    expect(shortcutAllowed("versions", key("v"))).toBe(false);
    expect(shortcutAllowed("versions", key("d"))).toBe(false);
    expect(shortcutAllowed("versions", key("z"))).toBe(true);
    expect(shortcutAllowed("config", key("Z"))).toBe(true);
    expect(shortcutAllowed("config", key("s"))).toBe(true);
    expect(shortcutAllowed("config", { key: "y", ctrlKey: false, metaKey: true })).toBe(true);
  });
});
