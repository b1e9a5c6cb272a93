/**
 * Where the canvas looks: fit the whole graph in view, but never below a
 * readable zoom: a label's on-screen font stays at least MIN_SCREEN_FONT_PX
 * (14 px text at zoom >= 0.8: >= 11.2 px; a 168x36 box >= 134x29 px). A graph too big for that
 * is shown from its start (top for top-to-bottom, left for left-to-right)
 * and the user pans (`fits` is false), unless only the margin at its end
 * was short and all of it is on screen anyway. Pure, so it is tested without a canvas.
 */
import type { Direction } from "../asl/types";
import { LABEL_FONT_PX, MIN_SCREEN_FONT_PX } from "../graph/sizes";
import type { Box } from "../graph/types";

/** The smallest zoom a fit may choose: state labels >= MIN_SCREEN_FONT_PX on screen (11/14, rounded up to 0.8: 11.2 px). */
export const READABLE_ZOOM = Math.ceil((MIN_SCREEN_FONT_PX / LABEL_FONT_PX) * 20) / 20;
/** The largest zoom a fit may choose (small graphs are not blown up). */
export const MAX_FIT_ZOOM = 1;
/** Room (px) kept around the fitted graph: clear of the canvas's controls and tools. */
export const FIT_PADDING = 24;

export interface Size {
  width: number;
  height: number;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface FitOptions {
  direction: Direction;
  padding?: number;
  minZoom?: number;
  maxZoom?: number;
  /** Room kept free at the right and bottom edges when the graph does not fit (the minimap's corner). */
  reserve?: { right: number; bottom: number };
}

export function clampZoom(zoom: number, min = READABLE_ZOOM, max = MAX_FIT_ZOOM): number {
  if (!Number.isFinite(zoom)) return max;
  return Math.min(max, Math.max(min, zoom));
}

/** The viewport showing `bounds` (graph coordinates) in a canvas of `size`, and whether all of it fits. */
export function fitViewport(bounds: Box, size: Size, options: FitOptions): { viewport: Viewport; fits: boolean } {
  const padding = options.padding ?? FIT_PADDING;
  const minZoom = options.minZoom ?? READABLE_ZOOM;
  const maxZoom = options.maxZoom ?? MAX_FIT_ZOOM;
  const roomX = Math.max(1, size.width - 2 * padding);
  const roomY = Math.max(1, size.height - 2 * padding);
  const wanted = Math.min(roomX / Math.max(1, bounds.width), roomY / Math.max(1, bounds.height));
  const zoom = clampZoom(wanted, minZoom, maxZoom);
  const fits = wanted >= minZoom;
  const centre = (room: number, length: number, start: number) => (room - length * zoom) / 2 - start * zoom;
  if (fits) {
    return { viewport: { x: centre(size.width, bounds.width, bounds.x), y: centre(size.height, bounds.height, bounds.y), zoom }, fits };
  }
  // Too big: start of the flow at the top (or left); across the flow centred in the room left by the minimap.
  const reserve = options.reserve ?? { right: 0, bottom: 0 };
  const across = (room: number, length: number, start: number) =>
    length * zoom + 2 * padding <= room ? centre(room, length, start) : padding - start * zoom;
  const viewport =
    options.direction === "TB"
      ? { x: across(size.width - reserve.right, bounds.width, bounds.x), y: padding - bounds.y * zoom, zoom }
      : { x: padding - bounds.x * zoom, y: across(size.height - reserve.bottom, bounds.height, bounds.y), zoom };
  // Only the margin at the end was short: the whole graph is on screen, nothing to pan to.
  return { viewport, fits: boundsInView(bounds, viewport, size) };
}

/** Whether all of `bounds` is on screen at `viewport` (1 px slack for rounding). */
export function boundsInView(bounds: Box, viewport: Viewport, size: Size): boolean {
  const left = bounds.x * viewport.zoom + viewport.x;
  const top = bounds.y * viewport.zoom + viewport.y;
  const right = left + bounds.width * viewport.zoom;
  const bottom = top + bounds.height * viewport.zoom;
  return left >= -1 && top >= -1 && right <= size.width + 1 && bottom <= size.height + 1;
}

/** Most states are new (a load, an import, a template; not an edit): the view fits again. */
export function mostlyNew(before: ReadonlySet<string>, after: ReadonlySet<string>): boolean {
  if (before.size === 0) return after.size > 0;
  let kept = 0;
  for (const id of after) if (before.has(id)) kept += 1;
  return kept < Math.max(before.size, after.size) / 2;
}
