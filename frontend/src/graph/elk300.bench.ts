/**
 * ELK's share of the 300-state designer (bench/studio_300.py's workflow, the
 * same generator): the whole layout as the worker runs it (compose.ts, a fresh
 * scope memo, after a warm-up), and the top-level scope alone. Run with
 * `npx vitest bench --run src/graph/elk300.bench.ts`; it also prints how many
 * flat graphs ELK was given and the time of the slowest.
 */
import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkNode } from "elkjs/lib/elk-api";
import { bench, describe } from "vitest";
import type { Definition } from "../asl/types";
import { ScopeMemo, composeLayout, type ElkEngine } from "./compose";
import { deriveGraph } from "./derive";
import { toElk } from "./elkGraph";
import { WARM_UP } from "./warmUp";

/** bench/studio_300.py's `generate`: segments of Pass -> Choice -> Parallel -> Map, 10 states each. */
export function generated(states: number): Definition {
  const top: Record<string, unknown> = {};
  const count = states / 10;
  for (let i = 0; i < count; i++) {
    top[`Step ${i}`] = { Type: "Pass", Result: { segment: i }, ResultPath: "$.seg", Next: `Route ${i}` };
    top[`Route ${i}`] = { Type: "Choice", Choices: [{ Variable: "$.n", NumericGreaterThan: i, Next: `Fan ${i}` }], Default: `Each ${i}` };
    const pair = (name: string) => ({ StartAt: `${name}.1`, States: { [`${name}.1`]: { Type: "Pass", Next: `${name}.2` }, [`${name}.2`]: { Type: "Pass", End: true } } });
    top[`Fan ${i}`] = { Type: "Parallel", Branches: [pair(`Left ${i}`), pair(`Right ${i}`)], ResultPath: null, Next: `Each ${i}` };
    top[`Each ${i}`] = {
      Type: "Map",
      ItemsPath: "$.items",
      ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, ...pair(`Item ${i}`) },
      ResultPath: "$.mapped",
      ...(i === count - 1 ? { End: true } : { Next: `Step ${i + 1}` }),
    };
  }
  return { StartAt: "Step 0", States: top } as Definition;
}

const elk = new ELK();
const input = toElk(deriveGraph(generated(300)));

/** ELK, timing each flat graph it lays out. */
function timed(): ElkEngine & { runs: { id: string; ms: number; nodes: number }[] } {
  const runs: { id: string; ms: number; nodes: number }[] = [];
  return {
    runs,
    async layout(graph: ElkNode) {
      const t0 = performance.now();
      const out = await elk.layout(graph);
      runs.push({ id: graph.id, ms: performance.now() - t0, nodes: graph.children?.length ?? 0 });
      return out;
    },
  };
}

await composeLayout(WARM_UP, elk, new ScopeMemo());
await composeLayout(input, elk, new ScopeMemo());
const probe = timed();
const t0 = performance.now();
await composeLayout(input, probe, new ScopeMemo());
const total = performance.now() - t0;
const slowest = [...probe.runs].sort((a, b) => b.ms - a.ms)[0];
console.log(
  `300 states: ${probe.runs.length} flat graphs, whole layout ${total.toFixed(0)} ms, slowest ${slowest?.id} (${slowest?.nodes} nodes) ${slowest?.ms.toFixed(0)} ms`,
);

describe("ELK, 300 states", () => {
  bench("whole layout (fresh scope memo)", async () => {
    await composeLayout(input, elk, new ScopeMemo());
  }, { iterations: 5, warmupIterations: 1 });
});
