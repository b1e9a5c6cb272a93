/** The aliases list and dialog: routing by weight (always summing to 100), errors in place, roles. */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { fakeApi, type Call } from "../start/fakeApi";
import { AliasDialog } from "./AliasDialog";
import { AliasesPanel } from "./AliasesPanel";
import { draftErrors, routingOf, serverErrors, type Alias, type VersionSummary } from "./aliasApi";
import { ApiError } from "../api/client";

const VERSIONS: VersionSummary[] = [
  { number: 4, description: "faster", created_by: "alice", created_at: "2024-05-02T10:00:00Z" },
  { number: 3, description: "", created_by: "alice", created_at: "2024-05-01T10:00:00Z" },
];
const LIVE: Alias = {
  name: "live",
  description: "production",
  routing: [{ version: 3, weight: 100 }],
  created_by: "alice",
  created_at: "2024-05-01T10:00:00Z",
  updated_at: "2024-05-01T10:00:00Z",
};

const weight = (id: string) => Number((screen.getByTestId(id) as HTMLInputElement).value);

function server(answers: { create?: { status: number; body: unknown }; aliases?: Alias[] } = {}): Call[] {
  let aliases = [...(answers.aliases ?? [LIVE])];
  return fakeApi(({ method, url, body }) => {
    if (method === "GET" && url === "/api/workflows/w1/aliases/") return { body: aliases };
    if (method === "GET" && url === "/api/workflows/w1/versions/") return { body: VERSIONS };
    if (method === "POST" && url === "/api/workflows/w1/aliases/") {
      if (answers.create) return answers.create;
      const made = { ...(body as Alias), created_by: "alice", created_at: "", updated_at: "" };
      aliases = [...aliases, made];
      return { status: 201, body: made };
    }
    if (method === "PATCH" && url === "/api/workflows/w1/aliases/live/") return { body: { ...LIVE, ...(body as object) } };
    if (method === "DELETE" && url === "/api/workflows/w1/aliases/live/") {
      aliases = aliases.filter((a) => a.name !== "live");
      return { status: 204 };
    }
    return undefined;
  });
}

describe("alias rules", () => {
  it("routes one version at 100, or two whose weights sum to 100", () => {
    expect(routingOf({ name: "a", description: "", first: 4, second: null, weight: 100 })).toEqual([{ version: 4, weight: 100 }]);
    expect(routingOf({ name: "a", description: "", first: 4, second: 3, weight: 80 })).toEqual([
      { version: 4, weight: 80 },
      { version: 3, weight: 20 },
    ]);
  });

  it("names each problem at its field", () => {
    const draft = { name: "", description: "", first: 4, second: null, weight: 100 };
    expect(draftErrors(draft, true).name).toBe("Give the alias a name.");
    expect(draftErrors({ ...draft, name: "123" }, true).name).toMatch(/only digits/);
    expect(draftErrors({ ...draft, name: "has space" }, true).name).toMatch(/letters, digits/);
    expect(draftErrors({ ...draft, name: "live" }, true, ["live"]).name).toMatch(/already an alias called live/);
    expect(draftErrors({ ...draft, name: "prod.eu-1_a" }, true)).toEqual({});
    expect(draftErrors({ ...draft, name: "ok", first: 4, second: 4 }, true).routing).toMatch(/two different versions/);
    expect(draftErrors({ ...draft, name: "ok", first: null }, true).routing).toMatch(/Choose a published version/);
    expect(draftErrors({ ...draft, name: "", description: "x".repeat(257) }, false)).toEqual({ description: expect.stringMatching(/At most 256/) });
  });

  it("maps the server's refusals to fields", () => {
    expect(serverErrors(new ApiError(409, "conflict", "Workflow 'f' already has an alias 'live'."))).toEqual({ name: "Workflow 'f' already has an alias 'live'." });
    expect(serverErrors(new ApiError(400, "validation_failed", "The weights must sum to 100.", { routing: ["They sum to 90."] }))).toEqual({
      routing: "The weights must sum to 100. They sum to 90.",
    });
    expect(serverErrors(new ApiError(500, "x", "boom"))).toBeNull();
  });
});

describe("AliasDialog", () => {
  beforeEach(() => localStorage.clear());

  it("keeps the two weights summing to 100 from the slider and from either number", async () => {
    const calls = server();
    const onSaved = vi.fn();
    render(<AliasDialog workflowId="w1" alias={null} versions={VERSIONS} taken={["live"]} onSaved={onSaved} onClose={() => undefined} />);
    await userEvent.type(screen.getByTestId("alias-name"), "canary");
    await userEvent.click(screen.getByTestId("alias-mode-split"));
    expect((screen.getByTestId("alias-version-a") as HTMLSelectElement).value).toBe("4");
    expect((screen.getByTestId("alias-version-b") as HTMLSelectElement).value).toBe("3");
    expect([weight("alias-weight-a"), weight("alias-weight-b")]).toEqual([80, 20]);
    fireEvent.change(screen.getByTestId("alias-weight-slider"), { target: { value: "65" } });
    expect([weight("alias-weight-a"), weight("alias-weight-b")]).toEqual([65, 35]);
    fireEvent.change(screen.getByTestId("alias-weight-b"), { target: { value: "10" } });
    expect([weight("alias-weight-a"), weight("alias-weight-b")]).toEqual([90, 10]);
    fireEvent.change(screen.getByTestId("alias-weight-a"), { target: { value: "250" } });
    expect([weight("alias-weight-a"), weight("alias-weight-b")]).toEqual([100, 0]);
    fireEvent.change(screen.getByTestId("alias-weight-a"), { target: { value: "80" } });
    // the first version cannot be picked as the second
    const option4 = within(screen.getByTestId("alias-version-b")).getByRole("option", { name: /Version 4/ }) as HTMLOptionElement;
    expect(option4.disabled).toBe(true);
    await userEvent.click(screen.getByTestId("alias-save"));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.body).toEqual({
      name: "canary",
      description: "",
      routing: [
        { version: 4, weight: 80 },
        { version: 3, weight: 20 },
      ],
    });
  });

  it("shows problems beside their fields and sends nothing until they are fixed", async () => {
    const calls = server();
    render(<AliasDialog workflowId="w1" alias={null} versions={VERSIONS} taken={["live"]} onSaved={() => undefined} onClose={() => undefined} />);
    await userEvent.click(screen.getByTestId("alias-save"));
    expect(screen.getByTestId("alias-name-error").textContent).toBe("Give the alias a name.");
    expect(screen.getByTestId("alias-name").getAttribute("aria-invalid")).toBe("true");
    await userEvent.type(screen.getByTestId("alias-name"), "live");
    expect(screen.getByTestId("alias-name-error").textContent).toMatch(/already an alias called live/);
    await userEvent.clear(screen.getByTestId("alias-name"));
    await userEvent.type(screen.getByTestId("alias-name"), "42");
    expect(screen.getByTestId("alias-name-error").textContent).toMatch(/only digits/);
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);
  });

  it("puts the server's refusal in place (a name taken meanwhile)", async () => {
    server({ create: { status: 409, body: { code: "conflict", message: "Workflow 'orders' already has an alias 'beta'.", details: { name: "beta" } } } });
    const onSaved = vi.fn();
    render(<AliasDialog workflowId="w1" alias={null} versions={VERSIONS} taken={[]} onSaved={onSaved} onClose={() => undefined} />);
    await userEvent.type(screen.getByTestId("alias-name"), "beta");
    await userEvent.click(screen.getByTestId("alias-save"));
    expect((await screen.findByTestId("alias-name-error")).textContent).toBe("Workflow 'orders' already has an alias 'beta'.");
    expect(onSaved).not.toHaveBeenCalled();
    // typing again clears the server's word
    await userEvent.type(screen.getByTestId("alias-name"), "2");
    expect(screen.queryByTestId("alias-name-error")).toBeNull();
  });

  it("edits the routing and description of an alias (its name is fixed) with PATCH", async () => {
    const calls = server();
    const onSaved = vi.fn();
    render(<AliasDialog workflowId="w1" alias={LIVE} versions={VERSIONS} taken={["live"]} onSaved={onSaved} onClose={() => undefined} />);
    expect(screen.queryByTestId("alias-name")).toBeNull();
    expect((screen.getByTestId("alias-version-a") as HTMLSelectElement).value).toBe("3");
    await userEvent.selectOptions(screen.getByTestId("alias-version-a"), "4");
    await userEvent.click(screen.getByTestId("alias-save"));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(calls.find((c) => c.method === "PATCH")!.body).toEqual({ description: "production", routing: [{ version: 4, weight: 100 }] });
  });

  it("says to publish first when there is no version", () => {
    server();
    render(<AliasDialog workflowId="w1" alias={null} versions={[]} taken={[]} onSaved={() => undefined} onClose={() => undefined} />);
    expect(screen.getByTestId("alias-no-versions").textContent).toMatch(/Publish a version first/);
    expect((screen.getByTestId("alias-save") as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("AliasesPanel", () => {
  it("lists aliases with their routing; creates and deletes (asking first)", async () => {
    const calls = server();
    render(<AliasesPanel workflowId="w1" canEdit />);
    const row = await screen.findByTestId("alias-row-live");
    expect(within(row).getByTestId("alias-routing-live").textContent).toContain("v3");
    expect(row.textContent).toContain("production");

    await userEvent.click(screen.getByTestId("alias-new"));
    await userEvent.type(screen.getByTestId("alias-name"), "canary");
    await userEvent.click(screen.getByTestId("alias-mode-split"));
    await userEvent.click(screen.getByTestId("alias-save"));
    const canary = await screen.findByTestId("alias-routing-canary");
    expect(canary.textContent).toContain("v4 80% · v3 20%");
    expect(screen.queryByTestId("alias-dialog")).toBeNull();

    await userEvent.click(screen.getByTestId("alias-delete-live"));
    expect(screen.getByTestId("alias-delete-dialog").textContent).toMatch(/keep their version/);
    await userEvent.click(screen.getByTestId("alias-delete-confirm"));
    await waitFor(() => expect(screen.queryByTestId("alias-row-live")).toBeNull());
    expect(calls.some((c) => c.method === "DELETE" && c.url === "/api/workflows/w1/aliases/live/")).toBe(true);
  });

  it("a role that may not change aliases sees them, with the changes disabled and saying why", async () => {
    const calls = server();
    const why = "Runners cannot change aliases (they can start executions through them).";
    render(<AliasesPanel workflowId="w1" canEdit={false} editReason={why} />);
    await screen.findByTestId("alias-row-live");
    for (const id of ["alias-new", "alias-edit-live", "alias-delete-live"]) {
      const button = screen.getByTestId(id) as HTMLButtonElement;
      expect(button.disabled).toBe(true);
      expect(button.title).toBe(why);
    }
    expect(calls.every((c) => c.method === "GET")).toBe(true);
  });
});
