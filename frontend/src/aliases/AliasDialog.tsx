/**
 * Create or edit an alias: its name (fixed once created, as on AWS), a
 * description, and its routing: every start to one published version, or a
 * split between two by weight. The split is one number (the first version's
 * share, by slider or typed) and the second version gets the rest, so the two
 * weights always sum to 100. Problems show beside the field they concern,
 * before sending and as the server answers them.
 */
import { useMemo, useState } from "react";
import { errorMessage } from "../api/client";
import { Dialog } from "../ui/Dialog";
import { Notice } from "../ui/Notice";
import {
  clampWeight,
  createAlias,
  draftErrors,
  draftOf,
  routingOf,
  serverErrors,
  updateAlias,
  type Alias,
  type AliasDraft,
  type FieldErrors,
  type VersionSummary,
} from "./aliasApi";
import "./aliases.css";

export interface AliasDialogProps {
  workflowId: string;
  /** The alias to edit; null creates one. */
  alias: Alias | null;
  /** Published versions, newest first. */
  versions: VersionSummary[];
  /** Names already used (a new alias may not take one). */
  taken: string[];
  onSaved: (alias: Alias) => void;
  onClose: () => void;
}

function versionLabel(v: VersionSummary): string {
  return v.description ? `Version ${v.number} — ${v.description}` : `Version ${v.number}`;
}

function FieldError({ id, text }: { id: string; text?: string }) {
  return text ? (
    <span className="sy-field-error" id={id} role="alert" data-testid={id}>
      {text}
    </span>
  ) : null;
}

export function AliasDialog({ workflowId, alias, versions, taken, onSaved, onClose }: AliasDialogProps) {
  const creating = alias === null;
  const [draft, setDraft] = useState<AliasDraft>(() => draftOf(alias, versions[0]?.number ?? null));
  const [touched, setTouched] = useState(false);
  const [server, setServer] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const local = useMemo(() => draftErrors(draft, creating, taken), [draft, creating, taken]);
  const shown: FieldErrors = { ...(touched ? local : {}), ...server };
  const split = draft.second !== null;

  const change = (patch: Partial<AliasDraft>, field?: keyof FieldErrors) => {
    setDraft((d) => ({ ...d, ...patch }));
    if (field)
      setServer((s) => {
        const rest = { ...s };
        delete rest[field]; // the server's word on this field no longer holds
        return rest;
      });
  };
  const setSplit = (on: boolean) => {
    if (!on) return change({ second: null, weight: 100 }, "routing");
    const other = versions.find((v) => v.number !== draft.first)?.number ?? null;
    change({ second: other, weight: draft.weight === 100 ? 80 : draft.weight }, "routing");
  };

  const save = async () => {
    setTouched(true);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    setFailure(null);
    const body = { description: draft.description, routing: routingOf(draft) };
    try {
      const saved = creating ? await createAlias(workflowId, { name: draft.name, ...body }) : await updateAlias(workflowId, alias.name, body);
      onSaved(saved);
    } catch (err) {
      const fields = serverErrors(err);
      if (fields) setServer(fields);
      else setFailure(errorMessage(err));
      setBusy(false);
    }
  };

  const versionSelect = (id: string, value: number | null, onPick: (n: number) => void, exclude?: number | null) => (
    <select id={id} data-testid={id} value={value ?? ""} aria-invalid={shown.routing ? true : undefined} onChange={(e) => onPick(Number(e.target.value))}>
      {value === null ? <option value="">Choose a version…</option> : null}
      {versions.map((v) => (
        <option key={v.number} value={v.number} disabled={v.number === exclude}>
          {versionLabel(v)}
        </option>
      ))}
    </select>
  );

  return (
    <Dialog onClose={onClose} labelledBy="sy-alias-title" testId="alias-dialog" className="sy-alias-dialog">
      <form
        className="sy-dialog-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h3 id="sy-alias-title">{creating ? "Create an alias" : `Edit alias ${alias.name}`}</h3>
        <p className="sy-muted">An alias is a name that executions start by; it routes each start to a published version, or splits starts between two.</p>
        {creating ? (
          <div className="sy-field">
            <label htmlFor="alias-name">Name</label>
            <input
              id="alias-name"
              data-testid="alias-name"
              value={draft.name}
              maxLength={120}
              autoComplete="off"
              aria-invalid={shown.name ? true : undefined}
              aria-describedby={shown.name ? "alias-name-error" : undefined}
              placeholder="e.g. live, canary, prod-eu"
              onChange={(e) => change({ name: e.target.value }, "name")}
            />
            <FieldError id="alias-name-error" text={shown.name} />
          </div>
        ) : null}
        <div className="sy-field">
          <label htmlFor="alias-description">Description (optional)</label>
          <input
            id="alias-description"
            data-testid="alias-description"
            value={draft.description}
            aria-invalid={shown.description ? true : undefined}
            aria-describedby={shown.description ? "alias-description-error" : undefined}
            onChange={(e) => change({ description: e.target.value }, "description")}
          />
          <FieldError id="alias-description-error" text={shown.description} />
        </div>
        <fieldset className="sy-alias-routing" data-testid="alias-routing">
          <legend>Routing</legend>
          {versions.length === 0 ? (
            <Notice kind="info" testId="alias-no-versions">
              Publish a version first: an alias routes starts to published versions.
            </Notice>
          ) : (
            <>
              <div className="sy-alias-mode" role="radiogroup" aria-label="Routing">
                <label>
                  <input type="radio" name="alias-mode" data-testid="alias-mode-one" checked={!split} onChange={() => setSplit(false)} /> One version
                </label>
                <label>
                  <input type="radio" name="alias-mode" data-testid="alias-mode-split" checked={split} disabled={versions.length < 2} onChange={() => setSplit(true)} />{" "}
                  Split between two {versions.length < 2 ? <span className="sy-muted">(publish a second version)</span> : null}
                </label>
              </div>
              <div className="sy-alias-route">
                <label htmlFor="alias-version-a">{split ? "First version" : "Version"}</label>
                {versionSelect("alias-version-a", draft.first, (n) => change({ first: n }, "routing"))}
                {split ? (
                  <>
                    <label htmlFor="alias-weight-a" className="sy-visually-hidden">
                      Weight of the first version (percent)
                    </label>
                    <span className="sy-alias-weight">
                      <input
                        id="alias-weight-a"
                        data-testid="alias-weight-a"
                        type="number"
                        min={0}
                        max={100}
                        step={1}
                        value={draft.weight}
                        onChange={(e) => change({ weight: clampWeight(e.target.valueAsNumber) }, "routing")}
                      />
                      %
                    </span>
                  </>
                ) : null}
              </div>
              {split ? (
                <>
                  <div className="sy-alias-route">
                    <label htmlFor="alias-version-b">Second version</label>
                    {versionSelect("alias-version-b", draft.second, (n) => change({ second: n }, "routing"), draft.first)}
                    <label htmlFor="alias-weight-b" className="sy-visually-hidden">
                      Weight of the second version (percent)
                    </label>
                    <span className="sy-alias-weight">
                      <input
                        id="alias-weight-b"
                        data-testid="alias-weight-b"
                        type="number"
                        min={0}
                        max={100}
                        step={1}
                        value={100 - draft.weight}
                        onChange={(e) => change({ weight: 100 - clampWeight(e.target.valueAsNumber) }, "routing")}
                      />
                      %
                    </span>
                  </div>
                  <label htmlFor="alias-weight-slider" className="sy-alias-slider">
                    <span>
                      v{draft.first ?? "?"} {draft.weight}%
                    </span>
                    <input
                      id="alias-weight-slider"
                      data-testid="alias-weight-slider"
                      type="range"
                      min={0}
                      max={100}
                      step={1}
                      value={draft.weight}
                      aria-valuetext={`${draft.weight}% to version ${draft.first ?? "?"}, ${100 - draft.weight}% to version ${draft.second ?? "?"}`}
                      onChange={(e) => change({ weight: clampWeight(Number(e.target.value)) }, "routing")}
                    />
                    <span>
                      {100 - draft.weight}% v{draft.second ?? "?"}
                    </span>
                  </label>
                </>
              ) : null}
            </>
          )}
          <FieldError id="alias-routing-error" text={shown.routing} />
        </fieldset>
        {failure ? (
          <Notice kind="error" testId="alias-failure">
            {failure}
          </Notice>
        ) : null}
        <div className="sy-modal-actions">
          <button type="submit" className="sy-primary" data-testid="alias-save" disabled={busy || versions.length === 0}>
            {busy ? "Saving…" : creating ? "Create alias" : "Save alias"}
          </button>
          <button type="button" data-testid="alias-cancel" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export default AliasDialog;
