import { describe, expect, it } from "vitest";
import {
  NO_FILTERS,
  applyRedrives,
  filtersFrom,
  isoToLocal,
  localToIso,
  mergeFirstPage,
  queryOf,
  rowResult,
  summary,
  type TeamExecution,
} from "./teamExecutions";

function row(id: string, minute: number, status = "FAILED"): TeamExecution {
  return {
    id,
    name: `run-${id}`,
    workflow: "wf",
    workflow_name: "orders",
    version: null,
    alias: null,
    type: "STANDARD",
    status,
    error: null,
    start_date: `2026-01-01T00:${String(minute).padStart(2, "0")}:00Z`,
    stop_date: null,
    event_count: 3,
    redrive_count: 0,
  };
}

describe("filters", () => {
  it("round-trip through the query string, leaving out what is not set", () => {
    const filters = { ...NO_FILTERS, status: "FAILED,TIMED_OUT", workflow: "w1", name_prefix: "ord" };
    expect(queryOf(filters)).toBe("?status=FAILED%2CTIMED_OUT&workflow=w1&name_prefix=ord");
    expect(filtersFrom(queryOf(filters))).toEqual(filters);
    expect(queryOf(NO_FILTERS)).toBe("");
    expect(queryOf(NO_FILTERS, { limit: "50", cursor: "" })).toBe("?limit=50");
    expect(filtersFrom("?bogus=1&alias=%20live%20")).toEqual({ ...NO_FILTERS, alias: "live" });
  });

  it("reads times in the user's zone and sends them in UTC", () => {
    const iso = localToIso("2026-03-04T05:06");
    expect(new Date(iso).getFullYear()).toBe(2026);
    expect(iso.endsWith("Z")).toBe(true);
    expect(isoToLocal(iso)).toBe("2026-03-04T05:06");
    expect(localToIso("")).toBe("");
    expect(isoToLocal("not a time")).toBe("");
  });
});

describe("mergeFirstPage", () => {
  it("takes the page's rows as they are now and keeps the later pages", () => {
    const list = [row("c", 3, "RUNNING"), row("b", 2), row("a", 1)];
    const page = { results: [row("d", 4), row("c", 3, "SUCCEEDED")], next_cursor: "x" };
    const { rows, gone } = mergeFirstPage(list, page);
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ["d", "FAILED"],
      ["c", "SUCCEEDED"],
      ["b", "FAILED"],
      ["a", "FAILED"],
    ]);
    expect(gone.size).toBe(0);
  });

  it("drops a row that no longer matches, unless a bulk action pinned it", () => {
    const list = [row("c", 3), row("b", 2), row("a", 1)];
    const page = { results: [row("c", 3), row("a", 1)], next_cursor: null }; // b was redriven: not FAILED now
    expect(mergeFirstPage(list, page).rows.map((r) => r.id)).toEqual(["c", "a"]);
    const pinned = mergeFirstPage(list, page, new Set(["b"]));
    expect(pinned.rows.map((r) => r.id)).toEqual(["c", "b", "a"]);
    expect([...pinned.gone]).toEqual(["b"]);
  });
});

describe("bulk outcomes", () => {
  it("say what happened to each row, and in sum", () => {
    expect(rowResult("redrive", { id: "a", redriven: true, redrive_count: 1 })).toEqual({ ok: true, text: "Redriven (1st redrive)" });
    expect(rowResult("redrive", { id: "a", redriven: true, redrive_count: 12 }).text).toBe("Redriven (12th redrive)");
    expect(rowResult("redrive", { id: "a", redriven: true, redrive_count: 22 }).text).toBe("Redriven (22nd redrive)");
    expect(rowResult("redrive", { id: "b", redriven: false, code: "execution_not_redrivable", message: "Execution is SUCCEEDED and cannot be redriven." })).toEqual({
      ok: false,
      text: "Refused: Execution is SUCCEEDED and cannot be redriven.",
    });
    expect(rowResult("stop", { id: "c", stopped: true })).toEqual({ ok: true, text: "Stop requested" });
    expect(rowResult("stop", { id: "c", stopped: false, code: "permission_denied" }).text).toBe("Refused: permission_denied");
    const outcomes = [
      { id: "a", redriven: true },
      { id: "b", redriven: false, message: "no" },
      { id: "c", redriven: true },
    ];
    expect(summary("redrive", outcomes)).toBe("2 redriven, 1 refused");
    expect(summary("stop", [{ id: "a", stopped: true }])).toBe("1 stopped");
  });

  it("marks redriven rows running again", () => {
    const rows = [row("a", 1), row("b", 2)];
    const next = applyRedrives(rows, [
      { id: "a", redriven: true, redrive_count: 1 },
      { id: "b", redriven: false },
    ]);
    expect(next.map((r) => [r.id, r.status, r.redrive_count])).toEqual([
      ["a", "RUNNING", 1],
      ["b", "FAILED", 0],
    ]);
  });
});
