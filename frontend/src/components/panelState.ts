/**
 * Remembered panel state (open or closed, and size in px) in localStorage,
 * one key per panel: the designer's code view, inspector, palette and
 * problems dock, and the canvas's minimap. Sizes are clamped to the panel's
 * limits; a broken or missing entry gives the defaults.
 */

export interface PanelSpec {
  /** localStorage key. */
  key: string;
  defaultOpen: boolean;
  /** Default size (px). */
  size: number;
  min: number;
  max: number;
}

export interface PanelPrefs {
  open: boolean;
  size: number;
}

/** The storage the prefs live in (localStorage in the browser; anything alike in tests). */
export type PrefStorage = Pick<Storage, "getItem" | "setItem">;

export function clampSize(size: number, spec: Pick<PanelSpec, "min" | "max">): number {
  if (!Number.isFinite(size)) return spec.min;
  return Math.round(Math.min(spec.max, Math.max(spec.min, size)));
}

export function readPanel(storage: PrefStorage | null, spec: PanelSpec): PanelPrefs {
  const fallback = { open: spec.defaultOpen, size: clampSize(spec.size, spec) };
  if (!storage) return fallback;
  try {
    const raw = storage.getItem(spec.key);
    if (!raw) return fallback;
    const value = JSON.parse(raw) as Partial<PanelPrefs> | null;
    return {
      open: typeof value?.open === "boolean" ? value.open : spec.defaultOpen,
      size: typeof value?.size === "number" ? clampSize(value.size, spec) : fallback.size,
    };
  } catch {
    return fallback;
  }
}

export function writePanel(storage: PrefStorage | null, spec: PanelSpec, prefs: PanelPrefs): void {
  try {
    storage?.setItem(spec.key, JSON.stringify({ open: prefs.open, size: clampSize(prefs.size, spec) }));
  } catch {
    /* private mode or full storage: the panel just forgets */
  }
}

/** The browser's localStorage, or null where there is none (or it is blocked). */
export function browserStorage(): PrefStorage | null {
  try {
    return typeof window !== "undefined" && window.localStorage ? window.localStorage : null;
  } catch {
    return null;
  }
}

/**
 * Share `total` px among side panels and one flexible area (the canvas) that
 * needs at least `flexMin` px: panels keep their sizes when there is room,
 * else they shrink (each not below its min) in proportion to what they have
 * above their min. Returns the panels' sizes in order.
 */
export function shareRoom(total: number, panels: { size: number; min: number }[], flexMin: number): number[] {
  const wanted = panels.reduce((sum, p) => sum + p.size, 0);
  const over = wanted + flexMin - total;
  if (over <= 0) return panels.map((p) => p.size);
  const slack = panels.reduce((sum, p) => sum + Math.max(0, p.size - p.min), 0);
  if (slack <= 0) return panels.map((p) => Math.min(p.size, p.min));
  const cut = Math.min(1, over / slack);
  return panels.map((p) => Math.round(p.size - Math.max(0, p.size - p.min) * cut));
}
