/**
 * The validator's findings, and first the code view's syntax error when its
 * text does not parse; clicking one selects its state and reveals it in the code.
 */
import { stateOfLocation } from "../asl/paths";
import { useStudio } from "../asl/store";
import type { Diagnostic } from "../asl/types";

export interface DiagnosticsPanelProps {
  onReveal: (diagnostic: Diagnostic, range?: { from: number; to: number }) => void;
  validating?: boolean;
}

export function DiagnosticsPanel({ onReveal, validating }: DiagnosticsPanelProps) {
  const diagnostics = useStudio((s) => s.diagnostics);
  const codeError = useStudio((s) => s.codeError);
  const select = useStudio((s) => s.select);
  const validatorErrors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - validatorErrors;
  const errors = validatorErrors + (codeError ? 1 : 0);
  return (
    <section className="sy-diagnostics" data-testid="diagnostics-panel" aria-label="Problems">
      <h4>
        Problems{" "}
        <span data-testid="diagnostics-count">
          {errors} error{errors === 1 ? "" : "s"}, {warnings} warning{warnings === 1 ? "" : "s"}
        </span>
        {validating ? <span className="sy-muted"> · checking…</span> : null}
      </h4>
      {codeError ? (
        <button
          type="button"
          className="sy-diagnostic sy-error"
          data-testid="diagnostic-syntax"
          onClick={() =>
            onReveal(
              { code: "SYNTAX_ERROR", severity: "error", location: "", message: codeError.message },
              { from: codeError.from, to: codeError.to },
            )
          }
        >
          <span className="sy-diagnostic-severity">error</span> <code>SYNTAX_ERROR</code> Line {codeError.line}, column {codeError.column}:{" "}
          {codeError.message} <span className="sy-muted">(code view; not saved until it parses)</span>
        </button>
      ) : null}
      {diagnostics.length === 0 && codeError ? null : diagnostics.length === 0 ? (
        <p className="sy-muted" data-testid="diagnostics-none">
          No problems found.
        </p>
      ) : (
        <ul>
          {diagnostics.map((d, i) => (
            <li key={`${d.code}-${d.location}-${i}`}>
              <button
                type="button"
                className={`sy-diagnostic sy-${d.severity}`}
                data-testid={`diagnostic-${i}`}
                onClick={() => {
                  const state = stateOfLocation(d.location);
                  if (state) select(state);
                  onReveal(d);
                }}
              >
                <span className="sy-diagnostic-severity">{d.severity}</span> <code>{d.code}</code> {d.message}{" "}
                <span className="sy-muted">{d.location || "(workflow)"}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
