/**
 * The one modal dialog of the studio: a native `<dialog>` opened with
 * showModal() (the page behind is inert), Tab and Shift+Tab cycle inside it,
 * the first field (or `[autofocus]`, else the first control) gets the focus on
 * open, Escape closes it (onClose), and the focus returns to the element that
 * had it before the dialog opened. Render it to open it, unmount it to close it.
 */
import { useEffect, useRef, type ReactNode } from "react";
import "./ui.css";

export interface DialogProps {
  /** Called on Escape (and the browser's own cancel). */
  onClose: () => void;
  /** The id of the element naming the dialog (its heading). */
  labelledBy?: string;
  label?: string;
  testId?: string;
  /** "alertdialog" for a dialog that asks about a problem (a save conflict). */
  role?: "dialog" | "alertdialog";
  className?: string;
  children: ReactNode;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
const FIELDS = 'input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled])';

/** The elements Tab reaches inside `root`, in order (visible ones only). */
export function focusableIn(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => !el.hidden && el.getAttribute("aria-hidden") !== "true" && el.closest("[hidden]") === null,
  );
}

/** What gets the focus on open: `[autofocus]`, else the first field, else the first control. */
export function initialFocus(root: HTMLElement): HTMLElement | null {
  return (
    root.querySelector<HTMLElement>("[autofocus], [data-autofocus]") ??
    root.querySelector<HTMLElement>(FIELDS) ??
    focusableIn(root)[0] ??
    null
  );
}

export function Dialog({ onClose, labelledBy, label, testId, role = "dialog", className, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (typeof dialog.showModal === "function") {
      if (!dialog.open) dialog.showModal();
    } else {
      dialog.setAttribute("open", ""); // jsdom has no showModal
    }
    initialFocus(dialog)?.focus();
    return () => {
      if (typeof dialog.close === "function" && dialog.open) dialog.close();
      if (opener && opener.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (e: React.KeyboardEvent<HTMLDialogElement>) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      closeRef.current();
      return;
    }
    if (e.key !== "Tab" || !ref.current) return;
    const items = focusableIn(ref.current);
    if (items.length === 0) {
      e.preventDefault();
      return;
    }
    const first = items[0] as HTMLElement;
    const last = items[items.length - 1] as HTMLElement;
    const active = document.activeElement;
    const inside = active instanceof Node && ref.current.contains(active);
    if (e.shiftKey && (active === first || !inside)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !inside)) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      className={`sy-dialog ${className ?? ""}`}
      role={role}
      aria-modal="true"
      aria-labelledby={labelledBy}
      aria-label={labelledBy ? undefined : label}
      data-testid={testId}
      onKeyDown={onKeyDown}
      onCancel={(e) => {
        // The browser's own Escape handling: keep the dialog in React's hands.
        e.preventDefault();
        closeRef.current();
      }}
    >
      {children}
    </dialog>
  );
}

export default Dialog;
