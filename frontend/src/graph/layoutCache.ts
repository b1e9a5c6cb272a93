/**
 * ELK results by the key of ELK's input graph's skeleton (skeleton.ts: its
 * structure, sizes and options without the names), stored by position: the
 * same shape is never laid out twice. Undo, redo, a rename, a direction
 * toggled back and a workflow opened again in this browser get their exact
 * layout at once instead of after ELK's second or more at a few hundred states.
 *
 * In memory (the most recent `LIMIT` results) and in `localStorage` (as many,
 * oldest dropped first; a full or unavailable storage only means no reuse
 * across page loads). The key covers everything ELK sees, so a change of node
 * sizes or layout options is simply a different key.
 */

const LIMIT = 12;
const PREFIX = "stateyard.layout.v2.";
/** What is cached: layout.ts keeps ELK's whole result by position (skeleton.ts's SlotLayout); any JSON value works. */
const memory = new Map<string, unknown>();

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

function remember(key: string, boxes: unknown): void {
  memory.delete(key);
  memory.set(key, boxes);
  while (memory.size > LIMIT) memory.delete(memory.keys().next().value as string);
}

interface Entry {
  /** When it was written (ms since the epoch): the oldest go first. */
  t: number;
  /** The cached value (named for what it first held). */
  boxes: unknown;
}

function read(store: Storage, name: string): Entry | null {
  try {
    const entry = JSON.parse(store.getItem(name) ?? "null") as Entry | null;
    return entry && typeof entry.t === "number" && entry.boxes ? entry : null;
  } catch {
    return null;
  }
}

export function cachedLayout<T = unknown>(key: string): T | null {
  const hit = memory.get(key);
  if (hit) {
    remember(key, hit);
    return hit as T;
  }
  const store = storage();
  const entry = store ? read(store, PREFIX + key) : null;
  if (!entry) return null;
  remember(key, entry.boxes);
  return entry.boxes as T;
}

export function storeLayout<T>(key: string, boxes: T): void {
  remember(key, boxes);
  const store = storage();
  if (!store) return;
  try {
    // oldest first (each entry read once: a big workflow's layout is a few hundred kB)
    const ours = names(store)
      .filter((name) => name !== PREFIX + key)
      .map((name) => ({ name, t: read(store, name)?.t ?? 0 }))
      .sort((a, b) => a.t - b.t);
    for (const { name } of ours.slice(0, Math.max(0, ours.length - (LIMIT - 1)))) store.removeItem(name);
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
