import { beforeEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { resetStudio, useStudio } from "../../asl/store";
import type { Definition } from "../../asl/types";
import { Inspector } from "./Inspector";

const def: Definition = {
  QueryLanguage: "JSONata",
  StartAt: "Init",
  States: {
    Init: { Type: "Pass", Assign: { limit: 5 }, Next: "Both" },
    Both: {
      Type: "Parallel",
      Branches: [{ StartAt: "A", States: { A: { Type: "Pass", Output: "{% $limit %}", Assign: { inner: 1 }, End: true } } }],
      Next: "After",
    },
    After: { Type: "Pass", Output: "{% $inner %}", End: true },
  },
};

describe("VariablesPanel", () => {
  beforeEach(() => {
    resetStudio();
    useStudio.getState().load({ definition: def });
  });

  it("lists each variable with the states assigning and reading it, and flags reads out of scope", () => {
    render(<Inspector />);
    expect(screen.getByTestId("variable-limit-assigned").textContent).toBe("Init");
    expect(screen.getByTestId("variable-limit-read").textContent).toBe("A");
    expect(screen.getByTestId("variable-inner-read").textContent).toBe("After");
    expect(screen.getByTestId("variable-problem-out-of-scope").textContent).toBe("After: $inner is assigned only inside Both: not visible here.");
    // A state link selects the state.
    fireEvent.click(screen.getByTestId("variable-inner-read").querySelector("button")!);
    expect(useStudio.getState().selection).toBe("/States/After");
  });

  it("shows only the selected state's variables and problems with the state", () => {
    useStudio.getState().select("/States/Init");
    render(<Inspector />);
    expect(screen.getByTestId("variable-limit")).toBeTruthy();
    expect(screen.queryByTestId("variable-inner")).toBeNull();
    expect(screen.queryByTestId("variable-problems")).toBeNull();
  });
});
