/** Tests for the shared modal dialog: first field focused, Tab trapped, Escape closes, focus returns. */
import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { Dialog } from "./Dialog";
import { Notice } from "./Notice";

function Harness({ onClose }: { onClose?: () => void }) {
  const [open, setOpen] = useState(false);
  const close = () => {
    onClose?.();
    setOpen(false);
  };
  return (
    <>
      <button type="button" data-testid="opener" onClick={() => setOpen(true)}>
        Open
      </button>
      {open ? (
        <Dialog onClose={close} labelledBy="t" testId="dialog">
          <h3 id="t">Title</h3>
          <button type="button" data-testid="help">
            ?
          </button>
          <input data-testid="first-field" />
          <button type="button" data-testid="last" onClick={close}>
            Cancel
          </button>
        </Dialog>
      ) : null}
    </>
  );
}

describe("Dialog", () => {
  it("focuses the first field, keeps Tab inside, closes on Escape and gives the focus back", () => {
    const onClose = vi.fn();
    render(<Harness onClose={onClose} />);
    const opener = screen.getByTestId("opener");
    opener.focus();
    fireEvent.click(opener);
    const dialog = screen.getByTestId("dialog");
    expect(dialog.tagName).toBe("DIALOG");
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(document.activeElement).toBe(screen.getByTestId("first-field"));
    screen.getByTestId("last").focus();
    fireEvent.keyDown(document.activeElement!, { key: "Tab" });
    expect(document.activeElement).toBe(screen.getByTestId("help"));
    fireEvent.keyDown(document.activeElement!, { key: "Tab", shiftKey: true });
    expect(document.activeElement).toBe(screen.getByTestId("last"));
    fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("dialog")).toBeNull();
    expect(document.activeElement).toBe(opener);
  });
});

function Nested({ onOuterClose, onInnerClose }: { onOuterClose: () => void; onInnerClose: () => void }) {
  const [inner, setInner] = useState(false);
  return (
    <Dialog onClose={onOuterClose} label="Outer" testId="outer">
      <button type="button" data-testid="outer-open" onClick={() => setInner(true)}>
        Edit
      </button>
      {inner ? (
        <Dialog
          onClose={() => {
            onInnerClose();
            setInner(false);
          }}
          label="Inner"
          testId="inner"
        >
          <input data-testid="inner-first" />
          <button type="button" data-testid="inner-last">
            OK
          </button>
        </Dialog>
      ) : null}
    </Dialog>
  );
}

describe("Dialog over a dialog", () => {
  it("the one on top keeps Tab and Escape; the one below closes only on its own Escape", () => {
    const outer = vi.fn();
    const inner = vi.fn();
    render(<Nested onOuterClose={outer} onInnerClose={inner} />);
    const opener = screen.getByTestId("outer-open");
    opener.focus();
    fireEvent.click(opener);
    expect(document.activeElement).toBe(screen.getByTestId("inner-first"));
    screen.getByTestId("inner-last").focus();
    fireEvent.keyDown(document.activeElement!, { key: "Tab" });
    expect(document.activeElement).toBe(screen.getByTestId("inner-first"));
    fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    expect(inner).toHaveBeenCalledTimes(1);
    expect(outer).not.toHaveBeenCalled();
    expect(screen.queryByTestId("inner")).toBeNull();
    expect(document.activeElement).toBe(opener);
    fireEvent.keyDown(opener, { key: "Escape" });
    expect(outer).toHaveBeenCalledTimes(1);
  });
});

describe("Notice", () => {
  it("gives errors an alert role and their own class, others a status", () => {
    render(
      <>
        <Notice kind="error" testId="e">
          Broken
        </Notice>
        <Notice kind="success" testId="s">
          Saved
        </Notice>
      </>,
    );
    expect(screen.getByTestId("e").getAttribute("role")).toBe("alert");
    expect(screen.getByTestId("e").className).toContain("sy-notice-error");
    expect(screen.getByTestId("s").getAttribute("role")).toBe("status");
    expect(screen.getByTestId("s").className).toContain("sy-notice-success");
  });
});
