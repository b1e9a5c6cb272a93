/** The designer's toolbar: save, publish, undo/redo, layout direction, fit, import, export, run. */
import { useRef, useState } from "react";
import { useStudio } from "../asl/store";

export type ExportFormat = "json" | "yaml" | "svg" | "png";

export interface ToolbarProps {
  name: string;
  canEdit: boolean;
  saving: boolean;
  status?: string | null;
  onSave: () => void;
  onPublish: (description: string) => void;
  onFit: () => void;
  onImport: (file: File) => void;
  onExport: (format: ExportFormat) => void;
  onRun: () => void;
  codeOpen: boolean;
  onToggleCode: () => void;
}

export function Toolbar(props: ToolbarProps) {
  const { name, canEdit, saving, status, onSave, onPublish, onFit, onImport, onExport, onRun, codeOpen, onToggleCode } = props;
  const dirty = useStudio((s) => s.dirty);
  const revision = useStudio((s) => s.revision);
  const canUndo = useStudio((s) => s.canUndo);
  const canRedo = useStudio((s) => s.canRedo);
  const undoLabel = useStudio((s) => s.undoLabel);
  const redoLabel = useStudio((s) => s.redoLabel);
  const undo = useStudio((s) => s.undo);
  const redo = useStudio((s) => s.redo);
  const layout = useStudio((s) => s.layout);
  const setLayout = useStudio((s) => s.setLayout);
  const fileInput = useRef<HTMLInputElement>(null);
  const [publishing, setPublishing] = useState(false);
  const [note, setNote] = useState("");
  const direction = layout.direction ?? "TB";

  return (
    <header className="sy-toolbar" role="toolbar" aria-label="Designer" data-testid="toolbar">
      <div className="sy-toolbar-title">
        <strong data-testid="workflow-name">{name}</strong>{" "}
        <span className="sy-muted" data-testid="save-state">
          {dirty ? "unsaved changes" : `saved · revision ${revision}`}
        </span>
        {status ? (
          <span className="sy-toolbar-status" role="status" data-testid="toolbar-status">
            {status}
          </span>
        ) : null}
      </div>
      <div className="sy-toolbar-group">
        <button type="button" data-testid="toolbar-save" disabled={!canEdit || saving} onClick={onSave} title="Save (Ctrl+S)">
          {saving ? "Saving…" : "Save"}
        </button>
        <button type="button" data-testid="toolbar-publish" disabled={!canEdit} onClick={() => setPublishing(true)}>
          Publish version
        </button>
        <button type="button" data-testid="toolbar-undo" disabled={!canEdit || !canUndo} onClick={undo} title={undoLabel ? `Undo ${undoLabel} (Ctrl+Z)` : "Undo (Ctrl+Z)"}>
          Undo
        </button>
        <button type="button" data-testid="toolbar-redo" disabled={!canEdit || !canRedo} onClick={redo} title={redoLabel ? `Redo ${redoLabel} (Ctrl+Shift+Z)` : "Redo (Ctrl+Shift+Z)"}>
          Redo
        </button>
      </div>
      <div className="sy-toolbar-group">
        <button
          type="button"
          data-testid="toolbar-direction"
          aria-label={`Layout direction: ${direction === "TB" ? "top to bottom" : "left to right"}`}
          onClick={() => setLayout({ ...layout, direction: direction === "TB" ? "LR" : "TB" }, direction === "TB" ? "Lay out left to right" : "Lay out top to bottom")}
        >
          {direction === "TB" ? "↓ Top-down" : "→ Left-right"}
        </button>
        <button type="button" data-testid="toolbar-fit" onClick={onFit} title="Fit (Shift+1)">
          Fit
        </button>
        <button type="button" data-testid="toolbar-code" aria-pressed={codeOpen} onClick={onToggleCode}>
          {codeOpen ? "Hide code" : "Show code"}
        </button>
      </div>
      <div className="sy-toolbar-group">
        <button type="button" data-testid="toolbar-import" disabled={!canEdit} onClick={() => fileInput.current?.click()}>
          Import…
        </button>
        <input
          ref={fileInput}
          type="file"
          hidden
          data-testid="toolbar-import-file"
          accept=".json,.yaml,.yml,.template,.asl,application/json,application/yaml,text/yaml"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) onImport(file);
            e.target.value = "";
          }}
        />
        <label className="sy-visually-hidden" htmlFor="sy-export">
          Export
        </label>
        <select
          id="sy-export"
          data-testid="toolbar-export"
          value=""
          onChange={(e) => {
            if (e.target.value) onExport(e.target.value as ExportFormat);
          }}
        >
          <option value="">Export…</option>
          <option value="json">ASL JSON</option>
          <option value="yaml">ASL YAML</option>
          <option value="svg">Picture (SVG)</option>
          <option value="png">Picture (PNG)</option>
        </select>
        <button type="button" className="sy-primary" data-testid="toolbar-run" onClick={onRun}>
          Run…
        </button>
      </div>
      {publishing ? (
        <div className="sy-modal-backdrop">
          <form
            className="sy-modal"
            role="dialog"
            aria-modal="true"
            aria-label="Publish version"
            data-testid="publish-dialog"
            onSubmit={(e) => {
              e.preventDefault();
              setPublishing(false);
              onPublish(note);
              setNote("");
            }}
          >
            <h3>Publish a version</h3>
            <p>{dirty ? "Your changes are saved first. " : ""}A published version never changes; executions can run it by number.</p>
            <label htmlFor="sy-publish-note">What changed (optional)</label>
            <input id="sy-publish-note" data-testid="publish-description" value={note} autoFocus onChange={(e) => setNote(e.target.value)} />
            <div className="sy-modal-actions">
              <button type="submit" data-testid="publish-confirm">
                Publish
              </button>
              <button type="button" data-testid="publish-cancel" onClick={() => setPublishing(false)}>
                Cancel
              </button>
            </div>
          </form>
        </div>
      ) : null}
    </header>
  );
}
