/**
 * The Versions panel: the draft and every published version (number, what
 * changed, who published it and when, in the studio's one time format),
 * newest first, with Open (read-only), Restore (editors) and Compare; and a
 * picker for comparing any two of the draft and the versions.
 */
import { ArrowLeftRight, Eye, GitCompare, RotateCcw, Upload } from "lucide-react";
import { useEffect, useState } from "react";
import { formatTime } from "../../execution/format";
import { sideLabel, type DiffSide, type VersionItem } from "./operateApi";

export interface VersionListProps {
  versions: VersionItem[] | null;
  error?: string | null;
  open?: number | undefined;
  compare?: [DiffSide, DiffSide] | undefined;
  draftRevision: number;
  draftDirty: boolean;
  canEdit: boolean;
  editReason: string | null;
  onOpen: (n: number) => void;
  onRestore: (n: number) => void;
  onCompare: (a: DiffSide, b: DiffSide) => void;
  onPublish: () => void;
}

const sideValue = (s: DiffSide) => String(s);
const sideOf = (v: string): DiffSide => (v === "draft" ? "draft" : Number(v));

function ComparePicker({ versions, compare, onCompare }: { versions: VersionItem[]; compare?: [DiffSide, DiffSide] | undefined; onCompare: (a: DiffSide, b: DiffSide) => void }) {
  const latest = versions[0]?.number;
  const [a, setA] = useState<DiffSide>(compare?.[0] ?? latest ?? "draft");
  const [b, setB] = useState<DiffSide>(compare?.[1] ?? "draft");
  useEffect(() => {
    if (compare) {
      setA(compare[0]);
      setB(compare[1]);
    }
  }, [compare]);
  const options = [<option key="draft" value="draft">Draft</option>, ...versions.map((v) => <option key={v.number} value={v.number}>{`Version ${v.number}${v.description ? ` · ${v.description}` : ""}`}</option>)];
  const same = a === b;
  return (
    <form
      className="sy-compare-picker"
      data-testid="compare-picker"
      aria-label="Compare two versions"
      onSubmit={(e) => {
        e.preventDefault();
        if (!same) onCompare(a, b);
      }}
    >
      <p className="sy-compare-picker-title">Compare any two</p>
      <label htmlFor="sy-compare-a">A</label>
      <select id="sy-compare-a" data-testid="compare-a" value={sideValue(a)} onChange={(e) => setA(sideOf(e.target.value))} title="From (A)">
        {options}
      </select>
      <label htmlFor="sy-compare-b">B</label>
      <select id="sy-compare-b" data-testid="compare-b" value={sideValue(b)} onChange={(e) => setB(sideOf(e.target.value))} title="To (B)">
        {options}
      </select>
      <div className="sy-compare-picker-actions">
        <button
          type="button"
          data-testid="compare-swap"
          aria-label="Swap A and B"
          title="Swap A and B"
          onClick={() => {
            setA(b);
            setB(a);
          }}
        >
          <ArrowLeftRight size={14} aria-hidden="true" />
        </button>
        <button type="submit" data-testid="compare-run" disabled={same} title={same ? "Pick two different sides" : `Compare ${sideLabel(a)} with ${sideLabel(b)}`}>
          <GitCompare size={14} aria-hidden="true" /> Compare A → B
        </button>
      </div>
    </form>
  );
}

export function VersionList(props: VersionListProps) {
  const { versions, error, open, compare, draftRevision, draftDirty, canEdit, editReason, onOpen, onRestore, onCompare, onPublish } = props;
  const why = canEdit ? undefined : (editReason ?? "You cannot change this workflow.");
  return (
    <aside className="sy-version-list" data-testid="versions-panel" aria-label="Versions">
      <div className="sy-version-list-head">
        <h3 className="sy-side-title">Versions</h3>
        <button type="button" className="sy-primary" data-testid="versions-publish" disabled={!canEdit} title={why ?? "Publish the draft as the next version"} onClick={onPublish}>
          <Upload size={14} aria-hidden="true" /> Publish draft…
        </button>
      </div>
      {versions && versions.length ? <ComparePicker versions={versions} compare={compare} onCompare={onCompare} /> : null}
      {error ? (
        <p className="sy-error" role="alert" data-testid="versions-error">
          Could not load the versions: {error}
        </p>
      ) : null}
      <ol className="sy-versions" data-testid="versions-list">
        <li className="sy-version sy-version-draft" data-testid="version-draft">
          <div className="sy-version-main">
            <span className="sy-version-number">Draft</span>
            <span className="sy-version-meta">
              revision {draftRevision}
              {draftDirty ? " · unsaved changes" : ""}
            </span>
          </div>
          {versions && versions[0] ? (
            <div className="sy-version-actions">
              <button type="button" data-testid="draft-compare" onClick={() => onCompare(versions[0]!.number, "draft")} title={`What changed in the draft since version ${versions[0].number}`}>
                <GitCompare size={14} aria-hidden="true" /> Diff with version {versions[0].number}
              </button>
            </div>
          ) : null}
        </li>
        {versions === null && !error ? (
          <li className="sy-muted" data-testid="versions-loading">
            Loading…
          </li>
        ) : null}
        {versions && versions.length === 0 ? (
          <li className="sy-muted sy-versions-empty" data-testid="versions-empty">
            No version published yet. Publish the draft to freeze it as version 1: executions and aliases can then run it.
          </li>
        ) : null}
        {(versions ?? []).map((v) => (
          <li key={v.number} className="sy-version" data-testid="version-row" data-version={v.number} aria-current={open === v.number ? "true" : undefined}>
            <button type="button" className="sy-version-main" data-testid="version-open" onClick={() => onOpen(v.number)} title={`Open version ${v.number} (read-only)`}>
              <span className="sy-version-number">Version {v.number}</span>
              <span className="sy-version-description" data-testid="version-description">
                {v.description || <span className="sy-muted">No description</span>}
              </span>
              <span className="sy-version-meta" data-testid="version-meta">
                {v.created_by ?? "someone no longer here"} · <time dateTime={v.created_at}>{formatTime(v.created_at)}</time>
              </span>
            </button>
            <div className="sy-version-actions">
              <button type="button" data-testid="version-view" onClick={() => onOpen(v.number)} title={`Open version ${v.number} read-only`}>
                <Eye size={14} aria-hidden="true" /> Open
              </button>
              <button type="button" data-testid="version-restore" disabled={!canEdit} title={why ?? `Copy version ${v.number} into the draft (undo brings the draft back)`} onClick={() => onRestore(v.number)}>
                <RotateCcw size={14} aria-hidden="true" /> Restore
              </button>
              <button type="button" data-testid="version-compare" onClick={() => onCompare(v.number, "draft")} title={`Compare version ${v.number} with the draft`}>
                <GitCompare size={14} aria-hidden="true" /> Diff
              </button>
            </div>
          </li>
        ))}
      </ol>
    </aside>
  );
}
