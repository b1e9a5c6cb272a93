/** The selected state: its visits (one per Map iteration or loop pass), input, output, error, retries, events. */
import { useState } from "react";
import { durationMs, type HistoryFold, type IterationSelection, type Visit } from "./history";
import { STATUS_LABELS, formatDuration, formatTime, prettyJson } from "./format";
import { JsonView } from "./JsonView";
import { isOtherIteration, readableDetails } from "./EventTable";

export function StatePanel({
  fold,
  name,
  visits,
  now,
  onClose,
  selection = {},
  rerun,
  note,
}: {
  fold: HistoryFold;
  name: string;
  visits: Visit[];
  now?: string;
  onClose?: () => void;
  /** The chosen Map iterations: a Map's events of other iterations are left out. */
  selection?: IterationSelection;
  /** "Re-run from here": why it is off (null: on), and what starts it (with the shown visit's input). */
  rerun?: { blocked: string | null; start: (input: unknown) => void };
  /** A note on the state (a redrive kept its earlier result). */
  note?: string | null;
}) {
  const [chosen, setChosen] = useState<number | null>(null);
  const visit = visits.find((v) => v.id === chosen) ?? visits[visits.length - 1];

  return (
    <aside className="exec-state-panel" data-testid="state-panel">
      <header>
        <h3 data-testid="state-panel-name">{name}</h3>
        {rerun ? (
          <button
            type="button"
            className="exec-rerun-button"
            data-testid="state-rerun-button"
            disabled={rerun.blocked !== null}
            title={rerun.blocked ?? `Start a new execution at ${name} with the input it received${visits.length > 1 ? " (in the visit shown)" : ""}`}
            onClick={() => rerun.start(visit?.input)}
          >
            Re-run from here…
          </button>
        ) : null}
        {onClose && (
          <button type="button" onClick={onClose} aria-label="Close state details">
            ×
          </button>
        )}
      </header>
      {note ? (
        <p className="exec-kept-note" data-testid="state-panel-note">
          {note}
        </p>
      ) : null}
      {!visit ? (
        <p className="exec-muted" data-testid="state-panel-not-run">
          This state has not run{visits.length === 0 ? "" : " in this iteration"}.
        </p>
      ) : (
        <>
          {visits.length > 1 && (
            <label className="exec-visit-picker">
              Visit{" "}
              <select
                data-testid="state-visit-picker"
                value={visit.id}
                onChange={(e) => setChosen(Number(e.target.value))}
              >
                {visits.map((v, i) => (
                  <option key={v.id} value={v.id}>
                    #{i + 1}
                    {v.iterations.length ? ` (${v.iterations.map((r) => `${r.map}[${r.index}]`).join(" ")})` : ""} –{" "}
                    {STATUS_LABELS[v.status]}
                  </option>
                ))}
              </select>
            </label>
          )}
          <dl className="exec-facts">
            <dt>Status</dt>
            <dd>
              <span className={`exec-badge exec-status-${visit.status}`} data-testid="state-panel-status">
                {STATUS_LABELS[visit.status]}
              </span>
            </dd>
            <dt>Type</dt>
            <dd>{visit.type}</dd>
            <dt>Entered</dt>
            <dd>{formatTime(visit.enteredAt)}</dd>
            <dt>Duration</dt>
            <dd data-testid="state-panel-duration">
              {formatDuration(durationMs(visit.enteredAt, visit.endedAt ?? now))}
            </dd>
            <dt>Retries</dt>
            <dd data-testid="state-panel-retries">{visit.retries}</dd>
          </dl>
          {(visit.error !== undefined || visit.cause !== undefined) && (
            <div className="exec-error" data-testid="state-panel-error">
              <strong>{visit.error ?? "Error"}</strong>
              {visit.cause !== undefined && <pre>{visit.cause}</pre>}
            </div>
          )}
          <JsonView label="Input" value={visit.input} testId="state-input" />
          <JsonView
            label="Output"
            value={visit.hasOutput ? visit.output : undefined}
            testId="state-output"
            empty={visit.status === "running" ? "(not yet)" : "(none)"}
          />
          {visit.attempts.length > 0 && (
            <section data-testid="state-attempts">
              <h4>Attempts</h4>
              <table className="exec-table">
                <thead>
                  <tr>
                    <th>#</th>
                    <th>Outcome</th>
                    <th>Started</th>
                    <th>Duration</th>
                    <th>Error</th>
                  </tr>
                </thead>
                <tbody>
                  {visit.attempts.map((a) => (
                    <tr key={a.number} data-testid={`attempt-${a.number}`}>
                      <td>{a.number === 1 ? "1" : `${a.number} (retry ${a.number - 1})`}</td>
                      <td>{a.outcome}</td>
                      <td>{formatTime(a.startedAt)}</td>
                      <td>{formatDuration(durationMs(a.startedAt, a.endedAt ?? now))}</td>
                      <td>{[a.error, a.cause].filter(Boolean).join(": ")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          <section data-testid="state-events">
            <h4>Events (processing steps)</h4>
            <ol className="exec-steps">
              {visit.eventIds.map((id) => {
                const event = fold.event(id);
                if (!event || isOtherIteration(fold, event, selection)) return null;
                const details = readableDetails(event);
                const shown = Object.fromEntries(Object.entries(details).filter(([k]) => k !== "name"));
                return (
                  <li key={id} data-testid={`state-event-${id}`}>
                    <span className="exec-step-type">{event.type}</span>{" "}
                    <span className="exec-muted">
                      #{id} · {formatTime(event.timestamp)}
                    </span>
                    {Object.keys(shown).length > 0 && (
                      <details>
                        <summary>details</summary>
                        <pre>{prettyJson(shown)}</pre>
                      </details>
                    )}
                  </li>
                );
              })}
            </ol>
          </section>
        </>
      )}
    </aside>
  );
}
