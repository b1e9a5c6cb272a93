/**
 * Whether leaving the designer now would lose work (the beforeunload guard asks).
 * What is still being typed counts: a field being edited commits on blur and the
 * code view pushes its text after a pause, so both are committed first; then
 * the store says whether the draft differs from the saved one (or the code
 * view holds text that does not parse).
 */
import { useStudio } from "../asl/store";

const FIELDS = "input, textarea, select";

/** Commit the field being edited (its blur commits it) and the code view's pending text. */
export function commitPendingEdits(doc: Document = document): void {
  const active = doc.activeElement;
  if (active instanceof HTMLElement && active.matches(FIELDS)) active.blur();
  useStudio.getState().flushCode?.();
}

export function hasUnsavedWork(doc: Document = document): boolean {
  commitPendingEdits(doc);
  const s = useStudio.getState();
  return s.dirty || s.codeError !== null;
}
