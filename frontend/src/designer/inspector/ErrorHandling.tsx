/** Retry and Catch editors: lists of retriers / catchers with every field. */
import { ExpressionField } from "./ExpressionField";
import type { ExpressionWhere } from "./jsonataCompletion";
import { JsonField, ListField, NullablePathField, NumberField, SelectField } from "./fields";

type Obj = Record<string, unknown>;

function setKey(obj: Obj, key: string, value: unknown): Obj {
  const next = { ...obj };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

function move<T>(list: T[], from: number, to: number): T[] {
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item as T);
  return out;
}

const COMMON_ERRORS = "States.ALL, States.TaskFailed, States.Timeout, States.HeartbeatTimeout, …";

export function RetryEditor({ retry, onChange }: { retry: Obj[]; onChange: (list: Obj[] | undefined, label: string) => void }) {
  const set = (i: number, key: string, value: unknown) => {
    const list = [...retry];
    list[i] = setKey(retry[i] ?? {}, key, value);
    onChange(list, `Edit retrier ${key}`);
  };
  return (
    <section className="sy-section" data-testid="retry-editor">
      <h4>Retry</h4>
      {retry.map((r, i) => (
        <div key={i} className="sy-card" data-testid={`retry-${i}`}>
          <div className="sy-card-head">
            <strong>Retrier {i + 1}</strong>
            <button type="button" data-testid={`retry-${i}-up`} disabled={i === 0} onClick={() => onChange(move(retry, i, i - 1), "Move retrier")}>
              ↑
            </button>
            <button type="button" data-testid={`retry-${i}-down`} disabled={i === retry.length - 1} onClick={() => onChange(move(retry, i, i + 1), "Move retrier")}>
              ↓
            </button>
            <button
              type="button"
              data-testid={`retry-${i}-remove`}
              onClick={() => {
                const list = retry.filter((_, j) => j !== i);
                onChange(list.length ? list : undefined, "Remove retrier");
              }}
            >
              Remove
            </button>
          </div>
          <ListField label="Errors" testId={`retry-${i}-errors`} value={r.ErrorEquals as string[] | undefined} help={COMMON_ERRORS} onCommit={(v) => set(i, "ErrorEquals", v ?? ["States.ALL"])} />
          <NumberField label="Interval (s)" testId={`retry-${i}-interval`} integer min={1} value={r.IntervalSeconds as number | undefined} placeholder="1" onCommit={(v) => set(i, "IntervalSeconds", v)} />
          <NumberField label="Max attempts" testId={`retry-${i}-max-attempts`} integer min={0} value={r.MaxAttempts as number | undefined} placeholder="3" onCommit={(v) => set(i, "MaxAttempts", v)} />
          <NumberField label="Backoff rate" testId={`retry-${i}-backoff`} min={1} value={r.BackoffRate as number | undefined} placeholder="2.0" onCommit={(v) => set(i, "BackoffRate", v)} />
          <NumberField label="Max delay (s)" testId={`retry-${i}-max-delay`} integer min={1} value={r.MaxDelaySeconds as number | undefined} onCommit={(v) => set(i, "MaxDelaySeconds", v)} />
          <SelectField label="Jitter" testId={`retry-${i}-jitter`} value={r.JitterStrategy as string | undefined} options={["FULL", "NONE"]} onCommit={(v) => set(i, "JitterStrategy", v)} />
        </div>
      ))}
      <button
        type="button"
        data-testid="retry-add"
        onClick={() => onChange([...retry, { ErrorEquals: ["States.ALL"], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }], "Add retrier")}
      >
        Add retrier
      </button>
    </section>
  );
}

export function CatchEditor({
  catchers,
  targets,
  jsonata,
  where,
  readOnly = false,
  onChange,
}: {
  catchers: Obj[];
  targets: string[];
  jsonata: boolean;
  /** Where the catchers' JSONata is written (completions; errorOutput is added here). */
  where?: ExpressionWhere;
  readOnly?: boolean;
  onChange: (list: Obj[] | undefined, label: string) => void;
}) {
  const set = (i: number, key: string, value: unknown) => {
    const list = [...catchers];
    list[i] = setKey(catchers[i] ?? {}, key, value);
    onChange(list, `Edit catcher ${key}`);
  };
  return (
    <section className="sy-section" data-testid="catch-editor">
      <h4>Catch</h4>
      {catchers.map((c, i) => (
        <div key={i} className="sy-card" data-testid={`catch-${i}`}>
          <div className="sy-card-head">
            <strong>Catcher {i + 1}</strong>
            <button type="button" data-testid={`catch-${i}-up`} disabled={i === 0} onClick={() => onChange(move(catchers, i, i - 1), "Move catcher")}>
              ↑
            </button>
            <button
              type="button"
              data-testid={`catch-${i}-remove`}
              onClick={() => {
                const list = catchers.filter((_, j) => j !== i);
                onChange(list.length ? list : undefined, "Remove catcher");
              }}
            >
              Remove
            </button>
          </div>
          <ListField label="Errors" testId={`catch-${i}-errors`} value={c.ErrorEquals as string[] | undefined} help={COMMON_ERRORS} onCommit={(v) => set(i, "ErrorEquals", v ?? ["States.ALL"])} />
          <SelectField label="Then go to" testId={`catch-${i}-next`} value={c.Next as string | undefined} options={targets} allowEmpty={false} onCommit={(v) => set(i, "Next", v)} />
          {jsonata ? (
            where ? (
              <ExpressionField label="Output (JSONata)" testId={`catch-${i}-output`} value={c.Output} where={{ ...where, field: "CatchOutput" }} disabled={readOnly} onCommit={(v) => set(i, "Output", v)} />
            ) : (
              <JsonField label="Output (JSONata)" testId={`catch-${i}-output`} rows={2} value={c.Output} onCommit={(v) => set(i, "Output", v)} />
            )
          ) : (
            <NullablePathField
              label="Result path"
              testId={`catch-${i}-result-path`}
              value={c.ResultPath as string | null | undefined}
              placeholder="$.error"
              onCommit={(v) => set(i, "ResultPath", v)}
            />
          )}
          {jsonata && where ? (
            <ExpressionField label="Assign" testId={`catch-${i}-assign`} value={c.Assign} where={{ ...where, field: "CatchAssign" }} disabled={readOnly} onCommit={(v) => set(i, "Assign", v)} />
          ) : (
            <JsonField label="Assign" testId={`catch-${i}-assign`} rows={2} value={c.Assign} onCommit={(v) => set(i, "Assign", v)} />
          )}
        </div>
      ))}
      <button
        type="button"
        data-testid="catch-add"
        disabled={!targets.length}
        onClick={() =>
          onChange(
            [...catchers, { ErrorEquals: ["States.ALL"], Next: targets[0] ?? "", ...(jsonata ? {} : { ResultPath: "$.error" }) }],
            "Add catcher",
          )
        }
      >
        Add catcher
      </button>
    </section>
  );
}
