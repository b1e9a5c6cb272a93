import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { fakeApi } from "../../start/fakeApi";
import { StatePreview } from "./StatePreview";

const state = { Type: "Pass", Parameters: { "x.$": "$.a" }, ResultPath: "$.r", End: true };

describe("StatePreview", () => {
  it("posts the state and input and shows each step", async () => {
    const calls = fakeApi(({ url }) =>
      url === "/api/test-state/"
        ? {
            body: {
              output: { a: 1, r: { x: 1 } },
              error: null,
              cause: null,
              steps: { afterInputPath: { a: 1 }, afterParameters: { x: 1 }, result: { x: 1 }, afterResultPath: { a: 1, r: { x: 1 } }, output: { a: 1, r: { x: 1 } } },
            },
          }
        : undefined,
    );
    render(<StatePreview state={state} isTask={false} />);
    const input = screen.getByTestId("preview-input");
    await userEvent.clear(input);
    await userEvent.type(input, '{{"a": 1}');
    await userEvent.click(screen.getByTestId("preview-run"));
    expect((await screen.findByTestId("preview-step-afterParameters")).textContent).toContain('"x": 1');
    expect(screen.getByTestId("preview-step-output").textContent).toContain('"r"');
    expect(calls[0]!.body).toEqual({ definition: state, input: { a: 1 } });
  });

  it("names the workflow and reads AWS's inspectionData", async () => {
    const calls = fakeApi(() => ({
      body: {
        status: "SUCCEEDED",
        output: { r: { x: 1 } },
        error: null,
        cause: null,
        nextState: null,
        inspectionData: { input: { a: 1 }, afterInputPath: { a: 1 }, afterParameters: { x: 1 }, result: { x: 1 }, afterResultSelector: null },
      },
    }));
    render(<StatePreview state={state} isTask={false} workflowId="wf-1" stateName="Shape" queryLanguage="JSONPath" />);
    await userEvent.click(screen.getByTestId("preview-run"));
    expect((await screen.findByTestId("preview-step-afterParameters")).textContent).toContain('"x": 1');
    expect(screen.queryByTestId("preview-step-afterResultSelector")).toBeNull();
    expect(screen.getByTestId("preview-step-output").textContent).toContain('"r"');
    expect(calls[0]!.body).toEqual({ definition: state, input: {}, workflow: "wf-1", stateName: "Shape", queryLanguage: "JSONPath" });
  });

  it("says when the preview endpoint is missing", async () => {
    fakeApi(() => undefined);
    render(<StatePreview state={state} isTask={false} />);
    await userEvent.click(screen.getByTestId("preview-run"));
    expect((await screen.findByTestId("preview-problem")).textContent).toContain("unavailable");
  });

  it("sends a mocked task result and shows a state error", async () => {
    const calls = fakeApi(() => ({ body: { error: "States.TaskFailed", cause: "boom", output: null } }));
    render(<StatePreview state={{ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true }} isTask />);
    await userEvent.type(screen.getByTestId("preview-mock"), "{{}");
    await userEvent.click(screen.getByTestId("preview-run"));
    expect((await screen.findByTestId("preview-error")).textContent).toContain("States.TaskFailed: boom");
    expect(calls[0]!.body).toMatchObject({ mock: { result: {} } });
  });
});
