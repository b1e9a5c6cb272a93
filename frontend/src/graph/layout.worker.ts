/**
 * Web worker running ELK off the main thread: receives `{id, graph}` (an ELK
 * JSON graph) and answers `{id, result}` (boxes and routes) or `{id, error}`.
 */
import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkNode } from "elkjs/lib/elk-api";
import { fromElk } from "./elkGraph";

const elk = new ELK();

interface Request {
  id: number;
  graph: ElkNode;
}

self.onmessage = async (event: MessageEvent<Request>) => {
  const { id, graph } = event.data;
  try {
    const result = await elk.layout(graph);
    self.postMessage({ id, result: fromElk(result) });
  } catch (err) {
    self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
