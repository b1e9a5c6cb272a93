/**
 * What ran and where it came from: the version (and alias) it ran, how often
 * it was redriven, the execution it re-runs (and from which state) and its own
 * re-runs (the header says it briefly; the side column in full).
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

/**
 * The run's facts for the side column (the header is one line and truncates):
 * version, alias, redrives, the execution it re-runs and its own re-runs.
 */
export function RunFactsList({ facts, version, redriveCount }: { facts: RunFacts; version: number | null; redriveCount: number }) {
  return (
    <dl className="exec-run-facts" data-testid="execution-run-facts">
      <dt>Version</dt>
      <dd data-testid="run-fact-version">{version ? `Version ${version}` : "Draft (as it was then)"}</dd>
      <dt>Alias</dt>
      <dd data-testid="run-fact-alias">{facts.alias ?? "–"}</dd>
      {redriveCount > 0 ? (
        <>
          <dt>Redrives</dt>
          <dd data-testid="run-fact-redrives">
            {redriveCount}, last {formatTime(facts.redrive_date)}
          </dd>
        </>
      ) : null}
      {facts.rerun_of ? (
        <>
          <dt>Re-run of</dt>
          <dd data-testid="execution-rerun-of">
            <a href={`/executions/${facts.rerun_of.id}/`} data-testid="execution-rerun-of-link">
              {facts.rerun_of.name}
            </a>
            {facts.rerun_state ? ` from ${facts.rerun_state}` : ""}
          </dd>
        </>
      ) : null}
      {facts.reruns && facts.reruns.length > 0 ? (
        <>
          <dt>Re-runs</dt>
          <dd data-testid="execution-reruns">
            <ul className="exec-rerun-list">
              {facts.reruns.map((r) => (
                <li key={r.id}>
                  <a href={`/executions/${r.id}/`} data-testid={`execution-rerun-${r.id}`}>
                    {r.name}
                  </a>{" "}
                  from {r.state} <span className={`exec-badge exec-exec-${r.status.toLowerCase()}`}>{r.status}</span>
                </li>
              ))}
            </ul>
          </dd>
        </>
      ) : null}
    </dl>
  );
}
