/**
 * The studio store (zustand): the definition being edited (the one source of
 * truth), its layout hints, the selection, the saved revision and the
 * validator's diagnostics, with labelled undo/redo.
 *
 * Every change of the definition goes through `setDefinition(next, label)`;
 * `dirty` is true whenever the current snapshot differs from the last one
 * saved (undoing back to it makes the page clean again).
 */
import { create } from "zustand";
import { getState } from "./paths";
import type { Definition, Diagnostic, Layout } from "./types";

export const HISTORY_LIMIT = 200;

interface Snapshot {
  definition: Definition;
  layout: Layout;
  /** Identifies the snapshot, to tell whether it is the saved one. */
  stamp: number;
}

export interface HistoryEntry extends Snapshot {
  /** What the change did ("Add Task", "Rename A to B"...). */
  label: string;
}

export interface LoadArgs {
  definition: Definition;
  layout?: Layout | null;
  revision?: number;
  diagnostics?: Diagnostic[];
}

export interface ChangeExtras {
  /** New layout hints to store with the change (undone with it). */
  layout?: Layout;
  /** New selection (default: kept if the state still exists, else null). */
  selection?: string | null;
}

/** The code view's text does not parse: what and where (1-based line and column). */
export interface CodeError {
  message: string;
  line: number;
  column: number;
  /** Offsets in the code view's text. */
  from: number;
  to: number;
}

export interface StudioState {
  definition: Definition;
  layout: Layout;
  /** The selected state path, or null. */
  selection: string | null;
  /** The server revision the editor started from (send it with saves). */
  revision: number;
  dirty: boolean;
  diagnostics: Diagnostic[];
  past: HistoryEntry[];
  future: HistoryEntry[];
  canUndo: boolean;
  canRedo: boolean;
  /** Label of what undo()/redo() would revert/redo, or null. */
  undoLabel: string | null;
  redoLabel: string | null;
  stamp: number;
  savedStamp: number;
  /** Set while the code view holds text that does not parse (save and publish refuse then). */
  codeError: CodeError | null;
  /** Pushes the code view's pending (debounced) text to the store now; set by the code view. */
  flushCode: (() => void) | null;

  /** Start over with a definition from the server (clears history, clean). */
  load(args: LoadArgs): void;
  /** Replace the definition (pushes an undo step labelled `label`). */
  setDefinition(next: Definition, label: string, extras?: ChangeExtras): void;
  /** Replace the layout hints; with a label it is an undoable step, without one it is not. */
  setLayout(next: Layout, label?: string): void;
  undo(): void;
  redo(): void;
  select(path: string | null): void;
  setDiagnostics(list: Diagnostic[]): void;
  /** The server stored the current snapshot as `revision`. */
  markSaved(revision: number): void;
  setCodeError(error: CodeError | null): void;
}

let stamps = 0;
const nextStamp = () => ++stamps;

function keepSelection(definition: Definition, selection: string | null): string | null {
  return selection !== null && getState(definition, selection) ? selection : null;
}

function derived(s: Pick<StudioState, "past" | "future" | "stamp" | "savedStamp">) {
  return {
    canUndo: s.past.length > 0,
    canRedo: s.future.length > 0,
    undoLabel: s.past[s.past.length - 1]?.label ?? null,
    redoLabel: s.future[s.future.length - 1]?.label ?? null,
    dirty: s.stamp !== s.savedStamp,
  };
}

function initial() {
  const stamp = nextStamp();
  return {
    definition: { StartAt: "", States: {} } as Definition,
    layout: {} as Layout,
    selection: null,
    revision: 0,
    diagnostics: [] as Diagnostic[],
    past: [] as HistoryEntry[],
    future: [] as HistoryEntry[],
    stamp,
    savedStamp: stamp,
    canUndo: false,
    canRedo: false,
    undoLabel: null,
    redoLabel: null,
    dirty: false,
    codeError: null as CodeError | null,
  };
}

export const useStudio = create<StudioState>()((set, get) => {
  /** Push the current snapshot on `past` and move to `next`. */
  const change = (label: string, next: Partial<Snapshot>, selection?: string | null) => {
    const s = get();
    const past = [...s.past, { label, definition: s.definition, layout: s.layout, stamp: s.stamp }].slice(-HISTORY_LIMIT);
    const definition = next.definition ?? s.definition;
    const state = {
      past,
      future: [] as HistoryEntry[],
      definition,
      layout: next.layout ?? s.layout,
      stamp: nextStamp(),
      selection: selection !== undefined ? selection : keepSelection(definition, s.selection),
    };
    set({ ...state, ...derived({ ...state, savedStamp: s.savedStamp }) });
  };

  /** Move one step from `from` to `to` (undo: past -> future; redo: future -> past). */
  const step = (direction: "undo" | "redo") => {
    const s = get();
    const source = direction === "undo" ? s.past : s.future;
    const entry = source[source.length - 1];
    if (!entry) return;
    const current: HistoryEntry = { label: entry.label, definition: s.definition, layout: s.layout, stamp: s.stamp };
    const rest = source.slice(0, -1);
    const past = direction === "undo" ? rest : [...s.past, current];
    const future = direction === "undo" ? [...s.future, current] : rest;
    const state = {
      past,
      future,
      definition: entry.definition,
      layout: entry.layout,
      stamp: entry.stamp,
      selection: keepSelection(entry.definition, s.selection),
    };
    set({ ...state, ...derived({ ...state, savedStamp: s.savedStamp }) });
  };

  return {
    ...initial(),
    flushCode: null,
    load({ definition, layout, revision, diagnostics }) {
      const stamp = nextStamp();
      set({
        ...initial(),
        definition,
        layout: layout ?? {},
        revision: revision ?? 0,
        diagnostics: diagnostics ?? [],
        stamp,
        savedStamp: stamp,
      });
    },
    setDefinition(next, label, extras = {}) {
      change(label, { definition: next, layout: extras.layout }, extras.selection);
    },
    setLayout(next, label) {
      if (label) {
        change(label, { layout: next });
      } else {
        set({ layout: next, stamp: nextStamp(), dirty: true });
      }
    },
    undo: () => step("undo"),
    redo: () => step("redo"),
    select(path) {
      set({ selection: path });
    },
    setDiagnostics(list) {
      set({ diagnostics: list });
    },
    markSaved(revision) {
      set((s) => ({ revision, savedStamp: s.stamp, dirty: false }));
    },
    setCodeError(error) {
      if (get().codeError !== error) set({ codeError: error });
    },
  };
});

/** Reset the store to empty (tests, page changes). */
export function resetStudio(): void {
  useStudio.setState(initial());
}
