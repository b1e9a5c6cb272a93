/**
 * New-state templates (what the palette drops) and unique state names.
 * Templates follow the definition's QueryLanguage (JSONata uses Arguments,
 * JSONPath uses Parameters).
 */
import { allStatePaths, nameOf } from "./paths";
import type { ChoiceRule, Definition, State, StateScope, StateType } from "./types";

/** All state names in the machine (all scopes). */
export function allNames(def: Definition): Set<string> {
  return new Set(allStatePaths(def).map(nameOf));
}

/** `base`, or `base 2`, `base 3`... whichever is not used in the machine (nor in `taken`). */
export function uniqueName(def: Definition, base: string, taken: Set<string> = new Set()): string {
  const used = allNames(def);
  const free = (name: string) => !used.has(name) && !taken.has(name);
  const stem = base.slice(0, 74) || "State";
  if (free(stem)) return stem;
  for (let n = 2; ; n++) {
    const name = `${stem} ${n}`;
    if (free(name)) return name;
  }
}

function isJsonata(def: Definition): boolean {
  return def.QueryLanguage === "JSONata";
}

/** A one-state scope (a new Parallel branch or Map processor). */
export function scopeWithPass(name: string): StateScope {
  return { StartAt: name, States: { [name]: { Type: "Pass", End: true } } };
}

/**
 * A fresh state of `type`. Parallel and Map come with one Pass state inside,
 * named with `innerName` (which must be unique machine-wide).
 */
export function newState(def: Definition, type: StateType, innerName: string): State {
  switch (type) {
    case "Task":
      return isJsonata(def)
        ? {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke",
            Arguments: { FunctionName: "", Payload: "{% $states.input %}" },
            End: true,
          }
        : {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke",
            Parameters: { FunctionName: "", "Payload.$": "$" },
            End: true,
          };
    case "Pass":
      return { Type: "Pass", End: true };
    case "Choice":
      return { Type: "Choice", Choices: [] };
    case "Wait":
      return { Type: "Wait", Seconds: 1, End: true };
    case "Succeed":
      return { Type: "Succeed" };
    case "Fail":
      return { Type: "Fail", Error: "Failed", Cause: "" };
    case "Parallel":
      return { Type: "Parallel", Branches: [scopeWithPass(innerName)], End: true };
    case "Map":
      return {
        Type: "Map",
        ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, ...scopeWithPass(innerName) },
        End: true,
      };
  }
}

/** A choice rule that always matches, for a new rule drawn on the canvas. */
export function placeholderRule(def: Definition, next: string): ChoiceRule {
  return isJsonata(def)
    ? { Condition: "{% true %}", Next: next }
    : { Variable: "$", IsPresent: true, Next: next };
}
