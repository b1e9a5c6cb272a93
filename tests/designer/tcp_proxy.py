"""A TCP proxy for fault tests: put it between workers and Redis, then pull the plug.

    with TcpProxy("127.0.0.1", 6379) as proxy:
        url = f"redis://127.0.0.1:{proxy.port}/3"  # give this to the processes under test
        ...
        proxy.outage(5)  # drop every connection and refuse new ones for 5 seconds

``outage(seconds)`` closes the listening socket (new connections are refused,
as when Redis is down) and every connection in flight, then listens again on
the same port after ``seconds``; ``outage(seconds, wait=False)`` returns at
once and restores in the background. Threads only: no event loop to share.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from types import TracebackType


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int, port: int = 0) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = port
        self.outages = 0
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._guard = threading.Lock()
        self._up = threading.Event()
        self._closed = False

    # ---- lifecycle ------------------------------------------------------------------

    def start(self) -> TcpProxy:
        self._listen()
        return self

    def close(self) -> None:
        self._closed = True
        self._down()

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def url(self, database: int | str = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    # ---- faults ---------------------------------------------------------------------

    def outage(self, seconds: float, wait: bool = True) -> threading.Thread | None:
        """Drop every connection and refuse new ones for ``seconds``; then serve again."""
        self.outages += 1
        self._down()

        def restore() -> None:
            time.sleep(seconds)
            if not self._closed:
                self._listen()

        if wait:
            restore()
            return None
        thread = threading.Thread(target=restore, daemon=True, name="proxy-restore")
        thread.start()
        return thread

    @property
    def connections(self) -> int:
        with self._guard:
            return len(self._sockets) // 2

    # ---- plumbing -------------------------------------------------------------------

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        self.port = listener.getsockname()[1]
        with self._guard:
            self._listener = listener
        self._up.set()
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _down(self) -> None:
        self._up.clear()
        with self._guard:
            listener, self._listener = self._listener, None
            sockets, self._sockets = list(self._sockets), set()
        if listener is not None:
            _shut(listener)
        for sock in sockets:
            _shut(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # the listener was closed (an outage or the end)
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                _shut(client)
                continue
            with self._guard:
                if self._listener is not listener:  # an outage began meanwhile
                    _shut(client)
                    _shut(server)
                    continue
                self._sockets.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                target.sendall(data)
        except OSError:
            pass
        finally:
            with self._guard:
                self._sockets.discard(source)
                self._sockets.discard(target)
            _shut(source)
            _shut(target)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
