import { describe, expect, it } from "vitest";
import type { Settings } from "./operateApi";
import { changesOf, formOf, formProblems, newTagRow } from "./settingsForm";

const stored: Settings = {
  id: "w1",
  revision: 4,
  name: "orders",
  description: "",
  type: "STANDARD",
  timeout_seconds: null,
  tags: { team: "payments" },
  retention_days: 90,
};

describe("settings form", () => {
  it("sends only what changed", () => {
    const form = formOf(stored);
    expect(changesOf(stored, form)).toEqual({});
    expect(changesOf(stored, { ...form, name: "orders-v2", timeout: "120", tags: [...form.tags, newTagRow("env", "prod")] })).toEqual({
      name: "orders-v2",
      timeout_seconds: 120,
      tags: { team: "payments", env: "prod" },
    });
    // emptied: no timeout; a removed tag; an empty row is not a tag
    const withTimeout = { ...stored, timeout_seconds: 30 };
    expect(changesOf(withTimeout, { ...formOf(withTimeout), timeout: " ", tags: [newTagRow()] })).toEqual({ timeout_seconds: null, tags: {} });
    expect(changesOf(stored, { ...form, type: "EXPRESS", retention: "7" })).toEqual({ type: "EXPRESS", retention_days: 7 });
  });

  it("says what cannot be sent, field by field", () => {
    const form = formOf(stored);
    expect(formProblems(form)).toEqual({});
    expect(formProblems({ ...form, name: " " }).name).toBe("A workflow needs a name.");
    expect(formProblems({ ...form, type: "EXPRESS", timeout: "301" }).timeout_seconds).toContain("from 1 to 300");
    expect(formProblems({ ...form, timeout: "1.5" }).timeout_seconds).toContain("whole number");
    expect(formProblems({ ...form, timeout: "31536000" })).toEqual({});
    expect(formProblems({ ...form, retention: "0" }).retention_days).toContain("1 to 3650");
    expect(formProblems({ ...form, tags: [newTagRow("", "x")] }).tags).toBe("Every tag needs a key.");
    expect(formProblems({ ...form, tags: [newTagRow("a", "1"), newTagRow("a", "2")] }).tags).toContain('"a" is used twice');
    expect(formProblems({ ...form, tags: Array.from({ length: 51 }, (_, i) => newTagRow(`k${i}`, "")) }).tags).toContain("at most 50");
  });
});
