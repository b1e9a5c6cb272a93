/**
 * Stop an execution: asks first, with the optional Error and Cause that AWS's
 * StopExecution takes (they end up in the ExecutionAborted event).
 */
import { useState } from "react";
import { Dialog } from "../ui/Dialog";
import { Notice } from "../ui/Notice";

/** The server's limits (designer/api/executions.py StopSerializer). */
export const MAX_ERROR = 256;
export const MAX_CAUSE = 32768;

export interface StopDialogProps {
  executionName: string;
  busy?: boolean;
  error?: string | null;
  onStop: (error: string, cause: string) => void;
  onCancel: () => void;
  /** What stopping does (default: one execution's words). */
  explanation?: string;
  /** The confirm button's text (default "Stop execution"). */
  confirmLabel?: string;
}

const EXPLANATION = "The execution is aborted at once; states that are running do not finish. This cannot be undone.";

export function StopDialog({ executionName, busy = false, error, onStop, onCancel, explanation = EXPLANATION, confirmLabel = "Stop execution" }: StopDialogProps) {
  const [errorText, setErrorText] = useState("");
  const [cause, setCause] = useState("");
  return (
    <Dialog onClose={onCancel} labelledBy="exec-stop-title" testId="stop-dialog">
      <form
        className="sy-dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          onStop(errorText.trim(), cause.trim());
        }}
      >
        <h3 id="exec-stop-title">Stop {executionName}?</h3>
        <p>{explanation}</p>
        <label htmlFor="exec-stop-error">Error (optional)</label>
        <input id="exec-stop-error" data-testid="stop-error" maxLength={MAX_ERROR} value={errorText} placeholder="e.g. Cancelled" onChange={(e) => setErrorText(e.target.value)} />
        <label htmlFor="exec-stop-cause">Cause (optional)</label>
        <textarea id="exec-stop-cause" data-testid="stop-cause" rows={3} maxLength={MAX_CAUSE} value={cause} placeholder="Why it was stopped" onChange={(e) => setCause(e.target.value)} />
        {error ? (
          <Notice kind="error" testId="stop-failed">
            {error}
          </Notice>
        ) : null}
        <div className="sy-modal-actions">
          <button type="submit" className="exec-stop" data-testid="stop-confirm" disabled={busy}>
            {busy ? "Stopping…" : confirmLabel}
          </button>
          <button type="button" data-testid="stop-cancel" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export default StopDialog;
