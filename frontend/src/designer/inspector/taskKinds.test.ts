import { describe, expect, it } from "vitest";
import { isPathText, parseResource, placeToken, readField, resourceOf, tokenKeyIn, writeField } from "./taskKinds";

describe("taskKinds", () => {
  it("reads kind and pattern from a Resource", () => {
    expect(parseResource("arn:aws:states:::http:invoke")).toEqual({ kind: "http", pattern: "" });
    expect(parseResource("arn:aws:states:::http:invoke.waitForTaskToken")).toEqual({ kind: "http", pattern: ".waitForTaskToken" });
    expect(parseResource("arn:aws:states:::states:startExecution.sync:2")).toEqual({ kind: "child", pattern: ".sync:2" });
    expect(parseResource("arn:aws:states:::states:startExecution.sync")).toEqual({ kind: "child", pattern: ".sync" });
    expect(parseResource("arn:aws:states:::lambda:invoke.sync")).toEqual({ kind: "other", pattern: "" });
    expect(parseResource("arn:aws:states:us-east-1:000000000000:activity:greeter")).toEqual({ kind: "activity", pattern: "" });
    expect(parseResource("arn:aws:lambda:us-east-1:000000000000:function:reserve-stock")).toEqual({ kind: "function", pattern: "" });
    expect(parseResource("arn:aws:states:::sqs:sendMessage")).toEqual({ kind: "other", pattern: "" });
    expect(resourceOf("http", ".sync")).toBe("arn:aws:states:::http:invoke");
    expect(resourceOf("child", ".sync")).toBe("arn:aws:states:::states:startExecution.sync");
  });

  it("writes a field in place, paths under key.$ in JSONPath, kept as text in JSONata", () => {
    const order = ["A", "B", "C"];
    expect(writeField({ A: 1, C: 3 }, "B", "x", false, order)).toEqual({ A: 1, B: "x", C: 3 });
    expect(Object.keys(writeField({ A: 1, C: 3 }, "B", "$.x", false, order))).toEqual(["A", "B.$", "C"]);
    expect(Object.keys(writeField({ "B.$": "$.x", A: 1 }, "B", "lit", false, order))).toEqual(["B", "A"]);
    expect(writeField({ B: "x" }, "B", "$.y", true)).toEqual({ B: "$.y" });
    expect(writeField({ "B.$": "$.x" }, "B", undefined, false)).toEqual({});
    expect(readField({ "B.$": "$.x" }, "B")).toBe("$.x");
    expect(readField({ B: { a: 1 } }, "B")).toBe('{"a":1}');
    expect(isPathText("States.Format('{}', $.a)")).toBe(true);
    expect(isPathText("https://x")).toBe(false);
  });

  it("places the task token first, finds it, and keeps a dynamic target under input", () => {
    const p = placeToken({ ApiEndpoint: "https://x", RequestBody: { "order.$": "$.id" } }, "RequestBody", "token", false);
    expect(JSON.stringify(p.RequestBody)).toBe('{"token.$":"$$.Task.Token","order.$":"$.id"}');
    expect(tokenKeyIn(p, "RequestBody", false)).toBe("token");
    expect(tokenKeyIn(p, "RequestBody", true)).toBeNull();
    expect(placeToken({ FunctionName: "f", "Payload.$": "$" }, "Payload", "taskToken", false)).toEqual({
      FunctionName: "f",
      Payload: { "taskToken.$": "$$.Task.Token", "input.$": "$" },
    });
    const j = placeToken({ Payload: "{% $states.input %}" }, "Payload", "token", true);
    expect(j).toEqual({ Payload: { token: "{% $states.context.Task.Token %}", input: "{% $states.input %}" } });
    expect(tokenKeyIn(j, "Payload", true)).toBe("token");
  });
});
