/**
 * Redrive from the execution view (AWS's RedriveExecution): a button beside
 * the status of a finished execution. It is offered for a failed, timed-out or
 * aborted Standard execution closed less than 14 days ago; not shown where it
 * can never apply (succeeded, running, Express); otherwise it is disabled and
 * says why (the server's reason, in AWS's words). It asks first,
 * naming what runs again and what keeps its result.
 */
import { useState } from "react";
import { errorMessage } from "../api/client";
import { Dialog } from "../ui/Dialog";
import { Notice } from "../ui/Notice";
import { deciding, type ExecutionRun } from "./history";
import { redriveExecution, REDRIVE_DAYS, type Redriven, type RunFacts } from "./runsApi";
import "./runs.css";

/** A person's words for AWS's redriveStatusReason (AWS's own words stay in the title too). */
const EXPLAINED: [RegExp, string][] = [
  [/EXPRESS/, "Express executions cannot be redriven (AWS keeps no state for them); re-run from a state instead."],
  [/SUCCEEDED/, "It succeeded: there is nothing to redrive."],
  [/RUNNING/, "It is still running."],
  [/redrivable period exceeded/, `It closed more than ${REDRIVE_DAYS} days ago: the redrive period is over.`],
];

/**
 * Whether a redrive can never apply to this execution, so no button is shown at all: it
 * succeeded or is still running (Stop is offered then), or it is an Express execution.
 * Elsewhere the button stays, disabled with the reason while it is blocked.
 */
export function redriveNeverApplies(facts: RunFacts & { status: string | null; type?: string }): boolean {
  return facts.status === "SUCCEEDED" || facts.status === "RUNNING" || facts.type === "EXPRESS";
}

/** Why the Redrive button is off (null: it is on). */
export function redriveBlocked(facts: RunFacts & { status: string | null }, mayRun: boolean, role: string): string | null {
  if (!mayRun) return `${role === "viewer" ? "Viewers" : "You"} cannot redrive executions (runners and up can).`;
  if (facts.status === "RUNNING") return "It is still running.";
  if (facts.redrive_status === "REDRIVABLE") return null;
  const reason = facts.redrive_status_reason || "This execution cannot be redriven.";
  const words = EXPLAINED.find(([pattern]) => pattern.test(reason))?.[1];
  return words ? `${words} (${reason})` : reason;
}

/** The top-level states a redrive runs again (did not succeed) and those it keeps. */
export function redrivePlan(run: ExecutionRun): { again: string[]; kept: string[] } {
  const again: string[] = [];
  const kept: string[] = [];
  for (const visit of deciding(run)) {
    if (visit.parent !== null) continue;
    const list = visit.status === "succeeded" || visit.status === "caught" ? kept : again;
    if (!again.includes(visit.name) && !kept.includes(visit.name)) list.push(visit.name);
  }
  return { again, kept: kept.filter((name) => !again.includes(name)) };
}

export interface RedriveControlProps {
  executionId: string;
  executionName: string;
  facts: RunFacts & { status: string | null; type?: string };
  run: ExecutionRun;
  mayRun: boolean;
  role: string;
  onRedriven: (result: Redriven) => void;
}

export function RedriveControl({ executionId, executionName, facts, run, mayRun, role, onRedriven }: RedriveControlProps) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (redriveNeverApplies(facts)) return null;
  const blocked = redriveBlocked(facts, mayRun, role);
  const plan = asking ? redrivePlan(run) : null;

  const redrive = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await redriveExecution(executionId);
      setAsking(false);
      onRedriven(result);
    } catch (err) {
      setError(`Not redriven: ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className="exec-redrive"
        data-testid="execution-redrive-button"
        disabled={blocked !== null}
        title={blocked ?? "Run it again from the states that did not succeed (the others keep their results)"}
        onClick={() => setAsking(true)}
      >
        Redrive…
      </button>
      {asking && plan ? (
        <Dialog onClose={() => setAsking(false)} labelledBy="exec-redrive-title" testId="redrive-dialog">
          <h3 id="exec-redrive-title">Redrive {executionName}?</h3>
          <p>
            It continues under the same name from the states that did not succeed
            {plan.again.length ? (
              <>
                : <strong data-testid="redrive-again">{plan.again.join(", ")}</strong>
              </>
            ) : null}
            .{" "}
            {plan.kept.length ? (
              <>
                <span data-testid="redrive-kept">{plan.kept.join(", ")}</span> succeeded and keep{plan.kept.length === 1 ? "s" : ""} {plan.kept.length === 1 ? "its result" : "their results"}: not run again.
              </>
            ) : null}
          </p>
          <p className="exec-muted">
            This will be redrive {(facts.redrive_count ?? 0) + 1}; the history goes on after an ExecutionRedriven event.
          </p>
          {error ? (
            <Notice kind="error" testId="redrive-error">
              {error}
            </Notice>
          ) : null}
          <div className="sy-modal-actions">
            <button type="button" className="exec-primary" data-testid="redrive-confirm" disabled={busy} onClick={() => void redrive()}>
              {busy ? "Redriving…" : "Redrive"}
            </button>
            <button type="button" data-testid="redrive-cancel" autoFocus onClick={() => setAsking(false)}>
              Cancel
            </button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}

export default RedriveControl;
