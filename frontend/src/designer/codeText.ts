/**
 * The code view's text: ASL as JSON or YAML, parsing back with error
 * positions, mapping a JSON Pointer (a diagnostic's location) to a text range,
 * the state path a pointer belongs to, and a minimal text change.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, stringify, type Node as YamlNode } from "yaml";

export type CodeMode = "json" | "yaml";

export function definitionToText(definition: unknown, mode: CodeMode): string {
  if (mode === "json") return JSON.stringify(definition, null, 2) + "\n";
  return stringify(definition, { lineWidth: 0, aliasDuplicateObjects: false });
}

export type ParseResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; message: string; from: number; to: number };

function objectOrError(value: unknown, text: string): ParseResult {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return { ok: true, value: value as Record<string, unknown> };
  }
  return { ok: false, message: "The definition must be an object (StartAt, States…).", from: 0, to: Math.min(text.length, 1) };
}

/** Parse JSON or YAML text; on failure, the message and where. */
export function parseText(text: string, mode: CodeMode): ParseResult {
  if (mode === "json") {
    try {
      return objectOrError(JSON.parse(text), text);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const at = /position (\d+)/.exec(message);
      const from = at ? Math.min(Number(at[1]), text.length) : text.length;
      return { ok: false, message, from: Math.max(0, Math.min(from, text.length - 1)), to: Math.min(from + 1, text.length) };
    }
  }
  const doc = parseDocument(text, { prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const [from, to] = first.pos;
    return { ok: false, message: first.message, from, to: Math.max(to, from + 1) };
  }
  return objectOrError(doc.toJS(), text);
}

/** 1-based line and column of an offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split("\n");
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/** A parse failure as the store's CodeError: the parser's words without its own position, plus line and column. */
export function codeErrorOf(text: string, failure: { message: string; from: number; to: number }) {
  const { line, column } = lineColumn(text, failure.from);
  const message = failure.message
    .replace(/\s*in JSON at position \d+(\s*\(line \d+ column \d+\))?/, "")
    .replace(/\s+at line \d+, column \d+:?[\s\S]*$/, "")
    .trim();
  return { message: message || "Syntax error", line, column, from: failure.from, to: failure.to };
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === "" || pointer === "/") return [];
  return pointer
    .replace(/^\//, "")
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function segmentsToPointer(segments: readonly string[]): string {
  return segments.map((s) => "/" + s.replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

export interface TextRange {
  from: number;
  to: number;
}

/** The last text parsed and its document: selections and diagnostics reuse it. */
let lastParsed: { text: string; doc: ReturnType<typeof parseDocument> } | null = null;

function parsedOnce(text: string): ReturnType<typeof parseDocument> {
  if (lastParsed?.text !== text) lastParsed = { text, doc: parseDocument(text) };
  return lastParsed.doc;
}

/**
 * Where a JSON Pointer sits in JSON or YAML text. A leaf is covered from its
 * key to its value; an object or array by its key only (a whole state would
 * be too much to underline). A pointer that goes past what exists gets the
 * deepest part found. Null when the text does not parse.
 */
export function pointerRange(text: string, pointer: string): TextRange | null {
  const doc = parsedOnce(text);
  if (doc.errors.length > 0) return null;
  let node: unknown = doc.contents;
  let keyRange: TextRange | null = null;
  let last: TextRange | null = null;
  const rangeOf = (n: unknown): TextRange | null => {
    const r = (n as YamlNode | null)?.range;
    return r ? { from: r[0], to: r[1] } : null;
  };
  for (const segment of pointerSegments(pointer)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) break;
      keyRange = rangeOf(pair.key);
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined || !/^\d+$/.test(segment)) break;
      keyRange = null;
      node = item;
    } else {
      break;
    }
    last = keyRange;
  }
  const nodeRange = rangeOf(node);
  if (keyRange && last === keyRange) {
    if (isScalar(node) && nodeRange) return { from: keyRange.from, to: nodeRange.to };
    return keyRange;
  }
  if (nodeRange) {
    if (isMap(node) || isSeq(node)) {
      // No key (the root or an array item): underline the first line of it.
      const lineEnd = text.indexOf("\n", nodeRange.from);
      const to = lineEnd === -1 || lineEnd > nodeRange.to ? nodeRange.to : lineEnd;
      return { from: nodeRange.from, to: Math.max(to, nodeRange.from + 1) };
    }
    return nodeRange;
  }
  return text.length ? { from: 0, to: Math.min(1, text.length) } : null;
}

/**
 * The smallest single replacement turning `before` into `after` (common
 * prefix and suffix kept), so an editor keeps the cursor where it was.
 */
export function minimalChange(before: string, after: string): { from: number; to: number; insert: string } | null {
  if (before === after) return null;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return { from: start, to: endBefore, insert: after.slice(start, endAfter) };
}

/** Structural equality of two JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonEqual(ao[k], bo[k]));
}
