/**
 * React hook: an execution's history folded live. Events arrive over the
 * websocket (backlog first); re-renders are coalesced so a long backlog does
 * not render once per event.
 */
import { useEffect, useRef, useState } from "react";
import { HistoryFold } from "./history";
import { LiveHistory, type LiveState, type SocketFactory } from "./live";

export interface LiveHistoryView {
  fold: HistoryFold;
  /** Bumped whenever the fold changed (use it as a memo key). */
  version: number;
  state: LiveState;
}

export function useLiveHistory(
  executionId: string | undefined,
  options: { factory?: SocketFactory; url?: string } = {},
): LiveHistoryView {
  const foldRef = useRef<HistoryFold | null>(null);
  const [fold, setFold] = useState(() => new HistoryFold());
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<LiveState>("connecting");
  const { factory, url } = options;

  useEffect(() => {
    if (!executionId) return;
    const current = new HistoryFold();
    foldRef.current = current;
    setFold(current);
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
      onEvents: (events) => {
        if (current.addAll(events)) bump();
      },
      onState: setState,
    }).start();
    return () => {
      live.stop();
      if (timer !== null) clearTimeout(timer);
    };
  }, [executionId, factory, url]);

  return { fold, version, state };
}
