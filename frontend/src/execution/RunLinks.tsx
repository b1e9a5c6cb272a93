/**
 * What ran and where it came from, for the execution view's header: the
 * version (and alias) it ran, how often it was redriven, the execution it
 * re-runs (and from which state) and its own re-runs.
 */
import { formatTime } from "./format";
import type { RunFacts } from "./runsApi";
import "./runs.css";

/** "version 3 via alias live", "version 3", "draft". */
export function versionText(version: number | null | undefined, alias: string | null | undefined): string {
  if (!version) return "draft";
  return alias ? `version ${version} via alias ${alias}` : `version ${version}`;
}

export function RedriveBadge({ count, date }: { count: number; date?: string | null }) {
  if (!count) return null;
  return (
    <span className="exec-badge exec-redriven" data-testid="execution-redrive-count" data-count={count} title={`Last redriven ${formatTime(date)}`}>
      Redriven ×{count}
    </span>
  );
}

export function RerunLinks({ facts }: { facts: RunFacts }) {
  return (
    <>
      {facts.rerun_of ? (
        <p className="exec-muted" data-testid="execution-rerun-of">
          Re-run of{" "}
          <a href={`/executions/${facts.rerun_of.id}/`} data-testid="execution-rerun-of-link">
            {facts.rerun_of.name}
          </a>
          {facts.rerun_state ? ` from ${facts.rerun_state}` : ""}
        </p>
      ) : null}
      {facts.reruns && facts.reruns.length > 0 ? (
        <p className="exec-muted" data-testid="execution-reruns">
          Re-runs:{" "}
          {facts.reruns.map((r, index) => (
            <span key={r.id}>
              {index > 0 ? ", " : ""}
              <a href={`/executions/${r.id}/`} data-testid={`execution-rerun-${r.id}`}>
                {r.name}
              </a>{" "}
              (from {r.state}, <span className={`exec-badge exec-exec-${r.status.toLowerCase()}`}>{r.status}</span>)
            </span>
          ))}
        </p>
      ) : null}
    </>
  );
}
