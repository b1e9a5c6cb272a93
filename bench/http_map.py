"""Benchmark: a Map of HTTP Tasks really runs its iterations concurrently in real time.

Run from the repository root::

    .venv/bin/python bench/http_map.py            # 200 items, 50 ms per request
    .venv/bin/python bench/http_map.py --quick    # 40 items, a smoke check

A local threaded HTTP server on 127.0.0.1 (allowed explicitly, as an
administrator would with STATEYARD_HTTP_ALLOW_HOSTS) answers every request
after sleeping ``--delay`` seconds. A Map over ``--items`` items calls it once
per item (``arn:aws:states:::http:invoke``) through ``engine.run(...,
real_time=True)``, first with MaxConcurrency 20, then with MaxConcurrency 1,
and prints both wall times and their ratio. With 50 ms requests the ideal ratio
is 20; what is printed is what this machine measured.

Only the in-memory runner is measured here: the durable path sends each call
through a TaskInvocation row and a Celery/embedded worker, which needs the web
app's database and workers (see bench/runtime.py for that runtime).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import engine
from engine.adapters import AdapterRegistry
from engine.tasks import http


def start_server(delay: float) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as separate writes

        def do_GET(self) -> None:
            time.sleep(delay)
            body = b'{"ok":true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 128
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def machine(url: str, concurrency: int) -> Any:
    return engine.parse(
        {
            "StartAt": "Fan",
            "States": {
                "Fan": {
                    "Type": "Map",
                    "MaxConcurrency": concurrency,
                    "ItemsPath": "$.items",
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "INLINE"},
                        "StartAt": "Call",
                        "States": {
                            "Call": {
                                "Type": "Task",
                                "Resource": http.RESOURCE,
                                "Parameters": {
                                    "ApiEndpoint": url,
                                    "Method": "GET",
                                    "QueryParameters": {"item.$": "States.Format('{}', $)"},
                                },
                                "ResultSelector": {"code.$": "$.StatusCode"},
                                "End": True,
                            }
                        },
                    },
                    "End": True,
                }
            },
        }
    )


def timed(url: str, allow: str, items: int, concurrency: int) -> float:
    registry = AdapterRegistry()
    adapter = http.register(registry, allow_hosts=[allow])
    started = time.perf_counter()
    result = engine.run(
        machine(url, concurrency), {"items": list(range(items))}, adapters=registry, real_time=True
    )
    elapsed = time.perf_counter() - started
    adapter.http.close()
    if result.status != "SUCCEEDED" or result.output != [{"code": 200}] * items:
        raise SystemExit(f"MaxConcurrency {concurrency}: {result.status} {result.cause}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--quick", action="store_true", help="40 items")
    args = parser.parse_args()
    items = 40 if args.quick else args.items
    server = start_server(args.delay)
    port = server.server_address[1]
    url, allow = f"http://127.0.0.1:{port}/work", f"127.0.0.1:{port}"
    try:
        timed(url, allow, 5, 5)  # warm up
        wide = timed(url, allow, items, 20)
        narrow = timed(url, allow, items, 1)
    finally:
        server.shutdown()
        server.server_close()
    print(f"Map of {items} HTTP Tasks, {args.delay * 1000:.0f} ms each, engine.run(real_time=True)")
    print(f"  MaxConcurrency 20: {wide:6.2f} s")
    print(f"  MaxConcurrency 1:  {narrow:6.2f} s")
    print(f"  ratio: {narrow / wide:.1f}x (ideal 20x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
