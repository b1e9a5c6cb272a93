/**
 * The workflow type: Standard or Express, each with what it means. When the
 * server refuses Express, its reason shows beside the choice with each
 * offending state (a link that shows the state on the canvas).
 */
import { nameOf, stateOfLocation } from "../../asl/paths";
import type { Diagnostic } from "../../asl/types";
import { Notice } from "../../ui/Notice";
import type { WorkflowType } from "./operateApi";

const TYPES: { type: WorkflowType; label: string; help: string }[] = [
  {
    type: "STANDARD",
    label: "Standard",
    help: "Durable and exactly-once; runs up to a year, waits for callbacks, jobs and activities; full history kept.",
  },
  {
    type: "EXPRESS",
    label: "Express",
    help: "In memory and at-least-once; runs up to 5 minutes, for high-volume event processing. No .sync, .waitForTaskToken or activities.",
  },
];

export interface TypeFieldProps {
  value: WorkflowType;
  onChange: (type: WorkflowType) => void;
  disabled: boolean;
  reason?: string | null;
  /** The server's refusal (its message) and the states it names. */
  refusal?: { message: string; problems: Diagnostic[] } | null;
  onShowState: (path: string) => void;
}

export function TypeField({ value, onChange, disabled, reason, refusal, onShowState }: TypeFieldProps) {
  return (
    <div className="sy-type-field">
      <div role="radiogroup" aria-labelledby="sy-settings-type-label" className="sy-type-options" data-testid="settings-type">
        {TYPES.map((t) => (
          <label key={t.type} className={`sy-type-option${value === t.type ? " sy-type-chosen" : ""}`} title={disabled ? (reason ?? undefined) : undefined}>
            <input
              type="radio"
              name="sy-settings-type"
              value={t.type}
              data-testid={`settings-type-${t.type.toLowerCase()}`}
              checked={value === t.type}
              disabled={disabled}
              title={disabled ? (reason ?? undefined) : undefined}
              onChange={() => onChange(t.type)}
            />
            <span>
              <strong>{t.label}</strong>
              <span className="sy-field-help">{t.help}</span>
            </span>
          </label>
        ))}
      </div>
      {refusal ? (
        <div className="sy-type-refusal" data-testid="settings-type-refusal" role="alert">
          <Notice kind="error" testId="settings-type-reason">
            {refusal.message}
          </Notice>
          {refusal.problems.length ? (
            <ul className="sy-problem-list" aria-label="States Express cannot run">
              {refusal.problems.map((p) => {
                const path = stateOfLocation(p.location);
                return (
                  <li key={p.location} data-testid="settings-type-problem" data-pointer={p.location}>
                    {path ? (
                      <button type="button" className="sy-link" data-testid="settings-type-problem-state" onClick={() => onShowState(path)} title="Show this state on the canvas">
                        {nameOf(path)}
                      </button>
                    ) : null}{" "}
                    <code>{p.location}</code>
                    {refusal.problems.length > 1 ? <span className="sy-problem-text">{p.message}</span> : null}
                  </li>
                );
              })}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
