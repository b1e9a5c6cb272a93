/**
 * What a JSONata expression may name where it is written, pure: `$states.input`,
 * `$states.context` and its fields everywhere, `$states.result` in the Output
 * and Assign of a Task, Parallel or Map (not in Arguments), `$states.errorOutput`
 * in a Catch, and the workflow variables in scope. Plus the CodeMirror
 * completion source built on it.
 */
import type { CompletionContext, CompletionResult } from "@codemirror/autocomplete";

export type ExpressionField = "Arguments" | "Output" | "Assign" | "Condition" | "Items" | "ItemSelector" | "CatchOutput" | "CatchAssign" | "Other";

export interface ExpressionWhere {
  field: ExpressionField;
  stateType: string;
  /** Variables in scope (without `$`). */
  variables: readonly string[];
  /** Inside a Map's item processor (the context has Map.Item). */
  inMap?: boolean;
}

export interface Suggestion {
  label: string;
  detail: string;
}

const CONTEXT_FIELDS: [string, string][] = [
  ["Execution.Id", "the execution's ARN"],
  ["Execution.Input", "the execution's input"],
  ["Execution.Name", "the execution's name"],
  ["Execution.StartTime", "when the execution started"],
  ["Execution.RoleArn", "the execution's role"],
  ["Execution.RedriveCount", "times redriven"],
  ["State.Name", "this state's name"],
  ["State.EnteredTime", "when this state was entered"],
  ["State.RetryCount", "retries so far"],
  ["StateMachine.Id", "the workflow's ARN"],
  ["StateMachine.Name", "the workflow's name"],
];

/** Every completion for `where`, in the order they are offered. */
export function suggestionsFor(where: ExpressionWhere): Suggestion[] {
  const out: Suggestion[] = [
    { label: "$states.input", detail: "the state's input" },
    { label: "$states.context", detail: "the context object" },
    ...CONTEXT_FIELDS.map(([f, d]) => ({ label: `$states.context.${f}`, detail: d })),
  ];
  if (where.stateType === "Task") out.push({ label: "$states.context.Task.Token", detail: "the task token (callbacks)" });
  if (where.inMap) {
    out.push({ label: "$states.context.Map.Item.Index", detail: "the item's index" }, { label: "$states.context.Map.Item.Value", detail: "the item" });
  }
  const resultful = where.stateType === "Task" || where.stateType === "Parallel" || where.stateType === "Map";
  if (resultful && (where.field === "Output" || where.field === "Assign")) out.push({ label: "$states.result", detail: "the state's result" });
  if (where.field === "CatchOutput" || where.field === "CatchAssign") out.push({ label: "$states.errorOutput", detail: "{Error, Cause} of the caught error" });
  for (const v of where.variables) out.push({ label: `$${v}`, detail: "variable" });
  return out;
}

/** The CodeMirror source: completes the `$...` word before the cursor. */
export function completionSource(where: () => ExpressionWhere) {
  return (context: CompletionContext): CompletionResult | null => {
    const word = context.matchBefore(/\$[\w.]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const options = suggestionsFor(where())
      .filter((s) => s.label.startsWith(word.text))
      .map((s) => ({ label: s.label, detail: s.detail, type: s.detail === "variable" ? "variable" : "property" }));
    return { from: word.from, options, validFor: /^\$[\w.]*$/ };
  };
}
