/**
 * The form of a Task by kind (chosen by its `Resource`): HTTP, Python
 * function, activity, child workflow, and the task-token placement of a
 * callback (`.waitForTaskToken`). Every change is one undoable edit of the
 * state through `set`; the ASL produced is what docs/tasks/*.md show.
 */
import { useState } from "react";
import { errorMessage } from "../../api/client";
import { catalogPaths, createActivity, useCatalog, type Activity, type Connection, type PyFunction, type WorkflowItem } from "./catalog";
import { SelectField, TextField } from "./fields";
import { PayloadJson, PayloadText } from "./payloadFields";
import {
  FIELD_ORDER,
  HTTP_METHODS,
  activityArn,
  parseResource,
  patternsOf,
  payloadKey,
  payloadOf,
  placeToken,
  readField,
  resourceOf,
  tokenKeyIn,
  tokenTarget,
  workflowArn,
  writeField,
  type Pattern,
  type TaskKind,
} from "./taskKinds";

type Obj = Record<string, unknown>;
type Setter = (changes: Obj, label: string) => void;

const KINDS: { value: TaskKind; label: string }[] = [
  { value: "http", label: "HTTP request" },
  { value: "function", label: "Python function" },
  { value: "activity", label: "Activity" },
  { value: "child", label: "Child workflow" },
];

const PATTERN_LABELS: Record<Pattern, string> = {
  "": "Request-response (continue at once)",
  ".sync": "Wait for the child (.sync, JSON as text)",
  ".sync:2": "Wait for the child (.sync:2, JSON)",
  ".waitForTaskToken": "Wait for a callback (.waitForTaskToken)",
};

export interface TaskKindFormProps {
  state: Obj;
  jsonata: boolean;
  set: Setter;
  team: string;
  readOnly: boolean;
}

export function TaskKindForm({ state, jsonata, set, team, readOnly }: TaskKindFormProps) {
  const resource = typeof state.Resource === "string" ? state.Resource : "";
  const { kind, pattern } = parseResource(resource);
  const pk = payloadKey(jsonata);
  const payload = payloadOf(state, jsonata);
  const order = kind === "http" || kind === "function" || kind === "child" ? FIELD_ORDER[kind] : [];
  const write = (field: string, value: unknown) => {
    const next = writeField(payload, field, value, jsonata, order);
    set({ [pk]: Object.keys(next).length ? next : undefined }, `Edit ${field}`);
  };

  const changeKind = (next: string | undefined) => {
    if (!next || next === kind) return;
    if (next === "activity") return set({ Resource: activityArn("my-activity"), [pk]: undefined }, "Change task kind");
    const k = next as "http" | "function" | "child";
    const keep = Object.fromEntries(Object.entries(payload).filter(([key]) => !Object.values(FIELD_ORDER).flat().includes(key.replace(/\.\$$/, ""))));
    const start: Obj = k === "http" ? { ApiEndpoint: "https://api.example.com/", Method: "GET" } : {};
    set({ Resource: resourceOf(k, pattern), [pk]: { ...start, ...keep } }, "Change task kind");
  };

  return (
    <div className="sy-task-kind" data-testid="task-kind-form">
      <SelectField label="Kind" testId="task-kind" value={kind === "other" ? undefined : kind} options={KINDS} help={kind === "other" ? "Another integration: edit the Resource." : undefined} onCommit={changeKind} />
      {kind === "http" || kind === "function" || kind === "child" ? (
        <SelectField
          label="Integration pattern"
          testId="task-pattern"
          value={pattern}
          allowEmpty={false}
          options={patternsOf(kind).map((p) => ({ value: p, label: PATTERN_LABELS[p] }))}
          onCommit={(p) => set({ Resource: resourceOf(kind, (p ?? "") as Pattern) }, "Change integration pattern")}
        />
      ) : null}
      {kind === "http" ? <HttpForm payload={payload} jsonata={jsonata} write={write} team={team} /> : null}
      {kind === "function" ? <FunctionForm payload={payload} jsonata={jsonata} write={write} resource={resource} set={set} /> : null}
      {kind === "activity" ? <ActivityForm resource={resource} set={set} team={team} readOnly={readOnly} /> : null}
      {kind === "child" ? <ChildForm payload={payload} jsonata={jsonata} write={write} team={team} /> : null}
      {pattern === ".waitForTaskToken" ? <CallbackForm kind={kind} state={state} payload={payload} jsonata={jsonata} set={set} order={order} /> : null}
    </div>
  );
}

interface PartProps {
  payload: Obj;
  jsonata: boolean;
  write: (field: string, value: unknown) => void;
}

/** Options for a picker, plus the current value when the list does not have it. */
function withCurrent(options: { value: string; label: string }[], current: string | undefined) {
  return current && !options.some((o) => o.value === current) ? [...options, { value: current, label: current }] : options;
}

function HttpForm({ payload, jsonata, write, team }: PartProps & { team: string }) {
  const connections = useCatalog<Connection>(team ? catalogPaths.connections(team) : null);
  const auth = payload.Authentication as Obj | undefined;
  const arn = typeof auth?.ConnectionArn === "string" ? auth.ConnectionArn : undefined;
  const transform = (payload.Transform as Obj | undefined) ?? {};
  const options = (transform.RequestEncodingOptions as Obj | undefined) ?? {};
  const p = { payload, jsonata, onWrite: write };
  const setTransform = (encoding: string | undefined, arrayFormat: string | undefined) => {
    if (!encoding || encoding === "NONE") return write("Transform", encoding === "NONE" ? { RequestBodyEncoding: "NONE" } : undefined);
    write("Transform", { RequestBodyEncoding: encoding, ...(arrayFormat ? { RequestEncodingOptions: { ArrayFormat: arrayFormat } } : {}) });
  };
  return (
    <section className="sy-section" data-testid="http-form">
      <h4>HTTP request</h4>
      <SelectField label="Method" testId="http-method" value={readField(payload, "Method")} options={HTTP_METHODS} allowEmpty={false} onCommit={(m) => write("Method", m)} />
      <PayloadText {...p} label="Endpoint (ApiEndpoint)" testId="http-endpoint" field="ApiEndpoint" placeholder="https://api.example.com/customers/42" />
      <SelectField
        label="Connection"
        testId="http-connection"
        value={arn}
        options={withCurrent(
          connections.items.map((c) => ({ value: c.arn, label: `${c.name} (${c.auth_type})` })),
          arn,
        )}
        help={connections.error ? `Connections: ${connections.error}` : "A team connection adds its credentials to each call."}
        onCommit={(a) => write("Authentication", a ? { ConnectionArn: a } : undefined)}
      />
      <PayloadJson {...p} label="Headers" testId="http-headers" field="Headers" placeholder='{"Accept": "application/json"}' />
      <PayloadJson {...p} label="Query parameters" testId="http-query" field="QueryParameters" placeholder='{"expand": "orders"}' />
      <PayloadJson {...p} label="Request body" testId="http-body" field="RequestBody" placeholder='{"order.$": "$.orderId"}' />
      <SelectField label="Body encoding" testId="http-encoding" value={transform.RequestBodyEncoding as string | undefined} options={["NONE", "URL_ENCODED"]} onCommit={(e) => setTransform(e, options.ArrayFormat as string | undefined)} />
      {transform.RequestBodyEncoding === "URL_ENCODED" ? (
        <SelectField label="Array format" testId="http-array-format" value={options.ArrayFormat as string | undefined} options={["INDICES", "REPEAT", "COMMAS", "BRACKETS"]} help="Empty: INDICES." onCommit={(f) => setTransform("URL_ENCODED", f)} />
      ) : null}
      <p className="sy-field-help">The result is {"{StatusCode, StatusText, Headers, ResponseBody}"}: keep what you need with {jsonata ? "Output ({% $states.result.ResponseBody %})" : 'ResultSelector ({"customer.$": "$.ResponseBody"})'} below.</p>
    </section>
  );
}

function FunctionForm({ payload, jsonata, write, resource, set }: PartProps & { resource: string; set: Setter }) {
  const functions = useCatalog<PyFunction>(catalogPaths.functions());
  const arnForm = resource.startsWith("arn:aws:lambda:");
  const current = arnForm ? resource.replace(/^arn:aws:lambda:[^:]*:[^:]*:function:/, "") : readField(payload, "FunctionName");
  const doc = functions.items.find((f) => f.name === current)?.doc;
  const pick = (name: string | undefined) => {
    if (arnForm) return name && set({ Resource: resource.replace(/(:function:).*$/, `$1${name}`) }, "Change function");
    write("FunctionName", name);
  };
  return (
    <section className="sy-section" data-testid="function-form">
      <h4>Python function</h4>
      <SelectField
        label="Function"
        testId="function-name"
        value={current}
        options={withCurrent(
          functions.items.map((f) => ({ value: f.name, label: f.name })),
          current,
        )}
        help={functions.error ? `Functions: ${functions.error}` : doc || (current ? "No docstring." : "A function registered with @function(\"name\").")}
        onCommit={pick}
      />
      {!arnForm ? (
        <PayloadJson payload={payload} jsonata={jsonata} onWrite={write} label="Payload (the event)" testId="function-payload" field="Payload" placeholder={jsonata ? '"{% $states.input %}"' : '{"name.$": "$.customer"} or $'} />
      ) : (
        <p className="sy-field-help">Function ARN form: the Task's input is the event.</p>
      )}
    </section>
  );
}

function ActivityForm({ resource, set, team, readOnly }: { resource: string; set: Setter; team: string; readOnly: boolean }) {
  const activities = useCatalog<Activity>(team ? catalogPaths.activities(team) : null);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const create = async () => {
    if (readOnly || !name.trim()) return;
    try {
      const made = await createActivity(team, name.trim());
      setName("");
      setError(null);
      activities.reload();
      set({ Resource: made.arn }, "Use new activity");
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <section className="sy-section" data-testid="activity-form">
      <h4>Activity</h4>
      <SelectField
        label="Activity"
        testId="activity-picker"
        value={resource}
        allowEmpty={false}
        options={withCurrent(
          activities.items.map((a) => ({ value: a.arn, label: a.name })),
          resource,
        )}
        help={
          activities.error
            ? `Activities: ${activities.error}`
            : team && !activities.loading && !activities.items.some((a) => a.arn === resource)
              ? "This team has no such activity: pick one, or create it below."
              : "A worker polls the activity and answers with the task token."
        }
        onCommit={(a) => a && set({ Resource: a }, "Change activity")}
      />
      <div className="sy-field">
        <label htmlFor="sy-new-activity">New activity</label>
        <input id="sy-new-activity" data-testid="activity-new-name" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
        <button type="button" data-testid="activity-create" disabled={!team || !name.trim()} onClick={() => void create()}>
          Create and use
        </button>
        {error ? (
          <div className="sy-error" role="alert" data-testid="activity-create-error">
            {error}
          </div>
        ) : null}
      </div>
    </section>
  );
}

function ChildForm({ payload, jsonata, write, team }: PartProps & { team: string }) {
  const workflows = useCatalog<WorkflowItem>(team ? catalogPaths.workflows(team) : null);
  const arn = readField(payload, "StateMachineArn");
  const p = { payload, jsonata, onWrite: write };
  return (
    <section className="sy-section" data-testid="child-form">
      <h4>Child workflow</h4>
      <SelectField
        label="Workflow"
        testId="child-workflow"
        value={arn}
        options={withCurrent(
          workflows.items.map((w) => ({ value: workflowArn(w.name), label: w.name })),
          arn,
        )}
        help={workflows.error ? `Workflows: ${workflows.error}` : "A workflow of this team (its draft; add :<n> to the ARN for version n)."}
        onCommit={(a) => write("StateMachineArn", a)}
      />
      <PayloadJson {...p} label="Input" testId="child-input" field="Input" placeholder={jsonata ? '{"amount": "{% $states.input.total %}"}' : '{"amount.$": "$.total"}'} />
      <PayloadText {...p} label="Execution name" testId="child-name" field="Name" placeholder="Empty: a UUID" />
    </section>
  );
}

function CallbackForm({ kind, state, payload, jsonata, set, order }: { kind: TaskKind; state: Obj; payload: Obj; jsonata: boolean; set: Setter; order: readonly string[] }) {
  const target = tokenTarget(kind);
  const at = target ? tokenKeyIn(payload, target, jsonata) : null;
  const [key, setKey] = useState(at ?? "token");
  if (!target) return null;
  const put = () => {
    const k = key.trim() || "token";
    set({ [payloadKey(jsonata)]: placeToken(payload, target, k, jsonata, order) }, "Place task token");
  };
  return (
    <section className="sy-section" data-testid="callback-form">
      <h4>Callback</h4>
      <p className="sy-field-help" data-testid="callback-token-status">
        {at ? `The task token goes in ${target}.${at} (${jsonata ? "$states.context.Task.Token" : "$$.Task.Token"}).` : `The task token is not in ${target} yet: whoever answers needs it.`}
      </p>
      <TextField label={`Key in ${target}`} testId="callback-token-key" value={key} onCommit={(k) => setKey(k ?? "token")} />
      <button type="button" data-testid="callback-token-place" onClick={put}>
        Put the task token there
      </button>
      {state.TimeoutSeconds === undefined ? (
        <p className="sy-warning" data-testid="callback-timeout-warning">
          Without a Timeout the Task waits as long as the execution may run: set Timeout (s) (and Heartbeat (s) if the answerer sends heartbeats).
        </p>
      ) : null}
    </section>
  );
}
