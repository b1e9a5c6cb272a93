/**
 * Two of the draft and the versions compared: the server's semantic diff
 * drawn on B's graph (added green, removed as red ghosts, changed amber,
 * renamed "old → new", transitions added or removed highlighted) with a
 * legend, and listed field by field beside it. Selecting on either side
 * selects on the other.
 */
import { useMemo, useState } from "react";
import type { Definition, Layout } from "../../asl/types";
import { WorkflowGraph } from "../../components/WorkflowGraph";
import { DiffLegend } from "./DiffLegend";
import { DiffList } from "./DiffList";
import { diffGraphOf } from "./diffGraph";
import type { WorkflowDiff } from "./operateApi";

export interface DiffViewProps {
  diff: WorkflowDiff;
  before: Definition;
  after: Definition;
  layout: Layout;
}

export function summaryText(diff: WorkflowDiff): string {
  const s = diff.summary;
  const parts = [
    s.added ? `${s.added} added` : "",
    s.removed ? `${s.removed} removed` : "",
    s.renamed ? `${s.renamed} renamed` : "",
    s.changed ? `${s.changed} changed` : "",
    s.transitions ? `${s.transitions} transition${s.transitions === 1 ? "" : "s"}` : "",
    s.fields ? `${s.fields} workflow field${s.fields === 1 ? "" : "s"}` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(" · ") : "No differences";
}

export function DiffView({ diff, before, after, layout }: DiffViewProps) {
  const drawn = useMemo(() => diffGraphOf(diff, before, after), [diff, before, after]);
  const [selection, setSelection] = useState<string | null>(null);
  return (
    <div className="sy-diff-view" data-testid="diff-view">
      <div className="sy-diff-canvas" data-testid="diff-canvas">
        <div className="sy-diff-legend-bar">
          <DiffLegend />
        </div>
        <div className="sy-diff-graph">
          <WorkflowGraph definition={drawn.definition} marks={drawn.marks} layout={layout} selection={selection} onSelect={setSelection} />
        </div>
      </div>
      <aside className="sy-versions-side" aria-label="Changes" data-testid="diff-side">
        <h3 className="sy-side-title">Changes</h3>
        <DiffList diff={diff} paths={drawn.paths} selection={selection} onSelect={setSelection} />
      </aside>
    </div>
  );
}
