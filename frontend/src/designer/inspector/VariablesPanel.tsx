/**
 * The Variables panel: each workflow variable, the states assigning and
 * reading it (buttons that select the state), and the reads out of scope
 * (from `analyzeVariables`, shared through `variableReport`). Read-only: it
 * edits nothing.
 */
import { useDeferredValue } from "react";
import { useStudio } from "../../asl/store";
import { nameOf } from "../../asl/paths";
import { variableReport } from "./variableScope";

function StateLinks({ paths, testId }: { paths: string[]; testId: string }) {
  const select = useStudio((s) => s.select);
  if (paths.length === 0) return <span className="sy-muted">nowhere</span>;
  return (
    <span data-testid={testId}>
      {paths.map((p, i) => (
        <button key={p + i} type="button" className="sy-link" title={p} onClick={() => select(p)}>
          {nameOf(p)}
        </button>
      ))}
    </span>
  );
}

export function VariablesPanel({ only }: { only?: string }) {
  // a step behind the definition while it changes: an edit shows in the graph first
  const definition = useDeferredValue(useStudio((s) => s.definition));
  const report = variableReport(definition);
  const problems = only ? report.problems.filter((p) => p.path === only) : report.problems;
  const variables = only ? report.variables.filter((v) => v.assigned.includes(only) || v.read.includes(only)) : report.variables;
  if (only && variables.length === 0 && problems.length === 0) return null;
  return (
    <section className="sy-section" data-testid="variables-panel" aria-label="Variables">
      <h4>Variables</h4>
      {variables.length === 0 ? <p className="sy-muted">No variables: add them with Assign.</p> : null}
      <ul className="sy-variables">
        {variables.map((v) => (
          <li key={v.name} data-testid={`variable-${v.name}`}>
            <code>${v.name}</code> assigned in <StateLinks paths={v.assigned} testId={`variable-${v.name}-assigned`} />; read in{" "}
            <StateLinks paths={v.read} testId={`variable-${v.name}-read`} />
          </li>
        ))}
      </ul>
      {problems.length ? (
        <ul className="sy-variable-problems" data-testid="variable-problems">
          {problems.map((p, i) => (
            <li key={i} className="sy-warning" data-testid={`variable-problem-${p.kind}`}>
              {nameOf(p.path)}: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
