/**
 * Small controlled inputs for the inspector. Each commits a value (or
 * `undefined` to remove the field) on change / blur; JSON inputs commit only
 * when the text parses, and show the parse error otherwise.
 */
import { useEffect, useId, useState, type ReactNode } from "react";

export interface FieldProps<T> {
  label: string;
  testId: string;
  value: T | undefined;
  onCommit: (value: T | undefined) => void;
  placeholder?: string;
  help?: ReactNode;
  disabled?: boolean;
}

function Row({ id, label, help, children }: { id: string; label: string; help?: ReactNode; children: ReactNode }) {
  return (
    <div className="sy-field">
      <label htmlFor={id}>{label}</label>
      {children}
      {help ? <div className="sy-field-help">{help}</div> : null}
    </div>
  );
}

/** Text: commits on blur or Enter; empty removes the field. */
export function TextField({ label, testId, value, onCommit, placeholder, help, disabled }: FieldProps<string>) {
  const id = useId();
  const [text, setText] = useState(value ?? "");
  useEffect(() => setText(value ?? ""), [value]);
  const commit = () => {
    if (text === (value ?? "")) return;
    onCommit(text === "" ? undefined : text);
  };
  return (
    <Row id={id} label={label} help={help}>
      <input
        id={id}
        data-testid={testId}
        type="text"
        value={text}
        placeholder={placeholder}
        disabled={disabled}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
        }}
      />
    </Row>
  );
}

/** A number: commits on blur or Enter; empty removes the field; invalid text is refused. */
export function NumberField({
  label,
  testId,
  value,
  onCommit,
  placeholder,
  help,
  disabled,
  integer,
  min,
}: FieldProps<number> & { integer?: boolean; min?: number }) {
  const id = useId();
  const [text, setText] = useState(value === undefined ? "" : String(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(value === undefined ? "" : String(value)), [value]);
  const commit = () => {
    if (text.trim() === "") {
      setError(null);
      if (value !== undefined) onCommit(undefined);
      return;
    }
    const n = Number(text);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || (min !== undefined && n < min)) {
      setError(integer ? "A whole number" + (min !== undefined ? ` ≥ ${min}` : "") : "A number");
      return;
    }
    setError(null);
    if (n !== value) onCommit(n);
  };
  return (
    <Row id={id} label={label} help={error ?? help}>
      <input
        id={id}
        data-testid={testId}
        type="text"
        inputMode="decimal"
        value={text}
        placeholder={placeholder}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
        }}
      />
    </Row>
  );
}

export function SelectField({
  label,
  testId,
  value,
  onCommit,
  options,
  help,
  disabled,
  allowEmpty = true,
}: FieldProps<string> & { options: readonly (string | { value: string; label: string })[]; allowEmpty?: boolean }) {
  const id = useId();
  return (
    <Row id={id} label={label} help={help}>
      <select
        id={id}
        data-testid={testId}
        value={value ?? ""}
        disabled={disabled}
        onChange={(e) => onCommit(e.target.value === "" ? undefined : e.target.value)}
      >
        {allowEmpty ? <option value="">(none)</option> : null}
        {options.map((o) => {
          const v = typeof o === "string" ? o : o.value;
          return (
            <option key={v} value={v}>
              {typeof o === "string" ? o : o.label}
            </option>
          );
        })}
      </select>
    </Row>
  );
}

export function CheckboxField({ label, testId, value, onCommit, help, disabled }: FieldProps<boolean>) {
  const id = useId();
  return (
    <div className="sy-field sy-field-check">
      <input
        id={id}
        data-testid={testId}
        type="checkbox"
        checked={value === true}
        disabled={disabled}
        onChange={(e) => onCommit(e.target.checked ? true : undefined)}
      />
      <label htmlFor={id}>{label}</label>
      {help ? <div className="sy-field-help">{help}</div> : null}
    </div>
  );
}

function pretty(value: unknown): string {
  return value === undefined ? "" : JSON.stringify(value, null, 2);
}

/**
 * Any JSON value as text. Commits when the text parses (on blur); empty
 * removes the field. `parseText` may accept other text first (a bare path).
 */
export function JsonField({
  label,
  testId,
  value,
  onCommit,
  placeholder,
  help,
  disabled,
  rows = 4,
  parseText,
}: FieldProps<unknown> & { rows?: number; parseText?: (text: string) => { ok: true; value: unknown } | null }) {
  const id = useId();
  const [text, setText] = useState(pretty(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(pretty(value));
    setError(null);
  }, [value]);
  const commit = () => {
    if (text.trim() === "") {
      setError(null);
      if (value !== undefined) onCommit(undefined);
      return;
    }
    const own = parseText?.(text);
    if (own) {
      setError(null);
      if (JSON.stringify(own.value) !== JSON.stringify(value)) onCommit(own.value);
      return;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      setError(null);
      if (JSON.stringify(parsed) !== JSON.stringify(value)) onCommit(parsed);
    } catch (err) {
      setError(err instanceof Error ? err.message : "Not JSON");
    }
  };
  return (
    <Row id={id} label={label} help={error ? <span className="sy-error">{error}</span> : help}>
      <textarea
        id={id}
        data-testid={testId}
        className="sy-json"
        rows={rows}
        spellCheck={false}
        value={text}
        placeholder={placeholder}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
      />
    </Row>
  );
}

/**
 * A path field that may also be null (ResultPath: null discards the result;
 * InputPath/OutputPath: null gives {}): text plus a "null" checkbox.
 */
export function NullablePathField({ label, testId, value, onCommit, placeholder, help, disabled }: FieldProps<string | null>) {
  const isNull = value === null;
  return (
    <div className="sy-nullable">
      <TextField
        label={label}
        testId={testId}
        value={isNull ? "" : (value ?? undefined)}
        onCommit={(v) => onCommit(v)}
        placeholder={placeholder}
        help={help}
        disabled={disabled || isNull}
      />
      <CheckboxField
        label="null"
        testId={`${testId}-null`}
        value={isNull}
        disabled={disabled}
        onCommit={(checked) => onCommit(checked ? null : undefined)}
      />
    </div>
  );
}

/** A comma-separated list of strings (ErrorEquals). */
export function ListField({ label, testId, value, onCommit, placeholder, help, disabled }: FieldProps<string[]>) {
  return (
    <TextField
      label={label}
      testId={testId}
      value={value?.join(", ")}
      placeholder={placeholder}
      help={help}
      disabled={disabled}
      onCommit={(text) => {
        const list = (text ?? "")
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
        onCommit(list.length ? list : undefined);
      }}
    />
  );
}
