/**
 * ELK results by the hash of ELK's input graph (nodes, sizes, edges, options):
 * the same graph is never laid out twice. Undo, redo, a direction toggled back
 * and a workflow opened again in this browser get their exact layout at once
 * instead of after ELK's second or more at a few hundred states.
 *
 * In memory (the most recent `LIMIT` results) and in `localStorage` (as many,
 * oldest dropped first; a full or unavailable storage only means no reuse
 * across page loads). The key covers everything ELK sees, so a change of node
 * sizes or layout options is simply a different key.
 */
import type { ElkNode } from "elkjs/lib/elk-api";
import type { Boxes } from "./types";

const LIMIT = 12;
const PREFIX = "stateyard.layout.v1.";
const memory = new Map<string, Boxes>();

/** cyrb53: a fast 53-bit string hash (not cryptographic; collisions are astronomically rare here). */
function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

export function layoutKey(graph: ElkNode): string {
  const text = JSON.stringify(graph);
  return `${hash(text)}.${text.length.toString(36)}`;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

function remember(key: string, boxes: Boxes): void {
  memory.delete(key);
  memory.set(key, boxes);
  while (memory.size > LIMIT) memory.delete(memory.keys().next().value as string);
}

interface Entry {
  /** When it was written (ms since the epoch): the oldest go first. */
  t: number;
  boxes: Boxes;
}

function read(store: Storage, name: string): Entry | null {
  try {
    const entry = JSON.parse(store.getItem(name) ?? "null") as Entry | null;
    return entry && typeof entry.t === "number" && entry.boxes ? entry : null;
  } catch {
    return null;
  }
}

export function cachedLayout(key: string): Boxes | null {
  const hit = memory.get(key);
  if (hit) {
    remember(key, hit);
    return hit;
  }
  const store = storage();
  const entry = store ? read(store, PREFIX + key) : null;
  if (!entry) return null;
  remember(key, entry.boxes);
  return entry.boxes;
}

export function storeLayout(key: string, boxes: Boxes): void {
  remember(key, boxes);
  const store = storage();
  if (!store) return;
  try {
    const ours = names(store).filter((name) => name !== PREFIX + key);
    ours.sort((a, b) => (read(store, a)?.t ?? 0) - (read(store, b)?.t ?? 0));
    for (const name of ours.slice(0, Math.max(0, ours.length - (LIMIT - 1)))) store.removeItem(name);
    store.setItem(PREFIX + key, JSON.stringify({ t: Date.now(), boxes } satisfies Entry));
  } catch {
    /* full or forbidden storage: memory only */
  }
}

function names(store: Storage): string[] {
  const out: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const name = store.key(i);
    if (name?.startsWith(PREFIX)) out.push(name);
  }
  return out;
}

/** Forget everything (tests). */
export function clearLayoutCache(): void {
  memory.clear();
  const store = storage();
  if (store) for (const name of names(store)) store.removeItem(name);
}
