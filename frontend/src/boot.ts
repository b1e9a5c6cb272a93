/**
 * Boot entry: the first script of the designer and execution pages. It only
 * starts the layout worker (graph/layoutWorker.ts), so the worker downloads
 * and compiles ELK while the browser is still parsing the studio's larger
 * chunks (React, CodeMirror, xyflow) for main.tsx; started from main.tsx, it
 * began only after all of them were evaluated. main.tsx's own call then finds
 * the worker running (one module instance, a shared chunk).
 *
 * The template tag (`designer/templatetags/vite.py`, `BOOT_PAGES`) emits this
 * script before the entry's, on the pages that lay a graph out.
 */
import { readRootProps } from "./api/rootProps";
import { startLayoutWorker } from "./graph/layoutWorker";

const props = readRootProps();
if (props?.page === "designer" && props.workflowId) {
  // the canvas draws lane markers where the page can edit (WorkflowGraph, derive.ts)
  startLayoutWorker({ workflowId: props.workflowId, laneMarkers: props.canEdit });
} else if (props?.page === "execution") {
  startLayoutWorker();
}
