/**
 * React hook: an execution's history folded live. Events arrive over the
 * websocket (backlog first); re-renders are coalesced so a long backlog does
 * not render once per event. The socket closes once the execution ends;
 * `follow()` opens it again on the same fold (after a redrive: the events
 * after the last one folded).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { HistoryFold } from "./history";
import { LiveHistory, type LiveState, type SocketFactory } from "./live";

export interface LiveHistoryView {
  fold: HistoryFold;
  /** Bumped whenever the fold changed (use it as a memo key). */
  version: number;
  state: LiveState;
  /** Follow the execution again (it was redriven): new events go on the same fold. */
  follow: () => void;
}

export function useLiveHistory(
  executionId: string | undefined,
  options: { factory?: SocketFactory; url?: string } = {},
): LiveHistoryView {
  const foldRef = useRef<{ id: string; fold: HistoryFold } | null>(null);
  const [fold, setFold] = useState(() => new HistoryFold());
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<LiveState>("connecting");
  const [generation, setGeneration] = useState(0);
  const { factory, url } = options;
  const follow = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    if (!executionId) return;
    let current = foldRef.current?.id === executionId ? foldRef.current.fold : null;
    if (!current) {
      current = new HistoryFold();
      foldRef.current = { id: executionId, fold: current };
      setFold(current);
    }
    const target = current;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const bump = () => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        setVersion((v) => v + 1);
      }, 30);
    };
    const live = new LiveHistory({
      executionId,
      factory,
      url,
      afterId: target.run.lastEventId,
      onEvents: (events) => {
        if (target.addAll(events)) bump();
      },
      onState: setState,
    }).start();
    return () => {
      live.stop();
      if (timer !== null) clearTimeout(timer);
    };
  }, [executionId, factory, url, generation]);

  return { fold, version, state, follow };
}
