/**
 * Run: what to run (the draft, a published version or an alias), an input
 * editor (with recent inputs); starts an execution and goes to its page.
 */
import { useState } from "react";
import { api, errorMessage } from "../api/client";
import { RunTarget, targetBody, type Target } from "../aliases/RunTarget";
import { Dialog } from "../ui/Dialog";
import { Notice } from "../ui/Notice";
import { loadRecentInputs, rememberInput } from "./recentInputs";

export interface RunDialogProps {
  workflowId: string;
  /** Called before starting (e.g. to save unsaved changes); may throw to stop. */
  beforeRun?: () => Promise<void>;
  onClose: () => void;
  navigate?: (url: string) => void;
}

export function RunDialog({ workflowId, beforeRun, onClose, navigate = (url) => window.location.assign(url) }: RunDialogProps) {
  const [recent, setRecent] = useState(() => loadRecentInputs(workflowId));
  const [text, setText] = useState(() => recent[0] ?? "{}");
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [target, setTarget] = useState<Target>({ kind: "draft" });

  const start = async () => {
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch {
      setError("The input is not valid JSON.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (beforeRun && target.kind === "draft") await beforeRun(); // a version or alias runs as published
      const body: Record<string, unknown> = { input, ...targetBody(target) };
      if (name.trim()) body.name = name.trim();
      const execution = await api.post<{ id: string }>(`/workflows/${workflowId}/executions/`, body);
      setRecent(rememberInput(workflowId, text));
      navigate(`/executions/${execution.id}/`);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Dialog onClose={onClose} labelledBy="sy-run-title" testId="run-dialog">
        <h3 id="sy-run-title">Run workflow</h3>
        <RunTarget workflowId={workflowId} value={target} onChange={setTarget} />
        <label htmlFor="sy-run-input">Input (JSON)</label>
        <textarea
          id="sy-run-input"
          data-testid="run-input"
          data-autofocus
          className="sy-json"
          rows={8}
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void start();
          }}
        />
        {recent.length ? (
          <div className="sy-field">
            <label htmlFor="sy-run-recent">Recent inputs</label>
            <select id="sy-run-recent" data-testid="run-recent" value="" onChange={(e) => e.target.value && setText(e.target.value)}>
              <option value="">Choose a recent input…</option>
              {recent.map((r) => (
                <option key={r} value={r}>
                  {r.length > 60 ? r.slice(0, 60) + "…" : r}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <label htmlFor="sy-run-name">Execution name (optional)</label>
        <input id="sy-run-name" data-testid="run-name" value={name} onChange={(e) => setName(e.target.value)} />
        {error ? (
          <Notice kind="error" testId="run-error">
            {error}
          </Notice>
        ) : null}
        <div className="sy-modal-actions">
          <button type="button" data-testid="run-start" disabled={busy} onClick={() => void start()}>
            {busy ? "Starting…" : "Start execution"}
          </button>
          <button type="button" data-testid="run-cancel" onClick={onClose}>
            Cancel
          </button>
        </div>
    </Dialog>
  );
}
