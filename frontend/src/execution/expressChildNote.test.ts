import { describe, expect, it } from "vitest";
import { expressChildNote, type ExecutionDetail } from "./ExecutionPage";

const detail = (over: Partial<ExecutionDetail>): ExecutionDetail =>
  ({ id: "c", name: "c", workflow: "w", workflow_name: "w", version: null, type: "EXPRESS", status: "SUCCEEDED", input: {}, output: {}, error: null, cause: null, start_date: null, stop_date: null, event_count: 0, map_run: { id: "r", label: "Fan", status: "SUCCEEDED", index: 3 }, ...over }) as ExecutionDetail;

describe("expressChildNote", () => {
  it("explains why a succeeded Express child of a Map Run has no events", () => {
    expect(expressChildNote(detail({}))).toContain("keep their history only when they fail");
  });
  it("says failed Express children are redriven through their parent", () => {
    expect(expressChildNote(detail({ status: "FAILED" }))).toContain("redrive the parent execution");
  });
  it("says nothing for other executions", () => {
    expect(expressChildNote(detail({ map_run: null }))).toBeNull();
    expect(expressChildNote(detail({ type: "STANDARD" }))).toBeNull();
    expect(expressChildNote(null)).toBeNull();
  });
});
