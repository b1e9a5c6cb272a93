/**
 * A comparison listed field by field: changes outside the states, then each
 * state (added, removed, renamed, changed) with its field changes (JSON
 * Pointer, before, after), then the transitions added or removed. Clicking a
 * state or one of its fields selects the state on the graph; the selected
 * state's entries are marked and scrolled into view.
 */
import { useEffect, useRef } from "react";
import { statePath } from "../../asl/paths";
import { scopeOfStates } from "./diffGraph";
import type { FieldChange, StateChange, TransitionChange, WorkflowDiff } from "./operateApi";

export interface DiffListProps {
  diff: WorkflowDiff;
  /** The graph path of each state change (null: not on the graph). */
  paths: Map<StateChange, string | null>;
  selection: string | null;
  onSelect: (path: string) => void;
}

const CHANGE_WORDS: Record<StateChange["change"], string> = { added: "Added", removed: "Removed", renamed: "Renamed", changed: "Changed" };

/** A JSON value in one line, cut at `limit` characters ("—" when absent). */
export function shortJson(value: unknown, present: boolean, limit = 80): string {
  if (!present) return "—";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > limit ? text.slice(0, limit - 1) + "…" : text;
}

function FieldRow({ field, onClick }: { field: FieldChange; onClick?: () => void }) {
  const pointer = field.pointer ?? field.old_pointer ?? "";
  const before = shortJson(field.old, field.change !== "added");
  const after = shortJson(field.new, field.change !== "removed");
  const full = (v: unknown, present: boolean) => (present ? (JSON.stringify(v, null, 2) ?? "") : "absent");
  return (
    <li className={`sy-diff-field sy-diff-field-${field.change}`} data-testid="diff-field" data-pointer={pointer} data-change={field.change}>
      <button type="button" className="sy-diff-field-button" onClick={onClick} disabled={!onClick} title={onClick ? "Select this state on the graph" : undefined}>
        <code className="sy-diff-pointer">{pointer}</code>
        {field.old_pointer && field.pointer && field.old_pointer !== field.pointer ? <span className="sy-muted"> (was {field.old_pointer})</span> : null}
        <span className="sy-diff-values">
          <span className="sy-diff-before" data-testid="diff-before" title={full(field.old, field.change !== "added")}>
            {before}
          </span>
          <span aria-hidden="true"> → </span>
          <span className="sy-visually-hidden"> becomes </span>
          <span className="sy-diff-after" data-testid="diff-after" title={full(field.new, field.change !== "removed")}>
            {after}
          </span>
        </span>
      </button>
    </li>
  );
}

function transitionText(t: TransitionChange): string {
  const from = t.from ?? "Start";
  const to = t.to ?? "End";
  return `${from} → ${to} (${t.via})`;
}

export function DiffList({ diff, paths, selection, onSelect }: DiffListProps) {
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!selection) return;
    const entries = list.current?.querySelectorAll<HTMLElement>("[data-state-path]") ?? [];
    Array.from(entries)
      .find((el) => el.dataset.statePath === selection)
      ?.scrollIntoView({ block: "nearest" });
  }, [selection]);
  if (diff.identical) {
    return (
      <div className="sy-diff-list" data-testid="diff-list">
        <p className="sy-muted" data-testid="diff-identical">
          No differences: both sides have the same states, fields and transitions.
        </p>
      </div>
    );
  }
  return (
    <div className="sy-diff-list" data-testid="diff-list" ref={list}>
      {diff.fields.length ? (
        <section aria-labelledby="sy-diff-workflow">
          <h4 id="sy-diff-workflow">Workflow</h4>
          <ul className="sy-diff-fields">
            {diff.fields.map((f, i) => (
              <FieldRow key={i} field={f} />
            ))}
          </ul>
        </section>
      ) : null}
      {diff.states.length ? (
        <section aria-labelledby="sy-diff-states">
          <h4 id="sy-diff-states">States</h4>
          <ul className="sy-diff-states">
            {diff.states.map((s, i) => {
              const path = paths.get(s) ?? null;
              const select = path ? () => onSelect(path) : undefined;
              return (
                <li
                  key={i}
                  className={`sy-diff-state sy-diff-state-${s.change}`}
                  data-testid="diff-state"
                  data-change={s.change}
                  data-state-path={path ?? ""}
                  aria-current={path !== null && path === selection ? "true" : undefined}
                >
                  <button type="button" className="sy-diff-state-head" onClick={select} disabled={!select} title={select ? "Select this state on the graph" : "Not on the graph"}>
                    <span className={`sy-diff-badge sy-diff-badge-${s.change}`}>{CHANGE_WORDS[s.change]}</span>
                    <strong>{s.change === "renamed" ? `${s.old_name} → ${s.name}` : s.name}</strong>
                    {s.type ? <span className="sy-muted">{s.type}</span> : null}
                    {s.path.length > 1 ? <span className="sy-muted sy-diff-where">in {s.path.slice(0, -1).join(" › ")}</span> : null}
                  </button>
                  {s.fields.length ? (
                    <ul className="sy-diff-fields">
                      {s.fields.map((f, j) => (
                        <FieldRow key={j} field={f} {...(select ? { onClick: select } : {})} />
                      ))}
                    </ul>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
      {diff.transitions.length ? (
        <section aria-labelledby="sy-diff-transitions">
          <h4 id="sy-diff-transitions">Transitions</h4>
          <ul className="sy-diff-transitions">
            {diff.transitions.map((t, i) => (
              <li key={i} className={`sy-diff-transition sy-diff-transition-${t.change}`} data-testid="diff-transition" data-change={t.change}>
                <button
                  type="button"
                  className="sy-diff-field-button"
                  disabled={t.from === null}
                  title={t.from === null ? undefined : `Select ${t.from} on the graph`}
                  onClick={() => t.from !== null && onSelect(statePath(scopeOfStates(t.scope), t.from))}
                >
                  <span className={`sy-diff-badge sy-diff-badge-${t.change}`}>{t.change === "added" ? "Added" : "Removed"}</span> {transitionText(t)}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
