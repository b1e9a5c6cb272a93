/**
 * The palette: flow states and task kinds with a search box. Drag an item
 * onto the canvas (HTML5 drag, `application/x-stateyard-state`), or select
 * one (arrow keys) and press Enter to add it after the selected state.
 */
import { useMemo, useRef, useState, type KeyboardEvent } from "react";
import { DRAG_MIME, dragPayloadOf, filterPalette, type PaletteItem } from "./paletteItems";

export interface PaletteProps {
  onInsert: (item: PaletteItem) => void;
  disabled?: boolean;
  /** Why the palette is disabled (shown on hover). */
  disabledReason?: string | null;
}

export function Palette({ onInsert, disabled, disabledReason }: PaletteProps) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);
  const items = useMemo(() => filterPalette(query), [query]);
  const current = Math.min(active, Math.max(items.length - 1, 0));

  const focusItem = (index: number) => {
    setActive(index);
    const el = listRef.current?.querySelectorAll<HTMLElement>("[role=option]")[index];
    el?.focus();
  };

  const onListKey = (e: KeyboardEvent) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      focusItem(Math.min(current + 1, items.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      focusItem(Math.max(current - 1, 0));
    } else if (e.key === "Home") {
      e.preventDefault();
      focusItem(0);
    } else if (e.key === "End") {
      e.preventDefault();
      focusItem(items.length - 1);
    } else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      const item = items[current];
      if (item && !disabled) onInsert(item);
    }
  };

  const groups: PaletteItem["group"][] = ["Flow", "Actions"];
  return (
    <nav className="sy-palette" data-testid="palette" aria-label="States palette" title={disabled ? (disabledReason ?? undefined) : undefined}>
      <input
        type="search"
        data-testid="palette-search"
        aria-label="Search states"
        placeholder="Search states"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" && items.length) {
            e.preventDefault();
            focusItem(0);
          } else if (e.key === "Enter" && items[0] && !disabled) {
            e.preventDefault();
            onInsert(items[current] ?? items[0]);
          }
        }}
      />
      <ul ref={listRef} role="listbox" aria-label="States" data-testid="palette-list" onKeyDown={onListKey}>
        {groups.map((group) => {
          const inGroup = items.filter((i) => i.group === group);
          if (!inGroup.length) return null;
          return (
            <li key={group} role="presentation" className="sy-palette-group">
              <div className="sy-palette-group-title" role="presentation">
                {group}
              </div>
              <ul role="presentation">
                {inGroup.map((item) => {
                  const index = items.indexOf(item);
                  return (
                    <li
                      key={item.id}
                      role="option"
                      aria-selected={index === current}
                      aria-disabled={disabled || undefined}
                      tabIndex={index === current ? 0 : -1}
                      className={index === current ? "sy-palette-item sy-active" : "sy-palette-item"}
                      data-testid={`palette-item-${item.id}`}
                      title={disabled ? (disabledReason ?? "You cannot add states here.") : item.description}
                      draggable={!disabled}
                      onDragStart={(e) => {
                        e.dataTransfer.setData(DRAG_MIME, JSON.stringify(dragPayloadOf(item)));
                        e.dataTransfer.setData("text/plain", item.label);
                        e.dataTransfer.effectAllowed = "copy";
                      }}
                      onClick={() => setActive(index)}
                      onDoubleClick={() => !disabled && onInsert(item)}
                    >
                      <span className="sy-palette-label">{item.label}</span>
                      <span className="sy-palette-desc">{item.description}</span>
                    </li>
                  );
                })}
              </ul>
            </li>
          );
        })}
      </ul>
      {items.length === 0 ? (
        <p className="sy-muted" data-testid="palette-empty">
          Nothing matches “{query}”.
        </p>
      ) : null}
    </nav>
  );
}
