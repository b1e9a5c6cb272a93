/**
 * The Distributed Map's own fields as forms: ItemReader (resource, bucket and
 * key or prefix, ReaderConfig), ItemBatcher, ResultWriter (bucket, prefix,
 * WriterConfig) and Label. Each change is one undoable edit through `set`;
 * an object left empty is removed.
 */
import { JsonField, ListField, NumberField, SelectField, TextField } from "./fields";
import { payloadKey } from "./taskKinds";

type Obj = Record<string, unknown>;
type Setter = (changes: Obj, label: string) => void;

const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A copy of `root` with `path` set to `value` (undefined removes it; emptied objects are removed too). */
export function setIn(root: Obj | undefined, path: readonly string[], value: unknown): Obj | undefined {
  const [head, ...rest] = path;
  const base: Obj = { ...(root ?? {}) };
  const next = rest.length ? setIn(isObject(base[head!]) ? (base[head!] as Obj) : undefined, rest, value) : value;
  if (next === undefined) delete base[head!];
  else base[head!] = next;
  return Object.keys(base).length ? base : undefined;
}

const getIn = (root: unknown, path: readonly string[]): unknown => path.reduce<unknown>((here, k) => (isObject(here) ? here[k] : undefined), root);

export const READERS = [
  { value: "arn:aws:states:::s3:getObject", label: "A file in S3 (JSON, JSONL, CSV, manifest)" },
  { value: "arn:aws:states:::s3:listObjectsV2", label: "The objects under an S3 prefix" },
];

export function DistributedMapForm({ state, jsonata, set }: { state: Obj; jsonata: boolean; set: Setter }) {
  const pk = payloadKey(jsonata);
  /** The writer with `path` set; it names S3 putObject as its Resource while it has a target. */
  const writer = (path: string[], value: unknown): Obj | undefined => {
    const w = setIn(state.ResultWriter as Obj | undefined, path, value);
    const { Resource: _resource, ...rest } = w ?? {};
    if (isObject(rest[pk])) return { Resource: "arn:aws:states:::s3:putObject", ...rest };
    return Object.keys(rest).length ? rest : undefined;
  };
  const edit = (field: string, path: string[], label: string) => (value: unknown) =>
    set({ [field]: field === "ResultWriter" ? writer(path, value) : setIn(state[field] as Obj | undefined, path, value) }, label);
  const reader = state.ItemReader as Obj | undefined;
  const listing = reader?.Resource === "arn:aws:states:::s3:listObjectsV2";
  const headerLocation = getIn(reader, ["ReaderConfig", "CSVHeaderLocation"]);
  const text = (root: unknown, path: string[]) => {
    const v = getIn(root, path);
    return v === undefined ? undefined : typeof v === "string" ? v : JSON.stringify(v);
  };
  const num = (root: unknown, path: string[]) => {
    const v = getIn(root, path);
    return typeof v === "number" ? v : undefined;
  };
  return (
    <div data-testid="distributed-map-form">
      <section className="sy-section" data-testid="map-item-reader-form">
        <h4>Item reader</h4>
        <SelectField label="Read items from" testId="reader-resource" value={reader?.Resource as string | undefined} options={READERS} help="Empty: the state's input (Items / ItemsPath)." onCommit={(r) => set({ ItemReader: r ? setIn(reader, ["Resource"], r) : undefined }, "Change item reader")} />
        {reader ? (
          <>
            <TextField label="Bucket" testId="reader-bucket" value={text(reader, [pk, "Bucket"])} onCommit={edit("ItemReader", [pk, "Bucket"], "Edit reader bucket")} />
            {listing ? (
              <TextField label="Prefix" testId="reader-prefix" value={text(reader, [pk, "Prefix"])} onCommit={edit("ItemReader", [pk, "Prefix"], "Edit reader prefix")} />
            ) : (
              <TextField label="Key" testId="reader-key" value={text(reader, [pk, "Key"])} onCommit={edit("ItemReader", [pk, "Key"], "Edit reader key")} />
            )}
            {!listing ? (
              <SelectField label="Input type" testId="reader-input-type" value={text(reader, ["ReaderConfig", "InputType"])} options={["JSON", "JSONL", "CSV", "MANIFEST"]} onCommit={edit("ItemReader", ["ReaderConfig", "InputType"], "Edit reader input type")} />
            ) : null}
            {text(reader, ["ReaderConfig", "InputType"]) === "CSV" ? (
              <>
                <SelectField label="CSV header location" testId="reader-csv-header-location" value={headerLocation as string | undefined} options={["FIRST_ROW", "GIVEN"]} onCommit={edit("ItemReader", ["ReaderConfig", "CSVHeaderLocation"], "Edit CSV header location")} />
                {headerLocation === "GIVEN" ? (
                  <ListField label="CSV headers" testId="reader-csv-headers" value={getIn(reader, ["ReaderConfig", "CSVHeaders"]) as string[] | undefined} placeholder="id, name" onCommit={edit("ItemReader", ["ReaderConfig", "CSVHeaders"], "Edit CSV headers")} />
                ) : null}
              </>
            ) : null}
            <NumberField label="Max items" testId="reader-max-items" integer min={1} value={num(reader, ["ReaderConfig", "MaxItems"])} help="Empty: all." onCommit={edit("ItemReader", ["ReaderConfig", "MaxItems"], "Edit reader max items")} />
          </>
        ) : null}
      </section>

      <section className="sy-section" data-testid="map-item-batcher-form">
        <h4>Item batcher</h4>
        <NumberField label="Max items per batch" testId="batcher-max-items" integer min={1} value={num(state.ItemBatcher, ["MaxItemsPerBatch"])} onCommit={edit("ItemBatcher", ["MaxItemsPerBatch"], "Edit batch size")} />
        <NumberField label="Max input bytes per batch" testId="batcher-max-bytes" integer min={1} value={num(state.ItemBatcher, ["MaxInputBytesPerBatch"])} help="At most 262144." onCommit={edit("ItemBatcher", ["MaxInputBytesPerBatch"], "Edit batch bytes")} />
        <JsonField label="Batch input" testId="batcher-batch-input" rows={2} value={getIn(state.ItemBatcher, ["BatchInput"])} placeholder='{"runId": "nightly"}' help="Added to every batch as BatchInput." onCommit={edit("ItemBatcher", ["BatchInput"], "Edit batch input")} />
      </section>

      <section className="sy-section" data-testid="map-result-writer-form">
        <h4>Result writer</h4>
        <TextField
          label="Bucket"
          testId="writer-bucket"
          value={text(state.ResultWriter, [pk, "Bucket"])}
          help="Empty: the results come back as the state's result."
          onCommit={edit("ResultWriter", [pk, "Bucket"], "Edit result bucket")}
        />
        <TextField label="Prefix" testId="writer-prefix" value={text(state.ResultWriter, [pk, "Prefix"])} onCommit={edit("ResultWriter", [pk, "Prefix"], "Edit result prefix")} />
        <SelectField label="Output type" testId="writer-output-type" value={text(state.ResultWriter, ["WriterConfig", "OutputType"])} options={["JSON", "JSONL"]} onCommit={edit("ResultWriter", ["WriterConfig", "OutputType"], "Edit result output type")} />
        <SelectField label="Transformation" testId="writer-transformation" value={text(state.ResultWriter, ["WriterConfig", "Transformation"])} options={["NONE", "COMPACT", "FLATTEN"]} onCommit={edit("ResultWriter", ["WriterConfig", "Transformation"], "Edit result transformation")} />
      </section>

      <TextField label="Label" testId="map-label" value={state.Label as string | undefined} help="Names the child executions (at most 40 characters)." onCommit={(l) => set({ Label: l }, "Edit Label")} />
    </div>
  );
}
