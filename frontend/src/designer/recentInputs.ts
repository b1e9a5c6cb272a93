/** Recent execution inputs per workflow, kept in localStorage (newest first, at most 10, no duplicates). */

const KEY = (workflowId: string) => `stateyard:recent-inputs:${workflowId}`;
export const MAX_RECENT = 10;

export function loadRecentInputs(workflowId: string): string[] {
  try {
    const raw = globalThis.localStorage?.getItem(KEY(workflowId));
    const list: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export function rememberInput(workflowId: string, text: string): string[] {
  const normalised = text.trim();
  const list = [normalised, ...loadRecentInputs(workflowId).filter((x) => x !== normalised)].slice(0, MAX_RECENT);
  try {
    globalThis.localStorage?.setItem(KEY(workflowId), JSON.stringify(list));
  } catch {
    /* storage full or disabled: the list lives for this call only */
  }
  return list;
}
