/**
 * "Re-run from here": a new execution that starts at one top-level state of a
 * finished one, with the input that state received then (editable JSON,
 * checked as it is typed), against the definition this execution ran or the
 * workflow's current draft. Start goes to the new execution, which links back.
 * (Loaded on demand: CodeMirror stays out of the execution page's first load.)
 */
import { useState } from "react";
import { errorMessage } from "../api/client";
import { Dialog } from "../ui/Dialog";
import { JsonEditor, parseJson, type JsonParse } from "../ui/JsonEditor";
import { Notice } from "../ui/Notice";
import { rerunExecution, type RerunRequest } from "./runsApi";
import "./runs.css";

export interface RerunDialogProps {
  executionId: string;
  executionName: string;
  /** The version the execution ran (null: the draft as it was then). */
  version: number | null;
  state: string;
  /** The input the state received (undefined: it did not run in this execution). */
  input: unknown;
  onClose: () => void;
  navigate: (url: string) => void;
}

const NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]{1,80}$/;

export function RerunDialog({ executionId, executionName, version, state, input, onClose, navigate }: RerunDialogProps) {
  const initial = JSON.stringify(input === undefined ? {} : input, null, 2);
  const [parsed, setParsed] = useState<JsonParse>(() => parseJson(initial));
  const [target, setTarget] = useState<RerunRequest["target"]>("version");
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameProblem = name.trim() && !NAME.test(name.trim()) ? "1-80 characters, without spaces, brackets, wildcards, quotes or any of # % \\ ^ | ~ ` $ & , ; : /" : null;
  const ready = parsed.ok && !nameProblem && !busy;

  const start = async () => {
    if (!parsed.ok || nameProblem) return;
    setBusy(true);
    setError(null);
    try {
      const body: RerunRequest = { state, input: parsed.value, target };
      if (name.trim()) body.name = name.trim();
      const started = await rerunExecution(executionId, body);
      navigate(`/executions/${started.id}/`);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Dialog onClose={onClose} labelledBy="exec-rerun-title" testId="rerun-dialog" className="exec-rerun-dialog">
      <form
        className="sy-dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <h3 id="exec-rerun-title">Re-run from {state}</h3>
        <p className="exec-muted">
          A new execution starts at <strong>{state}</strong>; the states before it do not run. It links back to {executionName}.
        </p>
        {input === undefined ? (
          <Notice kind="info" testId="rerun-not-run">
            {state} did not run in this execution: give it the input it should start with.
          </Notice>
        ) : null}
        <JsonEditor
          label={input === undefined ? `Input for ${state} (JSON)` : `Input (what ${state} received; edit it if you like)`}
          testId="rerun-input"
          initial={initial}
          onChange={(_text, result) => setParsed(result)}
          onSubmit={() => void start()}
        />
        <fieldset className="exec-rerun-target" data-testid="rerun-target">
          <legend>Definition</legend>
          <label>
            <input type="radio" name="rerun-target" data-testid="rerun-target-version" checked={target === "version"} onChange={() => setTarget("version")} />{" "}
            {version !== null ? `Version ${version}, as this execution ran it` : "The draft as this execution ran it"}
          </label>
          <label>
            <input type="radio" name="rerun-target" data-testid="rerun-target-draft" checked={target === "draft"} onChange={() => setTarget("draft")} /> The workflow&apos;s current draft
            (with your latest fixes)
          </label>
        </fieldset>
        <label htmlFor="exec-rerun-name">Execution name (optional)</label>
        <input id="exec-rerun-name" data-testid="rerun-name" value={name} aria-invalid={nameProblem ? true : undefined} onChange={(e) => setName(e.target.value)} />
        {nameProblem ? (
          <span className="sy-field-error" role="alert" data-testid="rerun-name-error">
            {nameProblem}
          </span>
        ) : null}
        {error ? (
          <Notice kind="error" testId="rerun-error">
            {error}
          </Notice>
        ) : null}
        <div className="sy-modal-actions">
          <button type="submit" className="exec-primary" data-testid="rerun-start" disabled={!ready} title={parsed.ok ? undefined : "Fix the input first: it is not JSON."}>
            {busy ? "Starting…" : "Start execution"}
          </button>
          <button type="button" data-testid="rerun-cancel" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export default RerunDialog;
