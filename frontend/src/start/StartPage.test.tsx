import { describe, expect, it, vi } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { StartPage } from "./StartPage";
import { fakeApi } from "./fakeApi";
import { parseProps } from "../api/props";
import { TEMPLATES } from "../templates";

const WF = (id: string, name: string) => ({
  id,
  team: "acme",
  name,
  type: "STANDARD",
  description: "",
  revision: 1,
  created_at: "2024-01-01T00:00:00Z",
  updated_at: "2024-01-02T00:00:00Z",
});

function props(canEdit = true) {
  return { ...parseProps("start", JSON.stringify({ teamSlug: "acme", teamName: "Acme", canEdit, role: canEdit ? "editor" : "viewer" })) };
}

describe("StartPage", () => {
  it("lists workflows with their last execution and searches", async () => {
    const calls = fakeApi(({ url }) => {
      if (url.startsWith("/api/teams/acme/workflows/?search=ord")) return { body: [WF("w1", "orders")] };
      if (url.startsWith("/api/teams/acme/workflows/")) return { body: [WF("w1", "orders"), WF("w2", "billing")] };
      if (url === "/api/workflows/w1/executions/?limit=1")
        return { body: { results: [{ id: "e1", name: "run", status: "FAILED", start_date: "2024-01-03T00:00:00Z", stop_date: null }], next_cursor: null } };
      if (url === "/api/workflows/w2/executions/?limit=1") return { body: { results: [], next_cursor: null } };
      return undefined;
    });
    render(<StartPage {...props()} debounceMs={0} />);
    expect(await screen.findByTestId("workflow-link-w1")).toHaveProperty("textContent", "orders");
    expect((await screen.findByTestId("workflow-status-w1")).textContent).toBe("FAILED");
    await waitFor(() => expect(screen.getByTestId("workflow-last-w2").textContent).toBe("never run"));

    await userEvent.type(screen.getByTestId("workflow-search"), "ord");
    await waitFor(() => expect(screen.queryByTestId("workflow-row-w2")).toBeNull());
    expect(calls.some((c) => c.url === "/api/teams/acme/workflows/?search=ord")).toBe(true);
  });

  it("creates a blank workflow and opens it", async () => {
    const calls = fakeApi(({ method, url }) => {
      if (method === "GET" && url.startsWith("/api/teams/acme/workflows/")) return { body: [] };
      if (method === "POST" && url === "/api/teams/acme/workflows/") return { status: 201, body: { id: "new1" } };
      return undefined;
    });
    const navigate = vi.fn();
    render(<StartPage {...props()} navigate={navigate} debounceMs={0} />);
    await screen.findByTestId("workflow-list-empty");
    await userEvent.type(screen.getByTestId("new-workflow-name"), "fresh");
    await userEvent.click(screen.getByTestId("new-workflow-create"));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith("/workflows/new1/"));
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.body).toMatchObject({ name: "fresh", type: "STANDARD" });
    expect((post.body as { definition: { StartAt: string } }).definition.StartAt).toBe("Start");
  });

  it("creates a workflow from a gallery template", async () => {
    const calls = fakeApi(({ method, url }) => {
      if (method === "GET" && url.startsWith("/api/teams/acme/workflows/")) return { body: [] };
      if (method === "POST") return { status: 201, body: { id: "t1" } };
      return undefined;
    });
    const navigate = vi.fn();
    render(<StartPage {...props()} navigate={navigate} debounceMs={0} />);
    for (const t of TEMPLATES) expect(screen.getByTestId(`template-${t.id}`)).toBeTruthy();
    await userEvent.click(screen.getByTestId("template-saga"));
    const name = screen.getByTestId("template-name") as HTMLInputElement;
    expect(name.value).toBe("trip-booking-saga");
    await userEvent.click(screen.getByTestId("template-create"));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith("/workflows/t1/"));
    const post = calls.find((c) => c.method === "POST")!;
    expect((post.body as { definition: unknown }).definition).toEqual(TEMPLATES.find((t) => t.id === "saga")!.definition);
  });

  it("shows a create error (name taken) without navigating", async () => {
    fakeApi(({ method }) => {
      if (method === "GET") return { body: [] };
      return { status: 409, body: { code: "conflict", message: "A workflow named 'x' already exists in this team.", details: null } };
    });
    const navigate = vi.fn();
    render(<StartPage {...props()} navigate={navigate} debounceMs={0} />);
    await userEvent.click(screen.getByTestId("template-polling-loop"));
    await userEvent.click(screen.getByTestId("template-create"));
    expect((await screen.findByTestId("template-error")).textContent).toContain("already exists");
    expect(navigate).not.toHaveBeenCalled();
  });

  it("hides creation from viewers", async () => {
    fakeApi(() => ({ body: [] }));
    render(<StartPage {...props(false)} debounceMs={0} />);
    expect(screen.getByTestId("start-read-only")).toBeTruthy();
    expect(screen.queryByTestId("template-gallery")).toBeNull();
  });
});
