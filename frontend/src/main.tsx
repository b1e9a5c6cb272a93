/**
 * Studio entry point: finds `#studio-root`, reads `data-page` and the props
 * (from `data-props`, or from the json_script element named by
 * `data-props-id`), and mounts the matching page component.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@xyflow/react/dist/style.css";
import "./styles/studio.css";
import "./styles/graph.css";
import { parseProps, type StudioPage, type StudioProps } from "./api/props";
import { configureApi } from "./api/client";
import { StartPage } from "./start/StartPage";
import { DesignerPage } from "./designer/DesignerPage";
import { ExecutionPage } from "./execution/ExecutionPage";

const PAGES: Record<StudioPage, (props: StudioProps) => React.ReactNode> = {
  start: StartPage,
  designer: DesignerPage,
  execution: ExecutionPage,
};

function isPage(value: string | undefined): value is StudioPage {
  return value === "start" || value === "designer" || value === "execution";
}

function mount(): void {
  const root = document.getElementById("studio-root");
  if (!root) return;
  const page = root.dataset.page;
  if (!isPage(page)) {
    root.textContent = `Unknown studio page: ${page ?? "(none)"}`;
    return;
  }
  const propsId = root.dataset.propsId;
  const raw = propsId ? document.getElementById(propsId)?.textContent : root.dataset.props;
  const props = parseProps(page, raw);
  configureApi({ csrfToken: props.csrfToken });
  const Page = PAGES[page];
  createRoot(root).render(
    <StrictMode>
      <Page {...props} />
    </StrictMode>,
  );
}

mount();
