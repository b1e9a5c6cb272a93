/**
 * Immutable edits of one state's fields, used by the inspector forms (the
 * foundation's mutations handle the structural ones: rename, add, delete,
 * connect). New keys go before Next/End so the JSON reads naturally.
 */
import { getAt, parsePointer } from "../asl/paths";
import type { Definition } from "../asl/types";

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A copy of `root` with the object at `path` replaced by `fn(old)`. Unchanged if the path is missing. */
export function updateAt<T>(root: T, path: string, fn: (old: Obj) => Obj): T {
  const tokens = parsePointer(path);
  const walk = (here: unknown, i: number): unknown => {
    if (i === tokens.length) return isObject(here) ? fn(here) : here;
    const token = tokens[i]!;
    if (Array.isArray(here)) {
      const index = Number(token);
      if (!Number.isInteger(index) || index < 0 || index >= here.length) return here;
      const copy = [...here];
      copy[index] = walk(here[index], i + 1);
      return copy;
    }
    if (isObject(here) && Object.prototype.hasOwnProperty.call(here, token)) {
      return { ...here, [token]: walk(here[token], i + 1) };
    }
    return here;
  };
  return walk(root, 0) as T;
}

const TAIL_KEYS = ["Retry", "Catch", "Next", "End"];

/** `obj` with `key` set (or removed when `value` is undefined), keeping key order; new keys before Retry/Catch/Next/End. */
export function withKey(obj: Obj, key: string, value: unknown): Obj {
  if (value === undefined) {
    if (!(key in obj)) return obj;
    const out: Obj = {};
    for (const [k, v] of Object.entries(obj)) if (k !== key) out[k] = v;
    return out;
  }
  if (key in obj) return { ...obj, [key]: value };
  const out: Obj = {};
  let placed = false;
  const tail = TAIL_KEYS.includes(key) ? TAIL_KEYS.slice(TAIL_KEYS.indexOf(key) + 1) : TAIL_KEYS;
  for (const [k, v] of Object.entries(obj)) {
    if (!placed && tail.includes(k)) {
      out[key] = value;
      placed = true;
    }
    out[k] = v;
  }
  if (!placed) out[key] = value;
  return out;
}

/** Set (or remove) several keys of the state at `path`. */
export function setStateFields(def: Definition, path: string, changes: Obj): Definition {
  return updateAt(def, path, (state) => {
    let next = state;
    for (const [k, v] of Object.entries(changes)) next = withKey(next, k, v);
    return next;
  });
}

/** The state object at `path` (or an empty object). */
export function stateAt(def: Definition, path: string): Obj {
  const v = getAt(def, path);
  return isObject(v) ? v : {};
}
