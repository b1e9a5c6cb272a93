/**
 * `<Splitter>`: the handle between two panels. Drag it (pointer) or focus it
 * and use the arrow keys (Home/End: min/max) to resize the panel it belongs
 * to; `side` says where that panel is, so dragging towards it shrinks it.
 * An ARIA separator with the panel's size as its value.
 */
import { useRef, type KeyboardEvent, type PointerEvent } from "react";

export interface SplitterProps {
  /** Where the resized panel is, seen from the splitter. */
  side: "left" | "right" | "below";
  size: number;
  min: number;
  max: number;
  onResize: (size: number) => void;
  label: string;
  testId?: string;
}

const STEP = 16;

export function Splitter({ side, size, min, max, onResize, label, testId }: SplitterProps) {
  const drag = useRef<{ start: number; size: number } | null>(null);
  const vertical = side !== "below";
  const sign = side === "left" ? 1 : -1;
  const coordinate = (e: PointerEvent) => (vertical ? e.clientX : e.clientY);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { start: coordinate(e), size };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (d) onResize(d.size + sign * (coordinate(e) - d.start));
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    drag.current = null;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const grow = vertical ? (side === "left" ? "ArrowRight" : "ArrowLeft") : "ArrowUp";
    const shrink = vertical ? (side === "left" ? "ArrowLeft" : "ArrowRight") : "ArrowDown";
    const next = e.key === grow ? size + STEP : e.key === shrink ? size - STEP : e.key === "Home" ? min : e.key === "End" ? max : null;
    if (next === null) return;
    e.preventDefault();
    onResize(next);
  };

  return (
    <div
      className={`sy-splitter sy-splitter-${vertical ? "vertical" : "horizontal"}`}
      role="separator"
      aria-orientation={vertical ? "vertical" : "horizontal"}
      aria-label={label}
      aria-valuenow={Math.round(size)}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      data-testid={testId}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  );
}
