/**
 * The execution's error banner: the error name, then its cause. A function's
 * cause is a JSON object (`errorMessage`, `errorType`, `stackTrace`, ...): its
 * message is shown as text, the stack trace folded in a <details>, the other
 * fields below it. Any other cause is shown as it is. The box scrolls and can
 * be dragged taller, so nothing is cut off.
 */

export interface FunctionCause {
  message: string;
  type?: string;
  stackTrace?: string;
  /** The remaining fields (requestId, ...), as `key: value` lines. */
  rest: [string, string][];
}

function asText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A function's cause read from its JSON text; null when it is not one. */
export function functionCause(cause: string | undefined): FunctionCause | null {
  if (!cause || !cause.trimStart().startsWith("{")) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(cause);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return null;
  const { errorMessage, errorType, stackTrace, ...rest } = parsed as Record<string, unknown>;
  if (typeof errorMessage !== "string") return null;
  const trace = Array.isArray(stackTrace) ? stackTrace.map(asText).join("") : stackTrace === undefined ? undefined : asText(stackTrace);
  return {
    message: errorMessage,
    type: typeof errorType === "string" ? errorType : undefined,
    stackTrace: trace?.trimEnd() || undefined,
    rest: Object.entries(rest).map(([key, value]) => [key, asText(value)]),
  };
}

export function ErrorBanner({ error, cause }: { error?: string; cause?: string }) {
  const parsed = functionCause(cause);
  return (
    <div className="exec-error" data-testid="execution-error" role="alert">
      <strong>{error}</strong>
      {parsed ? (
        <div data-testid="execution-cause">
          <p className="exec-error-message" data-testid="execution-error-message">
            {parsed.message}
          </p>
          {parsed.stackTrace && (
            <details className="exec-error-trace" data-testid="execution-stack-trace">
              <summary>Stack trace</summary>
              <pre>{parsed.stackTrace}</pre>
            </details>
          )}
          {parsed.rest.length > 0 && (
            <dl className="exec-error-rest">
              {parsed.rest.map(([key, value]) => (
                <div key={key}>
                  <dt>{key}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          )}
        </div>
      ) : (
        cause && <pre data-testid="execution-cause">{cause}</pre>
      )}
    </div>
  );
}
