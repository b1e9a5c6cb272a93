/**
 * Tags as rows of key and value: add a row, edit it, remove it. The keys
 * and values follow AWS's tag rules (checked on save by the server too).
 */
import { Plus, X } from "lucide-react";
import { useEffect, useRef } from "react";
import { MAX_TAGS, newTagRow, type TagRow } from "./settingsForm";

export interface TagsEditorProps {
  rows: TagRow[];
  onChange: (rows: TagRow[]) => void;
  disabled: boolean;
  /** Why it is disabled (hover). */
  reason?: string | null;
  error?: string;
}

export function TagsEditor({ rows, onChange, disabled, reason, error }: TagsEditorProps) {
  const added = useRef<number | null>(null);
  const table = useRef<HTMLTableElement>(null);
  useEffect(() => {
    if (added.current === null) return;
    table.current?.querySelector<HTMLInputElement>(`[data-row="${added.current}"] input`)?.focus();
    added.current = null;
  }, [rows]);
  const set = (id: number, change: Partial<TagRow>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...change } : r)));
  const add = () => {
    const row = newTagRow();
    added.current = row.id;
    onChange([...rows, row]);
  };
  const why = disabled ? (reason ?? undefined) : undefined;
  return (
    <div className="sy-tags" data-testid="settings-tags">
      {rows.length ? (
        <table ref={table} className="sy-tags-table">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
              <th scope="col">
                <span className="sy-visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.id} data-row={r.id} data-testid="tag-row">
                <td>
                  <input
                    aria-label={`Tag ${i + 1} key`}
                    data-testid="tag-key"
                    value={r.key}
                    maxLength={128}
                    disabled={disabled}
                    title={why}
                    onChange={(e) => set(r.id, { key: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Tag ${i + 1} value`}
                    data-testid="tag-value"
                    value={r.value}
                    maxLength={256}
                    disabled={disabled}
                    title={why}
                    onChange={(e) => set(r.id, { value: e.target.value })}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    className="sy-icon-button"
                    data-testid="tag-remove"
                    aria-label={`Remove tag ${r.key || i + 1}`}
                    title={why ?? `Remove tag ${r.key}`}
                    disabled={disabled}
                    onClick={() => onChange(rows.filter((x) => x.id !== r.id))}
                  >
                    <X size={14} aria-hidden="true" />
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="sy-muted" data-testid="tags-empty">
          No tags.
        </p>
      )}
      <button type="button" data-testid="tag-add" disabled={disabled || rows.length >= MAX_TAGS} title={why ?? (rows.length >= MAX_TAGS ? `At most ${MAX_TAGS} tags.` : "Add a tag")} onClick={add}>
        <Plus size={14} aria-hidden="true" /> Add tag
      </button>
      {error ? (
        <p className="sy-field-error" role="alert" data-testid="settings-tags-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
