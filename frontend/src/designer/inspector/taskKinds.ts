/**
 * Task kinds, pure: which kind a Task's `Resource` names (HTTP, Python
 * function, activity, child workflow), its integration pattern, and edits of
 * one field of the Task's payload (`Parameters` in JSONPath, `Arguments` in
 * JSONata) that keep the `.$` / `{% %}` conventions of docs/tasks/*.md.
 */

type Obj = Record<string, unknown>;

export type TaskKind = "http" | "function" | "activity" | "child" | "other";
export type Pattern = "" | ".sync" | ".sync:2" | ".waitForTaskToken";

export const HTTP_RESOURCE = "arn:aws:states:::http:invoke";
export const LAMBDA_RESOURCE = "arn:aws:states:::lambda:invoke";
export const CHILD_RESOURCE = "arn:aws:states:::states:startExecution";
/** Region and account of the ARNs the server hands out (activities, workflows, connections). */
export const REGION_ACCOUNT = "us-east-1:000000000000";

const BASES: [TaskKind, string][] = [
  ["http", HTTP_RESOURCE],
  ["function", LAMBDA_RESOURCE],
  ["child", CHILD_RESOURCE],
];
const PATTERNS: Pattern[] = [".waitForTaskToken", ".sync:2", ".sync"];

/** The kind and integration pattern of a Resource. */
export function parseResource(resource: string): { kind: TaskKind; pattern: Pattern } {
  for (const [kind, base] of BASES) {
    if (resource === base) return { kind, pattern: "" };
    if (resource.startsWith(base)) {
      const pattern = PATTERNS.find((p) => resource === base + p);
      if (pattern && patternsOf(kind).includes(pattern)) return { kind, pattern };
    }
  }
  if (/^arn:aws:states:[^:]*:[^:]*:activity:[^:]+$/.test(resource)) return { kind: "activity", pattern: "" };
  if (/^arn:aws:lambda:[^:]*:[^:]*:function:/.test(resource)) return { kind: "function", pattern: "" };
  return { kind: "other", pattern: "" };
}

/** The patterns a kind offers (request-response first). */
export function patternsOf(kind: TaskKind): Pattern[] {
  if (kind === "child") return ["", ".sync", ".sync:2", ".waitForTaskToken"];
  if (kind === "http" || kind === "function") return ["", ".waitForTaskToken"];
  return [""];
}

export function resourceOf(kind: "http" | "function" | "child", pattern: Pattern): string {
  const base = kind === "http" ? HTTP_RESOURCE : kind === "function" ? LAMBDA_RESOURCE : CHILD_RESOURCE;
  return base + (patternsOf(kind).includes(pattern) ? pattern : "");
}

export const activityArn = (name: string) => `arn:aws:states:${REGION_ACCOUNT}:activity:${name}`;
export const workflowArn = (name: string) => `arn:aws:states:${REGION_ACCOUNT}:stateMachine:${name}`;

/** The payload field of the state's language. */
export const payloadKey = (jsonata: boolean) => (jsonata ? "Arguments" : "Parameters");

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function payloadOf(state: Obj, jsonata: boolean): Obj {
  const p = state[payloadKey(jsonata)];
  return isObject(p) ? p : {};
}

/** Is this text a JSONPath reference (`$.x`, `$$.Task.Token`) or an intrinsic (`States.Format(...)`)? */
export function isPathText(text: string): boolean {
  return /^\$/.test(text) || /^States\.[A-Za-z]+\(/.test(text);
}

/**
 * One field of a payload as text the user edits: a literal string, a
 * JSONPath (`key.$`) or a JSONata template (`{% %}`, kept as written).
 */
export function readField(payload: Obj, key: string): string | undefined {
  const dynamic = payload[`${key}.$`];
  if (typeof dynamic === "string") return dynamic;
  const v = payload[key];
  if (v === undefined) return undefined;
  return typeof v === "string" ? v : JSON.stringify(v);
}

/**
 * `payload` with `key` set to `value`, replacing both `key` and `key.$` at the
 * place they had (else in `order`, else last). In JSONPath a path or intrinsic
 * goes to `key.$`; `undefined` removes the field.
 */
export function writeField(payload: Obj, key: string, value: unknown, jsonata: boolean, order: readonly string[] = []): Obj {
  const dynamic = !jsonata && typeof value === "string" && isPathText(value);
  const newKey = dynamic ? `${key}.$` : key;
  const entries = Object.entries(payload);
  const at = entries.findIndex(([k]) => k === key || k === `${key}.$`);
  const rest = entries.filter(([k]) => k !== key && k !== `${key}.$`);
  if (value === undefined) return Object.fromEntries(rest);
  let index = at;
  if (index < 0) {
    const mine = order.indexOf(key);
    index = mine < 0 ? rest.length : rest.findIndex(([k]) => order.indexOf(k.replace(/\.\$$/, "")) > mine);
    if (index < 0) index = rest.length;
  }
  rest.splice(index, 0, [newKey, value]);
  return Object.fromEntries(rest);
}

/** The task token reference of each language. */
export const tokenRef = (jsonata: boolean) => (jsonata ? "{% $states.context.Task.Token %}" : "$$.Task.Token");

/** Where the task token can go for a kind: the payload field holding the callee's input. */
export function tokenTarget(kind: TaskKind): string | null {
  if (kind === "http") return "RequestBody";
  if (kind === "function") return "Payload";
  if (kind === "child") return "Input";
  return null;
}

/**
 * `payload` with the task token put at `target.key` (target an object, created
 * when missing); the token goes first. A target that was a path or an
 * expression (`"Payload.$": "$"`) is kept under `input`.
 */
export function placeToken(payload: Obj, target: string, key: string, jsonata: boolean, order: readonly string[] = []): Obj {
  const old = payload[target];
  const dynamic = payload[`${target}.$`];
  const body = isObject(old)
    ? old
    : typeof dynamic === "string"
      ? { "input.$": dynamic }
      : old !== undefined
        ? { input: old }
        : {};
  const rest = Object.fromEntries(Object.entries(body).filter(([k]) => k !== key && k !== `${key}.$`));
  const tokenEntry = jsonata ? { [key]: tokenRef(true) } : { [`${key}.$`]: tokenRef(false) };
  return writeField(payload, target, { ...tokenEntry, ...rest }, jsonata, order);
}

/** The key in `payload[target]` that holds the task token, if any. */
export function tokenKeyIn(payload: Obj, target: string, jsonata: boolean): string | null {
  const body = payload[target];
  if (!isObject(body)) return null;
  for (const [k, v] of Object.entries(body)) {
    if (typeof v !== "string") continue;
    if (!jsonata && k.endsWith(".$") && v === "$$.Task.Token") return k.slice(0, -2);
    if (jsonata && /^\{%\s*\$states\.context\.Task\.Token\s*%\}$/.test(v)) return k;
  }
  return null;
}

/** The payload fields of each kind, in the order the docs write them. */
export const FIELD_ORDER: Record<"http" | "function" | "child", readonly string[]> = {
  http: ["ApiEndpoint", "Method", "Headers", "QueryParameters", "RequestBody", "Transform", "Authentication"],
  function: ["FunctionName", "Payload", "InvocationType"],
  child: ["StateMachineArn", "Input", "Name"],
};

export const HTTP_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"] as const;
