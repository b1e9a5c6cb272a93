/**
 * The palette's catalogue: flow states and task kinds, what a drag carries
 * (`application/x-stateyard-state` = JSON {type, resource?}) and the new
 * state each item makes.
 */

export const DRAG_MIME = "application/x-stateyard-state";

export interface PaletteItem {
  id: string;
  group: "Flow" | "Actions";
  label: string;
  description: string;
  type: string;
  resource?: string;
}

export const PALETTE_ITEMS: PaletteItem[] = [
  { id: "pass", group: "Flow", label: "Pass", type: "Pass", description: "Pass input to output, optionally reshaped" },
  { id: "wait", group: "Flow", label: "Wait", type: "Wait", description: "Wait a number of seconds or until a time" },
  { id: "choice", group: "Flow", label: "Choice", type: "Choice", description: "Branch on rules over the input" },
  { id: "parallel", group: "Flow", label: "Parallel", type: "Parallel", description: "Run branches at the same time" },
  { id: "map", group: "Flow", label: "Map", type: "Map", description: "Run steps for each item of a list" },
  { id: "succeed", group: "Flow", label: "Succeed", type: "Succeed", description: "Stop successfully" },
  { id: "fail", group: "Flow", label: "Fail", type: "Fail", description: "Stop with an error and a cause" },
  {
    id: "http",
    group: "Actions",
    label: "HTTP request",
    type: "Task",
    resource: "arn:aws:states:::http:invoke",
    description: "Call an HTTPS API",
  },
  {
    id: "activity",
    group: "Actions",
    label: "Activity",
    type: "Task",
    resource: "arn:aws:states:us-east-1:123456789012:activity:my-activity",
    description: "Hand work to a worker polling an activity",
  },
  {
    id: "function",
    group: "Actions",
    label: "Python function",
    type: "Task",
    resource: "arn:aws:states:::lambda:invoke",
    description: "Invoke a function with the input as payload",
  },
  {
    id: "child",
    group: "Actions",
    label: "Child workflow",
    type: "Task",
    resource: "arn:aws:states:::states:startExecution.sync:2",
    description: "Start another workflow and wait for it",
  },
  {
    id: "callback",
    group: "Actions",
    label: "Callback (task token)",
    type: "Task",
    resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
    description: "Send a task token and wait for the callback",
  },
];

export interface DragPayload {
  type: string;
  resource?: string;
}

export function dragPayloadOf(item: PaletteItem): DragPayload {
  return item.resource ? { type: item.type, resource: item.resource } : { type: item.type };
}

/** Items whose label, type, description or resource contains every word of the query. */
export function filterPalette(query: string, items: PaletteItem[] = PALETTE_ITEMS): PaletteItem[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return items;
  return items.filter((item) => {
    const hay = `${item.label} ${item.type} ${item.description} ${item.resource ?? ""} ${item.group}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** A name not used anywhere in the machine (names are unique machine-wide). */
export function uniqueName(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const name = `${base} ${n}`;
    if (!taken.has(name)) return name;
  }
}

/** Every state name of a machine, nested ones included. */
export function allStateNames(machine: unknown, into: Set<string> = new Set()): Set<string> {
  const states = (machine as { States?: Record<string, Record<string, unknown>> } | null)?.States;
  if (!states || typeof states !== "object") return into;
  for (const [name, state] of Object.entries(states)) {
    into.add(name);
    if (Array.isArray(state.Branches)) for (const b of state.Branches) allStateNames(b, into);
    if (state.ItemProcessor) allStateNames(state.ItemProcessor, into);
    if (state.Iterator) allStateNames(state.Iterator, into);
  }
  return into;
}

const BASE_NAMES: Record<string, string> = {
  "arn:aws:states:::http:invoke": "Call API",
  "arn:aws:states:::lambda:invoke": "Run function",
  "arn:aws:states:::states:startExecution.sync:2": "Run child workflow",
  "arn:aws:states:::lambda:invoke.waitForTaskToken": "Wait for callback",
};

/** The name and JSON of a new state for a palette payload (an end state; inserting it on a transition gives it Next). */
export function newState(payload: DragPayload, taken: Set<string>, jsonata = false): { name: string; state: Record<string, unknown> } {
  const { type, resource } = payload;
  let base: string = type;
  let state: Record<string, unknown> = { Type: type };
  switch (type) {
    case "Wait":
      state = { Type: "Wait", Seconds: 5 };
      break;
    case "Choice":
      state = { Type: "Choice", Choices: [] };
      base = "Choice";
      break;
    case "Parallel":
      state = {
        Type: "Parallel",
        Branches: [{ StartAt: "", States: {} }],
      };
      break;
    case "Map":
      state = { Type: "Map", ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "", States: {} } };
      if (!jsonata) state.ItemsPath = "$";
      break;
    case "Fail":
      state = { Type: "Fail", Error: "Failed", Cause: "Describe what went wrong." };
      break;
    case "Task": {
      const res = resource ?? "arn:aws:states:::lambda:invoke";
      base = BASE_NAMES[res] ?? (res.includes(":activity:") ? "Activity" : "Task");
      const args: Record<string, unknown> = {};
      if (res === "arn:aws:states:::http:invoke") Object.assign(args, { ApiEndpoint: "https://example.com/", Method: "GET" });
      else if (res === "arn:aws:states:::lambda:invoke") Object.assign(args, { FunctionName: "my-function", [jsonata ? "Payload" : "Payload.$"]: jsonata ? "{% $states.input %}" : "$" });
      else if (res.startsWith("arn:aws:states:::states:startExecution"))
        Object.assign(args, {
          StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:child",
          [jsonata ? "Input" : "Input.$"]: jsonata ? "{% $states.input %}" : "$",
        });
      else if (res.endsWith(".waitForTaskToken"))
        Object.assign(args, {
          FunctionName: "notify",
          Payload: jsonata ? { token: "{% $states.context.Task.Token %}" } : { "token.$": "$$.Task.Token", "input.$": "$" },
        });
      state = { Type: "Task", Resource: res };
      if (Object.keys(args).length) state[jsonata ? "Arguments" : "Parameters"] = args;
      if (res.endsWith(".waitForTaskToken")) state.TimeoutSeconds = 3600;
      break;
    }
    default:
      break;
  }
  const name = uniqueName(base, taken);
  // A new Parallel branch or Map processor needs a state of its own, with a unique name.
  if (type === "Parallel") {
    const inner = uniqueName("Branch step", new Set([...taken, name]));
    state.Branches = [{ StartAt: inner, States: { [inner]: { Type: "Pass", End: true } } }];
  }
  if (type === "Map") {
    const inner = uniqueName("Item step", new Set([...taken, name]));
    state.ItemProcessor = { ProcessorConfig: { Mode: "INLINE" }, StartAt: inner, States: { [inner]: { Type: "Pass", End: true } } };
  }
  if (type !== "Choice" && type !== "Succeed" && type !== "Fail") state.End = true;
  return { name, state };
}
