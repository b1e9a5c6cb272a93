#!/usr/bin/env bash
# Start a Stateyard worker: one Celery process advancing executions (prefork, with the
# sweeper's beat) and one serving task calls (HTTP, Python functions) on a thread pool.
# Both stop together. Run this once per machine; more machines scale out.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
CALL_THREADS=${STATEYARD_CALL_THREADS:-32}

"$PY" -m celery -A stateyard worker --queues=celery --beat --loglevel=INFO \
    --hostname="advance@%h" &
advance=$!
"$PY" -m celery -A stateyard worker --queues=calls --pool=threads \
    --concurrency="$CALL_THREADS" --loglevel=INFO --hostname="calls@%h" &
calls=$!
trap 'kill -TERM $advance $calls 2>/dev/null; wait' INT TERM
wait -n $advance $calls
kill -TERM $advance $calls 2>/dev/null || true
wait
