/**
 * Inputs for one field of a Task's payload (`Parameters` / `Arguments`). Text
 * fields store a path or intrinsic under `key.$` in JSONPath; JSON fields also
 * take a bare path (`$.order`) or a JSONata template (`{% ... %}`) as text.
 */
import { JsonField, TextField } from "./fields";
import { isPathText, readField } from "./taskKinds";

type Obj = Record<string, unknown>;

export interface PayloadFieldProps {
  label: string;
  testId: string;
  payload: Obj;
  field: string;
  jsonata: boolean;
  onWrite: (field: string, value: unknown) => void;
  placeholder?: string;
  help?: string;
}

export function PayloadText({ label, testId, payload, field, jsonata, onWrite, placeholder, help }: PayloadFieldProps) {
  return (
    <TextField
      label={label}
      testId={testId}
      value={readField(payload, field)}
      placeholder={placeholder}
      help={help ?? (jsonata ? "Text, or {% expression %}." : "Text, or a path ($.x, $$.Execution.Id) or intrinsic (States.Format(...)).")}
      onCommit={(text) => onWrite(field, text)}
    />
  );
}

/** Is `value` a JSONata template string? */
const isTemplate = (value: unknown) => typeof value === "string" && /^\{%[\s\S]*%\}$/.test(value.trim());

export function PayloadJson({ label, testId, payload, field, jsonata, onWrite, placeholder, help }: PayloadFieldProps) {
  const dynamic = payload[`${field}.$`];
  const value = typeof dynamic === "string" ? dynamic : payload[field];
  return (
    <JsonField
      label={label}
      testId={testId}
      rows={3}
      value={value}
      placeholder={placeholder}
      help={help ?? (jsonata ? "JSON, or {% expression %}." : "JSON (keys ending in .$ take paths), or a path such as $.")}
      onCommit={(v) => onWrite(field, v)}
      parseText={(text) => {
        const t = text.trim();
        if ((!jsonata && isPathText(t)) || (jsonata && isTemplate(t))) return { ok: true, value: t };
        return null;
      }}
    />
  );
}
