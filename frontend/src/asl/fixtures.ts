/** Sample definitions shared by the tests (and handy in Storybook-like manual checks). */
import type { Definition } from "./types";

/** Validate -> Route (Choice) -> Fan (Parallel: 2 branches) / Each (Map with a nested Parallel) -> Done. */
export function sampleDefinition(): Definition {
  return {
    Comment: "sample",
    StartAt: "Validate",
    States: {
      Validate: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Next: "Route",
        Catch: [{ ErrorEquals: ["States.TaskFailed", "Custom"], Next: "Oops" }],
      },
      Route: {
        Type: "Choice",
        Choices: [
          { Variable: "$.kind", StringEquals: "fan", Next: "Fan" },
          { Variable: "$.kind", StringEquals: "each", Next: "Each" },
        ],
        Default: "Done",
      },
      Fan: {
        Type: "Parallel",
        Branches: [
          { StartAt: "Left", States: { Left: { Type: "Pass", Next: "LeftWait" }, LeftWait: { Type: "Wait", Seconds: 1, End: true } } },
          { StartAt: "Right", States: { Right: { Type: "Pass", End: true } } },
        ],
        Next: "Done",
      },
      Each: {
        Type: "Map",
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "Inner",
          States: {
            Inner: {
              Type: "Parallel",
              Branches: [
                { StartAt: "Deep", States: { Deep: { Type: "Pass", Next: "Deeper" }, Deeper: { Type: "Pass", End: true } } },
              ],
              Next: "After",
            },
            After: { Type: "Pass", End: true },
          },
        },
        Next: "Done",
      },
      Oops: { Type: "Fail", Error: "Oops" },
      Done: { Type: "Succeed" },
    },
  };
}
