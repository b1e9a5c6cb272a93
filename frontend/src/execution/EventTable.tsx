/** The event history: filters (type, state, text, the chosen Map iterations), pagination, each event's details. */
import { useMemo, useState } from "react";
import { eventDetails, inSelection, type HistoryEvent, type HistoryFold, type IterationSelection } from "./history";
import { formatTime, prettyJson } from "./format";
import { CopyButton } from "./JsonView";

export const PAGE_SIZE = 50;

export interface EventFilter {
  type: string;
  state: string;
  text: string;
}

/** Events matching the filter (state by name, text anywhere in the event's JSON, case-insensitive). */
export function filterEvents(fold: HistoryFold, events: HistoryEvent[], filter: EventFilter): HistoryEvent[] {
  const text = filter.text.trim().toLowerCase();
  return events.filter((event) => {
    if (filter.type && event.type !== filter.type) return false;
    if (filter.state && fold.visitOfEvent(event.id)?.name !== filter.state) return false;
    if (text && !JSON.stringify(event).toLowerCase().includes(text)) return false;
    return true;
  });
}

/** A MapIteration* event of a Map whose iteration is chosen, but of another index. */
export function isOtherIteration(fold: HistoryFold, event: HistoryEvent, selection: IterationSelection): boolean {
  if (!event.type.startsWith("MapIteration")) return false;
  const d = eventDetails(event);
  const map = typeof d.name === "string" ? d.name : fold.visitOfEvent(event.id)?.name;
  const wanted = map !== undefined ? selection[map] : undefined;
  return wanted !== undefined && d.index !== wanted;
}

/**
 * Whether an event belongs to the chosen Map iterations (all events when none
 * is chosen): the events of the states run inside them, and the iterations'
 * own start and end events. Execution-level events and states outside the Map
 * are not part of an iteration.
 */
export function eventInSelection(fold: HistoryFold, event: HistoryEvent, selection: IterationSelection = {}): boolean {
  const maps = Object.keys(selection);
  if (maps.length === 0) return true;
  const visit = fold.visitOfEvent(event.id);
  if (event.type.startsWith("MapIteration")) {
    if (isOtherIteration(fold, event, selection)) return false;
    const d = eventDetails(event);
    if (typeof d.name === "string" && d.name in selection) return !visit || inSelection(visit, selection);
  }
  if (!visit || !inSelection(visit, selection)) return false;
  return visit.iterations.some((ref) => ref.map in selection);
}

/** The details of an event with its JSON text fields parsed (for display). */
export function readableDetails(event: HistoryEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(eventDetails(event))) {
    if (key.endsWith("Details") && key !== "eventDetails") continue; // inputDetails, outputDetails...
    if ((key === "input" || key === "output" || key === "parameters") && typeof value === "string") {
      try {
        out[key] = JSON.parse(value);
        continue;
      } catch {
        /* keep the text */
      }
    }
    out[key] = value;
  }
  return out;
}

function summary(event: HistoryEvent): string {
  const d = eventDetails(event);
  const parts: string[] = [];
  if (typeof d.index === "number") parts.push(`iteration ${d.index}`);
  if (typeof d.error === "string") parts.push(d.error);
  if (typeof d.cause === "string") parts.push(d.cause.length > 80 ? d.cause.slice(0, 80) + "…" : d.cause);
  if (typeof d.resource === "string") parts.push(`${String(d.resourceType ?? "")}:${d.resource}`);
  return parts.join(" · ");
}

export function EventTable({
  fold,
  version,
  initialFilter,
  selection = {},
  testId = "event-table",
}: {
  fold: HistoryFold;
  version: number;
  initialFilter?: Partial<EventFilter>;
  /** The Map iterations chosen in the picker: only their events are listed. */
  selection?: IterationSelection;
  testId?: string;
}) {
  const [filter, setFilter] = useState<EventFilter>({ type: "", state: "", text: "", ...initialFilter });
  const [page, setPage] = useState(0);
  const [open, setOpen] = useState<number | null>(null);
  const events = fold.run.events;

  const { types, states } = useMemo(() => {
    const t = new Set<string>();
    const s = new Set<string>();
    for (const e of events) t.add(e.type);
    for (const v of fold.run.visits) s.add(v.name);
    return { types: [...t].sort(), states: [...s].sort() };
  }, [fold, version, events]);

  const selectionKey = JSON.stringify(selection);
  const filtered = useMemo(
    () => filterEvents(fold, events, filter).filter((e) => eventInSelection(fold, e, selection)),
    [fold, events, filter, version, selectionKey],
  );
  const chosen = Object.entries(selection);
  const pages = Math.max(1, Math.ceil(filtered.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const shown = filtered.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  const t0 = fold.run.startedAt ? Date.parse(fold.run.startedAt) : null;

  const update = (change: Partial<EventFilter>) => {
    setFilter((f) => ({ ...f, ...change }));
    setPage(0);
  };

  return (
    <div className="exec-events" data-testid={testId}>
      <div className="exec-filters">
        <label>
          Type{" "}
          <select data-testid="event-filter-type" value={filter.type} onChange={(e) => update({ type: e.target.value })}>
            <option value="">All types</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          State{" "}
          <select data-testid="event-filter-state" value={filter.state} onChange={(e) => update({ state: e.target.value })}>
            <option value="">All states</option>
            {states.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          placeholder="Search events"
          aria-label="Search events"
          data-testid="event-filter-text"
          value={filter.text}
          onChange={(e) => update({ text: e.target.value })}
        />
        <span className="exec-muted" data-testid="event-count">
          {filtered.length} of {events.length} events
        </span>
        {chosen.length ? (
          <span className="exec-muted" data-testid="event-iteration-filter">
            Only {chosen.map(([map, index]) => `${map} iteration #${index}`).join(", ")}
          </span>
        ) : null}
      </div>
      <table className="exec-table">
        <thead>
          <tr>
            <th>ID</th>
            <th>Type</th>
            <th>State</th>
            <th>Elapsed</th>
            <th>Time</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((event) => {
            const ms = Date.parse(event.timestamp);
            const isOpen = open === event.id;
            return [
              <tr
                key={event.id}
                data-testid={`event-row-${event.id}`}
                className={event.type.endsWith("Failed") || event.type.endsWith("TimedOut") ? "exec-row-failed" : ""}
                onClick={() => setOpen(isOpen ? null : event.id)}
              >
                <td>{event.id}</td>
                <td>{event.type}</td>
                <td>{fold.visitOfEvent(event.id)?.name ?? ""}</td>
                <td>{t0 !== null && !Number.isNaN(ms) ? `${ms - t0} ms` : ""}</td>
                <td>{formatTime(event.timestamp)}</td>
                <td>
                  <button type="button" className="exec-link" aria-expanded={isOpen}>
                    {isOpen ? "Hide" : "Show"}
                  </button>{" "}
                  <span className="exec-muted">{summary(event)}</span>
                </td>
              </tr>,
              isOpen ? (
                <tr key={`${event.id}-details`} data-testid={`event-details-${event.id}`}>
                  <td colSpan={6}>
                    <CopyButton text={prettyJson(event)} testId={`event-copy-${event.id}`} />
                    <pre>{prettyJson(readableDetails(event))}</pre>
                  </td>
                </tr>
              ) : null,
            ];
          })}
        </tbody>
      </table>
      {pages > 1 && (
        <nav className="exec-pager" data-testid="event-pager">
          <button type="button" disabled={current === 0} onClick={() => setPage(0)}>
            First
          </button>
          <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)} data-testid="event-page-prev">
            Previous
          </button>
          <span data-testid="event-page">
            Page {current + 1} of {pages}
          </span>
          <button
            type="button"
            disabled={current >= pages - 1}
            onClick={() => setPage(current + 1)}
            data-testid="event-page-next"
          >
            Next
          </button>
          <button type="button" disabled={current >= pages - 1} onClick={() => setPage(pages - 1)}>
            Last
          </button>
        </nav>
      )}
    </div>
  );
}
