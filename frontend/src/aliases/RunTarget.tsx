/**
 * What a start runs: the draft, a published version, or an alias (which picks
 * the version by its routing). Loads the versions and aliases itself; with
 * none published, only the draft can run (and it says why).
 */
import { useEffect, useState } from "react";
import { errorMessage } from "../api/client";
import { listAliases, listVersions, routingText, type Alias, type VersionSummary } from "./aliasApi";

export type Target = { kind: "draft" } | { kind: "version"; number: number } | { kind: "alias"; name: string };

/** The start request's part that names the target (nothing for the draft). */
export function targetBody(target: Target): { version?: number; alias?: string } {
  if (target.kind === "version") return { version: target.number };
  if (target.kind === "alias") return { alias: target.name };
  return {};
}

export function targetValue(target: Target): string {
  return target.kind === "draft" ? "draft" : target.kind === "version" ? `version:${target.number}` : `alias:${target.name}`;
}

export function parseTarget(value: string): Target {
  if (value.startsWith("version:")) return { kind: "version", number: Number(value.slice(8)) };
  if (value.startsWith("alias:")) return { kind: "alias", name: value.slice(6) };
  return { kind: "draft" };
}

export interface RunTargetProps {
  workflowId: string;
  value: Target;
  onChange: (target: Target) => void;
}

export function RunTarget({ workflowId, value, onChange }: RunTargetProps) {
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [aliases, setAliases] = useState<Alias[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([listVersions(workflowId), listAliases(workflowId)])
      .then(([v, a]) => {
        if (!live) return;
        setVersions(v);
        setAliases(a);
      })
      .catch((err: unknown) => live && setError(`Versions and aliases could not be loaded (${errorMessage(err)}); the draft can still run.`));
    return () => {
      live = false;
    };
  }, [workflowId]);

  return (
    <div className="sy-field sy-run-target">
      <label htmlFor="sy-run-target">Run</label>
      <select id="sy-run-target" data-testid="run-target" value={targetValue(value)} onChange={(e) => onChange(parseTarget(e.target.value))}>
        <option value="draft">The draft (as saved)</option>
        {aliases.length > 0 ? (
          <optgroup label="Aliases">
            {aliases.map((a) => (
              <option key={a.name} value={`alias:${a.name}`}>
                Alias {a.name} ({routingText(a.routing)})
              </option>
            ))}
          </optgroup>
        ) : null}
        {versions.length > 0 ? (
          <optgroup label="Published versions">
            {versions.map((v) => (
              <option key={v.number} value={`version:${v.number}`}>
                Version {v.number}
                {v.description ? ` — ${v.description}` : ""}
              </option>
            ))}
          </optgroup>
        ) : null}
      </select>
      <span className="sy-field-help" data-testid="run-target-help">
        {error ??
          (value.kind === "draft"
            ? versions.length === 0
              ? "No version is published yet: publish one to run it, or an alias, by name."
              : "Unsaved changes are saved first."
            : value.kind === "version"
              ? `Runs version ${value.number} as published; the draft's changes are not part of it.`
              : "The alias picks the version by its routing; the execution records both.")}
      </span>
    </div>
  );
}

export default RunTarget;
