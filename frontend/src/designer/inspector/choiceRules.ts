/** Choice rules: every comparison operator, its Path form, and how a rule is read and built. */

export type Rule = Record<string, unknown>;

/** Comparison operators by value kind; each (except StringMatches and the Is* tests) has a `…Path` form. */
export const OPERATORS = {
  string: ["StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals", "StringMatches"],
  numeric: ["NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals", "NumericGreaterThanEquals"],
  boolean: ["BooleanEquals"],
  timestamp: ["TimestampEquals", "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals", "TimestampGreaterThanEquals"],
  test: ["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"],
} as const;

export const ALL_OPERATORS: string[] = Object.values(OPERATORS).flat();

export function hasPathForm(op: string): boolean {
  return op !== "StringMatches" && !op.startsWith("Is");
}

/** Every operator key a rule may carry, Path forms included. */
export const OPERATOR_KEYS: string[] = ALL_OPERATORS.flatMap((op) => (hasPathForm(op) ? [op, op + "Path"] : [op]));

export type RuleKind = "comparison" | "And" | "Or" | "Not" | "Condition";

export function ruleKind(rule: Rule): RuleKind {
  if ("And" in rule) return "And";
  if ("Or" in rule) return "Or";
  if ("Not" in rule) return "Not";
  if ("Condition" in rule) return "Condition";
  return "comparison";
}

/** The operator key of a comparison (e.g. "NumericGreaterThanPath") or null. */
export function operatorKey(rule: Rule): string | null {
  return Object.keys(rule).find((k) => OPERATOR_KEYS.includes(k)) ?? null;
}

export function splitOperator(key: string): { op: string; path: boolean } {
  if (key.endsWith("Path") && ALL_OPERATORS.includes(key.slice(0, -4))) return { op: key.slice(0, -4), path: true };
  return { op: key, path: false };
}

/** The value a fresh operator starts with. */
export function defaultOperand(op: string, path: boolean): unknown {
  if (path) return "$.other";
  if (op.startsWith("Is")) return true;
  if (op.startsWith("Numeric")) return 0;
  if (op.startsWith("Boolean")) return true;
  if (op.startsWith("Timestamp")) return "2024-01-01T00:00:00Z";
  return "";
}

/** Parse an operand typed as text into the operator's value type. */
export function coerceOperand(op: string, path: boolean, text: string): unknown {
  if (path) return text;
  if (op.startsWith("Numeric")) {
    const n = Number(text);
    return text.trim() !== "" && Number.isFinite(n) ? n : text;
  }
  if (op.startsWith("Boolean") || op.startsWith("Is")) return text === "true";
  return text;
}

/** A comparison with another operator: keeps Variable, Next and the rest, swaps the operator and resets the operand if its type changed. */
export function withOperator(rule: Rule, op: string, path: boolean): Rule {
  const oldKey = operatorKey(rule);
  const newKey = path && hasPathForm(op) ? op + "Path" : op;
  const out: Rule = {};
  let placed = false;
  const sameKind = (a: string, b: string) => {
    const kind = (o: string) => Object.entries(OPERATORS).find(([, ops]) => (ops as readonly string[]).includes(o))?.[0];
    return kind(a) === kind(b);
  };
  const old = oldKey ? splitOperator(oldKey) : null;
  const keep = old && old.path === path && sameKind(old.op, op) && oldKey !== null ? rule[oldKey] : defaultOperand(op, path && hasPathForm(op));
  for (const [k, v] of Object.entries(rule)) {
    if (k === oldKey) {
      out[newKey] = keep;
      placed = true;
    } else out[k] = v;
  }
  if (!placed) out[newKey] = keep;
  return out;
}

/** A new rule of a kind; `top` rules carry Next. */
export function newRule(kind: RuleKind, next?: string): Rule {
  let rule: Rule;
  switch (kind) {
    case "And":
    case "Or":
      rule = { [kind]: [{ Variable: "$.value", IsPresent: true }] };
      break;
    case "Not":
      rule = { Not: { Variable: "$.value", IsPresent: true } };
      break;
    case "Condition":
      rule = { Condition: "{% $states.input.value = true %}" };
      break;
    default:
      rule = { Variable: "$.value", StringEquals: "" };
  }
  if (next !== undefined) rule.Next = next;
  return rule;
}

/** Switch a rule to another kind, keeping its top-level extras (Next, Comment, Assign, Output). */
export function changeKind(rule: Rule, kind: RuleKind): Rule {
  const extras: Rule = {};
  for (const key of ["Next", "Comment", "Assign", "Output"]) if (key in rule) extras[key] = rule[key];
  if (ruleKind(rule) === kind) return rule;
  const fresh = newRule(kind);
  // Wrap the current comparison when going to And/Or/Not.
  const inner: Rule = {};
  for (const [k, v] of Object.entries(rule)) if (!(k in extras)) inner[k] = v;
  if ((kind === "And" || kind === "Or") && ruleKind(rule) === "comparison") fresh[kind] = [inner];
  if (kind === "Not" && ruleKind(rule) === "comparison") fresh.Not = inner;
  return { ...fresh, ...extras };
}
