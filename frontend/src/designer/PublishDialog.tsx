/**
 * Publishing the draft as the next immutable version, with a description of
 * what changed (shown in the Versions list beside who published it and when).
 */
import { useState } from "react";
import { Dialog } from "../ui/Dialog";

export interface PublishDialogProps {
  /** The draft has unsaved edits (they are saved first). */
  dirty: boolean;
  /** The number the new version gets, when known. */
  next?: number | null;
  onPublish: (description: string) => void;
  onCancel: () => void;
}

export function PublishDialog({ dirty, next, onPublish, onCancel }: PublishDialogProps) {
  const [note, setNote] = useState("");
  return (
    <Dialog onClose={onCancel} labelledBy="sy-publish-title" testId="publish-dialog">
      <form
        className="sy-dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          onPublish(note.trim());
        }}
      >
        <h3 id="sy-publish-title">{next ? `Publish version ${next}` : "Publish a version"}</h3>
        <p>{dirty ? "Your changes are saved first. " : ""}A published version never changes; executions and aliases can run it by number.</p>
        <label htmlFor="sy-publish-note">What changed</label>
        <textarea
          id="sy-publish-note"
          data-testid="publish-description"
          rows={3}
          placeholder="e.g. Retry the payment call twice before failing"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          onKeyDown={(e) => {
            // Enter publishes (as in a one-line field); Shift+Enter starts a new line
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
        />
        <span className="sy-field-help">Shown in the Versions list with who published it and when. Shift+Enter for a new line.</span>
        <div className="sy-modal-actions">
          <button type="submit" className="sy-primary" data-testid="publish-confirm">
            Publish
          </button>
          <button type="button" data-testid="publish-cancel" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
