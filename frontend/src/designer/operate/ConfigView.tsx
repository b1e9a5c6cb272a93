/**
 * The Config view: the workflow's settings (name, description, type,
 * timeout, tags, how long executions are kept) edited as a form and saved
 * together (PATCH /settings/ with the draft revision), and the workflow's
 * own actions (duplicate, delete). Unsaved definition edits are saved first,
 * so the revision sent is the one on screen. The timeout is the definition's
 * TimeoutSeconds: once saved it arrives in the draft as a normal edit (undo
 * takes it back out). A role that may not edit sees everything disabled,
 * saying why on hover.
 */
import { Copy, Trash2 } from "lucide-react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ApiError, errorMessage } from "../../api/client";
import { useStudio } from "../../asl/store";
import type { Definition, Diagnostic } from "../../asl/types";
import { formatDuration } from "../../execution/format";
import { notice, Notice, type NoticeMessage } from "../../ui/Notice";
import { conflictOf, getWorkflow } from "../workflowApi";
import { DeleteDialog } from "./DeleteDialog";
import { DuplicateDialog } from "./DuplicateDialog";
import { expressProblems, fieldErrors, getSettings, patchSettings, type Settings, type SettingsChanges } from "./operateApi";
import { changesOf, EXPRESS_MAX_SECONDS, formOf, formProblems, MAX_RETENTION_DAYS, STANDARD_MAX_SECONDS, type SettingsForm } from "./settingsForm";
import { TagsEditor } from "./TagsEditor";
import { TypeField } from "./TypeField";

export interface ConfigViewProps {
  workflowId: string;
  canEdit: boolean;
  editReason: string | null;
  /** Save unsaved definition edits (rejects when that does not go through). */
  saveDraft: () => Promise<void>;
  /** Settings were saved: the page's name, type and description follow. */
  onSaved: (settings: Settings) => void;
  /** Show a state on the canvas (the Design view, selected). */
  onShowState: (path: string) => void;
  /** Open a newly made copy. */
  onDuplicated: (id: string) => void;
  /** The workflow is gone. */
  onDeleted: () => void;
}

interface Refusal {
  message: string;
  problems: Diagnostic[];
}

/** Apply a saved settings answer to the editor: the revision, and the timeout as an undoable edit. */
async function followInStore(workflowId: string, stamp: number, saved: Settings, changes: SettingsChanges): Promise<void> {
  if (!("timeout_seconds" in changes)) {
    const store = useStudio.getState();
    if (store.stamp === stamp) store.markSaved(saved.revision);
    else useStudio.setState({ revision: saved.revision });
    return;
  }
  const fresh = await getWorkflow(workflowId);
  const store = useStudio.getState();
  const label = saved.timeout_seconds === null ? "Remove workflow timeout" : `Set workflow timeout to ${saved.timeout_seconds} s`;
  if (store.stamp !== stamp) {
    useStudio.setState({ revision: fresh.revision }); // edited meanwhile: keep those edits, unsaved
    return;
  }
  store.setDefinition(fresh.definition as Definition, label);
  useStudio.getState().markSaved(fresh.revision);
}

export function ConfigView({ workflowId, canEdit, editReason, saveDraft, onSaved, onShowState, onDuplicated, onDeleted }: ConfigViewProps) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [form, setForm] = useState<SettingsForm | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [status, setStatus] = useState<NoticeMessage | null>(null);
  const [saving, setSaving] = useState(false);
  const [dialog, setDialog] = useState<"duplicate" | "delete" | null>(null);
  const draftDirty = useStudio((s) => s.dirty);

  const load = useCallback(() => {
    getSettings(workflowId)
      .then((s) => {
        setSettings(s);
        setForm(formOf(s));
        setLoadError(null);
      })
      .catch((err: unknown) => setLoadError(errorMessage(err)));
  }, [workflowId]);
  useEffect(load, [load]);

  const changes = useMemo(() => (settings && form ? changesOf(settings, form) : {}), [settings, form]);
  const changed = Object.keys(changes).length > 0;
  // unsaved settings: the browser asks before the page goes (not after a duplicate or a delete)
  const leaving = useRef(false);
  useEffect(() => {
    if (!changed) return;
    const warn = (e: BeforeUnloadEvent) => {
      if (leaving.current) return;
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [changed]);
  const leave = (then: () => void) => {
    leaving.current = true;
    then();
  };
  const problems = useMemo(() => (form ? formProblems(form) : {}), [form]);
  const why = canEdit ? undefined : (editReason ?? "You cannot change this workflow.");

  const update = (change: Partial<SettingsForm>) => {
    setForm((f) => (f ? { ...f, ...change } : f));
    setStatus(null);
    if ("type" in change) setRefusal(null);
    const touched = Object.keys(change).map((k) => (k === "timeout" ? "timeout_seconds" : k === "retention" ? "retention_days" : k));
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !touched.includes(k))));
  };

  const save = async () => {
    if (!settings || !form || !changed || saving) return;
    if (Object.keys(problems).length) {
      setErrors(problems);
      setStatus(notice.error("Not saved: fix the fields marked below."));
      return;
    }
    setSaving(true);
    setStatus(null);
    setRefusal(null);
    setErrors({});
    try {
      await saveDraft();
      const stamp = useStudio.getState().stamp;
      const saved = await patchSettings(workflowId, useStudio.getState().revision, changes);
      await followInStore(workflowId, stamp, saved, changes);
      setSettings(saved);
      setForm(formOf(saved));
      onSaved(saved);
      setStatus(notice.success(`Settings saved (revision ${saved.revision}).`));
    } catch (err) {
      const express = expressProblems(err);
      if (express.length && err instanceof ApiError) setRefusal({ message: err.message, problems: express });
      setErrors(fieldErrors(err));
      if (express.length) {
        const states = express.length === 1 ? "1 state" : `${express.length} states`;
        setStatus(notice.error(`Not saved: Express cannot run ${states} of this workflow (see Type).`));
      } else if (conflictOf(err)) {
        setStatus(notice.error("Not saved: the workflow changed elsewhere since you opened it. The settings were reloaded; make your change again."));
        load();
      } else {
        setStatus(notice.error(`Not saved: ${errorMessage(err)}`));
      }
    } finally {
      setSaving(false);
    }
  };

  if (loadError) {
    return (
      <p className="sy-config-error" role="alert" data-testid="config-load-error">
        Could not load the settings: {loadError}
      </p>
    );
  }
  if (!settings || !form) {
    return (
      <p className="sy-muted sy-config-loading" data-testid="config-loading">
        Loading the settings…
      </p>
    );
  }
  const timeoutMax = form.type === "EXPRESS" ? EXPRESS_MAX_SECONDS : STANDARD_MAX_SECONDS;
  const timeoutShown = /^\d+$/.test(form.timeout.trim()) ? formatDuration(Number(form.timeout) * 1000) : null;
  const error = (field: string) =>
    errors[field] ? (
      <p className="sy-field-error" role="alert" data-testid={`settings-${field}-error`}>
        {errors[field]}
      </p>
    ) : null;

  return (
    <div className="sy-config" data-testid="config-view">
      <form
        className="sy-config-form"
        aria-label="Workflow settings"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="sy-config-scroll" data-testid="config-scroll">
          {!canEdit ? (
            <p className="sy-readonly-banner" data-testid="config-readonly">
              {why} You can read the settings.
            </p>
          ) : null}
          <fieldset className="sy-config-fields" disabled={!canEdit} title={why} data-testid="config-fieldset">
            <section className="sy-config-section" aria-labelledby="sy-config-general">
              <h3 id="sy-config-general">General</h3>
              <div className="sy-field">
                <label htmlFor="sy-settings-name">Name</label>
                <input id="sy-settings-name" data-testid="settings-name" maxLength={80} value={form.name} onChange={(e) => update({ name: e.target.value })} aria-invalid={errors.name ? true : undefined} />
                <span className="sy-field-help">1-80 characters without spaces, brackets, wildcards, quotes or control characters (AWS's state machine name rule).</span>
                {error("name")}
              </div>
              <div className="sy-field">
                <label htmlFor="sy-settings-description">Description</label>
                <textarea id="sy-settings-description" data-testid="settings-description" rows={2} value={form.description} onChange={(e) => update({ description: e.target.value })} />
                {error("description")}
              </div>
            </section>
            <section className="sy-config-section" aria-labelledby="sy-settings-type-label">
              <h3 id="sy-settings-type-label">Type</h3>
              <TypeField
                value={form.type}
                onChange={(type) => update({ type })}
                disabled={!canEdit}
                reason={why ?? null}
                refusal={refusal ?? (errors.type ? { message: errors.type, problems: [] } : null)}
                onShowState={onShowState}
              />
            </section>
            <section className="sy-config-section" aria-labelledby="sy-config-execution">
              <h3 id="sy-config-execution">Executions</h3>
              <div className="sy-field">
                <label htmlFor="sy-settings-timeout">Timeout (seconds)</label>
                <div className="sy-inline">
                  <input
                    id="sy-settings-timeout"
                    data-testid="settings-timeout"
                    inputMode="numeric"
                    placeholder="none"
                    value={form.timeout}
                    onChange={(e) => update({ timeout: e.target.value })}
                    aria-invalid={errors.timeout_seconds ? true : undefined}
                  />
                  {timeoutShown ? <span className="sy-muted">{timeoutShown}</span> : null}
                </div>
                <span className="sy-field-help">
                  The definition's TimeoutSeconds: empty for none; 1 to {timeoutMax.toLocaleString("en")} for {form.type === "EXPRESS" ? "an Express" : "a Standard"} workflow. Saved into the draft (undo takes it back).
                </span>
                {error("timeout_seconds")}
              </div>
              <div className="sy-field">
                <label htmlFor="sy-settings-retention">Keep finished executions for (days)</label>
                <input
                  id="sy-settings-retention"
                  data-testid="settings-retention"
                  inputMode="numeric"
                  value={form.retention}
                  onChange={(e) => update({ retention: e.target.value })}
                  aria-invalid={errors.retention_days ? true : undefined}
                />
                <span className="sy-field-help">
                  1 to {MAX_RETENTION_DAYS}. Older finished executions are deleted with their input, output and history (checked hourly); running ones are never deleted. AWS keeps 90 days.
                </span>
                {error("retention_days")}
              </div>
            </section>
            <section className="sy-config-section" aria-labelledby="sy-config-tags">
              <h3 id="sy-config-tags">Tags</h3>
              <TagsEditor rows={form.tags} onChange={(tags) => update({ tags })} disabled={!canEdit} reason={why ?? null} {...(errors.tags ? { error: errors.tags } : {})} />
            </section>
          </fieldset>
          <section className="sy-config-section sy-config-actions" aria-labelledby="sy-config-workflow">
            <h3 id="sy-config-workflow">Workflow</h3>
            <div className="sy-action-row">
              <button type="button" data-testid="config-duplicate" disabled={!canEdit} title={why ?? "Copy this workflow under a new name and open the copy"} onClick={() => setDialog("duplicate")}>
                <Copy size={14} aria-hidden="true" /> Duplicate…
              </button>
              <span className="sy-field-help">A copy of the draft with its layout and settings; no versions or executions.</span>
            </div>
            <div className="sy-action-row">
              <button type="button" className="sy-danger" data-testid="config-delete" disabled={!canEdit} title={why ?? "Delete this workflow (you confirm first)"} onClick={() => setDialog("delete")}>
                <Trash2 size={14} aria-hidden="true" /> Delete…
              </button>
              <span className="sy-field-help">Asks first, and says what happens to running executions and their history.</span>
            </div>
          </section>
        </div>
        <footer className="sy-config-footer" data-testid="config-footer">
          <button type="submit" className="sy-primary" data-testid="settings-save" disabled={!canEdit || !changed || saving} title={why ?? (changed ? "Save these settings" : "Nothing to save")}>
            {saving ? "Saving…" : "Save settings"}
          </button>
          <button
            type="button"
            data-testid="settings-discard"
            disabled={!canEdit || !changed || saving}
            title={why}
            onClick={() => {
              setForm(formOf(settings));
              setErrors({});
              setRefusal(null);
              setStatus(null);
            }}
          >
            Discard changes
          </button>
          {changed && draftDirty && canEdit ? <span className="sy-muted">Your unsaved edits to the definition are saved first.</span> : null}
          {status ? (
            <Notice kind={status.kind} testId="settings-status" className="sy-config-status" title={status.text}>
              {status.text}
            </Notice>
          ) : null}
        </footer>
      </form>
      {dialog === "duplicate" ? (
        <DuplicateDialog workflowId={workflowId} name={settings.name} before={saveDraft} onDuplicated={(id) => leave(() => onDuplicated(id))} onCancel={() => setDialog(null)} />
      ) : null}
      {dialog === "delete" ? <DeleteDialog workflowId={workflowId} name={settings.name} onDeleted={() => leave(onDeleted)} onCancel={() => setDialog(null)} /> : null}
    </div>
  );
}
