/**
 * The bar above the team's executions: how many are selected, and Stop and
 * Redrive for all of them at once. Stop asks once for the error and cause
 * every stopped execution records (StopDialog); Redrive asks to confirm. Each
 * execution is handled on its own by the server (POST /api/executions/stop/
 * and /api/executions/redrive/): the outcomes come back one per execution.
 * Below the runner role both are disabled, and say why on hover.
 */
import { useState } from "react";
import { api, errorMessage } from "../api/client";
import { Dialog } from "../ui/Dialog";
import { Notice } from "../ui/Notice";
import { StopDialog } from "../execution/StopDialog";
import type { BulkAction, BulkOutcome } from "./teamExecutions";

export interface BulkActionsProps {
  selected: string[];
  canRun: boolean;
  role: string;
  onDone: (action: BulkAction, outcomes: BulkOutcome[]) => void;
  onClear: () => void;
}

export function roleReason(role: string): string {
  return `Stopping and redriving need the runner role; you are ${role}.`;
}

export function BulkActions({ selected, canRun, role, onDone, onClear }: BulkActionsProps) {
  const [asking, setAsking] = useState<BulkAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const count = selected.length;
  const what = `${count} ${count === 1 ? "execution" : "executions"}`;
  const reason = canRun ? (count === 0 ? "Select executions first." : undefined) : roleReason(role);

  const run = async (action: BulkAction, body: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<{ results: BulkOutcome[] }>(`/executions/${action}/`, { ids: selected, ...body });
      setAsking(null);
      onDone(action, answer.results);
    } catch (err) {
      setError(`Could not ${action} the executions: ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setAsking(null);
    setError(null);
  };

  return (
    <div className="tx-bulk" data-testid="bulk-actions">
      <span className="tx-selected" data-testid="selected-count">
        {count} selected
      </span>
      <span title={reason} data-testid="bulk-stop-wrap">
        <button type="button" className="tx-danger" data-testid="bulk-stop" disabled={!canRun || count === 0} onClick={() => setAsking("stop")}>
          Stop…
        </button>
      </span>
      <span title={reason} data-testid="bulk-redrive-wrap">
        <button type="button" data-testid="bulk-redrive" disabled={!canRun || count === 0} onClick={() => setAsking("redrive")}>
          Redrive…
        </button>
      </span>
      <button type="button" className="tx-link" data-testid="selection-clear" disabled={count === 0} onClick={onClear}>
        Clear selection
      </button>
      {!canRun ? (
        <span className="tx-muted" data-testid="bulk-role-reason">
          {roleReason(role)}
        </span>
      ) : null}
      {error && !asking ? (
        <Notice kind="error" testId="bulk-error">
          {error}
        </Notice>
      ) : null}
      {asking === "stop" ? (
        <StopDialog
          executionName={what}
          busy={busy}
          error={error}
          explanation={`Each running execution is aborted at once, recording this error and cause; states that are running do not finish. Executions that are not running are reported and left alone. This cannot be undone.`}
          confirmLabel={`Stop ${what}`}
          onStop={(errorText, cause) => void run("stop", { ...(errorText ? { error: errorText } : {}), ...(cause ? { cause } : {}) })}
          onCancel={close}
        />
      ) : null}
      {asking === "redrive" ? (
        <Dialog onClose={close} labelledBy="tx-redrive-title" testId="redrive-dialog">
          <form
            className="sy-dialog-form"
            onSubmit={(e) => {
              e.preventDefault();
              void run("redrive", {});
            }}
          >
            <h3 id="tx-redrive-title">Redrive {what}?</h3>
            <p>
              Each failed, timed-out or aborted Standard execution (closed less than 14 days ago) runs again from the states that did not succeed; what succeeded keeps its
              results. Executions that cannot be redriven are reported with the reason.
            </p>
            {error ? (
              <Notice kind="error" testId="redrive-failed">
                {error}
              </Notice>
            ) : null}
            <div className="sy-modal-actions">
              <button type="submit" data-testid="redrive-confirm" disabled={busy}>
                {busy ? "Redriving…" : `Redrive ${what}`}
              </button>
              <button type="button" data-testid="redrive-cancel" onClick={close}>
                Cancel
              </button>
            </div>
          </form>
        </Dialog>
      ) : null}
    </div>
  );
}

export default BulkActions;
