/**
 * A definition as JSON or YAML in a read-only CodeMirror (a published
 * version: it can be read, searched and copied, never typed into).
 */
import { useEffect, useRef, useState } from "react";
import { basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { json } from "@codemirror/lang-json";
import { yaml } from "@codemirror/lang-yaml";
import { cspNonce } from "../../csp";
import type { Definition } from "../../asl/types";
import { definitionToText, type CodeMode } from "../codeText";

export interface ReadOnlyCodeProps {
  definition: Definition;
  /** What is shown (hover text of the editor). */
  label: string;
}

export function ReadOnlyCode({ definition, label }: ReadOnlyCodeProps) {
  const host = useRef<HTMLDivElement>(null);
  const [mode, setMode] = useState<CodeMode>("json");

  useEffect(() => {
    if (!host.current) return;
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: definitionToText(definition, mode),
        extensions: [
          EditorView.cspNonce.of(cspNonce() ?? ""),
          basicSetup,
          mode === "json" ? json() : yaml(),
          EditorState.readOnly.of(true),
          EditorView.editable.of(false),
        ],
      }),
    });
    return () => view.destroy();
  }, [definition, mode]);

  return (
    <section className="sy-code" data-testid="version-code" aria-label={`${label} as code`}>
      <div className="sy-code-bar" role="toolbar" aria-label="Code format">
        <button type="button" data-testid="version-code-json" aria-pressed={mode === "json"} onClick={() => setMode("json")}>
          JSON
        </button>
        <button type="button" data-testid="version-code-yaml" aria-pressed={mode === "yaml"} onClick={() => setMode("yaml")}>
          YAML
        </button>
        <span className="sy-muted" data-testid="version-code-readonly">
          Read-only
        </span>
      </div>
      <div className="sy-code-editor sy-code-readonly" ref={host} data-testid="version-code-editor" title={`${label} is read-only`} />
    </section>
  );
}
