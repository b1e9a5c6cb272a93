/**
 * Live history over `/ws/executions/<id>/`.
 *
 * The server first sends every event already recorded (the backlog), then
 * each new one as it commits, in id order without gaps. When the connection
 * drops, the client reconnects with a growing delay; the server then sends
 * the whole history again from the start, so events at or below the last id
 * already delivered are dropped. A gap (an id beyond last + 1, which the
 * server never sends) forces a reconnect, which fills it. Once the execution
 * has ended (an Execution{Succeeded,Failed,TimedOut,Aborted} event not followed
 * by an ExecutionRedriven one) the client pings, and on the pong (which comes
 * after every event the server sent before it, so after a backlog's later
 * runs) closes the socket and stays closed;
 * after a redrive a new LiveHistory (`afterId`: the last id) follows it again. Close codes 4404 (not found / not
 * allowed) and 4403 (access ended: token revoked, logged out, removed from
 * the team) are final too.
 *
 * Also `/ws/workflows/<id>/executions/` (status messages, no history): the same
 * reconnecting socket without the dedupe (see `liveSocket`).
 */
import type { HistoryEvent } from "./history";

/** The parts of the browser WebSocket this module uses (a fake in tests). */
export interface SocketLike {
  readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number): void;
}

export type SocketFactory = (url: string) => SocketLike;

export type LiveState = "connecting" | "open" | "reconnecting" | "closed" | "refused";

export const REFUSED_CODE = 4404;
export const ACCESS_ENDED_CODE = 4403;

const TERMINAL = new Set(["ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"]);

/** `ws(s)://<host><path>` for the page's origin. */
export function socketUrl(path: string, loc: { protocol: string; host: string } = window.location): string {
  const scheme = loc.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${loc.host}${path}`;
}

export function executionSocketPath(executionId: string): string {
  return `/ws/executions/${encodeURIComponent(executionId)}/`;
}

export function workflowExecutionsSocketPath(workflowId: string): string {
  return `/ws/workflows/${encodeURIComponent(workflowId)}/executions/`;
}

const defaultFactory: SocketFactory = (url) => new WebSocket(url) as unknown as SocketLike;

export interface LiveSocketOptions {
  url: string;
  onMessage: (message: unknown) => void;
  onState?: (state: LiveState) => void;
  /** Called on every (re)connection, before any message of it. */
  onOpen?: (reconnect: boolean) => void;
  factory?: SocketFactory;
  /** First reconnect delay; doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** A websocket that reconnects with backoff until `close()`, a 4404 or a 4403. */
export class LiveSocket {
  private socket: SocketLike | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private connections = 0;
  private stopped = false;
  state: LiveState = "connecting";

  constructor(private readonly options: LiveSocketOptions) {}

  start(): this {
    this.stopped = false;
    this.connect();
    return this;
  }

  /** Close for good (no reconnect). */
  close(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.onerror = null;
      socket.onopen = null;
      try {
        socket.close(1000);
      } catch {
        /* already closed */
      }
    }
    this.setState("closed");
  }

  /** Drop the current connection and open a new one now (e.g. to fill a gap). */
  reconnect(): void {
    if (this.stopped) return;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.onmessage = null;
      try {
        socket.close(1000);
      } catch {
        /* already closed */
      }
    }
    this.connect();
  }

  send(message: unknown): void {
    if (this.socket && this.socket.readyState === 1) this.socket.send(JSON.stringify(message));
  }

  private setState(state: LiveState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onState?.(state);
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState(this.connections === 0 ? "connecting" : "reconnecting");
    let socket: SocketLike;
    try {
      socket = (this.options.factory ?? defaultFactory)(this.options.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      const reconnect = this.connections > 0;
      this.connections += 1;
      this.failures = 0;
      this.options.onOpen?.(reconnect);
      this.setState("open");
    };
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      let message: unknown;
      try {
        message = typeof ev.data === "string" ? JSON.parse(ev.data) : ev.data;
      } catch {
        return;
      }
      this.options.onMessage(message);
    };
    socket.onerror = () => {
      /* onclose follows */
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (ev.code === REFUSED_CODE || ev.code === ACCESS_ENDED_CODE) {
        this.stopped = true;
        this.setState("refused");
        return;
      }
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const initial = this.options.initialDelayMs ?? 500;
    const max = this.options.maxDelayMs ?? 15_000;
    const delay = Math.min(max, initial * 2 ** this.failures);
    this.failures += 1;
    this.setState("reconnecting");
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }
}

export interface LiveHistoryOptions {
  executionId: string;
  /** Fresh events only (never a duplicate), in id order, one batch per message. */
  onEvents: (events: HistoryEvent[]) => void;
  onState?: (state: LiveState) => void;
  /** Events already known (e.g. from the REST history): later ones only are delivered. */
  afterId?: number;
  url?: string;
  factory?: SocketFactory;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Ask the server where it is every this many ms (0: never). */
  pingMs?: number;
}

/** The execution's history, live: backlog first, then new events, deduped across reconnects. */
export class LiveHistory {
  lastId: number;
  finished = false;
  /** Ended: a ping was sent to learn whether anything follows (stop on its pong). */
  private confirming = false;
  private readonly socket: LiveSocket;
  private pinger: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly options: LiveHistoryOptions) {
    this.lastId = options.afterId ?? 0;
    this.socket = new LiveSocket({
      url: options.url ?? socketUrl(executionSocketPath(options.executionId)),
      factory: options.factory,
      initialDelayMs: options.initialDelayMs,
      maxDelayMs: options.maxDelayMs,
      onState: (state) => options.onState?.(state),
      onMessage: (message) => this.receive(message),
    });
  }

  get state(): LiveState {
    return this.socket.state;
  }

  start(): this {
    this.socket.start();
    const every = this.options.pingMs ?? 30_000;
    if (every > 0) this.pinger = setInterval(() => this.socket.send({ type: "ping" }), every);
    return this;
  }

  stop(): void {
    if (this.pinger !== null) clearInterval(this.pinger);
    this.pinger = null;
    this.socket.close();
  }

  /** Handle one server message (exposed for tests). */
  receive(message: unknown): void {
    if (!message || typeof message !== "object") return;
    const m = message as { type?: unknown; event?: unknown; events?: unknown; last_id?: unknown };
    if (m.type === "pong") {
      // The server has sent more than we have: something was lost, start over.
      if (typeof m.last_id === "number" && m.last_id > this.lastId) this.socket.reconnect();
      // Ended, and the server has sent nothing after it (a pong follows every event sent
      // before it): nothing more to follow.
      else if (this.finished) this.stop();
      return;
    }
    if (m.type !== "event" && m.type !== "events") return;
    const incoming = (m.type === "event" ? [m.event] : Array.isArray(m.events) ? m.events : []) as HistoryEvent[];
    const fresh: HistoryEvent[] = [];
    for (const event of incoming) {
      if (!event || typeof event.id !== "number" || event.id <= this.lastId) continue;
      if (event.id !== this.lastId + 1 && this.lastId > 0) {
        // A gap: the server re-sends everything on a new connection.
        this.flush(fresh);
        this.socket.reconnect();
        return;
      }
      fresh.push(event);
      this.lastId = event.id;
      if (TERMINAL.has(event.type)) this.finished = true;
      else if (event.type === "ExecutionRedriven") this.finished = false; // it runs again
    }
    this.flush(fresh);
    if (this.finished && !this.confirming) {
      // The backlog comes one event per message: a terminal event may be followed by an
      // ExecutionRedriven (and the runs after it). Ask the server where it is first.
      this.confirming = true;
      this.socket.send({ type: "ping" });
    } else if (!this.finished) this.confirming = false;
  }

  private flush(events: HistoryEvent[]): void {
    if (events.length) this.options.onEvents(events);
  }
}

/** Status messages of `/ws/workflows/<id>/executions/`. */
export interface ExecutionStatusMessage {
  id: string;
  name: string;
  status: string;
  start_date: string | null;
  stop_date: string | null;
}

export function watchWorkflowExecutions(
  workflowId: string,
  onStatus: (execution: ExecutionStatusMessage) => void,
  options: { factory?: SocketFactory; url?: string; onState?: (s: LiveState) => void; onReconnect?: () => void } = {},
): LiveSocket {
  return new LiveSocket({
    url: options.url ?? socketUrl(workflowExecutionsSocketPath(workflowId)),
    factory: options.factory,
    onState: options.onState,
    onOpen: (reconnect) => {
      if (reconnect) options.onReconnect?.();
    },
    onMessage: (message) => {
      const m = message as { type?: unknown; execution?: unknown } | null;
      if (m && m.type === "status" && m.execution && typeof m.execution === "object") {
        onStatus(m.execution as ExecutionStatusMessage);
      }
    },
  }).start();
}
