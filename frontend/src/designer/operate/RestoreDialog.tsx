/**
 * Restoring a version: says what happens (the draft becomes the version's
 * definition and is saved; undo brings the draft back) before doing it.
 */
import { useState } from "react";
import { Dialog } from "../../ui/Dialog";

export interface RestoreDialogProps {
  number: number;
  /** The draft has unsaved edits (they stay one undo away). */
  dirty: boolean;
  onRestore: () => Promise<void>;
  onCancel: () => void;
}

export function RestoreDialog({ number, dirty, onRestore, onCancel }: RestoreDialogProps) {
  const [busy, setBusy] = useState(false);
  return (
    <Dialog onClose={onCancel} labelledBy="sy-restore-title" testId="restore-dialog">
      <form
        className="sy-dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          void onRestore().finally(() => setBusy(false));
        }}
      >
        <h3 id="sy-restore-title">Restore version {number} into the draft?</h3>
        <p>
          The draft's definition becomes version {number}'s and is saved as a new revision; its name, settings and layout stay. Version {number} itself does not change.
        </p>
        <p>
          Undo (Ctrl+Z) in the designer brings the current draft back{dirty ? ", with your unsaved edits" : ""}.
        </p>
        <div className="sy-modal-actions">
          <button type="submit" className="sy-primary" data-testid="restore-confirm" disabled={busy}>
            {busy ? "Restoring…" : `Restore version ${number}`}
          </button>
          <button type="button" data-testid="restore-cancel" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
