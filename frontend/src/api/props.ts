/**
 * The props Django renders into `#studio-root[data-props]` (json_script) for
 * every studio page, and the parser that reads them at mount time.
 */

export type StudioPage = "start" | "designer" | "execution" | "executions" | "maprun";

/** The team role of the user viewing the page (designer.models.Role: viewer < runner < editor < owner). */
export type Role = "viewer" | "runner" | "editor" | "owner";

export interface StudioProps {
  page: StudioPage;
  /** Slug of the team that owns what the page shows. */
  teamSlug: string;
  teamName: string;
  role: Role;
  /** True when the role may start and stop executions (runner and up). */
  canRun: boolean;
  /** True when the role may change workflows (editor or owner). */
  canEdit: boolean;
  csrfToken: string;
  username: string;
  /** Designer page: the workflow shown. */
  workflowId?: string;
  workflowName?: string;
  /** Execution page: the execution shown (and its workflow). */
  executionId?: string;
  executionName?: string;
  /** Map Run page: the run shown (its parent is executionId / executionName). */
  mapRunId?: string;
  /** Links to other pages (server-side reversed). */
  urls: {
    home: string;
    /** The team page (members, invitations). */
    team: string;
    /** The team's studio start page. */
    start: string;
    /** Execution page: the designer of its workflow. */
    workflow?: string;
    /** The team's executions across its workflows. */
    executions?: string;
  };
}

/** Parse the JSON in data-props (or in a json_script element); fills missing fields with safe defaults. */
export function parseProps(page: StudioPage, raw: string | null | undefined): StudioProps {
  let data: Partial<StudioProps> = {};
  if (raw) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === "object") data = parsed as Partial<StudioProps>;
    } catch {
      data = {};
    }
  }
  return {
    teamSlug: "",
    teamName: "",
    role: "viewer",
    canRun: false,
    canEdit: false,
    csrfToken: "",
    username: "",
    ...data,
    urls: { home: "/", team: "/", start: "/", ...(data.urls ?? {}) },
    page,
  };
}
