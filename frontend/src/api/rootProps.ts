/**
 * The page name and props of `#studio-root`, as Django renders them: `data-page`,
 * and the props in `data-props` or in the json_script element that
 * `data-props-id` names. Read by the entry (main.tsx) and the boot script.
 */
import { parseProps, type StudioPage, type StudioProps } from "./props";

export function isPage(value: string | undefined): value is StudioPage {
  return value === "start" || value === "designer" || value === "execution" || value === "executions" || value === "maprun";
}

/** The root element's props; null without a root or with an unknown page (`page` then says which). */
export function readRootProps(root: HTMLElement | null = document.getElementById("studio-root")): StudioProps | null {
  const page = root?.dataset.page;
  if (!root || !isPage(page)) return null;
  const propsId = root.dataset.propsId;
  const raw = propsId ? document.getElementById(propsId)?.textContent : root.dataset.props;
  return parseProps(page, raw);
}
