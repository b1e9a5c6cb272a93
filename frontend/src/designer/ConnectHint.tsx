/**
 * The hint shown over the canvas after a state was dropped beside the flow
 * (nothing leads to it yet): how to connect it, and how to drop the next one
 * into the flow directly. It goes away once something leads to the state, or
 * when dismissed.
 */
import { X } from "lucide-react";
import type { Direction } from "../asl/types";

export interface ConnectHintProps {
  name: string;
  direction: Direction;
  onDismiss: () => void;
}

export function ConnectHint({ name, direction, onDismiss }: ConnectHintProps) {
  const side = direction === "LR" ? "right" : "bottom";
  return (
    <div className="sy-connect-hint" role="status" data-testid="connect-hint">
      <p>
        <strong>{name}</strong> is not connected yet: drag from the dot on the {side} edge of the state that should lead to it onto <strong>{name}</strong>.
        Next time, drop a state onto an arrow (it shows a <span className="sy-connect-hint-plus">+</span> while you drag) to insert it into the flow.
      </p>
      <button type="button" className="sy-connect-hint-close" aria-label="Dismiss the hint" data-testid="connect-hint-dismiss" onClick={onDismiss}>
        <X size={14} aria-hidden="true" />
      </button>
    </div>
  );
}
