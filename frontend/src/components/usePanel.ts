/** Hook: a panel's open/closed state and size, remembered in localStorage (see panelState.ts). */
import { useCallback, useState } from "react";
import { browserStorage, clampSize, readPanel, writePanel, type PanelPrefs, type PanelSpec } from "./panelState";

export interface Panel extends PanelPrefs {
  setOpen: (open: boolean | ((open: boolean) => boolean)) => void;
  setSize: (size: number) => void;
  /** Open it for now, without remembering (the page opens it by itself; the person's choice stays). */
  show: () => void;
}

export function usePanel(spec: PanelSpec): Panel {
  const [prefs, setPrefs] = useState<PanelPrefs>(() => readPanel(browserStorage(), spec));
  const update = useCallback(
    (change: (p: PanelPrefs) => PanelPrefs) =>
      setPrefs((p) => {
        const next = change(p);
        if (next.open === p.open && next.size === p.size) return p; // unchanged: no re-render, no write
        writePanel(browserStorage(), spec, next);
        return next;
      }),
    [spec],
  );
  const setOpen = useCallback(
    (open: boolean | ((open: boolean) => boolean)) => update((p) => ({ ...p, open: typeof open === "function" ? open(p.open) : open })),
    [update],
  );
  const setSize = useCallback((size: number) => update((p) => ({ ...p, size: clampSize(size, spec) })), [update, spec]);
  const show = useCallback(() => setPrefs((p) => (p.open ? p : { ...p, open: true })), []);
  return { ...prefs, setOpen, setSize, show };
}
