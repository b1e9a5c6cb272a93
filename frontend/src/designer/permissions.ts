/**
 * What the viewer's team role lets them do on the designer page, and the
 * words a disabled control says on hover. The server refuses these actions
 * anyway (designer/services/access.py); the page just does not offer them.
 */
import type { Role } from "../api/props";

export interface Permissions {
  canEdit: boolean;
  canRun: boolean;
  /** Why editing is not offered (null when it is). */
  editReason: string | null;
  /** Why running is not offered (null when it is). */
  runReason: string | null;
}

const ROLE_NAMES: Record<Role, string> = { viewer: "Viewers", runner: "Runners", editor: "Editors", owner: "Owners" };

/** The permissions of `role`; `canEdit`/`canRun` from the page props win when given. */
export function permissionsOf(role: Role | undefined, canEdit?: boolean, canRun?: boolean): Permissions {
  const r: Role = role ?? "viewer";
  const edit = canEdit ?? (r === "editor" || r === "owner");
  const run = canRun ?? r !== "viewer";
  const who = ROLE_NAMES[r] ?? "You";
  return {
    canEdit: edit,
    canRun: run,
    editReason: edit ? null : `${who} cannot edit this workflow${run ? " (they can run it)" : ""}.`,
    runReason: run ? null : `${who} cannot run this workflow.`,
  };
}

/** Why a role may not create, change or delete aliases (editors and owners may). */
export function aliasEditReason(role: Role | undefined): string {
  const r: Role = role ?? "viewer";
  const who = ROLE_NAMES[r] ?? "You";
  return r === "runner" ? `${who} cannot change aliases (they can start executions through them).` : `${who} cannot change aliases.`;
}
