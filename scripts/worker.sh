#!/usr/bin/env bash
# Start a Stateyard worker: one Celery process advancing executions (prefork, with the
# sweeper's beat) and one serving task calls (HTTP, Python functions) on a thread pool,
# both under stateyard_worker.supervisor, which restarts either when it dies (backoff
# 1 s doubling to 30 s). SIGTERM/SIGINT stops both. Run this once per machine; more
# machines scale out. Workers reconnect to Redis and PostgreSQL on their own.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
CALL_THREADS=${STATEYARD_CALL_THREADS:-32}

exec "$PY" -m stateyard_worker.supervisor \
    "advance=$PY -m celery -A stateyard worker --queues=celery --beat --loglevel=INFO --hostname=advance@%h" \
    "calls=$PY -m celery -A stateyard worker --queues=calls --pool=threads --concurrency=$CALL_THREADS --loglevel=INFO --hostname=calls@%h" \
    ${STATEYARD_SUPERVISOR_ARGS:-}
