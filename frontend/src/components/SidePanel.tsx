/**
 * `<SidePanel>`: a collapsible panel of the studio's frame (palette,
 * inspector, code view, the problems dock). Open: a title bar with a hide
 * button above the content. Closed: a narrow rail (or, for a dock, just the
 * title bar) with a show button, so the canvas gets the room.
 */
import { ChevronDown, ChevronLeft, ChevronRight, ChevronUp, X } from "lucide-react";
import type { ReactNode } from "react";

export interface SidePanelProps {
  title: string;
  /** Where the panel sits: its rail folds towards that edge. */
  side: "left" | "right" | "bottom";
  open: boolean;
  onToggle: () => void;
  testId: string;
  /** "close" shows an × (a panel that goes away, like the code view) instead of a fold arrow. */
  variant?: "fold" | "close";
  extra?: ReactNode;
  children: ReactNode;
}

function foldIcon(side: SidePanelProps["side"], open: boolean) {
  if (side === "bottom") return open ? <ChevronDown size={14} aria-hidden="true" /> : <ChevronUp size={14} aria-hidden="true" />;
  const towardsEdge = side === "left" ? open : !open;
  return towardsEdge ? <ChevronLeft size={14} aria-hidden="true" /> : <ChevronRight size={14} aria-hidden="true" />;
}

export function SidePanel({ title, side, open, onToggle, testId, variant = "fold", extra, children }: SidePanelProps) {
  const button = (
    <button
      type="button"
      className="sy-panel-toggle"
      aria-expanded={open}
      aria-label={`${open ? "Hide" : "Show"} ${title.toLowerCase()}`}
      title={`${open ? "Hide" : "Show"} ${title.toLowerCase()}`}
      data-testid={`${testId}-toggle`}
      onClick={onToggle}
    >
      {variant === "close" && open ? <X size={14} aria-hidden="true" /> : foldIcon(side, open)}
    </button>
  );
  if (!open && side !== "bottom") {
    return (
      <section className={`sy-panel sy-panel-${side} sy-panel-rail`} data-testid={testId} data-open="false" aria-label={title}>
        {button}
        <span className="sy-panel-rail-title">{title}</span>
      </section>
    );
  }
  return (
    <section className={`sy-panel sy-panel-${side}`} data-testid={testId} data-open={open ? "true" : "false"} aria-label={title}>
      <header className="sy-panel-head">
        <span className="sy-panel-title">{title}</span>
        {extra}
        {button}
      </header>
      {open ? <div className="sy-panel-body">{children}</div> : null}
    </section>
  );
}
