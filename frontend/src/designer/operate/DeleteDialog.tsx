/**
 * Deleting a workflow: the dialog first asks the server what it would take
 * with it (running executions end, stored ones go with their history,
 * versions and aliases too), then asks for the workflow's name typed out.
 */
import { useEffect, useState } from "react";
import { errorMessage } from "../../api/client";
import { Dialog } from "../../ui/Dialog";
import { Notice } from "../../ui/Notice";
import { deleteWorkflow, getDeleteSummary, type DeleteSummary } from "./operateApi";

export interface DeleteDialogProps {
  workflowId: string;
  name: string;
  onDeleted: () => void;
  onCancel: () => void;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** What happens, one sentence per kind of thing (the counts from the server). */
export function consequences(s: DeleteSummary): { key: string; text: string; warn: boolean }[] {
  return [
    {
      key: "running",
      warn: s.running_executions > 0,
      text:
        s.running_executions > 0
          ? `${plural(s.running_executions, "running execution")} will stop: ${s.running_executions === 1 ? "it is" : "they are"} deleted with the workflow and any pending work finds nothing to continue.`
          : "No execution is running.",
    },
    {
      key: "stored",
      warn: s.stored_executions > 0,
      text:
        s.stored_executions > 0
          ? `${plural(s.stored_executions, "execution")} and ${s.stored_executions === 1 ? "its" : "their"} history will be deleted for good.`
          : "There is no execution history to delete.",
    },
    {
      key: "versions",
      warn: s.versions > 0 || s.aliases > 0,
      text: `${plural(s.versions, "published version")} and ${plural(s.aliases, "alias", "aliases")} will be deleted.`,
    },
  ];
}

export function DeleteDialog({ workflowId, name, onDeleted, onCancel }: DeleteDialogProps) {
  const [summary, setSummary] = useState<DeleteSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    getDeleteSummary(workflowId)
      .then((s) => live && setSummary(s))
      .catch((err: unknown) => live && setError(`Cannot tell what deleting would do: ${errorMessage(err)}`));
    return () => {
      live = false;
    };
  }, [workflowId]);
  const confirmed = typed === name;
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteWorkflow(workflowId);
      onDeleted();
    } catch (err) {
      setError(`Not deleted: ${errorMessage(err)}`);
      setBusy(false);
    }
  };
  return (
    <Dialog onClose={onCancel} role="alertdialog" labelledBy="sy-delete-title" testId="delete-dialog">
      <form
        className="sy-dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (confirmed && summary && !busy) void remove();
        }}
      >
        <h3 id="sy-delete-title">Delete workflow {name}?</h3>
        {summary ? (
          <ul className="sy-delete-summary" data-testid="delete-summary">
            {consequences(summary).map((c) => (
              <li key={c.key} data-testid={`delete-summary-${c.key}`} className={c.warn ? "sy-warn" : undefined}>
                {c.text}
              </li>
            ))}
          </ul>
        ) : error ? null : (
          <p className="sy-muted" data-testid="delete-summary-loading">
            Counting executions, versions and aliases…
          </p>
        )}
        <p>This cannot be undone.</p>
        <label htmlFor="sy-delete-confirm">
          Type <code>{name}</code> to confirm
        </label>
        <input
          id="sy-delete-confirm"
          data-testid="delete-confirm-name"
          autoComplete="off"
          spellCheck={false}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
        {error ? (
          <Notice kind="error" testId="delete-error">
            {error}
          </Notice>
        ) : null}
        <div className="sy-modal-actions">
          <button type="submit" className="sy-danger" data-testid="delete-confirm" disabled={!confirmed || !summary || busy} title={confirmed ? undefined : "Type the workflow's name first"}>
            {busy ? "Deleting…" : "Delete workflow"}
          </button>
          <button type="button" data-testid="delete-cancel" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
