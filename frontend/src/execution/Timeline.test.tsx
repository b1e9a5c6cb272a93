import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { HistoryFold, type HistoryEvent } from "./history";
import { ExecutionTimeline, MIN_BAR_PX, ROW_HEIGHT } from "./Timeline";
import { FIXTURES, namePaths, type Recorded } from "./testing";
import timelineFixture from "./fixtures/timeline.json";

const TIMELINE = timelineFixture as unknown as Recorded;
const SIZE = { width: 1000, height: 400 };

function show(events: HistoryEvent[] = TIMELINE.events, props: Partial<Parameters<typeof ExecutionTimeline>[0]> = {}) {
  const fold = HistoryFold.of(events);
  const onSelect = vi.fn();
  const view = render(
    <ExecutionTimeline fold={fold} version={1} pathOf={namePaths(TIMELINE.definition)} onSelect={onSelect} initialSize={SIZE} {...props} />,
  );
  return { fold, onSelect, view };
}

const labels = () => screen.getAllByTestId("timeline-label").map((el) => el.textContent);
const bar = (name: string, nth = 0) => screen.getAllByTestId("timeline-bar").filter((el) => el.dataset.name === name && el.dataset.key!.split("/").length === 1)[nth]!;
const px = (el: HTMLElement, prop: "left" | "width") => Number.parseFloat(el.style[prop]);

describe("ExecutionTimeline", () => {
  it("marks each redrive on the axis, where it started the run again", () => {
    const rec = FIXTURES.redriveParallel;
    const { fold } = show(rec.events, { pathOf: namePaths(rec.definition) });
    const marks = screen.getAllByTestId("timeline-redrive");
    expect(marks.map((m) => m.dataset.count)).toEqual(fold.run.redrives.map((r) => String(r.count)));
    expect(marks).toHaveLength(1);
    expect(marks[0]!.getAttribute("aria-label")).toMatch(/^Redrive 1 /);
    // after the first run's bars start, inside the axis
    expect(px(marks[0]!, "left")).toBeGreaterThan(Math.min(...screen.getAllByTestId("timeline-bar").map((b) => px(b, "left"))));
  });

  it("draws one row per span and group, with the retries' segments", () => {
    show();
    expect(labels()).toEqual(["Start delay", "Fetch", "Fan", "Branch 1", "Quick", "Branch 2", "Slow", "SlowDone", "Each", "#0", "Nap", "#1", "Nap", "#2", "Nap", "Done"]);
    const fetch = bar("Fetch");
    const segments = within(fetch).getAllByTestId("timeline-segment");
    expect(segments.map((s) => [s.dataset.kind, s.dataset.attempt, s.dataset.outcome ?? ""])).toEqual([
      ["attempt", "1", "failed"],
      ["backoff", "2", ""],
      ["attempt", "2", "failed"],
      ["backoff", "3", ""],
      ["attempt", "3", "succeeded"],
    ]);
    // on the axis: 11.5 s over the fitted width, the 1 s backoff twice the 0.5 s attempt
    expect(px(segments[1]!, "width")).toBeCloseTo(2 * px(segments[0]!, "width"), 5);
    expect(px(segments[3]!, "width")).toBeCloseTo(4 * px(segments[0]!, "width"), 5);
    expect(screen.getByTestId("timeline-count").textContent).toContain("10 spans · 11.5 s");
  });

  it("marks the critical path on the bars", () => {
    show();
    const critical = screen.getAllByTestId("timeline-bar").filter((el) => el.dataset.critical === "true");
    expect(critical.map((el) => el.getAttribute("aria-label")!.split(":")[0])).toEqual(["Fetch", "Fan", "Fan Branch 2", "Slow", "SlowDone", "Each", "Each #1", "Nap", "Done"]);
  });

  it("folds and unfolds a Map's iterations", () => {
    show();
    const each = screen.getAllByTestId("timeline-row").find((r) => r.dataset.name === "Each" && r.dataset.kind === "state")!;
    const toggle = within(each).getByRole("button", { name: "Collapse Each" });
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    fireEvent.click(toggle);
    expect(labels()).toEqual(["Start delay", "Fetch", "Fan", "Branch 1", "Quick", "Branch 2", "Slow", "SlowDone", "Each", "Done"]);
    expect(within(each).getByRole("button", { name: "Expand Each" }).getAttribute("aria-expanded")).toBe("false");
    fireEvent.click(within(each).getByRole("button", { name: "Expand Each" }));
    expect(labels()).toHaveLength(16); // the start delay and 15 rows
    fireEvent.click(screen.getByTestId("timeline-collapse-all"));
    expect(labels()).toEqual(["Start delay", "Fetch", "Fan", "Each", "Done"]);
    fireEvent.click(screen.getByTestId("timeline-expand-all"));
    expect(labels()).toHaveLength(16); // the start delay and 15 rows
  });

  it("selects the state of a clicked bar, in its iteration", () => {
    const { onSelect } = show();
    fireEvent.click(bar("Slow"));
    expect(onSelect).toHaveBeenLastCalledWith("Slow", []);
    const naps = screen.getAllByTestId("timeline-bar").filter((el) => el.dataset.name === "Nap");
    fireEvent.click(naps[1]!);
    expect(onSelect).toHaveBeenLastCalledWith("Nap", [{ map: "Each", index: 1 }]);
    const iteration = screen.getAllByTestId("timeline-bar").find((el) => el.dataset.key!.endsWith("/i2"))!;
    fireEvent.click(iteration);
    expect(onSelect).toHaveBeenLastCalledWith("Each", [{ map: "Each", index: 2 }]);
  });

  it("highlights the selected state's rows (only the selected iteration's)", () => {
    show(undefined, { selectedName: "Nap", selection: { Each: 2 } });
    const rows = screen.getAllByTestId("timeline-row");
    const selected = rows.filter((r) => r.classList.contains("tl-row-selected"));
    expect(selected.map((r) => r.dataset.name)).toEqual(["Nap"]);
    expect(rows[rows.indexOf(selected[0]!) - 1]!.dataset.key).toMatch(/\/i2$/);
  });

  it("shows exact times in the tooltip, for the bar and for a segment", () => {
    show();
    fireEvent.mouseEnter(bar("Fetch"));
    const tip = screen.getByTestId("timeline-tip");
    expect(tip.textContent).toContain("Fetch (Task)");
    expect(tip.textContent).toContain("On the critical path");
    expect(within(tip).getByTestId("timeline-tip-start").textContent).toMatch(/^2023-11-14 \d\d:13:20\.000 \S+$/);
    expect(within(tip).getAllByTestId("timeline-tip-end")[0]!.textContent).toMatch(/:13:24\.500 /);
    expect(within(tip).getAllByTestId("timeline-tip-duration")[0]!.textContent).toContain("4.50 s");
    const backoff = within(bar("Fetch")).getAllByTestId("timeline-segment")[3]!;
    fireEvent.mouseEnter(backoff);
    const segment = screen.getByTestId("timeline-tip-segment");
    expect(segment.textContent).toContain("Retry backoff before attempt 3");
    expect(segment.textContent).toContain("2.00 s");
    fireEvent.mouseEnter(within(bar("Fetch")).getAllByTestId("timeline-segment")[0]!);
    expect(screen.getByTestId("timeline-tip-segment").textContent).toContain("Attempt 1 of 3: failed (Flaky)");
    fireEvent.mouseLeave(bar("Fetch"));
    expect(screen.queryByTestId("timeline-tip")).toBeNull();
  });

  it("zooms in and out, and fits again", () => {
    show();
    const width = () => px(bar("Done").parentElement as HTMLElement, "width");
    const before = width();
    expect(screen.getByTestId("timeline-zoom").textContent).toContain("100%");
    expect((screen.getByTestId("timeline-zoom-out") as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId("timeline-zoom-in"));
    expect(screen.getByTestId("timeline-zoom").textContent).toContain("150%");
    expect(width()).toBeGreaterThan(before);
    fireEvent.click(screen.getByTestId("timeline-fit"));
    expect(width()).toBe(before);
    // axis labels in the one duration format
    expect(screen.getAllByTestId("timeline-tick").map((t) => t.textContent)).toContain("2.00 s");
  });

  it("renders only the rows in view for a Map of 3,000 iterations", () => {
    const events: HistoryEvent[] = [];
    const T0 = Date.parse("2024-01-01T00:00:00Z");
    let id = 0;
    const add = (type: string, previousEventId: number, ms: number, details: Record<string, unknown> = {}) => {
      id += 1;
      events.push({ id, previousEventId, type, timestamp: new Date(T0 + ms).toISOString(), detailsEventDetails: details });
      return id;
    };
    add("ExecutionStarted", 0, 0, { input: "{}" });
    const entered = add("MapStateEntered", 0, 0, { name: "Big", input: "{}" });
    let last = add("MapStateStarted", entered, 0);
    for (let i = 0; i < 3000; i++) {
      const it = add("MapIterationStarted", last, i, { name: "Big", index: i });
      const p = add("PassStateEntered", it, i, { name: "Item", input: "{}" });
      const x = add("PassStateExited", p, i + 3, { name: "Item", output: "{}" });
      last = add("MapIterationSucceeded", x, i + 3, { name: "Big", index: i });
    }
    show(events, { pathOf: undefined });
    const rows = screen.getAllByTestId("timeline-row");
    expect(rows.length).toBeLessThan(40);
    const canvas = screen.getByTestId("timeline-scroll").firstElementChild as HTMLElement;
    expect(Number.parseFloat(canvas.style.height)).toBe(28 + (1 + 6001) * ROW_HEIGHT); // the start delay, then the Map
    // scrolled far down: the rows there, and still few
    const scroller = screen.getByTestId("timeline-scroll");
    scroller.scrollTop = 4000 * ROW_HEIGHT;
    fireEvent.scroll(scroller);
    const shown = screen.getAllByTestId("timeline-row");
    expect(shown.length).toBeLessThan(40);
    expect(shown.map((r) => r.dataset.key)).toContain(`v2/i2000`);
  });

  it("draws the wait before the first state as its own row, and short spans visibly with a readable duration", () => {
    // recorded 2.2 s after the execution's start: the states themselves took no time
    const T0 = Date.parse("2026-12-02T09:00:00.000Z");
    const at = (ms: number) => new Date(T0 + ms).toISOString();
    const events = [
      { id: 1, previousEventId: 0, type: "ExecutionStarted", timestamp: at(2200), detailsEventDetails: { input: "{}" } },
      { id: 2, previousEventId: 1, type: "PassStateEntered", timestamp: at(2200), detailsEventDetails: { name: "A", input: "{}" } },
      { id: 3, previousEventId: 2, type: "PassStateExited", timestamp: at(2200), detailsEventDetails: { name: "A", output: "{}" } },
      { id: 4, previousEventId: 3, type: "SucceedStateEntered", timestamp: at(2201), detailsEventDetails: { name: "B", input: "{}" } },
      { id: 5, previousEventId: 4, type: "SucceedStateExited", timestamp: at(2201), detailsEventDetails: { name: "B", output: "{}" } },
      { id: 6, previousEventId: 5, type: "ExecutionSucceeded", timestamp: at(2201), detailsEventDetails: { output: "{}" } },
    ] as HistoryEvent[];
    show(events, { pathOf: undefined, startedAt: at(0), stoppedAt: at(2201) });
    expect(labels()).toEqual(["Start delay", "A", "B"]);
    const rows = screen.getAllByTestId("timeline-row");
    expect(rows[0]!.dataset.kind).toBe("start");
    expect(within(rows[0]!).getByTestId("timeline-duration").textContent).toBe("2.20 s");
    expect(screen.getByTestId("timeline-count").textContent).toContain("2 spans · 2.20 s");
    // A took no time: still drawn MIN_BAR_PX wide, labelled "< 1 ms" (not "0 ms")
    expect(px(bar("A"), "width")).toBeGreaterThanOrEqual(MIN_BAR_PX);
    expect(within(rows[1]!).getByTestId("timeline-duration").textContent).toBe("< 1 ms");
    // the delay's bar spans the axis up to the first state
    expect(px(bar("A"), "left")).toBeCloseTo(px(screen.getAllByTestId("timeline-bar")[0]!, "left") + px(screen.getAllByTestId("timeline-bar")[0]!, "width"), 0);
  });
});
