/**
 * Studio entry point: finds `#studio-root`, reads `data-page` and the props
 * (from `data-props`, or from the json_script element named by
 * `data-props-id`), and mounts the matching page component.
 *
 * The designer's workflow and the layout worker start before anything else
 * (`startEarly`; the boot script, boot.ts, starts the worker sooner still).
 * Each page is its own chunk (`React.lazy`): the start page never downloads
 * the designer's CodeMirror, xyflow or ELK. The chunk module paths in `PAGES`
 * are mirrored by `PAGE_MODULES` in `designer/templatetags/vite.py`, which
 * preloads the page's chunk from the HTML (no request waterfall).
 */
import { StrictMode, Suspense, lazy, type ComponentType, type LazyExoticComponent } from "react";
import { createRoot } from "react-dom/client";
import "./styles/studio.css";
import type { StudioPage, StudioProps } from "./api/props";
import { readRootProps } from "./api/rootProps";
import { configureApi } from "./api/client";
import { prefetchWorkflow } from "./designer/workflowApi";
import { startLayoutWorker } from "./graph/layoutWorker";

type Page = LazyExoticComponent<ComponentType<StudioProps>>;

const PAGES: Record<StudioPage, Page> = {
  start: lazy(() => import("./start/StartPage").then((m) => ({ default: m.StartPage }))),
  designer: lazy(() => import("./designer/DesignerPage").then((m) => ({ default: m.DesignerPage }))),
  execution: lazy(() => import("./execution/ExecutionPage").then((m) => ({ default: m.ExecutionPage }))),
  executions: lazy(() => import("./executions/TeamExecutionsPage").then((m) => ({ default: m.TeamExecutionsPage }))),
  maprun: lazy(() => import("./maprun/MapRunPage").then((m) => ({ default: m.MapRunPage }))),
};

/**
 * What a page needs first goes out before React and the page's code load: the
 * designer's workflow, and the layout worker, which compiles ELK and (given
 * the workflow) fetches and lays it out on its own thread meanwhile.
 */
function startEarly(props: StudioProps): void {
  if (props.page === "designer" && props.workflowId) {
    prefetchWorkflow(props.workflowId);
    // the canvas draws lane markers where the page can edit (WorkflowGraph, derive.ts)
    startLayoutWorker({ workflowId: props.workflowId, laneMarkers: props.canEdit });
  } else if (props.page === "execution") {
    startLayoutWorker();
  }
}

function mount(): void {
  const root = document.getElementById("studio-root");
  if (!root) return;
  const props = readRootProps(root);
  if (!props) {
    root.textContent = `Unknown studio page: ${root.dataset.page ?? "(none)"}`;
    return;
  }
  configureApi({ csrfToken: props.csrfToken });
  startEarly(props);
  const Page = PAGES[props.page];
  createRoot(root).render(
    <StrictMode>
      <Suspense fallback={<p className="studio-loading">Loading…</p>}>
        <Page {...props} />
      </Suspense>
    </StrictMode>,
  );
}

mount();
