/**
 * The Versions view: the list of published versions (left), and either one
 * version opened read-only (its graph and its code; nothing to edit) or two
 * of the draft and the versions compared (the diff on the graph, the change
 * list beside it). Restoring a version copies it into the draft on the
 * server and into the editor as a normal edit: Ctrl+Z brings the draft back.
 */
import { RotateCcw, X } from "lucide-react";
import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage } from "../../api/client";
import { useStudio } from "../../asl/store";
import type { Definition } from "../../asl/types";
import { WorkflowGraph } from "../../components/WorkflowGraph";
import { formatTime } from "../../execution/format";
import { Notice, notice, type NoticeMessage } from "../../ui/Notice";
import { PublishDialog } from "../PublishDialog";
import { conflictOf, getWorkflow } from "../workflowApi";
import { DiffView, summaryText } from "./DiffView";
import { getDiff, getVersion, listVersions, restoreVersion, sideLabel, type DiffSide, type VersionDetail, type VersionItem, type WorkflowDiff } from "./operateApi";
import { ReadOnlyCode } from "./ReadOnlyCode";
import { RestoreDialog } from "./RestoreDialog";
import { VersionList } from "./VersionList";
import type { DesignerRoute } from "./viewRoute";

export interface VersionsViewProps {
  workflowId: string;
  open?: number | undefined;
  compare?: [DiffSide, DiffSide] | undefined;
  onRoute: (route: DesignerRoute) => void;
  canEdit: boolean;
  editReason: string | null;
  /** Publish the draft (saving it first); the new number, or null when refused (the page says why). */
  publish: (description: string) => Promise<number | null>;
  /** Changes when a version was published elsewhere on the page (the toolbar). */
  published: number;
  /** A version was restored into the draft: show the draft and say so. */
  onRestored: (message: NoticeMessage) => void;
}

interface Compared {
  key: string;
  diff: WorkflowDiff;
  before: Definition;
  after: Definition;
}

export function VersionsView({ workflowId, open, compare, onRoute, canEdit, editReason, publish, published, onRestored }: VersionsViewProps) {
  const [versions, setVersions] = useState<VersionItem[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [opened, setOpened] = useState<VersionDetail | null>(null);
  const [compared, setCompared] = useState<Compared | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<NoticeMessage | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [restoring, setRestoring] = useState<number | null>(null);
  const cache = useRef(new Map<number, VersionDetail>());
  const revision = useStudio((s) => s.revision);
  const dirty = useStudio((s) => s.dirty);
  const direction = useStudio((s) => s.layout.direction);
  const layout = direction ? { direction } : {};

  const refresh = useCallback(() => {
    listVersions(workflowId)
      .then((list) => {
        setVersions(list);
        setListError(null);
      })
      .catch((err: unknown) => setListError(errorMessage(err)));
  }, [workflowId]);
  useEffect(refresh, [refresh, published]);

  const version = useCallback(
    async (n: number) => {
      const known = cache.current.get(n);
      if (known) return known;
      const got = await getVersion(workflowId, n);
      cache.current.set(n, got);
      return got;
    },
    [workflowId],
  );
  const definitionOf = useCallback(
    async (side: DiffSide) => (side === "draft" ? ((await getWorkflow(workflowId)).definition as Definition) : (await version(side)).definition),
    [workflowId, version],
  );

  // the route's version or comparison
  const compareKey = compare ? `${compare[0]}..${compare[1]}@${revision}` : null;
  useEffect(() => {
    let live = true;
    setError(null);
    if (open) {
      setCompared(null);
      version(open)
        .then((v) => live && setOpened(v))
        .catch((err: unknown) => live && setError(`Could not open version ${open}: ${errorMessage(err)}`));
    } else if (compare && compareKey) {
      setOpened(null);
      Promise.all([getDiff(workflowId, compare[0], compare[1]), definitionOf(compare[0]), definitionOf(compare[1])])
        .then(([diff, before, after]) => live && setCompared({ key: compareKey, diff, before, after }))
        .catch((err: unknown) => live && setError(`Could not compare: ${errorMessage(err)}`));
    } else {
      setOpened(null);
      setCompared(null);
    }
    return () => {
      live = false;
    };
    // compare is read through compareKey (a new array each render would refetch)
  }, [open, compareKey, workflowId, version, definitionOf]);

  const restore = async (n: number) => {
    const store = useStudio.getState();
    store.flushCode?.();
    const had = useStudio.getState().dirty;
    try {
      const saved = await restoreVersion(workflowId, n, useStudio.getState().revision);
      const now = useStudio.getState();
      now.setDefinition(saved.definition as Definition, `Restore version ${n}`);
      useStudio.getState().markSaved(saved.revision);
      if (Array.isArray(saved.diagnostics)) useStudio.getState().setDiagnostics(saved.diagnostics);
      setRestoring(null);
      onRestored(
        notice.success(
          `Restored version ${n} into the draft (revision ${saved.revision}). Undo (Ctrl+Z) brings the draft back${had ? " with your unsaved edits" : ""}.`,
        ),
      );
    } catch (err) {
      setRestoring(null);
      const c = conflictOf(err);
      setStatus(
        notice.error(
          c
            ? `Not restored: the draft was saved elsewhere (now revision ${c.current.revision}). Open the Design view and save or reload first.`
            : `Not restored: ${errorMessage(err)}`,
        ),
      );
    }
  };

  const doPublish = async (description: string) => {
    setPublishing(false);
    const n = await publish(description);
    if (n !== null) {
      setStatus(notice.success(`Published version ${n}.`));
      refresh();
    }
  };

  const why = canEdit ? undefined : (editReason ?? "You cannot change this workflow.");
  const latest = versions?.[0]?.number ?? 0;
  const showing = compared && compareKey && compared.key === compareKey ? compared : null;

  return (
    <div className="sy-versions-view" data-testid="versions-view">
      <VersionList
        versions={versions}
        error={listError}
        open={open}
        compare={compare}
        draftRevision={revision}
        draftDirty={dirty}
        canEdit={canEdit}
        editReason={editReason}
        onOpen={(n) => onRoute({ view: "versions", open: n })}
        onRestore={setRestoring}
        onCompare={(a, b) => onRoute({ view: "versions", compare: [a, b] })}
        onPublish={() => setPublishing(true)}
      />
      <section className="sy-versions-main" aria-live="polite">
        <header className="sy-versions-head" data-testid="versions-head">
          {open && opened && opened.number === open ? (
            <>
              <div className="sy-versions-title">
                <h2 data-testid="version-title">Version {opened.number}</h2>
                <span className="sy-badge" data-testid="version-readonly">
                  Read-only
                </span>
                <span className="sy-muted sy-ellipsis" title={opened.description}>
                  {opened.description || "No description"} · {opened.created_by ?? "someone no longer here"} · {formatTime(opened.created_at)}
                </span>
              </div>
              <div className="sy-versions-actions">
                <button type="button" data-testid="version-head-restore" disabled={!canEdit} title={why ?? "Copy this version into the draft (undo brings the draft back)"} onClick={() => setRestoring(opened.number)}>
                  <RotateCcw size={14} aria-hidden="true" /> Restore into draft…
                </button>
                <button type="button" data-testid="version-head-compare" onClick={() => onRoute({ view: "versions", compare: [opened.number, "draft"] })}>
                  Compare with draft
                </button>
                <button type="button" className="sy-icon-button" data-testid="versions-close" aria-label="Close" title="Close" onClick={() => onRoute({ view: "versions" })}>
                  <X size={14} aria-hidden="true" />
                </button>
              </div>
            </>
          ) : compare ? (
            <>
              <div className="sy-versions-title">
                <h2 data-testid="diff-title">
                  {sideLabel(compare[0])} → {sideLabel(compare[1])}
                </h2>
                {showing ? (
                  <span className="sy-muted" data-testid="diff-summary">
                    {summaryText(showing.diff)}
                  </span>
                ) : null}
                {compare.includes("draft") && dirty ? (
                  <Notice kind="info" testId="diff-draft-note">
                    The draft as last saved (revision {revision}); your unsaved edits are not in it.
                  </Notice>
                ) : null}
              </div>
              <div className="sy-versions-actions">
                <button type="button" data-testid="diff-swap" onClick={() => onRoute({ view: "versions", compare: [compare[1], compare[0]] })}>
                  Swap A and B
                </button>
                <button type="button" className="sy-icon-button" data-testid="versions-close" aria-label="Close" title="Close" onClick={() => onRoute({ view: "versions" })}>
                  <X size={14} aria-hidden="true" />
                </button>
              </div>
            </>
          ) : (
            <div className="sy-versions-title">
              <h2>Versions</h2>
              <span className="sy-muted">Open a version to read it, or compare any two of the draft and the versions.</span>
            </div>
          )}
          {status ? (
            <Notice kind={status.kind} testId="versions-status" className="sy-versions-status" title={status.text}>
              {status.text}
            </Notice>
          ) : null}
        </header>
        {error ? (
          <p className="sy-error sy-versions-empty-main" role="alert" data-testid="versions-main-error">
            {error}
          </p>
        ) : open && opened && opened.number === open ? (
          <div className="sy-version-body" data-testid="version-view">
            <div className="sy-version-graph" data-testid="version-graph">
              <WorkflowGraph definition={opened.definition} layout={layout} />
            </div>
            <aside className="sy-versions-side">
              <ReadOnlyCode definition={opened.definition} label={`Version ${opened.number}`} />
            </aside>
          </div>
        ) : showing ? (
          <DiffView diff={showing.diff} before={showing.before} after={showing.after} layout={layout} />
        ) : open || compare ? (
          <p className="sy-muted sy-versions-empty-main" data-testid="versions-main-loading">
            Loading…
          </p>
        ) : (
          <div className="sy-versions-empty-main" data-testid="versions-empty-main">
            {latest ? (
              <>
                <button type="button" onClick={() => onRoute({ view: "versions", open: latest })}>
                  Open version {latest}
                </button>
                <button type="button" onClick={() => onRoute({ view: "versions", compare: [latest, "draft"] })}>
                  Compare version {latest} with the draft
                </button>
              </>
            ) : (
              <p className="sy-muted">Nothing published yet.</p>
            )}
          </div>
        )}
      </section>
      {publishing ? <PublishDialog dirty={dirty} next={latest + 1} onPublish={(d) => void doPublish(d)} onCancel={() => setPublishing(false)} /> : null}
      {restoring !== null ? <RestoreDialog number={restoring} dirty={dirty} onRestore={() => restore(restoring)} onCancel={() => setRestoring(null)} /> : null}
    </div>
  );
}
