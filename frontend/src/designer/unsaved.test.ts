/** Tests for the unsaved-work check behind the designer's beforeunload guard. */
import { afterEach, describe, expect, it } from "vitest";
import { useStudio } from "../asl/store";
import type { Definition } from "../asl/types";
import { hasUnsavedWork } from "./unsaved";

const DEF: Definition = { StartAt: "A", States: { A: { Type: "Pass", End: true } } };

function loaded(): void {
  useStudio.getState().load({ definition: DEF, layout: {}, revision: 1, diagnostics: [] });
}

describe("hasUnsavedWork", () => {
  afterEach(() => {
    document.body.innerHTML = "";
    useStudio.setState({ flushCode: null, codeError: null });
  });

  it("is false for a freshly loaded or saved draft, true after an edit", () => {
    loaded();
    expect(hasUnsavedWork()).toBe(false);
    useStudio.getState().setDefinition({ ...DEF, Comment: "edited" }, "Edit comment");
    expect(hasUnsavedWork()).toBe(true);
    useStudio.getState().markSaved(2);
    expect(hasUnsavedWork()).toBe(false);
  });

  it("commits the field being typed in first (its blur commits it)", () => {
    loaded();
    const input = document.createElement("input");
    input.addEventListener("blur", () => useStudio.getState().setDefinition({ ...DEF, Comment: "typed" }, "Edit comment"));
    document.body.appendChild(input);
    input.focus();
    expect(useStudio.getState().dirty).toBe(false);
    expect(hasUnsavedWork()).toBe(true);
    expect(useStudio.getState().definition.Comment).toBe("typed");
  });

  it("flushes the code view's pending text, and counts text that does not parse", () => {
    loaded();
    useStudio.setState({ flushCode: () => useStudio.getState().setDefinition({ ...DEF, Comment: "from code" }, "Edit code") });
    expect(hasUnsavedWork()).toBe(true);
    loaded();
    useStudio.setState({ flushCode: null, codeError: { line: 1, column: 2, message: "Unexpected token", from: 1, to: 2 } });
    expect(hasUnsavedWork()).toBe(true);
  });
});
