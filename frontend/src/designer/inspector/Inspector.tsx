/**
 * The inspector: every setting of the selected state. Each edit goes
 * through the store's setDefinition with a label (one undo step each).
 */
import { useDeferredValue, useEffect, useMemo, useState } from "react";
import { useStudio } from "../../asl/store";
import { addBranch, removeBranch, renameState } from "../../asl/mutations";
import { allStatePaths, nameOf, pathOfName, scopeOf, statePath, statePathsIn } from "../../asl/paths";
import { uniqueName } from "../../asl/templates";
import type { Definition } from "../../asl/types";
import { setStateFields, stateAt } from "../edit";
import { ChoiceEditor } from "./ChoiceEditor";
import { CatchEditor, RetryEditor } from "./ErrorHandling";
import { CheckboxField, JsonField, NullablePathField, NumberField, SelectField, TextField } from "./fields";
import { StatePreview } from "./StatePreview";
import "./inspector-forms.css";
import { DistributedMapForm } from "./DistributedMapForm";
import { TaskKindForm } from "./TaskKindForm";
import { VariablesPanel } from "./VariablesPanel";
import { ExpressionField } from "./ExpressionField";
import type { ExpressionField as Where } from "./jsonataCompletion";
import { variablesVisibleAt } from "./variableScope";
import type { Rule } from "./choiceRules";

type Obj = Record<string, unknown>;

const NAME_MAX = 80;

function NameField({ path, definition }: { path: string; definition: Definition }) {
  const setDefinition = useStudio((s) => s.setDefinition);
  const name = nameOf(path);
  const [text, setText] = useState(name);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(name);
    setError(null);
  }, [name]);
  const commit = () => {
    const next = text;
    if (next === name) return;
    if (!next.trim()) return setError("A name is required.");
    if (next.length > NAME_MAX) return setError(`At most ${NAME_MAX} characters.`);
    if (pathOfName(definition, next)) return setError(`A state named “${next}” already exists.`);
    setError(null);
    try {
      const updated = renameState(definition, path, next);
      setDefinition(updated, `Rename ${name} to ${next}`, { selection: statePath(scopeOf(path), next) });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <div className="sy-field">
      <label htmlFor="sy-state-name">Name</label>
      <input
        id="sy-state-name"
        data-testid="inspector-name"
        value={text}
        aria-invalid={error ? true : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
          if (e.key === "Escape") setText(name);
        }}
      />
      {error ? (
        <div className="sy-error" role="alert" data-testid="inspector-name-error">
          {error}
        </div>
      ) : null}
    </div>
  );
}

/** Keyboard way to select any state (the canvas needs a pointer). */
function StatePicker() {
  const definition = useStudio((s) => s.definition);
  const selection = useStudio((s) => s.selection);
  const select = useStudio((s) => s.select);
  // the options change with the definition only (not with the selection): hundreds at a few hundred states
  const options = useMemo(
    () =>
      allStatePaths(definition).map((p) => (
        <option key={p} value={p}>
          {"\u00a0\u00a0".repeat(Math.max(0, (p.match(/\/States\//g)?.length ?? 1) - 1))}
          {nameOf(p)}
        </option>
      )),
    [definition],
  );
  return (
    <div className="sy-field">
      <label htmlFor="sy-state-picker">State</label>
      <select id="sy-state-picker" data-testid="inspector-state-picker" value={selection ?? ""} onChange={(e) => select(e.target.value || null)}>
        <option value="">(workflow settings)</option>
        {options}
      </select>
    </div>
  );
}

export interface InspectorProps {
  readOnly?: boolean;
  /** Why editing is off (the title of the disabled fields). */
  readOnlyReason?: string | null;
  /** Why previewing (running) a state is off. */
  runReason?: string | null;
  workflowId?: string;
  /** The workflow's team (slug): the task pickers list its connections, activities and workflows. */
  team?: string;
}

export function Inspector({ readOnly = false, readOnlyReason = null, runReason = null, workflowId = "", team = "" }: InspectorProps) {
  const why = readOnly ? (readOnlyReason ?? "You cannot edit this workflow.") : undefined;
  const definition = useStudio((s) => s.definition);
  const selection = useStudio((s) => s.selection);
  const setDefinition = useStudio((s) => s.setDefinition);
  // the variables an expression may complete: a step behind while the definition changes
  const settled = useDeferredValue(definition);

  if (!selection) {
    return (
      <aside className="sy-inspector" data-testid="inspector" aria-label="Inspector">
        <StatePicker />
        <p className="sy-muted" data-testid="inspector-empty">
          Select a state to edit it. Use the palette (or Tab to it and press Enter) to add one.
        </p>
        <fieldset disabled={readOnly} className="sy-fieldset" title={why} data-testid="machine-settings-fieldset">
          <MachineSettings />
        </fieldset>
        <VariablesPanel />
      </aside>
    );
  }

  const path = selection;
  const state = stateAt(definition, path);
  const type = String(state.Type ?? "");
  const topJsonata = definition.QueryLanguage === "JSONata";
  const jsonata = state.QueryLanguage === "JSONata" || (topJsonata && state.QueryLanguage !== "JSONPath");
  const targets = statePathsIn(definition, scopeOf(path)).map(nameOf);
  const name = nameOf(path);

  const set = (changes: Obj, label: string) => {
    if (readOnly) return;
    setDefinition(setStateFields(definition, path, changes), `${label} (${name})`);
  };
  const field = (key: string, label = `Edit ${key}`) => (value: unknown) => set({ [key]: value }, label);
  const v = <T,>(key: string) => state[key] as T | undefined;

  const variables = variablesVisibleAt(settled, path);
  const inMap = /\/(ItemProcessor|Iterator)\//.test(path);
  const where = (f: Where) => ({ field: f, stateType: type, variables, inMap });

  const terminal = type === "Succeed" || type === "Fail" || type === "Choice";
  const hasResult = type === "Task" || type === "Parallel" || type === "Map" || type === "Pass";
  const hasErrorHandling = type === "Task" || type === "Parallel" || type === "Map";

  return (
    <aside className="sy-inspector" data-testid="inspector" aria-label="Inspector">
      <StatePicker />
      <header className="sy-inspector-head">
        <span className={`sy-badge sy-badge-${type.toLowerCase()}`} data-testid="inspector-type">
          {type || "?"}
        </span>
      </header>
      <fieldset disabled={readOnly} className="sy-fieldset" title={why} data-testid="inspector-fieldset">
        <NameField path={path} definition={definition} />
        <TextField label="Comment" testId="inspector-comment" value={v<string>("Comment")} onCommit={field("Comment")} />
        {!topJsonata ? (
          <SelectField
            label="Query language"
            testId="inspector-query-language"
            value={v<string>("QueryLanguage")}
            options={["JSONPath", "JSONata"]}
            help="Empty: the workflow's (JSONPath)."
            onCommit={field("QueryLanguage", "Change query language")}
          />
        ) : null}

        {type === "Pass" ? <JsonField label="Result" testId="pass-result" value={state.Result} onCommit={field("Result")} /> : null}

        {type === "Wait" ? <WaitConfig state={state} jsonata={jsonata} set={set} /> : null}

        {type === "Fail" ? (
          <section className="sy-section">
            <h4>Failure</h4>
            <TextField label="Error" testId="fail-error" value={v<string>("Error")} onCommit={field("Error")} />
            <TextField label="Cause" testId="fail-cause" value={v<string>("Cause")} onCommit={field("Cause")} />
            {!jsonata ? (
              <>
                <TextField label="Error path" testId="fail-error-path" value={v<string>("ErrorPath")} placeholder="$.error" onCommit={field("ErrorPath")} />
                <TextField label="Cause path" testId="fail-cause-path" value={v<string>("CausePath")} placeholder="$.cause" onCommit={field("CausePath")} />
              </>
            ) : null}
          </section>
        ) : null}

        {type === "Task" ? <TaskConfig state={state} jsonata={jsonata} set={set} team={team} readOnly={readOnly} /> : null}

        {type === "Map" ? <MapConfig state={state} jsonata={jsonata} set={set} /> : null}

        {type === "Parallel" ? <ParallelConfig path={path} state={state} definition={definition} /> : null}

        {type === "Choice" ? (
          <ChoiceEditor
            choices={(state.Choices as Rule[] | undefined) ?? []}
            defaultNext={v<string>("Default")}
            targets={targets}
            jsonata={jsonata}
            where={where("Condition")}
            readOnly={readOnly}
            reason={why}
            onChoices={(choices, label) => set({ Choices: choices }, label)}
            onDefault={(d) => set({ Default: d }, "Change Choice default")}
          />
        ) : null}

        {!terminal ? (
          <section className="sy-section">
            <h4>Next</h4>
            <CheckboxField label="End here" testId="inspector-end" value={state.End === true} onCommit={(end) => set(end ? { End: true, Next: undefined } : { End: undefined, Next: targets.find((t) => t !== name) ?? name }, end ? "End here" : "Continue")} />
            {state.End !== true ? (
              <SelectField label="Next state" testId="inspector-next" value={v<string>("Next")} options={targets} allowEmpty={false} onCommit={(n) => set({ Next: n, End: undefined }, "Change Next")} />
            ) : null}
          </section>
        ) : null}

        {type !== "Fail" ? (
          <section className="sy-section" data-testid="io-section">
            <h4>Input and output</h4>
            {jsonata ? (
              <>
                {type === "Task" || type === "Parallel" ? (
                  <ExpressionField label="Arguments" testId="io-arguments" value={state.Arguments} where={where("Arguments")} disabled={readOnly} placeholder='{"key": "{% $states.input.value %}"}' onCommit={field("Arguments")} />
                ) : null}
                <ExpressionField label="Output" testId="io-output" value={state.Output} where={where("Output")} disabled={readOnly} placeholder='"{% $states.result %}"' onCommit={field("Output")} />
              </>
            ) : (
              <>
                <NullablePathField label="InputPath" testId="io-input-path" value={state.InputPath as string | null | undefined} placeholder="$" onCommit={field("InputPath")} />
                {type === "Pass" || type === "Task" || type === "Parallel" ? (
                  <JsonField label="Parameters" testId="io-parameters" value={state.Parameters} placeholder='{"key.$": "$.value"}' onCommit={field("Parameters")} />
                ) : null}
                {type === "Task" || type === "Parallel" || type === "Map" ? (
                  <JsonField label="ResultSelector" testId="io-result-selector" value={state.ResultSelector} onCommit={field("ResultSelector")} />
                ) : null}
                {hasResult ? (
                  <NullablePathField label="ResultPath" testId="io-result-path" value={state.ResultPath as string | null | undefined} placeholder="$" onCommit={field("ResultPath")} />
                ) : null}
                <NullablePathField label="OutputPath" testId="io-output-path" value={state.OutputPath as string | null | undefined} placeholder="$" onCommit={field("OutputPath")} />
              </>
            )}
            {type !== "Succeed" ? (
              jsonata ? (
                <ExpressionField label="Assign (variables)" testId="io-assign" value={state.Assign} where={where("Assign")} disabled={readOnly} placeholder='{"total": "{% $states.input.total %}"}' onCommit={field("Assign", "Edit variables")} />
              ) : (
                <JsonField label="Assign (variables)" testId="io-assign" value={state.Assign} placeholder='{"total.$": "$.total"}' onCommit={field("Assign", "Edit variables")} />
              )
            ) : null}
          </section>
        ) : null}

        {hasErrorHandling ? (
          <>
            <RetryEditor retry={(state.Retry as Obj[] | undefined) ?? []} onChange={(list, label) => set({ Retry: list }, label)} />
            <CatchEditor catchers={(state.Catch as Obj[] | undefined) ?? []} targets={targets} jsonata={jsonata} where={where("CatchOutput")} readOnly={readOnly} onChange={(list, label) => set({ Catch: list }, label)} />
          </>
        ) : null}
      </fieldset>
      <VariablesPanel only={path} />
      <StatePreview
        key={path}
        state={state}
        isTask={type === "Task"}
        workflowId={workflowId}
        stateName={path.split("/").pop()?.replace(/~1/g, "/").replace(/~0/g, "~")}
        queryLanguage={(state.QueryLanguage as string | undefined) ?? (definition.QueryLanguage as string | undefined)}
        runReason={runReason}
      />
    </aside>
  );
}

type Setter = (changes: Obj, label: string) => void;

const WAIT_FIELDS = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"] as const;

function WaitConfig({ state, jsonata, set }: { state: Obj; jsonata: boolean; set: Setter }) {
  const options = jsonata ? ["Seconds", "Timestamp"] : [...WAIT_FIELDS];
  const current = WAIT_FIELDS.find((f) => f in state) ?? "Seconds";
  const raw = state[current];
  const clear = Object.fromEntries(WAIT_FIELDS.map((f) => [f, undefined]));
  const commit = (field: string, text: string | undefined) => {
    let value: unknown = text ?? "";
    if (field === "Seconds" && text !== undefined && /^\d+$/.test(text.trim())) value = Number(text);
    set({ ...clear, [field]: value === "" ? (field === "Seconds" ? 0 : "") : value }, `Edit Wait ${field}`);
  };
  return (
    <section className="sy-section" data-testid="wait-config">
      <h4>Wait</h4>
      <SelectField label="Wait for" testId="wait-mode" value={current} options={options} allowEmpty={false} onCommit={(m) => commit(m ?? "Seconds", m === "Seconds" ? "5" : m === "Timestamp" ? "2030-01-01T00:00:00Z" : "$.wait")} />
      <TextField label={current} testId="wait-value" value={raw === undefined ? undefined : String(raw)} onCommit={(t) => commit(current, t)} />
    </section>
  );
}

function TaskConfig({ state, jsonata, set, team, readOnly }: { state: Obj; jsonata: boolean; set: Setter; team: string; readOnly: boolean }) {
  const field = (key: string) => (value: unknown) => set({ [key]: value }, `Edit ${key}`);
  const resource = typeof state.Resource === "string" ? state.Resource : "";
  return (
    <section className="sy-section" data-testid="task-config">
      <h4>Task</h4>
      <TextField label="Resource" testId="task-resource" value={resource} onCommit={(r) => set({ Resource: r ?? "" }, "Edit Resource")} />
      <TaskKindForm state={state} jsonata={jsonata} set={set} team={team} readOnly={readOnly} />
      <NumberField label="Timeout (s)" testId="task-timeout" integer min={1} value={state.TimeoutSeconds as number | undefined} onCommit={field("TimeoutSeconds")} />
      <NumberField label="Heartbeat (s)" testId="task-heartbeat" integer min={1} value={state.HeartbeatSeconds as number | undefined} onCommit={field("HeartbeatSeconds")} />
      {!jsonata ? (
        <>
          <TextField label="Timeout path" testId="task-timeout-path" value={state.TimeoutSecondsPath as string | undefined} onCommit={field("TimeoutSecondsPath")} />
          <TextField label="Heartbeat path" testId="task-heartbeat-path" value={state.HeartbeatSecondsPath as string | undefined} onCommit={field("HeartbeatSecondsPath")} />
        </>
      ) : null}
      <JsonField label="Credentials" testId="task-credentials" rows={2} value={state.Credentials} onCommit={field("Credentials")} />
    </section>
  );
}

function MapConfig({ state, jsonata, set }: { state: Obj; jsonata: boolean; set: Setter }) {
  const field = (key: string) => (value: unknown) => set({ [key]: value }, `Edit ${key}`);
  const processor = (state.ItemProcessor as Obj | undefined) ?? undefined;
  const config = (processor?.ProcessorConfig as Obj | undefined) ?? {};
  const setConfig = (key: string, value: unknown, label: string) => {
    if (!processor) return;
    const nextConfig: Obj = { ...config };
    if (value === undefined) delete nextConfig[key];
    else nextConfig[key] = value;
    if (key === "Mode" && value !== "DISTRIBUTED") delete nextConfig.ExecutionType;
    if (key === "Mode" && value === "DISTRIBUTED" && !nextConfig.ExecutionType) nextConfig.ExecutionType = "STANDARD";
    set({ ItemProcessor: { ...processor, ProcessorConfig: nextConfig } }, label);
  };
  const distributed = config.Mode === "DISTRIBUTED";
  return (
    <section className="sy-section" data-testid="map-config">
      <h4>Map</h4>
      {jsonata ? (
        <JsonField label="Items" testId="map-items" rows={2} value={state.Items} placeholder='"{% $states.input.items %}"' onCommit={field("Items")} />
      ) : (
        <TextField label="ItemsPath" testId="map-items-path" value={state.ItemsPath as string | undefined} placeholder="$.items" onCommit={field("ItemsPath")} />
      )}
      <JsonField label="ItemSelector" testId="map-item-selector" value={state.ItemSelector} onCommit={field("ItemSelector")} />
      <NumberField label="Max concurrency" testId="map-max-concurrency" integer min={0} value={state.MaxConcurrency as number | undefined} help="0 or empty: no limit." onCommit={field("MaxConcurrency")} />
      <NumberField label="Tolerated failure %" testId="map-tolerated-percentage" min={0} value={state.ToleratedFailurePercentage as number | undefined} onCommit={field("ToleratedFailurePercentage")} />
      <NumberField label="Tolerated failure count" testId="map-tolerated-count" integer min={0} value={state.ToleratedFailureCount as number | undefined} onCommit={field("ToleratedFailureCount")} />
      {!jsonata ? (
        <>
          <TextField label="Max concurrency path" testId="map-max-concurrency-path" value={state.MaxConcurrencyPath as string | undefined} onCommit={field("MaxConcurrencyPath")} />
          <TextField label="Tolerated failure % path" testId="map-tolerated-percentage-path" value={state.ToleratedFailurePercentagePath as string | undefined} onCommit={field("ToleratedFailurePercentagePath")} />
          <TextField label="Tolerated failure count path" testId="map-tolerated-count-path" value={state.ToleratedFailureCountPath as string | undefined} onCommit={field("ToleratedFailureCountPath")} />
        </>
      ) : null}
      {processor ? (
        <>
          <SelectField label="Mode" testId="map-mode" value={(config.Mode as string | undefined) ?? "INLINE"} options={["INLINE", "DISTRIBUTED"]} allowEmpty={false} onCommit={(m) => setConfig("Mode", m, "Change Map mode")} />
          {distributed ? (
            <>
              <SelectField label="Execution type" testId="map-execution-type" value={config.ExecutionType as string | undefined} options={["STANDARD", "EXPRESS"]} allowEmpty={false} onCommit={(t) => setConfig("ExecutionType", t, "Change Map execution type")} />
              <DistributedMapForm state={state} jsonata={jsonata} set={set} />
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function ParallelConfig({ path, state, definition }: { path: string; state: Obj; definition: Definition }) {
  const setDefinition = useStudio((s) => s.setDefinition);
  const branches = (state.Branches as Obj[] | undefined) ?? [];
  const add = () => {
    setDefinition(addBranch(definition, path, uniqueName(definition, "Branch step")), `Add branch (${nameOf(path)})`);
  };
  const remove = (index: number) => {
    setDefinition(removeBranch(definition, path, index), `Remove branch ${index + 1} (${nameOf(path)})`, { selection: path });
  };
  return (
    <section className="sy-section" data-testid="parallel-config">
      <h4>Branches</h4>
      <ol>
        {branches.map((b, i) => (
          <li key={i} data-testid={`branch-${i}`}>
            {String(b.StartAt ?? "(empty)")} · {Object.keys((b.States as Obj | undefined) ?? {}).length} states{" "}
            <button type="button" data-testid={`branch-${i}-remove`} disabled={branches.length <= 1} onClick={() => remove(i)}>
              Remove
            </button>
          </li>
        ))}
      </ol>
      <button type="button" data-testid="branch-add" onClick={add}>
        Add branch
      </button>
    </section>
  );
}

function MachineSettings() {
  const definition = useStudio((s) => s.definition);
  const setDefinition = useStudio((s) => s.setDefinition);
  const set = (key: string, label: string) => (value: unknown) => setDefinition(setStateFields(definition, "", { [key]: value }), label);
  const starts = statePathsIn(definition, "").map(nameOf);
  return (
    <section className="sy-section" data-testid="machine-settings">
      <h4>Workflow</h4>
      <TextField label="Comment" testId="machine-comment" value={definition.Comment as string | undefined} onCommit={set("Comment", "Edit workflow comment")} />
      <SelectField label="Start at" testId="machine-start-at" value={definition.StartAt} options={starts} allowEmpty={false} onCommit={set("StartAt", "Change StartAt")} />
      <SelectField label="Query language" testId="machine-query-language" value={definition.QueryLanguage} options={["JSONPath", "JSONata"]} onCommit={set("QueryLanguage", "Change query language")} />
      <NumberField label="Timeout (s)" testId="machine-timeout" integer min={1} value={definition.TimeoutSeconds} onCommit={set("TimeoutSeconds", "Edit workflow timeout")} />
    </section>
  );
}
