import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { TABS_SLOT, ViewTabs } from "./ViewTabs";

describe("ViewTabs", () => {
  afterEach(() => document.getElementById(TABS_SLOT)?.remove());

  it("draws into the top bar's slot when the page has one, else where it is rendered", () => {
    const { container, unmount } = render(<ViewTabs view="design" onChange={vi.fn()} />);
    expect(container.querySelector('[data-testid="view-tabs"]')).toBeTruthy();
    unmount();
    const slot = document.createElement("div");
    slot.id = TABS_SLOT;
    document.body.appendChild(slot);
    const again = render(<ViewTabs view="config" onChange={vi.fn()} />);
    expect(again.container.querySelector('[data-testid="view-tabs"]')).toBeNull();
    expect(slot.querySelector('[data-testid="view-tab-config"]')?.getAttribute("aria-selected")).toBe("true");
  });

  it("is a tab list: one tab in the Tab order, arrows, Home and End move along", () => {
    const onChange = vi.fn();
    render(<ViewTabs view="config" onChange={onChange} />);
    const tabs = screen.getAllByRole("tab");
    expect(tabs.map((t) => [t.textContent, t.getAttribute("aria-selected"), t.tabIndex])).toEqual([
      ["Design", "false", -1],
      ["Config", "true", 0],
      ["Versions", "false", -1],
    ]);
    fireEvent.keyDown(tabs[1]!, { key: "ArrowRight" });
    expect(onChange).toHaveBeenLastCalledWith("versions");
    fireEvent.keyDown(tabs[1]!, { key: "ArrowLeft" });
    expect(onChange).toHaveBeenLastCalledWith("design");
    fireEvent.keyDown(tabs[1]!, { key: "End" });
    expect(onChange).toHaveBeenLastCalledWith("versions");
    fireEvent.keyDown(tabs[1]!, { key: "Home" });
    expect(onChange).toHaveBeenLastCalledWith("design");
    fireEvent.click(tabs[2]!);
    expect(onChange).toHaveBeenLastCalledWith("versions");
  });
});
