import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { startCompletion, currentCompletions } from "@codemirror/autocomplete";
import { ExpressionField, expressionViewIn } from "./ExpressionField";

const where = { field: "Output" as const, stateType: "Task", variables: ["total"] };

function edit(text: string) {
  const view = expressionViewIn(screen.getByTestId("x"))!;
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  fireEvent.blur(view.contentDOM);
  return view;
}

describe("ExpressionField", () => {
  it("commits parsed JSON on blur, refuses text that is not JSON, and removes on empty", () => {
    const onCommit = vi.fn();
    render(<ExpressionField label="Output" testId="x" value={{ a: 1 }} where={where} onCommit={onCommit} />);
    expect(expressionViewIn(screen.getByTestId("x"))!.state.doc.toString()).toBe('{\n  "a": 1\n}');
    edit('{"a": "{% $total %}"}');
    expect(onCommit).toHaveBeenLastCalledWith({ a: "{% $total %}" });
    edit("{oops");
    expect(onCommit).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("x").querySelector(".sy-error")).toBeTruthy();
    edit("");
    expect(onCommit).toHaveBeenLastCalledWith(undefined);
  });

  it("text mode commits the string as written (a Condition)", () => {
    const onCommit = vi.fn();
    render(<ExpressionField label="Condition" testId="x" mode="text" value="{% true %}" where={where} onCommit={onCommit} />);
    edit("{% $total > 3 %}");
    expect(onCommit).toHaveBeenLastCalledWith("{% $total > 3 %}");
  });

  it("is read-only when disabled", () => {
    render(<ExpressionField label="Output" testId="x" value={1} where={where} onCommit={() => undefined} disabled />);
    const view = expressionViewIn(screen.getByTestId("x"))!;
    expect(view.state.readOnly).toBe(true);
    expect(view.contentDOM.getAttribute("contenteditable")).toBe("false");
  });

  it("opens completions with the variables and $states.result", async () => {
    render(<ExpressionField label="Output" testId="x" value={undefined} where={where} onCommit={() => undefined} />);
    const view = expressionViewIn(screen.getByTestId("x"))!;
    view.dispatch({ changes: { from: 0, insert: '"{% $' }, selection: { anchor: 5 } });
    startCompletion(view);
    await vi.waitFor(() => expect(currentCompletions(view.state).map((c) => c.label)).toContain("$total"));
    expect(currentCompletions(view.state).map((c) => c.label)).toContain("$states.result");
  });
});
