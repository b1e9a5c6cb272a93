import { describe, expect, it } from "vitest";
import {
  taskEventType,
  HistoryFold,
  currentVisits,
  durationMs,
  foldHistory,
  iterationStatuses,
  mapIterations,
  mapsWithIterations,
  parseJsonText,
  stateRows,
  stateStatuses,
  statusesByName,
  visitsOf,
  type HistoryEvent,
} from "./history";
import { FIXTURES, namePaths, type Recorded } from "./testing";

function fold(rec: Recorded) {
  return foldHistory(rec.events, namePaths(rec.definition));
}

describe("foldHistory", () => {
  it("folds a successful run: statuses, input/output, durations", () => {
    const run = fold(FIXTURES.success);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.input).toEqual({ orderId: "A-1" });
    expect(run.output).toEqual({ orderId: "A-1", total: 42, charge: { charged: true } });
    expect(stateStatuses(run)).toEqual({
      "/States/Prepare": "succeeded",
      "/States/Charge": "succeeded",
      "/States/IsCharged": "succeeded",
      "/States/Done": "succeeded",
    });
    const charge = visitsOf(run, "Charge")[0]!;
    expect(charge.input).toEqual({ orderId: "A-1", total: 42 });
    expect(charge.output).toEqual({ orderId: "A-1", total: 42, charge: { charged: true } });
    expect(charge.attempts).toHaveLength(1);
    expect(charge.attempts[0]!.parameters).toEqual({ FunctionName: "charge", Payload: { orderId: "A-1", total: 42 } });
    expect(charge.attempts[0]!.result).toEqual({ Payload: { ok: true } });
    expect(charge.retries).toBe(0);
    // Entered, Scheduled, Started, Succeeded, Exited
    expect(charge.eventIds.map((id) => run.events.find((e) => e.id === id)!.type)).toEqual([
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskSucceeded",
      "TaskStateExited",
    ]);
    expect(currentVisits(run)).toEqual([]);
    expect(run.startedAt).toBeDefined();
    expect(run.stoppedAt).toBeDefined();
  });

  it("counts retries and keeps each attempt's error", () => {
    const run = fold(FIXTURES.retry);
    const call = visitsOf(run, "CallService")[0]!;
    expect(call.status).toBe("succeeded");
    expect(call.retries).toBe(2);
    expect(call.attempts.map((a) => a.outcome)).toEqual(["failed", "failed", "succeeded"]);
    expect(call.attempts[0]!.error).toBe("States.Http.StatusCode.503");
    expect(call.attempts[0]!.cause).toBe("Service Unavailable");
    expect(durationMs(call.enteredAt, call.endedAt)).toBeGreaterThan(1000);
    expect(stateStatuses(run)).toEqual({ "/States/CallService": "succeeded" });
    const rows = stateRows(run);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: "CallService", attempts: 3, retries: 2, status: "succeeded" });
  });

  it("marks a failure that a Catch handled as caught, and the Fail state as failed", () => {
    const run = fold(FIXTURES.caught);
    expect(run.status).toBe("FAILED");
    expect(run.error).toBe("TripNotBooked");
    expect(statusesByName(run)).toEqual({
      BookFlight: "succeeded",
      BookHotel: "caught",
      CancelFlight: "succeeded",
      TripFailed: "failed",
    });
    const hotel = visitsOf(run, "BookHotel")[0]!;
    expect(hotel.error).toBe("HotelFull");
    expect(hotel.cause).toBe("No rooms");
    expect(hotel.output).toMatchObject({ failure: { Error: "HotelFull", Cause: "No rooms" } });
    const fail = visitsOf(run, "TripFailed")[0]!;
    expect(fail.error).toBe("TripNotBooked");
  });

  it("marks an uncaught task failure after its retries as failed", () => {
    const run = fold(FIXTURES.failed);
    expect(run.status).toBe("FAILED");
    const call = visitsOf(run, "Call")[0]!;
    expect(call.status).toBe("failed");
    expect(call.retries).toBe(1);
    expect(call.error).toBe("Boom");
    expect(call.cause).toBe("twice");
  });

  it("attributes Parallel branch events to their states", () => {
    const run = fold(FIXTURES.parallel);
    expect(stateStatuses(run)).toEqual({
      "/States/Fan": "succeeded",
      "/States/Fan/Branches/0/States/Left": "succeeded",
      "/States/Fan/Branches/1/States/Right": "succeeded",
      "/States/Fan/Branches/1/States/RightDone": "succeeded",
      "/States/Join": "succeeded",
    });
    const fan = visitsOf(run, "Fan")[0]!;
    const right = visitsOf(run, "Right")[0]!;
    expect(right.parent).toBe(fan.id);
    expect(right.attempts[0]!.result).toEqual({ Payload: "R" });
    expect(fan.output).toEqual(["L", "R"]);
    const types = fan.eventIds.map((id) => run.events.find((e) => e.id === id)!.type);
    expect(types).toEqual(["ParallelStateEntered", "ParallelStateStarted", "ParallelStateSucceeded", "ParallelStateExited"]);
  });

  it("retries a whole Parallel and shows the caught failure", () => {
    const run = fold(FIXTURES.parallelCaught);
    const fan = visitsOf(run, "Fan")[0]!;
    expect(fan.status).toBe("caught");
    expect(fan.retries).toBe(1);
    expect(fan.attempts.map((a) => [a.outcome, a.cause])).toEqual([
      ["failed", "b1"],
      ["failed", "b2"],
    ]);
    expect(fan.error).toBe("Broken");
    expect(visitsOf(run, "Breaks").map((v) => v.status)).toEqual(["failed", "failed"]);
    expect(visitsOf(run, "Slow").map((v) => v.status)).toEqual(["succeeded", "succeeded"]);
    expect(statusesByName(run)).toMatchObject({ Fan: "caught", Handle: "succeeded", Breaks: "failed" });
  });

  it("tracks Map iterations and per-iteration statuses", () => {
    const run = fold(FIXTURES.map);
    expect(run.status).toBe("SUCCEEDED");
    expect(mapsWithIterations(run)).toEqual(["Each"]);
    const iterations = mapIterations(run, "Each");
    expect(iterations.map((i) => [i.index, i.status])).toEqual([
      [0, "succeeded"],
      [1, "succeeded"],
      [2, "succeeded"],
    ]);
    expect(iterationStatuses(run, "Each", 0)).toEqual({ Check: "succeeded", Skip: "succeeded" });
    expect(iterationStatuses(run, "Each", 1)).toEqual({ Check: "succeeded", Work: "succeeded" });
    expect(iterationStatuses(run, "Each", 2)).toEqual({ Check: "succeeded", Work: "caught", Recover: "succeeded" });
    // Without a selection, the most telling status of all iterations.
    expect(stateStatuses(run)["/States/Each/ItemProcessor/States/Work"]).toBe("caught");
    expect(stateStatuses(run, { Each: 1 })["/States/Each/ItemProcessor/States/Work"]).toBe("succeeded");
    expect(stateStatuses(run, { Each: 0 })["/States/Each/ItemProcessor/States/Work"]).toBeUndefined();
    // Interleaved iterations: each Task event lands in its own iteration's visit.
    const [work1, work2] = visitsOf(run, "Work");
    expect(work1!.iterations).toEqual([{ map: "Each", index: 1 }]);
    expect(work1!.attempts[0]!.result).toEqual({ Payload: "two" });
    expect(work2!.iterations).toEqual([{ map: "Each", index: 2 }]);
    expect(work2!.error).toBe("Boom");
    expect(visitsOf(run, "Each")[0]!.status).toBe("succeeded");
    expect(visitsOf(run, "After")[0]!.input).toEqual([{ n: 1 }, "two", "recovered"]);
  });

  it("scopes nested Map iterations (a Map inside a Map)", () => {
    const run = fold(FIXTURES.nestedMap);
    expect(run.status).toBe("SUCCEEDED");
    const cells = visitsOf(run, "Cell");
    expect(cells.map((c) => c.iterations.map((r) => `${r.map}[${r.index}]`).join(" "))).toEqual([
      "Outer[0] Inner[0]",
      "Outer[0] Inner[1]",
      "Outer[1] Inner[0]",
      "Outer[1] Inner[1]",
    ]);
    expect(cells.map((c) => c.attempts[0]!.result)).toEqual([{ Payload: 0 }, { Payload: 1 }, { Payload: 2 }, { Payload: 3 }]);
    expect(cells.every((c) => c.status === "succeeded")).toBe(true);
    expect(visitsOf(run, "Inner").map((v) => v.output)).toEqual([[0, 1], [2, 3]]);
    expect(mapIterations(run, "Inner", { Outer: 0 }).map((i) => i.mapVisit)).toEqual([5, 5]);
    expect(mapIterations(run, "Inner", { Outer: 1 }).map((i) => i.mapVisit)).toEqual([16, 16]);
    expect(mapIterations(run, "Outer")).toHaveLength(2);
    expect(visitsOf(run, "Cell", { Outer: 1, Inner: 0 })).toHaveLength(1);
  });

  it("fails a Map when an iteration fails and cancels the others", () => {
    const run = fold(FIXTURES.mapFailed);
    expect(run.status).toBe("FAILED");
    expect(mapIterations(run, "Each").map((i) => i.status)).toEqual(["failed", "aborted", "aborted"]);
    expect(visitsOf(run, "Work").map((v) => v.status)).toEqual(["failed", "cancelled", "cancelled"]);
    const each = visitsOf(run, "Each")[0]!;
    expect(each.status).toBe("failed");
    expect(each.error).toBe("Boom");
    expect(statusesByName(run)).toEqual({ Each: "failed", Work: "failed" });
    expect(currentVisits(run)).toEqual([]);
  });

  it("shows an aborted execution's running state as cancelled", () => {
    const run = fold(FIXTURES.aborted);
    expect(run.status).toBe("ABORTED");
    expect(run.error).toBe("UserStop");
    expect(statusesByName(run)).toEqual({ First: "succeeded", Sleep: "cancelled" });
  });

  it("gives the current states of a running execution", () => {
    const events = FIXTURES.map.events.filter((e) => e.id <= 21);
    const run = foldHistory(events, namePaths(FIXTURES.map.definition));
    expect(run.status).toBe("RUNNING");
    expect(currentVisits(run).map((v) => [v.name, v.iterations[0]?.index])).toEqual([
      ["Work", 1],
      ["Work", 2],
    ]);
    expect(mapIterations(run, "Each").map((i) => i.status)).toEqual(["succeeded", "running", "running"]);
    expect(stateStatuses(run)["/States/Each"]).toBe("running");
  });

  it("ignores duplicate events and folds incrementally to the same result", () => {
    const events = FIXTURES.parallelCaught.events;
    const inc = new HistoryFold();
    for (const e of events) inc.add(e);
    expect(inc.add(events[3]!)).toBe(false);
    expect(inc.addAll(events)).toBe(false);
    const whole = HistoryFold.of(events);
    expect(statusesByName(inc.run)).toEqual(statusesByName(whole.run));
    expect(inc.run.events).toHaveLength(events.length);
  });

  it("keeps unparseable JSON text as text and tolerates missing links", () => {
    expect(parseJsonText("not json")).toBe("not json");
    expect(parseJsonText('{"a":1}')).toEqual({ a: 1 });
    const events: HistoryEvent[] = [
      { id: 1, type: "ExecutionStarted", timestamp: "2024-01-01T00:00:00.000Z", executionStartedEventDetails: { input: "{}" } },
      { id: 2, previousEventId: 0, type: "PassStateEntered", timestamp: "2024-01-01T00:00:00.000Z", stateEnteredEventDetails: { name: "A", input: "{}" } },
      { id: 3, type: "PassStateExited", timestamp: "2024-01-01T00:00:01.500Z", stateExitedEventDetails: { name: "A", output: "oops" } },
    ];
    const run = foldHistory(events);
    const a = visitsOf(run, "A")[0]!;
    expect(a.status).toBe("succeeded");
    expect(a.output).toBe("oops");
    expect(stateRows(run)[0]!.durationMs).toBe(1500);
  });
});

describe("task event families", () => {
  it("reads LambdaFunction* and Activity* events as Task* events", () => {
    expect(taskEventType("LambdaFunctionScheduled")).toBe("TaskScheduled");
    expect(taskEventType("ActivityFailed")).toBe("TaskFailed");
    expect(taskEventType("ActivityTimedOut")).toBe("TaskTimedOut");
    expect(taskEventType("LambdaFunctionScheduleFailed")).toBe("TaskSubmitFailed");
    expect(taskEventType("PassStateEntered")).toBe("PassStateEntered");
  });
});
