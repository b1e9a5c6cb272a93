/**
 * The designer's toolbar: save, publish, undo/redo, layout direction, fit,
 * import, export, run, and the status of the last action (error, success or
 * information). Controls the role does not allow are disabled and say why.
 */
import { useRef, useState, type ReactNode } from "react";
import { useStudio } from "../asl/store";
import { Notice, type NoticeMessage } from "../ui/Notice";
import { PublishDialog } from "./PublishDialog";

export type ExportFormat = "json" | "yaml" | "svg" | "png";

export interface ToolbarProps {
  name: string;
  canEdit: boolean;
  /** May start executions (runner and up); default true. */
  canRun?: boolean;
  /** Why editing is off (title of the disabled edit controls). */
  editReason?: string | null;
  /** Why running is off. */
  runReason?: string | null;
  saving: boolean;
  status?: NoticeMessage | null;
  onSave: () => void;
  onPublish: (description: string) => void;
  onFit: () => void;
  onImport: (file: File) => void;
  onExport: (format: ExportFormat) => void;
  onRun: () => void;
  codeOpen: boolean;
  onToggleCode: () => void;
  /** The designer's view tabs (they show in the page's top bar when it has room for them). */
  views?: ReactNode;
  /** Open the workflow's aliases (a button after Publish when given). */
  onAliases?: () => void;
}

export function Toolbar(props: ToolbarProps) {
  const { name, canEdit, canRun = true, saving, status, onSave, onPublish, onFit, onImport, onExport, onRun, codeOpen, onToggleCode } = props;
  const editWhy = canEdit ? undefined : (props.editReason ?? "You cannot edit this workflow.");
  const runWhy = canRun ? undefined : (props.runReason ?? "You cannot run this workflow.");
  const dirty = useStudio((s) => s.dirty);
  // the code view holds text that does not parse: it differs from the saved definition
  const codeBroken = useStudio((s) => s.codeError !== null);
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
  const direction = layout.direction ?? "TB";

  return (
    <header className="sy-toolbar" role="toolbar" aria-label="Designer" data-testid="toolbar">
      <div className="sy-toolbar-title">
        <strong className="sy-toolbar-name" data-testid="workflow-name" title={name}>
          {name}
        </strong>{" "}
        <span className="sy-muted" data-testid="save-state">
          {dirty || codeBroken ? "unsaved changes" : `saved · revision ${revision}`}
        </span>
        {status ? (
          <Notice kind={status.kind} className="sy-toolbar-notice" testId="toolbar-status" title={status.text}>
            {status.text}
          </Notice>
        ) : null}
      </div>
      {props.views}
      <div className="sy-toolbar-group">
        <button type="button" data-testid="toolbar-save" disabled={!canEdit || saving} onClick={onSave} title={editWhy ?? "Save (Ctrl+S)"}>
          {saving ? "Saving…" : "Save"}
        </button>
        <button type="button" data-testid="toolbar-publish" disabled={!canEdit} title={editWhy ?? "Publish a version of the saved draft"} onClick={() => setPublishing(true)}>
          Publish
        </button>
        {props.onAliases ? (
          <button type="button" data-testid="toolbar-aliases" title="Names that start executions of published versions (or split starts between two)" onClick={props.onAliases}>
            Aliases…
          </button>
        ) : null}
        <button type="button" data-testid="toolbar-undo" disabled={!canEdit || !canUndo} onClick={undo} title={editWhy ?? (undoLabel ? `Undo ${undoLabel} (Ctrl+Z)` : "Undo (Ctrl+Z)")}>
          Undo
        </button>
        <button type="button" data-testid="toolbar-redo" disabled={!canEdit || !canRedo} onClick={redo} title={editWhy ?? (redoLabel ? `Redo ${redoLabel} (Ctrl+Shift+Z)` : "Redo (Ctrl+Shift+Z)")}>
          Redo
        </button>
      </div>
      <div className="sy-toolbar-group">
        <button
          type="button"
          data-testid="toolbar-direction"
          disabled={!canEdit}
          title={editWhy}
          aria-label={`Layout direction: ${direction === "TB" ? "top to bottom" : "left to right"}`}
          onClick={() => setLayout({ ...layout, direction: direction === "TB" ? "LR" : "TB" }, direction === "TB" ? "Lay out left to right" : "Lay out top to bottom")}
        >
          {direction === "TB" ? "↓ Top-down" : "→ Left-right"}
        </button>
        <button type="button" data-testid="toolbar-fit" onClick={onFit} title="Fit (Shift+1)">
          Fit
        </button>
        <button type="button" data-testid="toolbar-code" aria-pressed={codeOpen} title={codeOpen ? "Hide the code view" : "Show the code view (ASL as JSON or YAML)"} onClick={onToggleCode}>
          Code
        </button>
      </div>
      <div className="sy-toolbar-group">
        <button type="button" data-testid="toolbar-import" disabled={!canEdit} title={editWhy ?? "Import ASL or a CloudFormation/SAM template (you confirm before it replaces anything)"} onClick={() => fileInput.current?.click()}>
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
        <button type="button" className="sy-primary" data-testid="toolbar-run" disabled={!canRun} title={runWhy} onClick={onRun}>
          Run…
        </button>
      </div>
      {publishing ? (
        <PublishDialog
          dirty={dirty}
          onPublish={(description) => {
            setPublishing(false);
            onPublish(description);
          }}
          onCancel={() => setPublishing(false)}
        />
      ) : null}
    </header>
  );
}
