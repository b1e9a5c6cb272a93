/** The history fold across redrives (recorded from the runtime: fixtures/redrive*.json). */
import { describe, expect, it } from "vitest";
import { HistoryFold, currentVisits, deciding, foldHistory, notRerun, stateRows, statusesByName, visitsOf, type HistoryEvent } from "./history";
import { LiveHistory } from "./live";
import { FakeSocket } from "./fakeSocket";
import { FIXTURES, namePaths, type Recorded } from "./testing";

function fold(rec: Recorded, upTo?: number) {
  const events = upTo === undefined ? rec.events : rec.events.filter((e) => e.id <= upTo);
  return foldHistory(events, namePaths(rec.definition));
}

const idOf = (rec: Recorded, type: string) => rec.events.find((e) => e.type === type)!.id;

describe("a redriven execution", () => {
  it("runs again after ExecutionRedriven: status, redrive count, no error", () => {
    const rec = FIXTURES.redrive;
    const failed = fold(rec, idOf(rec, "ExecutionFailed"));
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toBe("Boom");
    expect(failed.redriveCount).toBe(0);
    expect(notRerun(failed).size).toBe(0);

    const redriven = fold(rec, idOf(rec, "ExecutionRedriven"));
    expect(redriven.status).toBe("RUNNING");
    expect(redriven.error).toBeUndefined();
    expect(redriven.stoppedAt).toBeUndefined();
    expect(redriven.redriveCount).toBe(1);
    expect(redriven.redrives).toEqual([{ eventId: idOf(rec, "ExecutionRedriven"), timestamp: expect.any(String), count: 1 }]);
  });

  it("shows the re-run state by its latest run, and the states it kept as not run again", () => {
    const run = fold(FIXTURES.redrive);
    expect(run.status).toBe("SUCCEEDED");
    // C failed, then succeeded on redrive: its status is the redrive's
    expect(visitsOf(run, "C").map((v) => [v.status, v.redrive])).toEqual([
      ["failed", 0],
      ["succeeded", 1],
    ]);
    expect(statusesByName(run)).toEqual({ A: "succeeded", B: "succeeded", C: "succeeded" });
    // A and B ran once, before the redrive
    expect(visitsOf(run, "A")).toHaveLength(1);
    expect(visitsOf(run, "B")).toHaveLength(1);
    expect([...notRerun(run)].sort()).toEqual(["A", "B"]);
    const rows = Object.fromEntries(stateRows(run).map((r) => [r.name, r]));
    expect(rows.C!.status).toBe("succeeded");
    expect(rows.C!.visits).toBe(2);
    expect(rows.A!.visits).toBe(1);
  });

  it("while the redrive runs, the re-entered state is current and the failure no longer counts", () => {
    const rec = FIXTURES.redrive;
    const entered = rec.events.find((e) => e.type === "TaskStateEntered" && e.id > idOf(rec, "ExecutionRedriven"))!;
    const run = fold(rec, entered.id);
    expect(currentVisits(run).map((v) => v.name)).toEqual(["C"]);
    expect(statusesByName(run).C).toBe("running");
    expect(deciding(run).filter((v) => v.name === "C")).toHaveLength(1);
  });

  it("a Parallel runs again around its failed branch: the branch's state resumes inside it", () => {
    const run = fold(FIXTURES.redriveParallel);
    expect(run.status).toBe("SUCCEEDED");
    const [p] = visitsOf(run, "P");
    const rVisits = visitsOf(run, "R");
    expect(rVisits).toHaveLength(2);
    expect(rVisits[1]!.parent).toBe(p!.id); // inside P, not at top level
    expect(p!.status).toBe("succeeded");
    expect(p!.output).toEqual(["left", "r"]);
    expect(statusesByName(run)).toEqual({ P: "succeeded", L: "succeeded", R: "succeeded" });
    expect([...notRerun(run)]).toEqual(["L"]);
  });

  it("a Parallel being redriven is running, with its resumed branch current", () => {
    const rec = FIXTURES.redriveParallel;
    const run = fold(rec, idOf(rec, "ExecutionRedriven") + 1);
    expect(statusesByName(run).P).toBe("running");
    expect(currentVisits(run).map((v) => v.name)).toEqual(["R"]);
  });

  it("a Parallel running again ends with the execution when the redrive is stopped", () => {
    const rec = FIXTURES.redriveParallel;
    const resumed = rec.events.filter((e) => e.id <= idOf(rec, "ExecutionRedriven") + 1);
    const last = resumed[resumed.length - 1]!;
    const aborted: HistoryEvent = { id: last.id + 1, previousEventId: last.id, type: "ExecutionAborted", timestamp: last.timestamp, executionAbortedEventDetails: {} };
    const run = foldHistory([...resumed, aborted], namePaths(rec.definition));
    expect(run.status).toBe("ABORTED");
    expect(currentVisits(run)).toEqual([]);
    expect(run.visits.filter((v) => v.status === "running").map((v) => v.name)).toEqual([]);
    expect(statusesByName(run).P).toBe("cancelled");
  });

  it("a Map redrives only its failed iterations; the others keep their first run", () => {
    const run = fold(FIXTURES.redriveMap);
    expect(run.status).toBe("SUCCEEDED");
    const flaky = visitsOf(run, "Flaky");
    expect(flaky.map((v) => [v.iterations[0]!.index, v.status, v.redrive])).toEqual([
      [1, "failed", 0],
      [3, "failed", 0],
      [1, "succeeded", 1],
      [3, "succeeded", 1],
    ]);
    expect(statusesByName(run)).toEqual({ M: "succeeded", Which: "succeeded", Fine: "succeeded", Flaky: "succeeded" });
    expect(statusesByName(run, { M: 1 }).Flaky).toBe("succeeded");
    expect(run.iterations.filter((it) => it.status === "succeeded").map((it) => it.index).sort()).toEqual([0, 1, 2, 3]);
    expect([...notRerun(run)].sort()).toEqual(["Fine", "Which"]);
  });

  it("without a redrive a failure stays the deciding status", () => {
    const run = fold(FIXTURES.failed);
    expect(run.redriveCount).toBe(0);
    expect(deciding(run)).toBe(run.visits);
  });
});

describe("live history across a redrive", () => {
  const send = (socket: FakeSocket, events: HistoryEvent[]) => socket.receive({ type: "events", events });

  it("closes at the failure, and a new LiveHistory after the last id follows the redrive", () => {
    FakeSocket.reset();
    const rec = FIXTURES.redrive;
    const failedAt = idOf(rec, "ExecutionFailed");
    const target = new HistoryFold();
    const first = new LiveHistory({ executionId: "x", factory: FakeSocket.factory, onEvents: (e) => target.addAll(e), pingMs: 0 }).start();
    FakeSocket.last.open();
    send(FakeSocket.last, rec.events.filter((e) => e.id <= failedAt));
    expect(first.finished).toBe(true);
    // closes once the server says nothing follows the failure
    FakeSocket.last.receive({ type: "pong", last_id: failedAt });
    expect(FakeSocket.last.closedWith).toBe(1000);

    const again = new LiveHistory({
      executionId: "x",
      factory: FakeSocket.factory,
      afterId: target.run.lastEventId,
      onEvents: (e) => target.addAll(e),
      pingMs: 0,
    }).start();
    FakeSocket.last.open();
    send(FakeSocket.last, rec.events); // the backlog again, from the first event
    expect(again.finished).toBe(true);
    expect(target.run.events.map((e) => e.id)).toEqual(rec.events.map((e) => e.id));
    expect(target.run.status).toBe("SUCCEEDED");
  });

  it("a backlog that goes on after a failure (it was redriven) keeps the socket open", () => {
    FakeSocket.reset();
    const rec = FIXTURES.redrive;
    const live = new LiveHistory({ executionId: "x", factory: FakeSocket.factory, onEvents: () => undefined, pingMs: 0 }).start();
    FakeSocket.last.open();
    send(FakeSocket.last, rec.events.filter((e) => e.id <= idOf(rec, "ExecutionRedriven") + 1));
    expect(live.finished).toBe(false);
    expect(FakeSocket.last.closedWith).toBeNull();
    live.stop();
  });
});
