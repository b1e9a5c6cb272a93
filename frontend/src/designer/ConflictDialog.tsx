/**
 * Save conflict (409: someone saved a newer revision). Three ways out, none
 * loses work: keep mine (overwrite, sending the new revision), take theirs
 * (load the stored draft; mine stays reachable through undo), or copy mine
 * to a new workflow.
 */
import { useState } from "react";
import { errorMessage } from "../api/client";
import { Dialog } from "../ui/Dialog";
import { Notice } from "../ui/Notice";
import { formatTime } from "../execution/format";

export interface WorkflowSnapshot {
  id: string;
  team: string;
  name: string;
  type: string;
  description: string;
  revision: number;
  definition: Record<string, unknown>;
  layout: Record<string, unknown>;
  updated_at?: string | null;
}

export type ConflictChoice = "keep-mine" | "take-theirs" | "copy-mine";

export interface ConflictDialogProps {
  current: WorkflowSnapshot;
  yourRevision: number;
  /** Suggested name for the copy. */
  copyName: string;
  onResolve: (choice: ConflictChoice, copyName?: string) => Promise<void>;
  onCancel: () => void;
}

export function ConflictDialog({ current, yourRevision, copyName, onResolve, onCancel }: ConflictDialogProps) {
  const [name, setName] = useState(copyName);
  const [busy, setBusy] = useState<ConflictChoice | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = async (choice: ConflictChoice) => {
    setBusy(choice);
    setError(null);
    try {
      await onResolve(choice, choice === "copy-mine" ? name : undefined);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };
  const when = current.updated_at ? formatTime(current.updated_at) : null;
  return (
    <Dialog onClose={onCancel} role="alertdialog" labelledBy="sy-conflict-title" testId="conflict-dialog">
        <h3 id="sy-conflict-title">Someone else saved this workflow</h3>
        <p>
          You edited revision {yourRevision}; the saved draft is now at revision {current.revision}
          {when ? ` (saved ${when})` : ""}. Your changes are still here: choose what to do with them.
        </p>
        <div className="sy-modal-actions sy-conflict-actions">
          <button type="button" data-testid="conflict-keep-mine" disabled={busy !== null} onClick={() => void act("keep-mine")}>
            Keep mine (overwrite revision {current.revision})
          </button>
          <button type="button" data-testid="conflict-take-theirs" disabled={busy !== null} onClick={() => void act("take-theirs")}>
            Take theirs (undo brings mine back)
          </button>
          <div className="sy-conflict-copy">
            <label htmlFor="sy-conflict-copy-name">Copy mine to a new workflow named</label>
            <input id="sy-conflict-copy-name" data-testid="conflict-copy-name" value={name} onChange={(e) => setName(e.target.value)} />
            <button type="button" data-testid="conflict-copy-mine" disabled={busy !== null || !name.trim()} onClick={() => void act("copy-mine")}>
              Copy mine to a new workflow
            </button>
          </div>
        </div>
        {error ? (
          <Notice kind="error" testId="conflict-error">
            {error}
          </Notice>
        ) : null}
        <div className="sy-modal-actions">
          <button type="button" data-testid="conflict-cancel" disabled={busy !== null} onClick={onCancel}>
            Decide later
          </button>
        </div>
    </Dialog>
  );
}
