/** The legend of a comparison drawn on the graph: each mark's swatch (as on the nodes and edges) and its meaning. */
const ITEMS = [
  { key: "added", label: "Added" },
  { key: "removed", label: "Removed (ghost)" },
  { key: "changed", label: "Changed" },
  { key: "renamed", label: "Renamed (old → new)" },
] as const;

export function DiffLegend() {
  return (
    <ul className="sy-legend sy-diff-legend" data-testid="diff-legend" aria-label="Legend">
      {ITEMS.map((item) => (
        <li key={item.key} data-testid={`diff-legend-${item.key}`}>
          <span className={`sy-swatch sy-diff-swatch sy-diff-${item.key}`} aria-hidden="true" />
          {item.label}
        </li>
      ))}
      <li data-testid="diff-legend-transition-added">
        <span className="sy-diff-line sy-diff-line-added" aria-hidden="true" />
        Transition added
      </li>
      <li data-testid="diff-legend-transition-removed">
        <span className="sy-diff-line sy-diff-line-removed" aria-hidden="true" />
        Transition removed
      </li>
    </ul>
  );
}
