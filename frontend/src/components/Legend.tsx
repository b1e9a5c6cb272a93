/** The status legend of the read-only (execution) canvas. */
import type { StateStatus } from "../asl/types";

export const STATUS_LABELS: Record<StateStatus, string> = {
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  caught: "Caught",
  cancelled: "Cancelled",
};

export function Legend() {
  return (
    <ul className="sy-legend" data-testid="graph-legend">
      {(Object.keys(STATUS_LABELS) as StateStatus[]).map((status) => (
        <li key={status}>
          <span className={`sy-swatch sy-status-${status}`} aria-hidden="true" />
          {STATUS_LABELS[status]}
        </li>
      ))}
    </ul>
  );
}
