import { beforeEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { resetStudio, useStudio } from "../../asl/store";
import type { Definition } from "../../asl/types";
import { Inspector } from "./Inspector";
import { setIn } from "./DistributedMapForm";

type Obj = Record<string, any>;

const map = (): Obj => ({
  Type: "Map",
  ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "One", States: { One: { Type: "Pass", End: true } } },
  End: true,
});

function open(jsonata = false, props: Obj = {}) {
  resetStudio();
  const definition: Definition = { ...(jsonata ? { QueryLanguage: "JSONata" } : {}), StartAt: "Each", States: { Each: map() } };
  useStudio.getState().load({ definition });
  useStudio.getState().select("/States/Each");
  render(<Inspector {...props} />);
}

const each = () => (useStudio.getState().definition as Obj).States.Each as Obj;
function type(testId: string, text: string) {
  const el = screen.getByTestId(testId);
  fireEvent.change(el, { target: { value: text } });
  fireEvent.blur(el);
}
const choose = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

describe("Distributed Map forms", () => {
  beforeEach(() => resetStudio());

  it("builds ItemReader, ItemBatcher, ResultWriter, tolerated failures, execution type and Label (JSONPath)", () => {
    open();
    choose("reader-resource", "arn:aws:states:::s3:getObject");
    type("reader-bucket", "orders-bucket");
    type("reader-key", "in/orders.csv");
    choose("reader-input-type", "CSV");
    choose("reader-csv-header-location", "GIVEN");
    type("reader-csv-headers", "id, total");
    type("reader-max-items", "100");
    type("batcher-max-items", "10");
    type("batcher-max-bytes", "2048");
    type("batcher-batch-input", '{"runId": "nightly"}');
    type("writer-bucket", "results-bucket");
    type("writer-prefix", "out/");
    choose("writer-output-type", "JSONL");
    choose("writer-transformation", "COMPACT");
    type("map-tolerated-count", "3");
    type("map-tolerated-percentage", "5");
    choose("map-execution-type", "EXPRESS");
    type("map-label", "orders");
    expect(each()).toEqual({
      Type: "Map",
      ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" }, StartAt: "One", States: { One: { Type: "Pass", End: true } } },
      ItemReader: {
        Resource: "arn:aws:states:::s3:getObject",
        Parameters: { Bucket: "orders-bucket", Key: "in/orders.csv" },
        ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "GIVEN", CSVHeaders: ["id", "total"], MaxItems: 100 },
      },
      ItemBatcher: { MaxItemsPerBatch: 10, MaxInputBytesPerBatch: 2048, BatchInput: { runId: "nightly" } },
      ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "results-bucket", Prefix: "out/" }, WriterConfig: { OutputType: "JSONL", Transformation: "COMPACT" } },
      ToleratedFailureCount: 3,
      ToleratedFailurePercentage: 5,
      Label: "orders",
      End: true,
    });
    // Emptying the writer's target drops its Resource; emptying the reader's resource drops the reader.
    type("writer-bucket", "");
    type("writer-prefix", "");
    expect(each().ResultWriter).toEqual({ WriterConfig: { OutputType: "JSONL", Transformation: "COMPACT" } });
    choose("reader-resource", "");
    expect(each().ItemReader).toBeUndefined();
    // One undo step per change.
    useStudio.getState().undo();
    expect(each().ItemReader.Resource).toBe("arn:aws:states:::s3:getObject");
  });

  it("uses Arguments in JSONata and lists objects under a prefix", () => {
    open(true);
    choose("reader-resource", "arn:aws:states:::s3:listObjectsV2");
    expect(screen.queryByTestId("reader-key")).toBeNull();
    type("reader-bucket", "b");
    type("reader-prefix", "{% $states.input.prefix %}");
    type("writer-bucket", "r");
    expect(each().ItemReader).toEqual({ Resource: "arn:aws:states:::s3:listObjectsV2", Arguments: { Bucket: "b", Prefix: "{% $states.input.prefix %}" } });
    expect(each().ResultWriter).toEqual({ Resource: "arn:aws:states:::s3:putObject", Arguments: { Bucket: "r" } });
  });

  it("is disabled for viewers, and edits nothing", () => {
    open(false, { readOnly: true, readOnlyReason: "Viewers cannot edit." });
    const field = screen.getByTestId("batcher-max-items") as HTMLInputElement;
    expect(field.closest("fieldset")!.disabled).toBe(true);
    expect(field.closest("fieldset")!.title).toBe("Viewers cannot edit.");
    type("batcher-max-items", "10");
    expect(each()).toEqual(map());
  });

  it("setIn sets nested keys and removes emptied objects", () => {
    expect(setIn(undefined, ["a", "b"], 1)).toEqual({ a: { b: 1 } });
    expect(setIn({ a: { b: 1 }, c: 2 }, ["a", "b"], undefined)).toEqual({ c: 2 });
    expect(setIn({ a: { b: 1 } }, ["a", "b"], undefined)).toBeUndefined();
  });
});
