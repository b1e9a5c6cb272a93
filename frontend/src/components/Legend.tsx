/** The status legend of a run's graph: each status's swatch (fill and border, as on the nodes) and icon. */
import type { RunStatus } from "./flowTypes";
import { StatusIcon } from "./icons";

export const STATUS_LABELS: Record<RunStatus, string> = {
  succeeded: "Succeeded",
  running: "Running",
  failed: "Failed",
  caught: "Caught",
  cancelled: "Cancelled",
  notrun: "Not run",
};

export function Legend() {
  return (
    <ul className="sy-legend" data-testid="graph-legend" aria-label="Legend">
      {(Object.keys(STATUS_LABELS) as RunStatus[]).map((status) => (
        <li key={status} data-testid={`legend-${status}`}>
          <span className={`sy-swatch sy-status-${status}`} aria-hidden="true">
            <StatusIcon status={status} size={12} />
          </span>
          {STATUS_LABELS[status]}
        </li>
      ))}
    </ul>
  );
}
