import { beforeEach, describe, expect, it } from "vitest";
import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { EditorView } from "@codemirror/view";
import { forEachDiagnostic } from "@codemirror/lint";
import { useState } from "react";
import { resetStudio, useStudio } from "../asl/store";
import type { Definition } from "../asl/types";
import { CodeView, type RevealRequest } from "./CodeView";
import type { CodeMode } from "./codeText";

const def = (): Definition => ({
  StartAt: "A",
  States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Succeed" } },
});

// jsdom has no layout: CodeMirror's measuring needs these on Range.
const rangeProto = Range.prototype as unknown as Record<string, unknown>;
rangeProto.getClientRects ??= () => [];
rangeProto.getBoundingClientRect ??= () => ({ x: 0, y: 0, width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0, toJSON: () => ({}) });

let reveal: (r: RevealRequest) => void = () => {};

function Harness({ initial = "json" as CodeMode }) {
  const [mode, setMode] = useState<CodeMode>(initial);
  const [rev, setRev] = useState<RevealRequest | null>(null);
  reveal = setRev;
  return <CodeView mode={mode} onModeChange={setMode} debounceMs={0} reveal={rev} />;
}

function editor(): EditorView {
  const host = screen.getByTestId("code-editor");
  const view = EditorView.findFromDOM(host.querySelector(".cm-editor") as HTMLElement);
  if (!view) throw new Error("no editor");
  return view;
}

const text = () => editor().state.doc.toString();

function typeInto(from: number, to: number, insert: string) {
  act(() => {
    editor().dispatch({ changes: { from, to, insert }, userEvent: "input" });
  });
}

describe("CodeView", () => {
  beforeEach(() => {
    resetStudio();
    useStudio.getState().load({ definition: def(), revision: 1 });
  });

  it("shows the definition as JSON and follows store changes, keeping the cursor", () => {
    render(<Harness />);
    expect(JSON.parse(text())).toEqual(def());
    // Put the cursor at the start of "StartAt", then change a later part of the definition.
    const at = text().indexOf('"StartAt"');
    act(() => editor().dispatch({ selection: { anchor: at } }));
    act(() => {
      const d = def();
      (d.States!.B as Record<string, unknown>).Comment = "done";
      useStudio.getState().setDefinition(d, "Comment");
    });
    expect(JSON.parse(text()).States.B.Comment).toBe("done");
    expect(editor().state.selection.main.head).toBe(at);
  });

  it("sends valid edits to the store and reports invalid text without touching it", () => {
    render(<Harness />);
    const from = text().indexOf('"Succeed"');
    typeInto(from, from + '"Succeed"'.length, '"Fail"');
    expect(useStudio.getState().definition.States!.B!.Type).toBe("Fail");
    expect(useStudio.getState().undoLabel).toBe("Edit code");
    const before = useStudio.getState().definition;
    typeInto(0, 1, "");
    expect(screen.getByTestId("code-parse-error")).toBeTruthy();
    expect(useStudio.getState().definition).toBe(before);
    // Undo in the store brings the text back.
    act(() => useStudio.getState().undo());
    expect(JSON.parse(text()).States.B.Type).toBe("Succeed");
  });

  it("switches to YAML and edits there", async () => {
    render(<Harness />);
    await userEvent.click(screen.getByTestId("code-mode-yaml"));
    expect(text()).toContain("StartAt: A");
    const from = text().indexOf("StartAt: A");
    typeInto(from, from + "StartAt: A".length, "StartAt: B");
    expect(useStudio.getState().definition.StartAt).toBe("B");
  });

  it("underlines diagnostics at their JSON Pointer", async () => {
    render(<Harness />);
    act(() =>
      useStudio.getState().setDiagnostics([
        { code: "DANGLING_NEXT", message: "No state B2", location: "/States/A/Next", severity: "error" },
        { code: "UNREACHABLE", message: "Unreachable", location: "/States/B", severity: "warning" },
      ]),
    );
    await waitFor(() => {
      const found: { from: number; to: number; severity: string; message: string }[] = [];
      forEachDiagnostic(editor().state, (d, from, to) => found.push({ from, to, severity: d.severity, message: d.message }));
      expect(found).toHaveLength(2);
      const next = found.find((d) => d.severity === "error")!;
      expect(text().slice(next.from, next.to)).toBe('"Next": "B"');
      expect(next.message).toContain("DANGLING_NEXT");
    });
  });

  it("reveals a location by selecting it", () => {
    render(<Harness />);
    act(() => reveal({ pointer: "/States/B/Type", nonce: 1 }));
    const sel = editor().state.selection.main;
    expect(text().slice(sel.from, sel.to)).toBe('"Type": "Succeed"');
  });

  it("reports text that does not parse to the store with its line and column, and flushes pending text on demand", () => {
    function Slow() {
      const [mode, setMode] = useState<CodeMode>("json");
      return <CodeView mode={mode} onModeChange={setMode} debounceMs={60_000} />;
    }
    render(<Slow />);
    const broken = '{\n  "StartAt": "A"\n  "States": {}\n}\n';
    typeInto(0, text().length, broken);
    expect(useStudio.getState().codeError).toBeNull(); // the pause has not ended
    act(() => useStudio.getState().flushCode?.());
    expect(useStudio.getState().codeError).toMatchObject({ line: 3, column: 3 });
    expect(screen.getByTestId("code-parse-error").textContent).toMatch(/^Line 3, column 3: /);
    expect(useStudio.getState().definition).toEqual(def()); // the last parsed definition stays
    const fixed = JSON.stringify({ ...def(), Comment: "ok" });
    typeInto(0, text().length, fixed);
    act(() => useStudio.getState().flushCode?.());
    expect(useStudio.getState().codeError).toBeNull();
    expect(useStudio.getState().definition.Comment).toBe("ok");
  });
});
