/**
 * "Preview": POST the selected state and a sample input to
 * `/api/test-state/` (AWS TestState-like) and show each processing step.
 */
import { useState } from "react";
import { api, ApiError } from "../../api/client";
import { Notice } from "../../ui/Notice";

export interface TestStateSteps {
  input?: unknown;
  afterInputPath?: unknown;
  afterParameters?: unknown;
  afterArguments?: unknown;
  result?: unknown;
  afterResultSelector?: unknown;
  afterResultPath?: unknown;
  output?: unknown;
  variables?: unknown;
}

/** What `POST /api/test-state/` answers (AWS TestState's shape). */
export interface TestStateResponse {
  output?: unknown;
  error?: string | null;
  cause?: string | null;
  nextState?: string | null;
  status?: string;
  inspectionData?: TestStateSteps | null;
  /** Older name of inspectionData, still accepted. */
  steps?: TestStateSteps;
}

const STEP_LABELS: [keyof TestStateSteps, string][] = [
  ["afterInputPath", "After InputPath"],
  ["afterParameters", "After Parameters"],
  ["afterArguments", "After Arguments"],
  ["result", "Result"],
  ["afterResultSelector", "After ResultSelector"],
  ["afterResultPath", "After ResultPath"],
  ["output", "Output"],
  ["variables", "Variables"],
];

function stepsOf(answer: TestStateResponse): TestStateSteps | undefined {
  const data = answer.inspectionData ?? answer.steps;
  if (!data) return undefined;
  const present = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== null && v !== undefined));
  return present as TestStateSteps;
}

function show(value: unknown): string {
  return value === undefined ? "—" : JSON.stringify(value, null, 2);
}

export interface StatePreviewProps {
  state: Record<string, unknown>;
  isTask: boolean;
  /** The workflow the state belongs to (the server checks the caller may run it). */
  workflowId?: string;
  stateName?: string;
  queryLanguage?: string;
  /** Why the caller may not preview (run) the state; the button is then disabled and says so. */
  runReason?: string | null;
}

export function StatePreview({ state, isTask, workflowId, stateName, queryLanguage, runReason }: StatePreviewProps) {
  const [input, setInput] = useState("{}");
  const [mock, setMock] = useState("");
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<TestStateResponse | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const run = async () => {
    setProblem(null);
    setAnswer(null);
    let parsedInput: unknown;
    let parsedMock: unknown;
    try {
      parsedInput = JSON.parse(input || "{}");
    } catch {
      setProblem("The sample input is not valid JSON.");
      return;
    }
    if (mock.trim()) {
      try {
        parsedMock = JSON.parse(mock);
      } catch {
        setProblem("The mock result is not valid JSON.");
        return;
      }
    }
    setBusy(true);
    try {
      const body: Record<string, unknown> = { definition: state, input: parsedInput };
      if (workflowId) body.workflow = workflowId;
      if (stateName) body.stateName = stateName;
      if (queryLanguage) body.queryLanguage = queryLanguage;
      if (parsedMock !== undefined) body.mock = { result: parsedMock };
      setAnswer(await api.post<TestStateResponse>("/test-state/", body));
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 405)) setProblem("Preview unavailable: the server has no state test endpoint.");
      else setProblem(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="sy-section" data-testid="state-preview">
      <h4>Preview</h4>
      <label htmlFor="sy-preview-input">Sample input (JSON)</label>
      <textarea id="sy-preview-input" data-testid="preview-input" className="sy-json" rows={3} value={input} onChange={(e) => setInput(e.target.value)} spellCheck={false} />
      {isTask ? (
        <>
          <label htmlFor="sy-preview-mock">Mocked task result (JSON, optional)</label>
          <textarea id="sy-preview-mock" data-testid="preview-mock" className="sy-json" rows={2} value={mock} onChange={(e) => setMock(e.target.value)} spellCheck={false} />
        </>
      ) : null}
      <button type="button" data-testid="preview-run" disabled={busy || !!runReason} title={runReason ?? undefined} onClick={() => void run()}>
        {busy ? "Running…" : "Preview"}
      </button>
      {problem ? (
        <Notice kind="error" testId="preview-problem">
          {problem}
        </Notice>
      ) : null}
      {answer ? (
        <div data-testid="preview-result">
          {answer.error ? (
            <p className="sy-error" data-testid="preview-error">
              {answer.error}
              {answer.cause ? `: ${answer.cause}` : ""}
            </p>
          ) : null}
          {answer.nextState ? <p data-testid="preview-next">Next: {answer.nextState}</p> : null}
          <dl className="sy-steps">
            {STEP_LABELS.filter(([key]) => { const steps = stepsOf(answer); return steps !== undefined && key in steps; }).map(([key, label]) => (
              <div key={key} data-testid={`preview-step-${key}`}>
                <dt>{label}</dt>
                <dd>
                  <pre>{show(stepsOf(answer)?.[key])}</pre>
                </dd>
              </div>
            ))}
            {!stepsOf(answer) || !("output" in (stepsOf(answer) ?? {})) ? (
              <div data-testid="preview-step-output">
                <dt>Output</dt>
                <dd>
                  <pre>{show(answer.output)}</pre>
                </dd>
              </div>
            ) : null}
          </dl>
        </div>
      ) : null}
    </section>
  );
}
