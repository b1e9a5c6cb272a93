/**
 * The timeline's time axis: tick steps that read well (1, 2, 5 times a power
 * of ten milliseconds, at least `minGap` pixels apart), the ticks inside the
 * visible part of the axis, the zoom limits, and the scroll position that
 * keeps the time under the pointer in place while zooming.
 */

/** Zoom is a multiple of the width that shows the whole execution (1 = fit). */
export const MIN_ZOOM = 1;
/** At most this many pixels for one millisecond, however long the execution. */
export const MAX_PX_PER_MS = 4;

/** The smallest 1/2/5 x 10^k milliseconds step that leaves `minGap` px between ticks. */
export function tickStep(pxPerMs: number, minGap: number): number {
  if (!(pxPerMs > 0)) return 1;
  const wanted = minGap / pxPerMs;
  let magnitude = 10 ** Math.floor(Math.log10(Math.max(wanted, 1e-3)));
  for (;;) {
    for (const factor of [1, 2, 5]) {
      const step = factor * magnitude;
      if (step >= wanted && step >= 1) return step;
    }
    magnitude *= 10;
  }
}

/**
 * Offsets from the start (ms) of the ticks between `fromMs` and `toMs` (both
 * offsets from the start), every `step`; never more than `limit` of them.
 */
export function ticks(fromMs: number, toMs: number, step: number, limit = 400): number[] {
  const out: number[] = [];
  const first = Math.max(0, Math.ceil(fromMs / step) * step);
  for (let t = first; t <= toMs && out.length < limit; t += step) out.push(t);
  return out;
}

/** The largest zoom for an axis `durationMs` long drawn `fitWidth` px wide at zoom 1. */
export function maxZoom(durationMs: number, fitWidth: number): number {
  if (!(fitWidth > 0) || !(durationMs > 0)) return MIN_ZOOM;
  return Math.max(MIN_ZOOM, (durationMs * MAX_PX_PER_MS) / fitWidth);
}

export function clampZoom(zoom: number, durationMs: number, fitWidth: number): number {
  return Math.min(maxZoom(durationMs, fitWidth), Math.max(MIN_ZOOM, zoom));
}

/**
 * The scroll offset after a zoom that keeps the time under the pointer where
 * it is. `pointer`: the pointer's distance from the scroller's left edge;
 * `gutter`: the width of the label column before the axis.
 */
export function anchoredScroll(scrollLeft: number, pointer: number, gutter: number, oldPxPerMs: number, newPxPerMs: number): number {
  const ms = Math.max(0, scrollLeft + pointer - gutter) / oldPxPerMs;
  return Math.max(0, gutter + ms * newPxPerMs - pointer);
}
