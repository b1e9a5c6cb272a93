/**
 * A JSONata expression editor: a small CodeMirror 6 instance completing
 * `$states...` and the variables in scope (see jsonataCompletion.ts).
 * `mode="json"` edits any JSON value (Arguments, Output, Assign) and commits
 * on blur when the text parses; `mode="text"` edits one string (a Choice
 * Condition). Empty removes the field. Disabled: read-only, with `title`.
 */
import { useEffect, useId, useRef, useState } from "react";
import { autocompletion, closeBrackets } from "@codemirror/autocomplete";
import { json } from "@codemirror/lang-json";
import { Compartment, EditorState } from "@codemirror/state";
import { EditorView, keymap, placeholder as cmPlaceholder } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { cspNonce } from "../../csp";
import { completionSource, type ExpressionWhere } from "./jsonataCompletion";

export interface ExpressionFieldProps {
  label: string;
  testId: string;
  value: unknown;
  onCommit: (value: unknown) => void;
  where: ExpressionWhere;
  mode?: "json" | "text";
  placeholder?: string;
  disabled?: boolean;
}

const textOf = (value: unknown, mode: "json" | "text") =>
  value === undefined ? "" : mode === "text" && typeof value === "string" ? value : JSON.stringify(value, null, 2);

export function ExpressionField({ label, testId, value, onCommit, where, mode = "json", placeholder, disabled = false }: ExpressionFieldProps) {
  const id = useId();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const editable = useRef(new Compartment());
  const latest = useRef({ value, onCommit, where, mode });
  latest.current = { value, onCommit, where, mode };
  const [error, setError] = useState<string | null>(null);

  const commit = (text: string) => {
    const { value: old, onCommit: done, mode: m } = latest.current;
    if (text.trim() === "") {
      setError(null);
      if (old !== undefined) done(undefined);
      return;
    }
    let next: unknown = text;
    if (m === "json") {
      try {
        next = JSON.parse(text);
      } catch (err) {
        setError(err instanceof Error ? err.message : "Not JSON");
        return;
      }
    }
    setError(null);
    if (JSON.stringify(next) !== JSON.stringify(old)) done(next);
  };

  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: textOf(latest.current.value, latest.current.mode),
        extensions: [
          EditorView.cspNonce.of(cspNonce() ?? ""),
          history(),
          closeBrackets(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          ...(latest.current.mode === "json" ? [json()] : []),
          autocompletion({ override: [completionSource(() => latest.current.where)], activateOnTyping: true }),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ "aria-labelledby": id, "data-testid": `${testId}-input` }),
          editable.current.of([EditorView.editable.of(!disabled), EditorState.readOnly.of(disabled)]),
          ...(placeholder ? [cmPlaceholder(placeholder)] : []),
          EditorView.domEventHandlers({ blur: (_e, ed) => commit(ed.state.doc.toString()) }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is made once; value, mode and disabled are synced below.
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const text = textOf(value, mode);
    if (v.state.doc.toString() !== text && !v.hasFocus) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: text } });
    setError(null);
  }, [value, mode]);

  useEffect(() => {
    view.current?.dispatch({ effects: editable.current.reconfigure([EditorView.editable.of(!disabled), EditorState.readOnly.of(disabled)]) });
  }, [disabled]);

  return (
    <div className="sy-field sy-expression" data-testid={testId} aria-disabled={disabled || undefined}>
      <label id={id}>{label}</label>
      <div ref={host} className="sy-expression-editor" />
      {error ? <div className="sy-field-help"><span className="sy-error">{error}</span></div> : null}
    </div>
  );
}

/** The editor view inside an ExpressionField (tests and keyboard helpers). */
export function expressionViewIn(field: Element): EditorView | null {
  const dom = field.querySelector(".cm-editor");
  return dom ? EditorView.findFromDOM(dom as HTMLElement) : null;
}
