/**
 * The designer's views as tabs: Design (canvas, code, inspector), Config
 * (the workflow's settings) and Versions (published versions, opening one
 * read-only, comparing two). Arrow keys, Home and End move between tabs (the
 * WAI-ARIA tabs pattern). They are drawn into the page's top bar
 * (`#studio-view-tabs`, templates/studio/designer.html), where they cost the
 * canvas no height; without that slot, where they are rendered (the toolbar).
 */
import { GitCompare, Settings, Workflow } from "lucide-react";
import type { KeyboardEvent, ReactNode } from "react";
import { createPortal } from "react-dom";
import type { DesignerView } from "./viewRoute";
import "./operate.css";

const TABS: { view: DesignerView; label: string; icon: ReactNode; hint: string }[] = [
  { view: "design", label: "Design", icon: <Workflow size={14} aria-hidden="true" />, hint: "Edit the workflow on the canvas, in the inspector and as code" },
  { view: "config", label: "Config", icon: <Settings size={14} aria-hidden="true" />, hint: "Name, type, timeout, tags, retention; duplicate or delete" },
  { view: "versions", label: "Versions", icon: <GitCompare size={14} aria-hidden="true" />, hint: "Published versions: open, restore, compare" },
];

export interface ViewTabsProps {
  view: DesignerView;
  onChange: (view: DesignerView) => void;
}

/** The top bar's slot for the tabs, if the page has one. */
export const TABS_SLOT = "studio-view-tabs";

export function ViewTabs(props: ViewTabsProps) {
  const slot = typeof document === "undefined" ? null : document.getElementById(TABS_SLOT);
  return slot ? createPortal(<Tabs {...props} />, slot) : <Tabs {...props} />;
}

function Tabs({ view, onChange }: ViewTabsProps) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = TABS.findIndex((t) => t.view === view);
    const to = e.key === "ArrowRight" ? at + 1 : e.key === "ArrowLeft" ? at - 1 : e.key === "Home" ? 0 : e.key === "End" ? TABS.length - 1 : null;
    if (to === null) return;
    e.preventDefault();
    const next = TABS[(to + TABS.length) % TABS.length]!;
    onChange(next.view);
    e.currentTarget.querySelector<HTMLElement>(`[data-view="${next.view}"]`)?.focus();
  };
  return (
    <nav className="sy-view-strip" data-testid="view-tabs" aria-label="Designer views">
      <div role="tablist" aria-label="Designer views" className="sy-view-tabs" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.view}
            type="button"
            role="tab"
            id={`sy-view-tab-${t.view}`}
            data-view={t.view}
            data-testid={`view-tab-${t.view}`}
            aria-selected={view === t.view}
            aria-controls="sy-view-panel"
            tabIndex={view === t.view ? 0 : -1}
            title={t.hint}
            onClick={() => onChange(t.view)}
          >
            {t.icon}
            {t.label}
          </button>
        ))}
      </div>
    </nav>
  );
}
