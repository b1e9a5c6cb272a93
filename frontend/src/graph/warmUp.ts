/**
 * A small graph with every kind of scope and node (top level, Parallel and
 * Map containers, lanes, a Choice, a Catch): ELK's first run is far slower
 * than the next ones, so the layout worker runs this one while it waits.
 */
import { deriveGraph } from "./derive";
import { toElk } from "./elkGraph";

export const WARM_UP = toElk(
  deriveGraph({
    StartAt: "Route",
    States: {
      Route: { Type: "Choice", Choices: [{ Variable: "$.a", BooleanEquals: true, Next: "Fan" }], Default: "Each" },
      Fan: {
        Type: "Parallel",
        Branches: [
          { StartAt: "A", States: { A: { Type: "Pass", Next: "B" }, B: { Type: "Pass", End: true } } },
          { StartAt: "C", States: { C: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true } } },
        ],
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }],
        Next: "Each",
      },
      Each: { Type: "Map", ItemProcessor: { StartAt: "D", States: { D: { Type: "Pass", End: true } } }, Next: "Done" },
      Failed: { Type: "Fail" },
      Done: { Type: "Succeed" },
    },
  }),
);
