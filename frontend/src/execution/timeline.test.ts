import { describe, expect, it } from "vitest";
import { HistoryFold, type HistoryEvent } from "./history";
import { buildTimeline, groupKeys, visibleRows, waitReason, type Timeline, type TimelineNode } from "./timeline";
import { FIXTURES, namePaths, type Recorded } from "./testing";
import timelineFixture from "./fixtures/timeline.json";

const TIMELINE = timelineFixture as unknown as Recorded;

function timeline(rec: Recorded, withPaths = true, events: HistoryEvent[] = rec.events, now?: number): Timeline {
  const fold = HistoryFold.of(events);
  return buildTimeline(fold, { ...(withPaths ? { pathOf: namePaths(rec.definition) } : {}), ...(now !== undefined ? { now } : {}) });
}

/** Each node as `label` with its children's outline: "Fan[Branch 1[Quick] Branch 2[Slow SlowDone]]". */
function outline(nodes: TimelineNode[]): string {
  return nodes.map((n) => (n.children.length ? `${n.label}[${outline(n.children)}]` : n.label)).join(" ");
}

function find(t: Timeline, predicate: (n: TimelineNode) => boolean): TimelineNode[] {
  const out: TimelineNode[] = [];
  const walk = (nodes: TimelineNode[]) => {
    for (const n of nodes) {
      if (predicate(n)) out.push(n);
      walk(n.children);
    }
  };
  walk(t.roots);
  return out;
}

const at = (iso: string) => Date.parse(iso);
const T0 = at("2023-11-14T22:13:20.000Z");

describe("buildTimeline", () => {
  it("nests Parallel branches and Map iterations under their states", () => {
    const t = timeline(TIMELINE);
    expect(outline(t.roots)).toBe("Fetch Fan[Branch 1[Quick] Branch 2[Slow SlowDone]] Each[#0[Nap] #1[Nap] #2[Nap]] Done");
    expect(t.spans).toBe(10);
    expect(t.start).toBe(T0);
    expect(t.end).toBe(T0 + 11_500);
    const each = find(t, (n) => n.name === "Each" && n.kind === "state")[0]!;
    expect(each.children.map((g) => [g.key, g.kind, g.status, g.end - g.start])).toEqual([
      [`${each.key}/i0`, "iteration", "succeeded", 1000],
      [`${each.key}/i1`, "iteration", "succeeded", 3000],
      [`${each.key}/i2`, "iteration", "succeeded", 2000],
    ]);
    const naps = find(t, (n) => n.name === "Nap");
    expect(naps.map((n) => n.iterations)).toEqual([0, 1, 2].map((index) => [{ map: "Each", index }]));
  });

  it("groups branches the same way without the definition (by the order they started)", () => {
    expect(outline(timeline(TIMELINE, false).roots)).toBe(outline(timeline(TIMELINE).roots));
  });

  it("shows each attempt of a retried task and the backoff between them", () => {
    const fetch = find(timeline(TIMELINE), (n) => n.name === "Fetch")[0]!;
    expect(fetch.segments.map((s) => [s.kind, s.attempt, s.outcome ?? "", s.start - T0, s.end - T0])).toEqual([
      ["attempt", 1, "failed", 0, 500],
      ["backoff", 2, "", 500, 1500],
      ["attempt", 2, "failed", 1500, 2000],
      ["backoff", 3, "", 2000, 4000],
      ["attempt", 3, "succeeded", 4000, 4500],
    ]);
    expect(fetch.segments[0]!.error).toBe("Flaky");
    // the recorded retry fixture: full jitter, so the backoffs are the recorded gaps
    const call = find(timeline(FIXTURES.retry), (n) => n.name === "CallService")[0]!;
    expect(call.segments.filter((s) => s.kind === "attempt").map((s) => s.outcome)).toEqual(["failed", "failed", "succeeded"]);
    expect(call.segments.filter((s) => s.kind === "backoff").map((s) => s.end - s.start)).toEqual([134, 1912]);
  });

  it("marks waits: Wait states as one wait segment, plain spans with none", () => {
    const t = timeline(TIMELINE);
    const quick = find(t, (n) => n.name === "Quick")[0]!;
    expect(quick.segments).toEqual([{ kind: "wait", start: quick.start, end: quick.start + 1000, waitsFor: "the Wait state's time" }]);
    expect(find(t, (n) => n.name === "Slow")[0]!.segments).toEqual([]);
    expect(find(t, (n) => n.name === "Done")[0]!.segments).toEqual([]);
  });

  it("names what a task attempt waits for", () => {
    expect(waitReason("TaskScheduled", { resource: "invoke.waitForTaskToken" })).toBe("the task token (callback)");
    expect(waitReason("TaskScheduled", { resource: "startExecution.sync:2" })).toBe("the job to finish (.sync)");
    expect(waitReason("ActivityScheduled", { resource: "arn:aws:states:us-east-1:1:activity:a" })).toBe("an activity worker");
    expect(waitReason("TaskScheduled", { resource: "invoke" })).toBeUndefined();
  });

  it("marks the critical path: the slow branch, the longest iteration and the chain between", () => {
    const t = timeline(TIMELINE);
    const critical = find(t, (n) => n.critical).map((n) => `${n.label}${n.iterations.length ? `@${n.iterations[0]!.index}` : ""}`);
    expect(critical).toEqual(["Fetch", "Fan", "Branch 2", "Slow", "SlowDone", "Each", "#1", "Nap@1", "Done"]);
    expect(t.critical.size).toBe(critical.length);
    expect(find(t, (n) => n.name === "Quick")[0]!.critical).toBe(false);
  });

  it("retried Parallel: attempts end when their branches ended, the critical path is in the last attempt", () => {
    const t = timeline(FIXTURES.parallelCaught);
    const fan = t.roots[0]!;
    expect(outline(t.roots)).toBe("Fan[Branch 1[Slow Slow] Branch 2[Breaks Breaks]] Handle");
    expect(fan.segments.map((s) => [s.kind, s.outcome ?? "", s.start - T0, s.end - T0])).toEqual([
      ["attempt", "failed", 0, 0],
      ["backoff", "", 0, 2000],
      ["attempt", "failed", 2000, 2000],
    ]);
    const critical = find(t, (n) => n.critical && n.kind === "state");
    expect(critical.map((n) => [n.name, n.start - T0])).toEqual([
      ["Fan", 0],
      ["Breaks", 2000],
      ["Handle", 2000],
    ]);
  });

  it("nests the states of each Map iteration, nested Maps, and failed iterations", () => {
    const map = timeline(FIXTURES.map);
    expect(outline(map.roots)).toBe("Each[#0[Check Skip] #1[Check Work] #2[Check Work Recover]] After");
    const works = find(map, (n) => n.name === "Work");
    expect(works.map((w) => [w.status, w.iterations[0]!.index])).toEqual([
      ["succeeded", 1],
      ["caught", 2],
    ]);
    const nested = timeline(FIXTURES.nestedMap);
    expect(outline(nested.roots)).toBe("Outer[#0[Inner[#0[Cell] #1[Cell]]] #1[Inner[#0[Cell] #1[Cell]]]]");
    const failed = timeline(FIXTURES.mapFailed);
    expect(failed.roots[0]!.children.map((g) => g.status)).toEqual(["failed", "aborted", "aborted"]);
    expect(failed.roots[0]!.status).toBe("failed");
  });

  it("grows a running span up to now and puts it on the critical path", () => {
    const events = TIMELINE.events.filter((e) => e.id <= 18); // Slow is running, Quick waiting
    const now = T0 + 5000;
    const t = timeline(TIMELINE, true, events, now);
    const slow = find(t, (n) => n.name === "Slow")[0]!;
    expect(slow.running).toBe(true);
    expect(slow.status).toBe("running");
    expect(slow.end).toBe(now);
    expect(t.end).toBe(now);
    const fan = t.roots[1]!;
    expect(fan.running).toBe(true);
    expect(find(t, (n) => n.critical).map((n) => n.label)).toEqual(["Fetch", "Fan", "Branch 2", "Slow"]);
    // a later `now` only moves the running ends
    const later = timeline(TIMELINE, true, events, now + 2000);
    expect(find(later, (n) => n.name === "Slow")[0]!.end).toBe(now + 2000);
    expect(find(later, (n) => n.name === "Fetch")[0]!.end).toBe(T0 + 4500);
  });

  it("gives nothing for an empty history", () => {
    const t = buildTimeline(new HistoryFold());
    expect(t.roots).toEqual([]);
    expect(visibleRows(t, new Set())).toEqual([]);
  });
});

describe("visibleRows", () => {
  it("lists rows depth first and leaves out what a folded group holds", () => {
    const t = timeline(TIMELINE);
    const labels = (collapsed: string[]) => visibleRows(t, new Set(collapsed)).map((r) => `${"  ".repeat(r.depth)}${r.node.label}`);
    expect(labels([])).toEqual([
      "Fetch",
      "Fan",
      "  Branch 1",
      "    Quick",
      "  Branch 2",
      "    Slow",
      "    SlowDone",
      "Each",
      "  #0",
      "    Nap",
      "  #1",
      "    Nap",
      "  #2",
      "    Nap",
      "Done",
    ]);
    const each = t.roots[2]!;
    expect(labels([each.key])).toEqual(["Fetch", "Fan", "  Branch 1", "    Quick", "  Branch 2", "    Slow", "    SlowDone", "Each", "Done"]);
    expect(visibleRows(t, new Set([each.key])).find((r) => r.node === each)!.collapsed).toBe(true);
    expect(labels([`${each.key}/i1`])).toContain("  #1");
    expect(labels([`${each.key}/i1`]).filter((l) => l.trim() === "Nap")).toHaveLength(2);
    expect(groupKeys(t)).toEqual([t.roots[1]!.key, `${t.roots[1]!.key}/b0`, `${t.roots[1]!.key}/b1`, each.key, `${each.key}/i0`, `${each.key}/i1`, `${each.key}/i2`]);
  });

  it("stays linear for a Map of 2,000 iterations (every row once, in order)", () => {
    const events: HistoryEvent[] = [];
    const ts = (ms: number) => new Date(T0 + ms).toISOString();
    let id = 0;
    const add = (type: string, previousEventId: number, ms: number, details: Record<string, unknown> = {}) => {
      id += 1;
      events.push({ id, previousEventId, type, timestamp: ts(ms), detailsEventDetails: details });
      return id;
    };
    add("ExecutionStarted", 0, 0, { input: "{}" });
    const entered = add("MapStateEntered", 0, 0, { name: "Big", input: "{}" });
    const started = add("MapStateStarted", entered, 0, { length: 2000 });
    let last = started;
    for (let i = 0; i < 2000; i++) {
      const it = add("MapIterationStarted", last, i, { name: "Big", index: i });
      const p = add("PassStateEntered", it, i, { name: "Item", input: "{}" });
      const x = add("PassStateExited", p, i + 5, { name: "Item", output: "{}" });
      last = add("MapIterationSucceeded", x, i + 5, { name: "Big", index: i });
    }
    const done = add("MapStateSucceeded", last, 2010);
    const exited = add("MapStateExited", done, 2010, { name: "Big", output: "[]" });
    add("ExecutionSucceeded", exited, 2010, { output: "[]" });
    const t = buildTimeline(HistoryFold.of(events));
    expect(t.spans).toBe(2001);
    const rows = visibleRows(t, new Set());
    expect(rows).toHaveLength(1 + 2000 * 2);
    expect(rows[1]!.node.label).toBe("#0");
    expect(rows[rows.length - 2]!.node.label).toBe("#1999");
    expect(find(t, (n) => n.critical).map((n) => n.label)).toEqual(["Big", "#1999", "Item"]);
    expect(visibleRows(t, new Set([t.roots[0]!.key]))).toHaveLength(1);
  });
});
