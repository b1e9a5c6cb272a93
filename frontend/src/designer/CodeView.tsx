/**
 * The code view: the definition as JSON or YAML in CodeMirror 6, in sync
 * with the store both ways. Typing a valid document calls setDefinition
 * (debounced, one undo step per pause); a store change rewrites only the
 * changed part of the text so the cursor stays put. Server diagnostics are
 * underlined at their JSON Pointer, a parse error at its position. Text that
 * does not parse is reported to the store (codeError: save and publish refuse
 * while it is set), and the store can flush the pending text at once (flushCode).
 */
import { useEffect, useRef, useState } from "react";
import { basicSetup } from "codemirror";
import { Annotation, Compartment, EditorState, type Extension } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { json } from "@codemirror/lang-json";
import { yaml } from "@codemirror/lang-yaml";
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { useStudio } from "../asl/store";
import { cspNonce } from "../csp";
import type { Definition, Diagnostic } from "../asl/types";
import { Notice } from "../ui/Notice";
import { codeErrorOf, definitionToText, jsonEqual, minimalChange, parseText, pointerRange, type CodeMode } from "./codeText";

/** Marks the transactions the store sync makes (not user edits). */
const fromStore = Annotation.define<boolean>();

export interface RevealRequest {
  pointer: string;
  /** Reveal these text offsets instead of the pointer (a parse error). */
  range?: { from: number; to: number };
  /** Changes on every request, so the same pointer can be revealed twice. */
  nonce: number;
}

export interface CodeViewProps {
  mode: CodeMode;
  onModeChange: (mode: CodeMode) => void;
  readOnly?: boolean;
  /** Why the code is read-only (shown on hover). */
  readOnlyReason?: string | null;
  /** Scroll to (and select) a location. */
  reveal?: RevealRequest | null;
  /** Pause before a typed change goes to the store (ms). */
  debounceMs?: number;
}

function languageOf(mode: CodeMode): Extension {
  return mode === "json" ? json() : yaml();
}

export function toCmDiagnostics(text: string, diagnostics: readonly Diagnostic[]): CmDiagnostic[] {
  const out: CmDiagnostic[] = [];
  for (const d of diagnostics) {
    const range = pointerRange(text, d.location);
    if (!range) continue;
    out.push({
      from: Math.min(range.from, text.length),
      to: Math.min(Math.max(range.to, range.from), text.length),
      severity: d.severity === "error" ? "error" : "warning",
      message: `${d.message} (${d.code})`,
      source: "validator",
    });
  }
  return out;
}

export function CodeView({ mode, onModeChange, readOnly = false, readOnlyReason, reveal, debounceMs = 400 }: CodeViewProps) {
  const host = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  const language = useRef(new Compartment());
  const editable = useRef(new Compartment());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const modeRef = useRef(mode);
  const definition = useStudio((s) => s.definition);
  const diagnostics = useStudio((s) => s.diagnostics);
  const parseError = useStudio((s) => s.codeError);
  const setParseError = (error: null) => useStudio.getState().setCodeError(error);
  const [docVersion, setDocVersion] = useState(0);
  /** Typed text not yet pushed to the store (the debounce is running). */
  const pending = useRef<string | null>(null);

  // Text -> store.
  const pushText = (text: string) => {
    pending.current = null;
    const parsed = parseText(text, modeRef.current);
    const store = useStudio.getState();
    if (!parsed.ok) {
      store.setCodeError(codeErrorOf(text, parsed));
      return;
    }
    store.setCodeError(null);
    if (!jsonEqual(parsed.value, store.definition)) store.setDefinition(parsed.value as Definition, "Edit code");
  };
  const pushRef = useRef(pushText);
  pushRef.current = pushText;

  // The store may ask for the pending text now (a save must not miss the last keystrokes).
  useEffect(() => {
    const flush = () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
      if (pending.current !== null) pushRef.current(pending.current);
    };
    useStudio.setState({ flushCode: flush });
    return () => {
      if (useStudio.getState().flushCode === flush) useStudio.setState({ flushCode: null, codeError: null });
    };
  }, []);

  // Create the editor once.
  useEffect(() => {
    if (!host.current) return;
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: definitionToText(useStudio.getState().definition, modeRef.current),
        extensions: [
          // CodeMirror's styles go into a <style> element: the CSP admits it by nonce
          EditorView.cspNonce.of(cspNonce() ?? ""),
          basicSetup,
          lintGutter(),
          language.current.of(languageOf(modeRef.current)),
          editable.current.of([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
          keymap.of([]),
          EditorView.updateListener.of((update) => {
            if (!update.docChanged) return;
            setDocVersion((n) => n + 1);
            if (update.transactions.every((tr) => tr.annotation(fromStore))) return;
            const text = update.state.doc.toString();
            pending.current = text;
            if (timer.current) clearTimeout(timer.current);
            if (debounceMs <= 0) pushRef.current(text);
            else timer.current = setTimeout(() => pushRef.current(text), debounceMs);
          }),
        ],
      }),
    });
    viewRef.current = view;
    return () => {
      if (timer.current) clearTimeout(timer.current);
      view.destroy();
      viewRef.current = null;
    };
    // The editor lives as long as the component; later prop changes are applied below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    viewRef.current?.dispatch({
      effects: editable.current.reconfigure([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
    });
  }, [readOnly]);

  // Mode switch: new language, text rewritten in the new syntax.
  useEffect(() => {
    const view = viewRef.current;
    if (!view || modeRef.current === mode) return;
    modeRef.current = mode;
    if (timer.current) clearTimeout(timer.current);
    pending.current = null;
    setParseError(null);
    view.dispatch({
      changes: { from: 0, to: view.state.doc.length, insert: definitionToText(useStudio.getState().definition, mode) },
      effects: language.current.reconfigure(languageOf(mode)),
      annotations: fromStore.of(true),
    });
  }, [mode]);

  // Store -> text, unless the text already says the same thing (keeps the user's formatting).
  useEffect(() => {
    const view = viewRef.current;
    if (!view) return;
    const current = view.state.doc.toString();
    const parsed = parseText(current, modeRef.current);
    if (parsed.ok && jsonEqual(parsed.value, definition)) return;
    if (!parsed.ok && view.hasFocus) return; // the user is mid-edit: do not clobber the text
    const change = minimalChange(current, definitionToText(definition, modeRef.current));
    if (!change) return;
    if (timer.current) clearTimeout(timer.current);
    pending.current = null;
    setParseError(null);
    view.dispatch({ changes: change, annotations: fromStore.of(true) });
  }, [definition]);

  // Diagnostics -> underlines.
  useEffect(() => {
    const view = viewRef.current;
    if (!view) return;
    const text = view.state.doc.toString();
    const list = parseError
      ? [{ from: Math.min(parseError.from, text.length), to: Math.min(parseError.to, text.length), severity: "error" as const, message: parseError.message, source: "parser" }]
      : toCmDiagnostics(text, diagnostics ?? []);
    view.dispatch(setDiagnostics(view.state, list));
  }, [diagnostics, parseError, docVersion]);

  // Follow the selection: scroll to the selected state (the cursor stays where it is). After
  // the next paint: the click's own feedback (canvas, inspector) shows first; on a large
  // document the editor's scroll and re-measure take tens of milliseconds.
  const selection = useStudio((s) => s.selection);
  useEffect(() => {
    if (!selection) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => {
        const view = viewRef.current;
        if (!view || view.hasFocus) return;
        const range = pointerRange(view.state.doc.toString(), selection);
        if (range) view.dispatch({ effects: EditorView.scrollIntoView(range.from, { y: "nearest" }) });
      }, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [selection]);

  // Reveal a location.
  useEffect(() => {
    const view = viewRef.current;
    if (!view || !reveal) return;
    const length = view.state.doc.length;
    const range = reveal.range
      ? { from: Math.min(reveal.range.from, length), to: Math.min(reveal.range.to, length) }
      : pointerRange(view.state.doc.toString(), reveal.pointer);
    if (!range) return;
    if (reveal.range) view.focus();
    view.dispatch({
      selection: { anchor: range.from, head: range.to },
      effects: EditorView.scrollIntoView(range.from, { y: "center" }),
    });
  }, [reveal]);

  return (
    <section className="sy-code" data-testid="code-view" aria-label="Code">
      <div className="sy-code-bar" role="toolbar" aria-label="Code format">
        <button type="button" data-testid="code-mode-json" aria-pressed={mode === "json"} onClick={() => onModeChange("json")}>
          JSON
        </button>
        <button type="button" data-testid="code-mode-yaml" aria-pressed={mode === "yaml"} onClick={() => onModeChange("yaml")}>
          YAML
        </button>
        {parseError ? (
          <Notice kind="error" testId="code-parse-error">
            Line {parseError.line}, column {parseError.column}: {parseError.message}
          </Notice>
        ) : (
          <span className="sy-muted" data-testid="code-status">
            In sync
          </span>
        )}
        {readOnly ? (
          <span className="sy-muted" data-testid="code-readonly" title={readOnlyReason ?? undefined}>
            Read-only
          </span>
        ) : null}
      </div>
      <div
        className={readOnly ? "sy-code-editor sy-code-readonly" : "sy-code-editor"}
        ref={host}
        data-testid="code-editor"
        title={readOnly ? (readOnlyReason ?? "Read-only") : undefined}
      />
    </section>
  );
}
