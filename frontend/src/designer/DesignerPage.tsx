/**
 * The designer page: toolbar (top), palette (left), canvas (centre), code
 * view (closed by default) and inspector (right), problems and executions
 * (a dock below). Side panels fold and resize (splitters), and remember it
 * (localStorage); the canvas takes the room that is left, at least
 * CANVAS_MIN px wide. The store's definition is the one source of truth;
 * every part edits it through setDefinition.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { StudioProps } from "../api/props";
import { errorMessage } from "../api/client";
import { MutationError } from "../asl/mutations";
import { useStudio } from "../asl/store";
import type { Definition, Diagnostic } from "../asl/types";
import { WorkflowGraph, type DropTarget } from "../components/WorkflowGraph";
import { shareRoom, type PanelSpec } from "../components/panelState";
import { SidePanel } from "../components/SidePanel";
import { Splitter } from "../components/Splitter";
import { usePanel } from "../components/usePanel";
import { startLayoutWorker } from "../graph/layoutWorker";
import { CodeView, type RevealRequest } from "./CodeView";
import { definitionToText, type CodeMode } from "./codeText";
import { ImportDialog } from "./ImportDialog";
import { aliasEditReason, permissionsOf } from "./permissions";
import { notice, type NoticeMessage } from "../ui/Notice";
import { hasUnsavedWork } from "./unsaved";
import { startsEmpty } from "./startsEmpty";
import { isReached } from "./unconnected";
import { ConnectHint } from "./ConnectHint";
import { ConflictDialog, type ConflictChoice, type WorkflowSnapshot } from "./ConflictDialog";
import { DiagnosticsPanel } from "./DiagnosticsPanel";
import { WorkflowExecutions } from "../execution/WorkflowExecutions";
import { Inspector } from "./inspector/Inspector";
import { insertAtDrop, insertItem } from "./insert";
import { Palette } from "./Palette";
import { type DragPayload, type PaletteItem, dragPayloadOf } from "./paletteItems";
import { RunDialog } from "./RunDialog";
import { AliasesDialog } from "../aliases/AliasesDialog";
import { handleShortcut } from "./shortcuts";
import { Toolbar, type ExportFormat } from "./Toolbar";
import { OperateViews } from "./operate/OperateViews";
import { ViewTabs } from "./operate/ViewTabs";
import { shortcutAllowed, useDesignerRoute } from "./operate/viewRoute";
import "./designer.css";
import {
  conflictOf,
  copyName,
  createWorkflow,
  exportUrl,
  getWorkflow,
  previewImport,
  publishWorkflow,
  type ImportPreview,
  putWorkflow,
  validateDefinition,
} from "./workflowApi";

export interface DesignerPageProps extends StudioProps {
  navigate?: (url: string) => void;
  /** Start a file download (tests replace it). */
  download?: (url: string, filename?: string, blob?: Blob) => void;
  validateDebounceMs?: number;
  codeDebounceMs?: number;
  /** Show the live list of this workflow's executions beside the problems. */
  showExecutions?: boolean;
}

interface Meta {
  name: string;
  type: string;
  description: string;
  team: string;
}

/** The frame's panels: remembered open/closed and size (px). */
/** The palette starts folded to its rail below 1440 px wide (the canvas needs the width to show states readably). */
const PALETTE: PanelSpec = {
  key: "stateyard.designer.palette",
  get defaultOpen() {
    return typeof window === "undefined" || window.innerWidth >= 1440;
  },
  size: 200,
  min: 150,
  max: 360,
};
const CODE: PanelSpec = { key: "stateyard.designer.code", defaultOpen: false, size: 440, min: 280, max: 1000 };
const INSPECTOR: PanelSpec = { key: "stateyard.designer.inspector", defaultOpen: true, size: 320, min: 240, max: 640 };
/**
 * The problems dock starts folded below 1000 px high (the canvas needs the height to show states
 * readably); opened, it is tall enough for the executions' header and at least three rows.
 */
const DOCK: PanelSpec = {
  key: "stateyard.designer.dock",
  get defaultOpen() {
    return typeof window === "undefined" || window.innerHeight >= 1000;
  },
  size: typeof window !== "undefined" ? Math.round(Math.min(300, Math.max(240, window.innerHeight * 0.25))) : 240,
  min: 96,
  max: 560,
};
/** The canvas never gets narrower than this while a side panel can give way. */
const CANVAS_MIN = 360;
const RAIL = 32;
const SPLITTER = 6;

function defaultDownload(url: string, filename?: string, blob?: Blob): void {
  const href = blob ? URL.createObjectURL(blob) : url;
  const a = document.createElement("a");
  a.href = href;
  if (filename) a.download = filename;
  else a.setAttribute("download", "");
  document.body.appendChild(a);
  a.click();
  a.remove();
  if (blob) setTimeout(() => URL.revokeObjectURL(href), 1000);
}

const messageOf = errorMessage;

/** Why a save or publish is refused while the code view's text does not parse (null when it parses). */
function codeRefusal(): string | null {
  const s = useStudio.getState();
  s.flushCode?.(); // the last keystrokes count
  const e = useStudio.getState().codeError;
  return e ? `the code view has a syntax error at line ${e.line}, column ${e.column} (${e.message}). Fix it first.` : null;
}

export function DesignerPage(props: DesignerPageProps) {
  const {
    workflowId = "",
    teamSlug,
    canEdit,
    navigate = (url: string) => window.location.assign(url),
    download = defaultDownload,
    validateDebounceMs = 600,
    codeDebounceMs = 400,
    showExecutions = true,
  } = props;
  const permissions = permissionsOf(props.role, canEdit, props.canRun);
  const readOnly = !permissions.canEdit;
  const definition = useStudio((s) => s.definition);
  const dirty = useStudio((s) => s.dirty);
  const [meta, setMeta] = useState<Meta>({ name: props.workflowName ?? "", type: "STANDARD", description: "", team: teamSlug });
  const [loaded, setLoaded] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<NoticeMessage | null>(null);
  const [importing, setImporting] = useState<{ fileName: string; text: string; preview: ImportPreview; busy: boolean } | null>(null);
  const [conflict, setConflict] = useState<{ current: WorkflowSnapshot; yourRevision: number } | null>(null);
  const [running, setRunning] = useState(false);
  const views = useDesignerRoute();
  const view = views.route.view;
  const [published, setPublished] = useState(0);
  const [aliasesOpen, setAliasesOpen] = useState(false);
  const palette = usePanel(PALETTE);
  const code = usePanel(CODE);
  const inspector = usePanel(INSPECTOR);
  const dock = usePanel(DOCK);
  const codeOpen = code.open;
  const [fitSignal, setFitSignal] = useState(0);
  const [bodyWidth, setBodyWidth] = useState(() => (typeof window !== "undefined" ? window.innerWidth : 1440));
  const [codeMode, setCodeMode] = useState<CodeMode>("json");
  const [reveal, setReveal] = useState<RevealRequest | null>(null);
  const [validating, setValidating] = useState(false);
  const [loose, setLoose] = useState<{ path: string; name: string } | null>(null);
  useEffect(() => {
    if (loose && isReached(definition, loose.path)) setLoose(null);
  }, [definition, loose]);
  const leaving = useRef(false);
  const canvasRef = useRef<HTMLElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);

  // The body's width: the side panels give way so the canvas keeps CANVAS_MIN.
  useEffect(() => {
    const element = bodyRef.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => setBodyWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, [loaded, view]);

  // Load the workflow (main.tsx already asked for it and started the layout worker, which lays it out).
  const showPalette = palette.show;
  useEffect(() => {
    let live = true;
    startLayoutWorker();
    getWorkflow(workflowId)
      .then((wf) => {
        if (!live) return;
        useStudio.getState().load({ definition: wf.definition as Definition, layout: wf.layout, revision: wf.revision, diagnostics: wf.diagnostics });
        setMeta({ name: wf.name, type: wf.type, description: wf.description, team: wf.team });
        // a new workflow (nothing to see but the blank start): the palette is where to begin
        if (!readOnly && startsEmpty(wf.definition as Definition)) showPalette();
        setLoaded(true);
      })
      .catch((err: unknown) => live && setLoadError(messageOf(err)));
    return () => {
      live = false;
    };
  }, [workflowId]);

  // Problems found: the dock (folded in a low window) opens by itself, once per load.
  const diagnostics = useStudio((s) => s.diagnostics);
  const dockShown = useRef(false);
  const showDock = dock.show;
  useEffect(() => {
    if (!loaded || dockShown.current || diagnostics.length === 0) return;
    dockShown.current = true;
    showDock();
  }, [loaded, diagnostics, showDock]);

  // Validate (debounced) after each change.
  const validation = useRef(0);
  useEffect(() => {
    if (!loaded) return;
    const id = ++validation.current;
    const timer = setTimeout(() => {
      setValidating(true);
      validateDefinition(workflowId, definition)
        .then((answer) => {
          if (id === validation.current) useStudio.getState().setDiagnostics(answer.diagnostics);
        })
        .catch(() => {
          /* keep the last diagnostics; the save will report problems */
        })
        .finally(() => id === validation.current && setValidating(false));
    }, validateDebounceMs);
    return () => clearTimeout(timer);
  }, [definition, loaded, workflowId, validateDebounceMs]);

  // Warn before leaving with unsaved changes (what is still being typed counts: see unsaved.ts).
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!leaving.current && hasUnsavedWork()) {
        e.preventDefault();
        e.returnValue = "";
      }
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, []);

  const go = useCallback(
    (url: string) => {
      leaving.current = true;
      navigate(url);
    },
    [navigate],
  );

  /** PUT the current snapshot at `revision`; true when saved. A stale revision opens the conflict dialog. */
  const saveAt = useCallback(
    async (revision?: number): Promise<boolean> => {
      const refusal = codeRefusal();
      if (refusal) {
        setStatus(notice.error(`Not saved: ${refusal}`));
        return false;
      }
      const s = useStudio.getState();
      const stamp = s.stamp;
      setSaving(true);
      try {
        const saved = await putWorkflow(workflowId, {
          revision: revision ?? s.revision,
          name: meta.name,
          type: meta.type,
          description: meta.description,
          definition: s.definition,
          layout: s.layout,
        });
        const now = useStudio.getState();
        if (now.stamp === stamp) now.markSaved(saved.revision);
        else useStudio.setState({ revision: saved.revision, savedStamp: stamp, dirty: true }); // edited while saving
        if (Array.isArray(saved.diagnostics)) useStudio.getState().setDiagnostics(saved.diagnostics);
        setConflict(null);
        setStatus(notice.success(`Saved revision ${saved.revision}`));
        return true;
      } catch (err) {
        const c = conflictOf(err);
        if (c) setConflict(c);
        else setStatus(notice.error(`Not saved: ${messageOf(err)}`));
        return false;
      } finally {
        setSaving(false);
      }
    },
    [workflowId, meta],
  );
  const save = useCallback(async () => {
    if (!permissions.canEdit) {
      setStatus(notice.info(permissions.editReason ?? "You cannot edit this workflow."));
      return false;
    }
    return saveAt();
  }, [saveAt, permissions.canEdit, permissions.editReason]);
  const saveIfDirty = useCallback(async () => {
    if (useStudio.getState().dirty && !(await saveAt())) throw new Error("Save your changes first (the save did not go through).");
  }, [saveAt]);

  const resolveConflict = async (choice: ConflictChoice, name?: string) => {
    if (!conflict) return;
    const { current } = conflict;
    if (choice === "keep-mine") {
      await saveAt(current.revision);
      return;
    }
    if (choice === "take-theirs") {
      const store = useStudio.getState();
      store.setDefinition(current.definition as Definition, `Take revision ${current.revision} (yours is one undo away)`, { layout: current.layout });
      useStudio.getState().markSaved(current.revision);
      setMeta({ name: current.name, type: current.type, description: current.description, team: current.team });
      setConflict(null);
      setStatus(notice.info(`Loaded revision ${current.revision}; undo brings your version back.`));
      return;
    }
    const s = useStudio.getState();
    const created = await createWorkflow(meta.team, {
      name: name ?? copyName(meta.name),
      type: meta.type,
      description: meta.description,
      definition: s.definition,
      layout: s.layout,
    });
    setConflict(null);
    go(`/workflows/${created.id}/`);
  };

  /** Publish the draft (saved first); the new version's number, or null when refused. */
  const publish = async (description: string): Promise<number | null> => {
    const refusal = codeRefusal();
    if (refusal) {
      setStatus(notice.error(`Not published: ${refusal}`));
      return null;
    }
    try {
      await saveIfDirty();
      const version = await publishWorkflow(workflowId, description, useStudio.getState().revision);
      setStatus(notice.success(`Published version ${version.number}`));
      setPublished((n) => n + 1);
      return version.number;
    } catch (err) {
      const c = conflictOf(err);
      if (c) setConflict(c);
      else setStatus(notice.error(`Not published: ${messageOf(err)}`));
      return null;
    }
  };

  const insert = useCallback(
    (payload: DragPayload, after: string | null) => {
      if (readOnly) return;
      const store = useStudio.getState();
      try {
        const result = insertItem(store.definition, payload, after);
        store.setDefinition(result.definition, `Add ${result.name}`, { selection: result.path });
      } catch (err) {
        setStatus(notice.error(err instanceof MutationError ? err.message : messageOf(err)));
      }
    },
    [readOnly],
  );
  const insertFromPalette = (item: PaletteItem) => insert(dragPayloadOf(item), useStudio.getState().selection);

  const dropState = (payload: DragPayload, target: DropTarget) => {
    if (readOnly) return;
    const store = useStudio.getState();
    try {
      const result = insertAtDrop(store.definition, payload, target);
      store.setDefinition(result.definition, `Add ${result.name}`, { selection: result.path });
      // dropped beside the flow: say how to connect it (until something leads to it)
      setLoose(isReached(result.definition, result.path) ? null : { path: result.path, name: result.name });
    } catch (err) {
      setStatus(notice.error(err instanceof MutationError ? err.message : messageOf(err)));
    }
  };

  /** Fit the canvas: the graph's own "fit view" control (the graph takes no fit prop). */
  const fit = useCallback(() => {
    canvasRef.current?.querySelector<HTMLButtonElement>(".react-flow__controls-fitview")?.click();
  }, []);

  /** Import, step one: the server reads the file; what it holds is shown before anything changes. */
  const importFile = async (file: File, logicalId?: string, known?: string) => {
    if (readOnly) return;
    const text = known ?? (await file.text());
    if (importing) setImporting({ ...importing, busy: true });
    try {
      const preview = await previewImport(workflowId, text, logicalId);
      setImporting({ fileName: file.name, text, preview, busy: false });
    } catch (err) {
      setImporting(null);
      setStatus(notice.error(`Cannot import ${file.name}: ${messageOf(err)} Nothing was changed.`));
    }
  };
  const importFileRef = useRef<File | null>(null);

  const confirmImport = () => {
    if (!importing) return;
    const { preview, fileName } = importing;
    const what = preview.source === "cloudformation" ? `${fileName} (${preview.logical_id})` : fileName;
    useStudio.getState().setDefinition(preview.definition, `Import ${fileName}`, { selection: null });
    setImporting(null);
    setStatus(notice.success(`Imported ${what}; undo to go back.`));
  };

  const exportAs = async (format: ExportFormat) => {
    const s = useStudio.getState();
    if (s.dirty && (format === "json" || format === "yaml")) {
      // Export what is on screen, not the last saved draft.
      const type = format === "json" ? "application/json" : "application/yaml";
      download("", `${meta.name}.asl.${format}`, new Blob([definitionToText(s.definition, format)], { type }));
      return;
    }
    if (s.dirty) {
      try {
        await saveIfDirty();
      } catch (err) {
        setStatus(notice.error(messageOf(err)));
        return;
      }
    }
    download(exportUrl(workflowId, format));
  };

  // Keyboard shortcuts.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!shortcutAllowed(view, e)) return;
      handleShortcut(e, { save: () => void save(), fit, notify: (m) => setStatus(notice.error(m)) }, readOnly);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [save, fit, readOnly, view]);

  const toggleCode = () => {
    const closing = code.open;
    code.setOpen(!closing);
    if (closing) setFitSignal((n) => n + 1); // the canvas got the room back: fit again
  };

  const revealDiagnostic = (d: Diagnostic, range?: { from: number; to: number }) => {
    code.setOpen(true);
    setReveal(range ? { pointer: d.location, range, nonce: Date.now() } : { pointer: d.location, nonce: Date.now() });
  };

  if (loadError) {
    return (
      <div className="sy-designer" data-testid="designer-page">
        <p className="sy-error" role="alert" data-testid="designer-load-error">
          Could not open the workflow: {loadError}
        </p>
      </div>
    );
  }
  if (!loaded) {
    return (
      <div className="sy-designer" data-testid="designer-page">
        <p data-testid="designer-loading">Loading…</p>
      </div>
    );
  }

  // Column widths: open panels share what the canvas leaves; folded ones are rails.
  const open = [palette.open, codeOpen, inspector.open];
  const specs = [PALETTE, CODE, INSPECTOR];
  // (a folded palette or inspector keeps a rail; a closed code view takes no room at all)
  const folded = [RAIL, 0, RAIL];
  const wanted = [palette, code, inspector].map((p, i) => (open[i] ? { size: p.size, min: specs[i]!.min } : { size: folded[i]!, min: folded[i]! }));
  const splitters = SPLITTER * (1 + (palette.open ? 1 : 0) + (codeOpen ? 1 : 0) + (inspector.open ? 1 : 0));
  const [paletteWidth, codeWidth, inspectorWidth] = shareRoom(bodyWidth - splitters, wanted, CANVAS_MIN) as [number, number, number];
  const columns = [
    `${paletteWidth}px`,
    palette.open ? `${SPLITTER}px` : "",
    "minmax(0, 1fr)",
    codeOpen ? `${SPLITTER}px ${codeWidth}px` : "",
    inspector.open ? `${SPLITTER}px` : "",
    `${inspectorWidth}px`,
  ]
    .filter(Boolean)
    .join(" ");
  const rows = dock.open ? `auto minmax(0, 1fr) ${SPLITTER}px ${dock.size}px` : "auto minmax(0, 1fr) auto";
  const panels = (
    <>
      <DiagnosticsPanel onReveal={revealDiagnostic} validating={validating} />
      {showExecutions && workflowId ? <WorkflowExecutions workflowId={workflowId} limit={10} /> : null}
    </>
  );

  return (
    <div className={codeOpen ? "sy-designer sy-with-code" : "sy-designer"} data-testid="designer-page" style={{ gridTemplateRows: rows }}>
      <Toolbar
        name={meta.name}
        canEdit={permissions.canEdit}
        canRun={permissions.canRun}
        editReason={permissions.editReason}
        runReason={permissions.runReason}
        saving={saving}
        status={status}
        onSave={() => void save()}
        onPublish={(d) => void publish(d)}
        onFit={fit}
        onImport={(f) => {
          importFileRef.current = f;
          void importFile(f);
        }}
        onExport={(f) => void exportAs(f)}
        onRun={() => permissions.canRun && setRunning(true)}
        codeOpen={codeOpen && view === "design"}
        onToggleCode={() => {
          if (view === "design") return toggleCode();
          views.go({ view: "design" }); // the code is the design's: show it there
          code.setOpen(true);
        }}
        views={<ViewTabs view={view} onChange={views.show} />}
        onAliases={workflowId ? () => setAliasesOpen(true) : undefined}
      />
      {view === "design" ? (
      <div className="sy-designer-body" ref={bodyRef} style={{ gridTemplateColumns: columns }} id="sy-view-panel" role="tabpanel" aria-labelledby="sy-view-tab-design">
        <SidePanel title="States" side="left" open={palette.open} onToggle={() => palette.setOpen((o) => !o)} testId="palette-panel">
          <Palette onInsert={insertFromPalette} disabled={readOnly} disabledReason={permissions.editReason} />
        </SidePanel>
        {palette.open ? <Splitter side="left" size={paletteWidth} min={PALETTE.min} max={PALETTE.max} onResize={palette.setSize} label="Resize the palette" testId="palette-splitter" /> : null}
        <main className="sy-canvas" data-testid="designer-canvas" ref={canvasRef}>
          {loose ? <ConnectHint name={loose.name} direction={useStudio.getState().layout.direction ?? "TB"} onDismiss={() => setLoose(null)} /> : null}
          <WorkflowGraph
            definition={definition}
            editable={!readOnly}
            onSelect={(path: string | null) => {
              useStudio.getState().select(path);
              if (path && !inspector.open) inspector.setOpen(true); // a selection shows in the inspector
            }}
            onDropState={(payload, target) => {
              dropState(payload, target);
              return true;
            }}
            onError={(m: string) => setStatus(notice.error(m))}
            fitSignal={fitSignal}
          />
        </main>
        {codeOpen ? (
          <>
            <Splitter side="right" size={codeWidth} min={CODE.min} max={CODE.max} onResize={code.setSize} label="Resize the code view" testId="code-splitter" />
            <SidePanel title="Code" side="right" open onToggle={toggleCode} testId="code-panel" variant="close">
              <CodeView mode={codeMode} onModeChange={setCodeMode} readOnly={readOnly} readOnlyReason={permissions.editReason} reveal={reveal} debounceMs={codeDebounceMs} />
            </SidePanel>
          </>
        ) : null}
        {inspector.open ? <Splitter side="right" size={inspectorWidth} min={INSPECTOR.min} max={INSPECTOR.max} onResize={inspector.setSize} label="Resize the inspector" testId="inspector-splitter" /> : null}
        <SidePanel title="Inspector" side="right" open={inspector.open} onToggle={() => inspector.setOpen((o) => !o)} testId="inspector-panel">
          <Inspector readOnly={readOnly} readOnlyReason={permissions.editReason} runReason={permissions.runReason} workflowId={workflowId} team={meta.team} />
        </SidePanel>
      </div>
      ) : null}
      <OperateViews
        route={views.route}
        lastVersions={views.lastVersions}
        onRoute={views.go}
        workflowId={workflowId}
        permissions={permissions}
        saveDraft={saveIfDirty}
        publish={publish}
        published={published}
        onSettingsSaved={(s) => {
          if (document.title.startsWith(`${meta.name} ·`)) document.title = `${s.name} ·${document.title.slice(meta.name.length + 2)}`;
          setMeta((m) => ({ ...m, name: s.name, type: s.type, description: s.description }));
        }}
        onStatus={setStatus}
        onShowState={(path) => {
          views.go({ view: "design" });
          useStudio.getState().select(path);
          inspector.setOpen(true);
        }}
        navigate={go}
        startUrl={props.urls.start}
      />
      {dock.open ? <Splitter side="below" size={dock.size} min={DOCK.min} max={DOCK.max} onResize={dock.setSize} label="Resize the problems panel" testId="dock-splitter" /> : null}
      <SidePanel title="Problems and executions" side="bottom" open={dock.open} onToggle={() => dock.setOpen((o) => !o)} testId="dock-panel">
        <div className="sy-side-panels sy-side-panels-row">{panels}</div>
      </SidePanel>
      {conflict ? (
        <ConflictDialog
          current={conflict.current}
          yourRevision={conflict.yourRevision}
          copyName={copyName(meta.name)}
          onResolve={resolveConflict}
          onCancel={() => setConflict(null)}
        />
      ) : null}
      {importing ? (
        <ImportDialog
          fileName={importing.fileName}
          preview={importing.preview}
          busy={importing.busy}
          onChooseMachine={(id) => importFileRef.current && void importFile(importFileRef.current, id, importing.text)}
          onConfirm={confirmImport}
          onCancel={() => {
            setImporting(null);
            setStatus(notice.info(`Import of ${importing.fileName} cancelled; nothing was changed.`));
          }}
        />
      ) : null}
      {aliasesOpen ? (
        <AliasesDialog workflowId={workflowId} workflowName={meta.name} canEdit={permissions.canEdit} editReason={permissions.canEdit ? null : aliasEditReason(props.role)} onClose={() => setAliasesOpen(false)} />
      ) : null}
      {running ? (
        <RunDialog workflowId={workflowId} beforeRun={dirty ? saveIfDirty : undefined} onClose={() => setRunning(false)} navigate={navigate} />
      ) : null}
    </div>
  );
}

export default DesignerPage;
