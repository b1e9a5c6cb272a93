import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HistoryFold, statusesByName, type HistoryEvent } from "./history";
import { LiveHistory, socketUrl, watchWorkflowExecutions, type LiveState } from "./live";
import { FakeSocket } from "./fakeSocket";
import { FIXTURES } from "./testing";

const events = FIXTURES.retry.events;

function setup(options: { afterId?: number } = {}) {
  const fold = new HistoryFold();
  const batches: HistoryEvent[][] = [];
  const states: LiveState[] = [];
  const live = new LiveHistory({
    executionId: "e-1",
    url: "ws://test/ws/executions/e-1/",
    factory: FakeSocket.factory,
    initialDelayMs: 100,
    maxDelayMs: 1000,
    pingMs: 0,
    afterId: options.afterId,
    onEvents: (batch) => {
      batches.push(batch);
      fold.addAll(batch);
    },
    onState: (s) => states.push(s),
  }).start();
  return { fold, batches, states, live };
}

const send = (socket: FakeSocket, list: HistoryEvent[]) => list.forEach((event) => socket.receive({ type: "event", event }));

describe("LiveHistory", () => {
  beforeEach(() => {
    FakeSocket.reset();
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("feeds the backlog then live events to the fold", () => {
    const { fold, states } = setup();
    expect(FakeSocket.last.url).toBe("ws://test/ws/executions/e-1/");
    FakeSocket.last.open();
    send(FakeSocket.last, events.slice(0, 5));
    expect(fold.run.status).toBe("RUNNING");
    send(FakeSocket.last, events.slice(5));
    expect(fold.run.status).toBe("SUCCEEDED");
    expect(fold.run.events).toHaveLength(events.length);
    expect(states).toContain("open");
  });

  it("reconnects after a drop and drops the re-sent events", () => {
    const { fold, batches, states } = setup();
    const first = FakeSocket.last;
    first.open();
    send(first, events.slice(0, 6));
    first.drop();
    expect(states[states.length - 1]).toBe("reconnecting");
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(FakeSocket.instances).toHaveLength(2);
    const second = FakeSocket.last;
    second.open();
    send(second, events); // the server starts over
    const delivered = batches.flat().map((e) => e.id);
    expect(delivered).toEqual(events.map((e) => e.id));
    expect(fold.run.events).toHaveLength(events.length);
    expect(statusesByName(fold.run)).toEqual({ CallService: "succeeded" });
  });

  it("backs off while the server is unreachable, then resets", () => {
    setup();
    FakeSocket.last.drop();
    vi.advanceTimersByTime(100);
    FakeSocket.last.drop();
    vi.advanceTimersByTime(100);
    expect(FakeSocket.instances).toHaveLength(2); // 200 ms now
    vi.advanceTimersByTime(100);
    expect(FakeSocket.instances).toHaveLength(3);
    FakeSocket.last.drop();
    vi.advanceTimersByTime(5000);
    expect(FakeSocket.instances).toHaveLength(4);
    FakeSocket.last.open();
    FakeSocket.last.drop();
    vi.advanceTimersByTime(100);
    expect(FakeSocket.instances).toHaveLength(5);
  });

  it("closes for good when the execution has ended, and on 4404", () => {
    const { live } = setup();
    FakeSocket.last.open();
    send(FakeSocket.last, events);
    expect(live.finished).toBe(true);
    // ended: it asks whether anything follows, and closes when the server has nothing more
    expect(FakeSocket.last.sent).toEqual([{ type: "ping" }]);
    expect(FakeSocket.last.closedWith).toBeNull();
    FakeSocket.last.receive({ type: "pong", last_id: events[events.length - 1]!.id });
    expect(FakeSocket.last.closedWith).toBe(1000);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.instances).toHaveLength(1);

    FakeSocket.reset();
    const other = setup();
    FakeSocket.last.drop(4404);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.instances).toHaveLength(1);
    expect(other.states[other.states.length - 1]).toBe("refused");
  });

  it("keeps the runs after a failure in the backlog: a redriven execution replays whole", () => {
    const recorded = FIXTURES.redrive.events;
    const failedAt = recorded.findIndex((e) => e.type === "ExecutionFailed");
    expect(recorded[failedAt + 1]!.type).toBe("ExecutionRedriven");
    const { fold, live } = setup();
    FakeSocket.last.open();
    send(FakeSocket.last, recorded); // one message per event, as the server sends them
    expect(fold.run.events).toHaveLength(recorded.length);
    expect(fold.run.redriveCount).toBe(1);
    expect(fold.run.status).toBe(FIXTURES.redrive.status);
    expect(live.finished).toBe(true);
    FakeSocket.last.receive({ type: "pong", last_id: recorded[recorded.length - 1]!.id });
    expect(FakeSocket.last.closedWith).toBe(1000);
  });

  it("closes for good when access ends (4403)", () => {
    const { states } = setup();
    FakeSocket.last.open();
    FakeSocket.last.drop(4403);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.instances).toHaveLength(1);
    expect(states[states.length - 1]).toBe("refused");
  });

  it("reconnects to fill a gap and skips what it already has", () => {
    const { batches } = setup({ afterId: 2 });
    FakeSocket.last.open();
    send(FakeSocket.last, events.slice(0, 4)); // 1, 2 skipped; 3, 4 delivered
    FakeSocket.last.receive({ type: "event", event: events[6] }); // 7: a gap
    expect(FakeSocket.instances).toHaveLength(2);
    FakeSocket.last.open();
    send(FakeSocket.last, events);
    expect(batches.flat().map((e) => e.id)).toEqual(events.slice(2).map((e) => e.id));
  });

  it("asks the server where it is and resyncs when behind", () => {
    const live = new LiveHistory({
      executionId: "e-2",
      url: "ws://x/",
      factory: FakeSocket.factory,
      pingMs: 1000,
      onEvents: () => {},
    }).start();
    FakeSocket.last.open();
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.last.sent).toEqual([{ type: "ping" }]);
    FakeSocket.last.receive({ type: "pong", last_id: 0 });
    expect(FakeSocket.instances).toHaveLength(1);
    FakeSocket.last.receive({ type: "pong", last_id: 3 });
    expect(FakeSocket.instances).toHaveLength(2);
    live.stop();
  });
});

describe("watchWorkflowExecutions", () => {
  beforeEach(() => FakeSocket.reset());

  it("delivers status messages and reports reconnects", () => {
    vi.useFakeTimers();
    const statuses: string[] = [];
    let reconnects = 0;
    const socket = watchWorkflowExecutions("w-1", (e) => statuses.push(`${e.name}:${e.status}`), {
      factory: FakeSocket.factory,
      url: "ws://x/",
      onReconnect: () => (reconnects += 1),
    });
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: "status", execution: { id: "1", name: "a", status: "RUNNING", start_date: null, stop_date: null } });
    FakeSocket.last.receive({ type: "other" });
    FakeSocket.last.drop();
    vi.advanceTimersByTime(1000);
    FakeSocket.last.open();
    expect(statuses).toEqual(["a:RUNNING"]);
    expect(reconnects).toBe(1);
    socket.close();
    vi.useRealTimers();
  });

  it("builds ws and wss urls", () => {
    expect(socketUrl("/ws/x/", { protocol: "https:", host: "h:1" })).toBe("wss://h:1/ws/x/");
    expect(socketUrl("/ws/x/", { protocol: "http:", host: "h" })).toBe("ws://h/ws/x/");
  });
});
