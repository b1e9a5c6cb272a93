import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import { ErrorBanner, functionCause } from "./ErrorBanner";

const CAUSE = JSON.stringify({
  errorMessage: "The order has no lines.",
  errorType: "InvalidOrder",
  requestId: "r-1",
  stackTrace: ['  File "/srv/app/functions.py", line 35, in validate_order\n', "    raise InvalidOrder()\n"],
});

describe("ErrorBanner", () => {
  it("shows a function's message as text and folds its stack trace", () => {
    render(<ErrorBanner error="InvalidOrder" cause={CAUSE} />);
    const banner = screen.getByTestId("execution-error");
    expect(screen.getByTestId("execution-error-message").textContent).toBe("The order has no lines.");
    const trace = screen.getByTestId("execution-stack-trace") as HTMLDetailsElement;
    expect(trace.tagName).toBe("DETAILS");
    expect(trace.open).toBe(false);
    expect(trace.querySelector("pre")!.textContent).toContain("/srv/app/functions.py");
    // the raw JSON is not shown as one string
    expect(banner.textContent).not.toContain('"errorMessage"');
    expect(banner.textContent).toContain("requestId");
  });

  it("shows any other cause as it is", () => {
    render(<ErrorBanner error="Card.Declined" cause="gateway down" />);
    expect(screen.getByTestId("execution-cause").textContent).toBe("gateway down");
    expect(screen.queryByTestId("execution-stack-trace")).toBeNull();
  });

  it("reads only JSON objects with an errorMessage as a function's cause", () => {
    expect(functionCause('{"a": 1}')).toBeNull();
    expect(functionCause("[1]")).toBeNull();
    expect(functionCause("{not json")).toBeNull();
    expect(functionCause('{"errorMessage": "x"}')).toEqual({ message: "x", type: undefined, stackTrace: undefined, rest: [] });
  });
});
