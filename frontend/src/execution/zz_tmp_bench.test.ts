import { it } from "vitest";
import { HistoryFold, type HistoryEvent } from "./history";
import { buildTimeline, visibleRows } from "./timeline";
it("bench", () => {
  for (const n of [1000, 2000, 4000, 1000, 2000, 4000, 4000, 8000]) {
  const events: HistoryEvent[] = [];
  const T0 = Date.parse("2023-11-14T22:13:20.000Z");
  const ts = (ms: number) => new Date(T0 + ms).toISOString();
  let id = 0;
  const add = (type: string, previousEventId: number, ms: number, details: Record<string, unknown> = {}) => {
    id += 1; events.push({ id, previousEventId, type, timestamp: ts(ms), detailsEventDetails: details }); return id; };
  add("ExecutionStarted", 0, 0, { input: "{}" });
  const entered = add("MapStateEntered", 0, 0, { name: "Big", input: "{}" });
  const started = add("MapStateStarted", entered, 0, { length: n });
  let last = started;
  for (let i = 0; i < n; i++) {
    const it = add("MapIterationStarted", last, i, { name: "Big", index: i });
    const p = add("TaskStateEntered", it, i, { name: "Item", input: "{}" });
    const s1 = add("TaskScheduled", p, i, { resource: "invoke" });
    const s2 = add("TaskFailed", s1, i+1, { error: "X" });
    const s3 = add("TaskScheduled", s2, i+2, { resource: "invoke" });
    const s4 = add("TaskSucceeded", s3, i+3, { output: "{}" });
    const x = add("TaskStateExited", s4, i + 5, { name: "Item", output: "{}" });
    last = add("MapIterationSucceeded", x, i + 5, { name: "Big", index: i });
  }
  let t = performance.now();
  const fold = HistoryFold.of(events);
  const tf = performance.now() - t;
  t = performance.now();
  const tl = buildTimeline(fold);
  const tb = performance.now() - t;
  t = performance.now();
  visibleRows(tl, new Set());
  const tr = performance.now() - t;
  console.log(n, "fold", tf.toFixed(1), "timeline", tb.toFixed(1), "rows", tr.toFixed(1));
  }
});
