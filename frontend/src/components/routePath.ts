/**
 * SVG paths for ELK's orthogonal edge routes: rounded corners, the label
 * point halfway along, and whether a route still fits the edge's ends (a
 * node moved since the layout: the edge falls back to a smooth-step path).
 */
import type { Point } from "../asl/types";

/** How far (px) the canvas's handle point may be from the route's end (handles stick out by half their size). */
export const END_TOLERANCE = 8;

/** The route with its ends replaced by the canvas's handle points, or null if the route no longer fits them. */
export function fitRoute(route: readonly Point[] | undefined, source: Point, target: Point): Point[] | null {
  if (!route || route.length < 2) return null;
  const first = route[0]!;
  const last = route[route.length - 1]!;
  const near = (a: Point, b: Point) => Math.abs(a.x - b.x) <= END_TOLERANCE && Math.abs(a.y - b.y) <= END_TOLERANCE;
  if (!near(first, source) || !near(last, target)) return null;
  return [source, ...route.slice(1, -1), target];
}

/** An SVG path through `points` with corners rounded by up to `radius`, and the point halfway along it. */
export function roundedPath(points: readonly Point[], radius = 8): { path: string; labelX: number; labelY: number } {
  const first = points[0];
  if (!first) return { path: "", labelX: 0, labelY: 0 };
  let path = `M ${first.x} ${first.y}`;
  for (let i = 1; i < points.length; i++) {
    const here = points[i]!;
    const next = points[i + 1];
    if (!next) {
      path += ` L ${here.x} ${here.y}`;
      break;
    }
    const before = points[i - 1]!;
    const r = Math.min(radius, distance(before, here) / 2, distance(here, next) / 2);
    const a = toward(here, before, r);
    const b = toward(here, next, r);
    path += ` L ${a.x} ${a.y} Q ${here.x} ${here.y} ${b.x} ${b.y}`;
  }
  const middle = halfway(points);
  return { path, labelX: middle.x, labelY: middle.y };
}

function distance(a: Point, b: Point): number {
  return Math.hypot(b.x - a.x, b.y - a.y);
}

function toward(from: Point, to: Point, length: number): Point {
  const d = distance(from, to);
  if (d === 0) return from;
  return { x: from.x + ((to.x - from.x) * length) / d, y: from.y + ((to.y - from.y) * length) / d };
}

/** The point halfway along a polyline. */
export function halfway(points: readonly Point[]): Point {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += distance(points[i - 1]!, points[i]!);
  let left = total / 2;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const d = distance(a, b);
    if (d >= left) return toward(a, b, left);
    left -= d;
  }
  return points[points.length - 1] ?? { x: 0, y: 0 };
}
