/**
 * Import, step two: what the file holds (ASL or which state machine of a
 * CloudFormation/SAM template, how many states, the query language, the
 * validator's problems), and a question before it replaces the open workflow.
 */
import { allNames } from "../asl/templates";
import type { Definition } from "../asl/types";
import { Dialog } from "../ui/Dialog";
import type { ImportPreview } from "./workflowApi";

export interface ImportDialogProps {
  fileName: string;
  preview: ImportPreview;
  busy?: boolean;
  /** Another state machine of the template. */
  onChooseMachine: (logicalId: string) => void;
  onConfirm: () => void;
  onCancel: () => void;
}

/** "3 states" (top level), with the nested ones counted separately. */
export function describeStates(definition: Definition): string {
  const top = Object.keys(definition.States ?? {}).length;
  const all = allNames(definition).size;
  const plural = (n: number) => `${n} state${n === 1 ? "" : "s"}`;
  return all > top ? `${plural(top)} (${all} with the nested ones)` : plural(top);
}

export function ImportDialog({ fileName, preview, busy = false, onChooseMachine, onConfirm, onCancel }: ImportDialogProps) {
  const definition = preview.definition as Definition;
  const errors = preview.diagnostics.filter((d) => d.severity === "error");
  const warnings = preview.diagnostics.length - errors.length;
  return (
    <Dialog onClose={onCancel} labelledBy="sy-import-title" testId="import-dialog">
      <h3 id="sy-import-title">Import {fileName}?</h3>
      <dl className="sy-import-summary" data-testid="import-summary">
        <dt>Source</dt>
        <dd data-testid="import-source">{preview.source === "cloudformation" ? "CloudFormation/SAM template" : "ASL definition"}</dd>
        {preview.source === "cloudformation" ? (
          <>
            <dt>
              <label htmlFor="sy-import-machine">State machine</label>
            </dt>
            <dd>
              <select
                id="sy-import-machine"
                data-testid="import-machine"
                value={preview.logical_id ?? ""}
                disabled={busy || preview.state_machines.length < 2}
                onChange={(e) => onChooseMachine(e.target.value)}
              >
                {preview.state_machines.map((id) => (
                  <option key={id} value={id}>
                    {id}
                  </option>
                ))}
              </select>
              {preview.state_machines.length > 1 ? <span className="sy-muted"> of {preview.state_machines.length}</span> : null}
            </dd>
          </>
        ) : null}
        <dt>States</dt>
        <dd data-testid="import-states">{describeStates(definition)}</dd>
        <dt>Query language</dt>
        <dd data-testid="import-query-language">{definition.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath"}</dd>
        <dt>Problems</dt>
        <dd data-testid="import-problems">
          {preview.diagnostics.length === 0
            ? "None found"
            : `${errors.length} error${errors.length === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`}
        </dd>
      </dl>
      {preview.diagnostics.length ? (
        <ul className="sy-import-problems">
          {preview.diagnostics.slice(0, 5).map((d, i) => (
            <li key={`${d.code}-${i}`} className={`sy-${d.severity}`}>
              <code>{d.code}</code> {d.message}
            </li>
          ))}
          {preview.diagnostics.length > 5 ? <li className="sy-muted">…and {preview.diagnostics.length - 5} more</li> : null}
        </ul>
      ) : null}
      {preview.notes.map((note) => (
        <p key={note} className="sy-muted">
          {note}
        </p>
      ))}
      <p>
        <strong>This replaces the open workflow’s definition</strong> (undo brings it back; nothing is saved until you save).
      </p>
      <div className="sy-modal-actions">
        <button type="button" className="sy-primary" data-testid="import-confirm" disabled={busy} onClick={onConfirm}>
          Replace the workflow
        </button>
        <button type="button" data-testid="import-cancel" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}

export default ImportDialog;
