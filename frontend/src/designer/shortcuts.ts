/**
 * Designer keyboard shortcuts: Delete, Ctrl/Cmd+D duplicate, Ctrl/Cmd+C/V
 * copy/paste, Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z or Ctrl+Y redo, Shift+1 fit,
 * Ctrl/Cmd+S save. Inside a text field only save works (the field keeps its
 * own editing keys).
 */
import { copyStates, deleteState, duplicateState, MutationError, pasteStatesResult } from "../asl/mutations";
import { getState, nameOf, scopeOf, statePath } from "../asl/paths";
import { useStudio } from "../asl/store";
import { uniqueName } from "../asl/templates";
import type { State } from "../asl/types";

const CLIPBOARD_KEY = "stateyard:clipboard";

export interface ShortcutActions {
  save: () => void;
  fit: () => void;
  /** Report a refused edit (a name taken, nothing to paste...). */
  notify?: (message: string) => void;
}

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey?: boolean;
  target: EventTarget | null;
  preventDefault: () => void;
}

let memoryClipboard: Record<string, State> | null = null;

export function readClipboard(): Record<string, State> | null {
  if (memoryClipboard) return memoryClipboard;
  try {
    const raw = globalThis.localStorage?.getItem(CLIPBOARD_KEY);
    return raw ? (JSON.parse(raw) as Record<string, State>) : null;
  } catch {
    return null;
  }
}

export function writeClipboard(states: Record<string, State>): void {
  memoryClipboard = states;
  try {
    globalThis.localStorage?.setItem(CLIPBOARD_KEY, JSON.stringify(states));
  } catch {
    /* private mode: the in-memory copy is enough for this page */
  }
}

export function clearClipboard(): void {
  memoryClipboard = null;
  try {
    globalThis.localStorage?.removeItem(CLIPBOARD_KEY);
  } catch {
    /* ignore */
  }
}

function isTextTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== "function") return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  return el.closest("input, textarea, select, [contenteditable=true], .cm-editor") !== null;
}

/** Handle one keydown; true when it was a designer shortcut. */
export function handleShortcut(e: KeyLike, actions: ShortcutActions, readOnly = false): boolean {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && key === "s") {
    e.preventDefault();
    actions.save();
    return true;
  }
  if (isTextTarget(e.target)) return false;
  const store = useStudio.getState();
  const sel = store.selection && getState(store.definition, store.selection) ? store.selection : null;
  const attempt = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof MutationError) actions.notify?.(err.message);
      else throw err;
    }
  };
  if (!mod && e.shiftKey && (e.key === "!" || e.code === "Digit1")) {
    e.preventDefault();
    actions.fit();
    return true;
  }
  if (mod && (key === "y" || (key === "z" && e.shiftKey))) {
    e.preventDefault();
    if (!readOnly) store.redo();
    return true;
  }
  if (mod && key === "z") {
    e.preventDefault();
    if (!readOnly) store.undo();
    return true;
  }
  if (mod && key === "c") {
    if (!sel) return false;
    e.preventDefault();
    writeClipboard(copyStates(store.definition, [sel]));
    return true;
  }
  if (readOnly) return false;
  if (!mod && (e.key === "Delete" || e.key === "Backspace")) {
    // On the canvas the graph deletes its own selection (nodes and edges).
    if (!sel || (e.target as Element | null)?.closest?.(".react-flow")) return false;
    e.preventDefault();
    attempt(() => store.setDefinition(deleteState(store.definition, sel), `Delete ${nameOf(sel)}`, { selection: null }));
    return true;
  }
  if (mod && key === "d") {
    e.preventDefault();
    if (!sel) return true;
    attempt(() => {
      const name = uniqueName(store.definition, `${nameOf(sel)} copy`);
      store.setDefinition(duplicateState(store.definition, sel, name), `Duplicate ${nameOf(sel)}`, {
        selection: statePath(scopeOf(sel), name),
      });
    });
    return true;
  }
  if (mod && key === "v") {
    const clip = readClipboard();
    if (!clip || !Object.keys(clip).length) {
      actions.notify?.("Nothing to paste: copy a state first (Ctrl+C).");
      return false;
    }
    e.preventDefault();
    const scope = sel ? scopeOf(sel) : "";
    attempt(() => {
      const pasted = pasteStatesResult(store.definition, scope, clip);
      store.setDefinition(pasted.definition, `Paste ${Object.keys(clip).join(", ")}`, { selection: pasted.paths[0] ?? null });
    });
    return true;
  }
  return false;
}
