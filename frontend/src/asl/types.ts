/**
 * Amazon States Language types as the studio sees them: loose enough for
 * broken drafts (every object keeps unknown keys), precise for the fields the
 * graph and the mutations use.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type StateType = "Task" | "Pass" | "Choice" | "Wait" | "Succeed" | "Fail" | "Parallel" | "Map";

export const STATE_TYPES: readonly StateType[] = [
  "Task",
  "Pass",
  "Choice",
  "Wait",
  "Succeed",
  "Fail",
  "Parallel",
  "Map",
];

export function isStateType(value: unknown): value is StateType {
  return typeof value === "string" && (STATE_TYPES as readonly string[]).includes(value);
}

export interface ChoiceRule {
  Next?: string;
  Comment?: string;
  /** JSONata rules. */
  Condition?: string;
  /** JSONPath rules: Variable, a comparison operator, And/Or/Not. */
  Variable?: string;
  [key: string]: unknown;
}

export interface Catcher {
  ErrorEquals?: string[];
  Next?: string;
  ResultPath?: string | null;
  Output?: unknown;
  Assign?: unknown;
  Comment?: string;
  [key: string]: unknown;
}

export interface Retrier {
  ErrorEquals?: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  [key: string]: unknown;
}

/** A scope: the machine itself, a Parallel branch, or a Map's ItemProcessor/Iterator. */
export interface StateScope {
  StartAt?: string;
  States?: Record<string, State>;
  Comment?: string;
  [key: string]: unknown;
}

export interface State {
  Type?: StateType | string;
  Comment?: string;
  Next?: string;
  End?: boolean;
  /** Choice */
  Choices?: ChoiceRule[];
  Default?: string;
  /** Task, Parallel, Map */
  Catch?: Catcher[];
  Retry?: Retrier[];
  Resource?: string;
  /** Parallel */
  Branches?: StateScope[];
  /** Map (Iterator is the legacy name) */
  ItemProcessor?: StateScope;
  Iterator?: StateScope;
  /** Fail */
  Error?: string;
  Cause?: string;
  [key: string]: unknown;
}

export interface Definition extends StateScope {
  StartAt?: string;
  States?: Record<string, State>;
  QueryLanguage?: "JSONPath" | "JSONata";
  TimeoutSeconds?: number;
  Version?: string;
}

/** A finding of the validator (designer/api DiagnosticSerializer). `location` is a JSON Pointer. */
export interface Diagnostic {
  code: string;
  message: string;
  location: string;
  severity: "error" | "warning";
  line?: number;
  column?: number;
}

/** A position of a node, relative to its parent container (xyflow convention). */
export interface Point {
  x: number;
  y: number;
}

export type Direction = "TB" | "LR";

/**
 * Editor layout hints stored beside the definition (Workflow.layout, never
 * exported). Keys of `positions` and `collapsed` are state paths.
 */
export interface Layout {
  direction?: Direction;
  positions?: Record<string, Point>;
  collapsed?: Record<string, boolean>;
  [key: string]: unknown;
}

/** Status of a state in an execution (execution view colouring). */
export type StateStatus = "running" | "succeeded" | "failed" | "caught" | "cancelled";
