/**
 * Hook: a function whose identity never changes but which always calls the
 * latest `fn`. For props of `<ReactFlow>`: xyflow copies many of them
 * (onConnect, onDelete, onNodeDragStop, isValidConnection, ...) into its store
 * when their identity changes, one store update each, and every update re-runs
 * every node's and edge's selector; a new `onNodeClick` re-renders every node.
 * Inline arrows did that on each render of the canvas (every click, at 300
 * states several hundred milliseconds).
 */
import { useCallback, useLayoutEffect, useRef } from "react";

export function useStableCallback<Args extends unknown[], Result>(fn: (...args: Args) => Result): (...args: Args) => Result {
  const latest = useRef(fn);
  useLayoutEffect(() => {
    latest.current = fn;
  });
  return useCallback((...args: Args) => latest.current(...args), []);
}
