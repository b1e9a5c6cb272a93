/**
 * Which view of the designer is shown, kept in the address's hash so that a
 * reload or a shared link opens it again: "" (Design), "#config",
 * "#versions", "#versions/3" (version 3 opened read-only),
 * "#compare/1/draft" (version 1 compared with the draft).
 */
import { useCallback, useEffect, useState } from "react";
import type { DiffSide } from "./operateApi";

export type DesignerView = "design" | "config" | "versions";

export type DesignerRoute =
  | { view: "design" }
  | { view: "config" }
  | { view: "versions"; open?: number; compare?: [DiffSide, DiffSide] };

function side(text: string | undefined): DiffSide | null {
  if (text === "draft") return "draft";
  return text && /^[1-9]\d*$/.test(text) ? Number(text) : null;
}

/** The route of a hash ("#versions/3"); anything unknown is the design view. */
export function parseRoute(hash: string): DesignerRoute {
  const [head, ...rest] = hash.replace(/^#/, "").split("/");
  if (head === "config") return { view: "config" };
  if (head === "versions") {
    const open = side(rest[0]);
    return typeof open === "number" ? { view: "versions", open } : { view: "versions" };
  }
  if (head === "compare") {
    const a = side(rest[0]);
    const b = side(rest[1]);
    return a !== null && b !== null ? { view: "versions", compare: [a, b] } : { view: "versions" };
  }
  return { view: "design" };
}

/** The hash of a route ("" for the design view). */
export function formatRoute(route: DesignerRoute): string {
  if (route.view === "design") return "";
  if (route.view === "config") return "#config";
  if (route.compare) return `#compare/${route.compare[0]}/${route.compare[1]}`;
  return route.open ? `#versions/${route.open}` : "#versions";
}

export interface RouteControls {
  route: DesignerRoute;
  /** Go to a route (the hash follows; back returns). */
  go: (route: DesignerRoute) => void;
  /** Switch views by tab: Versions comes back with what it showed last. */
  show: (view: DesignerView) => void;
  /** What the Versions view showed last (kept while another view is shown). */
  lastVersions: Extract<DesignerRoute, { view: "versions" }>;
}

const readHash = () => parseRoute(typeof window === "undefined" ? "" : window.location.hash);

/** The route, following the hash (back and forward buttons too). */
export function useDesignerRoute(): RouteControls {
  const [route, setRoute] = useState<DesignerRoute>(readHash);
  const [lastVersions, setLastVersions] = useState<RouteControls["lastVersions"]>(() => {
    const first = readHash();
    return first.view === "versions" ? first : { view: "versions" };
  });
  useEffect(() => {
    const onHash = () => setRoute(readHash());
    window.addEventListener("hashchange", onHash);
    window.addEventListener("popstate", onHash);
    return () => {
      window.removeEventListener("hashchange", onHash);
      window.removeEventListener("popstate", onHash);
    };
  }, []);
  useEffect(() => {
    if (route.view === "versions") setLastVersions(route);
  }, [route]);
  const go = useCallback((next: DesignerRoute) => {
    setRoute(next);
    const hash = formatRoute(next);
    if (hash !== window.location.hash) window.history.pushState(null, "", window.location.pathname + window.location.search + hash);
  }, []);
  const show = useCallback((view: DesignerView) => go(view === "versions" ? lastVersions : { view }), [go, lastVersions]);
  return { route, go, show, lastVersions };
}

/** Keys that act outside the Design view: save, undo and redo (the rest edit what the canvas shows). */
export function shortcutAllowed(view: DesignerView, e: { key: string; ctrlKey: boolean; metaKey: boolean }): boolean {
  if (view === "design") return true;
  return (e.ctrlKey || e.metaKey) && ["s", "z", "y"].includes(e.key.toLowerCase());
}
