import { describe, expect, it } from "vitest";
import { BLANK_DEFINITION, TEMPLATES, templateById } from "./index";

type Obj = Record<string, unknown>;
const TYPES = ["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];

/** Basic ASL shape: StartAt exists, every transition targets a state of the same scope, every non-terminal state goes somewhere. */
function shapeProblems(machine: Obj, where = ""): string[] {
  const problems: string[] = [];
  const states = machine.States as Record<string, Obj> | undefined;
  if (!states || typeof states !== "object") return [`${where}: no States`];
  const names = new Set(Object.keys(states));
  if (typeof machine.StartAt !== "string" || !names.has(machine.StartAt)) {
    problems.push(`${where}: StartAt ${String(machine.StartAt)} is not a state`);
  }
  const target = (from: string, next: unknown) => {
    if (typeof next !== "string" || !names.has(next)) problems.push(`${where}/${from}: bad target ${String(next)}`);
  };
  for (const [name, state] of Object.entries(states)) {
    const type = state.Type as string;
    if (!TYPES.includes(type)) problems.push(`${where}/${name}: bad Type ${type}`);
    const terminal = type === "Succeed" || type === "Fail" || type === "Choice";
    if (!terminal) {
      if (state.End === true && state.Next !== undefined) problems.push(`${where}/${name}: both End and Next`);
      if (state.End !== true) target(name, state.Next);
    }
    if (type === "Choice") {
      const choices = state.Choices as Obj[];
      expect(Array.isArray(choices) && choices.length > 0).toBe(true);
      for (const rule of choices) target(name, rule.Next);
      if (state.Default !== undefined) target(name, state.Default);
    }
    if (type === "Task") expect(typeof state.Resource).toBe("string");
    for (const c of (state.Catch as Obj[] | undefined) ?? []) target(name, c.Next);
    if (type === "Parallel") {
      const branches = state.Branches as Obj[];
      expect(branches.length).toBeGreaterThan(0);
      branches.forEach((b, i) => problems.push(...shapeProblems(b, `${where}/${name}/Branches/${i}`)));
    }
    if (type === "Map") {
      const processor = (state.ItemProcessor ?? state.Iterator) as Obj;
      problems.push(...shapeProblems(processor, `${where}/${name}/ItemProcessor`));
    }
  }
  return problems;
}

describe("template gallery", () => {
  it("has at least 8 templates with unique ids and AWS-valid names", () => {
    expect(TEMPLATES.length).toBeGreaterThanOrEqual(8);
    expect(new Set(TEMPLATES.map((t) => t.id)).size).toBe(TEMPLATES.length);
    for (const t of TEMPLATES) expect(t.suggestedName).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });

  it.each(TEMPLATES.map((t) => [t.id, t] as const))("%s has a valid ASL shape", (_id, template) => {
    expect(shapeProblems(template.definition)).toEqual([]);
  });

  it("covers the required patterns", () => {
    const text = (id: string) => JSON.stringify(templateById(id)?.definition);
    expect(text("api-orchestration")).toContain('"Type":"Parallel"');
    expect(text("retry-backoff")).toContain('"JitterStrategy":"FULL"');
    expect(text("human-approval")).toContain(".waitForTaskToken");
    expect(text("fan-out-map")).toContain('"Type":"Map"');
    expect(text("saga")).toContain('"Catch"');
    expect(text("polling-loop")).toContain('"Type":"Wait"');
    expect(text("etl-batch")).toContain('"ItemBatcher"');
    expect(text("etl-batch")).toContain('"DISTRIBUTED"');
    expect(text("jsonata-transform")).toContain('"QueryLanguage":"JSONata"');
    expect(text("jsonata-transform")).toContain('"Assign"');
  });

  it("the blank definition is valid too", () => {
    expect(shapeProblems(BLANK_DEFINITION)).toEqual([]);
  });
});
