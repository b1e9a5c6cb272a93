/**
 * Duplicating a workflow: a copy of the draft (with its layout, type, tags
 * and retention; no versions, aliases or executions) under a new name.
 */
import { useState } from "react";
import { errorMessage } from "../../api/client";
import { Dialog } from "../../ui/Dialog";
import { Notice } from "../../ui/Notice";
import { copyName } from "../workflowApi";
import { duplicateWorkflow } from "./operateApi";

export interface DuplicateDialogProps {
  workflowId: string;
  name: string;
  /** Saves unsaved edits first, so that the copy holds what is on screen. */
  before?: () => Promise<void>;
  onDuplicated: (id: string) => void;
  onCancel: () => void;
}

export function DuplicateDialog({ workflowId, name, before, onDuplicated, onCancel }: DuplicateDialogProps) {
  const [copy, setCopy] = useState(copyName(name));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const duplicate = async () => {
    setBusy(true);
    setError(null);
    try {
      await before?.();
      const created = await duplicateWorkflow(workflowId, copy.trim());
      onDuplicated(created.id);
    } catch (err) {
      setError(`Not duplicated: ${errorMessage(err)}`);
      setBusy(false);
    }
  };
  return (
    <Dialog onClose={onCancel} labelledBy="sy-duplicate-title" testId="duplicate-dialog">
      <form
        className="sy-dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (copy.trim() && !busy) void duplicate();
        }}
      >
        <h3 id="sy-duplicate-title">Duplicate {name}</h3>
        <p>The copy gets the draft with its layout, type, tags and retention; no versions, aliases or executions. It opens once made.</p>
        <label htmlFor="sy-duplicate-name">Name of the copy</label>
        <input id="sy-duplicate-name" data-testid="duplicate-name" maxLength={80} value={copy} onChange={(e) => setCopy(e.target.value)} />
        {error ? (
          <Notice kind="error" testId="duplicate-error">
            {error}
          </Notice>
        ) : null}
        <div className="sy-modal-actions">
          <button type="submit" data-testid="duplicate-confirm" disabled={!copy.trim() || busy}>
            {busy ? "Duplicating…" : "Duplicate and open"}
          </button>
          <button type="button" data-testid="duplicate-cancel" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
