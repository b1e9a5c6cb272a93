/**
 * The canvas's icons (lucide, shipped in the bundle: nothing depends on the
 * system's fonts): one per state type and one per run status, so a status
 * is told by its icon as well as by its colour.
 */
import {
  ArrowRight,
  Ban,
  CheckCheck,
  CircleCheck,
  CircleDashed,
  CircleQuestionMark,
  CircleX,
  Cog,
  Columns2,
  GitBranch,
  Hourglass,
  LoaderCircle,
  OctagonX,
  Repeat,
  ShieldExclamationPoint,
  type LucideIcon,
} from "lucide-react";
import type { RunStatus } from "./flowTypes";

const STATE_ICONS: Record<string, LucideIcon> = {
  Task: Cog,
  Pass: ArrowRight,
  Choice: GitBranch,
  Wait: Hourglass,
  Succeed: CheckCheck,
  Fail: OctagonX,
  Parallel: Columns2,
  Map: Repeat,
};

const STATUS_ICONS: Record<RunStatus, LucideIcon> = {
  succeeded: CircleCheck,
  running: LoaderCircle,
  failed: CircleX,
  caught: ShieldExclamationPoint,
  cancelled: Ban,
  notrun: CircleDashed,
};

export function StateIcon({ type, size = 16 }: { type: string; size?: number }) {
  const Icon = STATE_ICONS[type] ?? CircleQuestionMark;
  return (
    <span className="sy-icon" data-testid="state-icon" data-icon={type || "unknown"} aria-hidden="true">
      <Icon size={size} strokeWidth={2} />
    </span>
  );
}

/** A status icon; with `label` it is an image with that name, else decoration beside a text. */
export function StatusIcon({ status, size = 16, label }: { status: RunStatus; size?: number; label?: string }) {
  const Icon = STATUS_ICONS[status];
  const a11y = label ? { role: "img", "aria-label": label, title: label } : { "aria-hidden": true };
  return (
    <span className={`sy-status-icon sy-status-icon-${status}`} data-testid="status-icon" data-icon={status} {...a11y}>
      <Icon size={size} strokeWidth={2.25} />
    </span>
  );
}
