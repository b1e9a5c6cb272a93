/**
 * A JSON value editor (CodeMirror 6): syntax colours, bracket closing, undo,
 * the parse error underlined where it is and said below with its line and
 * column. `onChange` gets the text and what it parses to (`ok: false` while it
 * does not). Any JSON value is accepted (an input need not be an object).
 */
import { useEffect, useId, useRef, useState } from "react";
import { closeBrackets } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { json, jsonParseLinter } from "@codemirror/lang-json";
import { linter } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers } from "@codemirror/view";
import { cspNonce } from "../csp";

export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number };

/** 1-based line and column of `offset` in `text`. */
function where(text: string, offset: number): { line: number; column: number } {
  const lines = text.slice(0, Math.max(0, Math.min(offset, text.length))).split("\n");
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/** Parse JSON text; on failure the parser's words (without its own position) and where. */
export function parseJson(text: string): JsonParse {
  if (text.trim() === "") return { ok: false, message: "Empty: write a JSON value (null, {}, [] …)", line: 1, column: 1 };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(raw);
    const offset = at ? Number(at[1]) : text.length;
    const message = raw.replace(/\s*in JSON at position \d+(\s*\(line \d+ column \d+\))?/, "").trim() || "Not JSON";
    return { ok: false, message, ...where(text, offset) };
  }
}

export interface JsonEditorProps {
  label: string;
  testId: string;
  initial: string;
  onChange: (text: string, parsed: JsonParse) => void;
  /** Ctrl/Cmd+Enter. */
  onSubmit?: () => void;
}

export function JsonEditor({ label, testId, initial, onChange, onSubmit }: JsonEditorProps) {
  const id = useId();
  const host = useRef<HTMLDivElement>(null);
  const latest = useRef({ onChange, onSubmit });
  latest.current = { onChange, onSubmit };
  const [parsed, setParsed] = useState<JsonParse>(() => parseJson(initial));

  useEffect(() => {
    if (!host.current) return;
    const report = (text: string) => {
      const result = parseJson(text);
      setParsed(result);
      latest.current.onChange(text, result);
    };
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: initial,
        extensions: [
          EditorView.cspNonce.of(cspNonce() ?? ""),
          lineNumbers(),
          history(),
          closeBrackets(),
          keymap.of([
            { key: "Mod-Enter", run: () => (latest.current.onSubmit?.(), true) },
            ...defaultKeymap,
            ...historyKeymap,
          ]),
          json(),
          linter(jsonParseLinter(), { delay: 250 }),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ "aria-labelledby": id, "data-testid": `${testId}-input` }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) report(update.state.doc.toString());
          }),
        ],
      }),
    });
    return () => view.destroy();
    // made once: `initial` seeds it, later text is the editor's own
  }, []);

  return (
    <div className="sy-json-editor" data-testid={testId} data-valid={parsed.ok ? "true" : "false"}>
      <label id={id} className="sy-json-editor-label">
        {label}
      </label>
      <div ref={host} className="sy-json-editor-host" />
      {parsed.ok ? null : (
        <span className="sy-field-error" role="alert" data-testid={`${testId}-error`}>
          Line {parsed.line}, column {parsed.column}: {parsed.message}
        </span>
      )}
    </div>
  );
}

/** The editor view inside a JsonEditor (tests). */
export function jsonEditorView(root: Element): EditorView | null {
  const dom = root.querySelector(".cm-editor");
  return dom ? EditorView.findFromDOM(dom as HTMLElement) : null;
}

export default JsonEditor;
