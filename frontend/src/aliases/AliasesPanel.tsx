/**
 * A workflow's aliases: name, description and routing (each version's share
 * drawn as a bar), with create, edit and delete (asks first, and says that
 * executions started through it keep their version). Anyone in the team sees
 * them; only editors and owners change them (the controls say why otherwise).
 * Self-contained: it loads the aliases and published versions itself.
 */
import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "../api/client";
import { Dialog } from "../ui/Dialog";
import { Notice, type NoticeMessage, notice } from "../ui/Notice";
import { AliasDialog } from "./AliasDialog";
import { deleteAlias, listAliases, listVersions, routingText, type Alias, type VersionSummary } from "./aliasApi";
import "./aliases.css";

export interface AliasesPanelProps {
  workflowId: string;
  canEdit: boolean;
  /** Why changing aliases is off (the disabled controls' title). */
  editReason?: string | null;
}

export function RoutingBar({ alias }: { alias: Alias }) {
  return (
    <span className="sy-alias-bar" aria-hidden="true">
      {alias.routing.map((r, i) => (
        <span key={r.version} className={`sy-alias-bar-part sy-alias-bar-${i}`} style={{ width: `${r.weight}%` }} />
      ))}
    </span>
  );
}

export function AliasesPanel({ workflowId, canEdit, editReason }: AliasesPanelProps) {
  const [aliases, setAliases] = useState<Alias[] | null>(null);
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Alias | "new" | null>(null);
  const [deleting, setDeleting] = useState<Alias | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<NoticeMessage | null>(null);
  const why = canEdit ? undefined : (editReason ?? "You cannot change this workflow's aliases.");

  const load = useCallback(async () => {
    try {
      const [a, v] = await Promise.all([listAliases(workflowId), listVersions(workflowId)]);
      setAliases(a);
      setVersions(v);
      setLoadError(null);
    } catch (err) {
      setLoadError(`Could not load the aliases: ${errorMessage(err)}`);
    }
  }, [workflowId]);

  useEffect(() => {
    void load();
  }, [load]);

  const remove = async (alias: Alias) => {
    setBusy(true);
    try {
      await deleteAlias(workflowId, alias.name);
      setAliases((list) => (list ?? []).filter((a) => a.name !== alias.name));
      setStatus(notice.success(`Deleted alias ${alias.name}.`));
      setDeleting(null);
    } catch (err) {
      setStatus(notice.error(`Alias ${alias.name} was not deleted: ${errorMessage(err)}`));
      setDeleting(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="sy-aliases" data-testid="aliases-panel" aria-labelledby="sy-aliases-title">
      <header className="sy-aliases-header">
        <h3 id="sy-aliases-title">Aliases</h3>
        <button type="button" data-testid="alias-new" disabled={!canEdit} title={why ?? "Create an alias"} onClick={() => setEditing("new")}>
          New alias…
        </button>
      </header>
      {status ? (
        <Notice kind={status.kind} testId="aliases-status">
          {status.text}
        </Notice>
      ) : null}
      {loadError ? (
        <Notice kind="error" testId="aliases-load-error">
          {loadError}
        </Notice>
      ) : aliases === null ? (
        <p className="sy-muted">Loading…</p>
      ) : aliases.length === 0 ? (
        <p className="sy-muted" data-testid="aliases-empty">
          No aliases yet. {versions.length === 0 ? "Publish a version, then create one to start executions by name." : "Create one to start executions by name."}
        </p>
      ) : (
        <table className="sy-aliases-table" data-testid="aliases-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Routing</th>
              <th scope="col">Description</th>
              <th scope="col">
                <span className="sy-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {aliases.map((alias) => (
              <tr key={alias.name} data-testid={`alias-row-${alias.name}`}>
                <th scope="row" className="sy-alias-name">
                  {alias.name}
                </th>
                <td data-testid={`alias-routing-${alias.name}`}>
                  <span className="sy-alias-routing-text">{routingText(alias.routing)}</span>
                  <RoutingBar alias={alias} />
                </td>
                <td className="sy-alias-description" title={alias.description}>
                  {alias.description || <span className="sy-muted">–</span>}
                </td>
                <td className="sy-alias-actions">
                  <button type="button" data-testid={`alias-edit-${alias.name}`} disabled={!canEdit} title={why ?? `Edit ${alias.name}`} onClick={() => setEditing(alias)}>
                    Edit
                  </button>
                  <button type="button" data-testid={`alias-delete-${alias.name}`} disabled={!canEdit} title={why ?? `Delete ${alias.name}`} onClick={() => setDeleting(alias)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing ? (
        <AliasDialog
          workflowId={workflowId}
          alias={editing === "new" ? null : editing}
          versions={versions}
          taken={(aliases ?? []).map((a) => a.name)}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setAliases((list) => {
              const rest = (list ?? []).filter((a) => a.name !== saved.name);
              return [...rest, saved].sort((a, b) => a.name.localeCompare(b.name));
            });
            setStatus(notice.success(`${editing === "new" ? "Created" : "Saved"} alias ${saved.name}: ${routingText(saved.routing)}.`));
            setEditing(null);
          }}
        />
      ) : null}
      {deleting ? (
        <Dialog onClose={() => setDeleting(null)} labelledBy="sy-alias-delete-title" testId="alias-delete-dialog" role="alertdialog">
          <h3 id="sy-alias-delete-title">Delete alias {deleting.name}?</h3>
          <p>Starts by this name will be refused. Executions it started keep their version; they no longer name an alias.</p>
          <div className="sy-modal-actions">
            <button type="button" className="sy-danger" data-testid="alias-delete-confirm" disabled={busy} onClick={() => void remove(deleting)}>
              {busy ? "Deleting…" : "Delete alias"}
            </button>
            <button type="button" data-testid="alias-delete-cancel" autoFocus onClick={() => setDeleting(null)}>
              Cancel
            </button>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}

export default AliasesPanel;
