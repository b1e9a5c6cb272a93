#!/usr/bin/env bash
# Serve Stateyard in production (`make serve`): collect the static files (content-hashed
# names, brotli and gzip copies; stateyard/static_storage.py), apply migrations, then run
# uvicorn with several worker processes.
#
# Production settings: SECRET_KEY must be set and STATEYARD_DEV must not be (that is
# `make run`). Scaled out (REDIS_URL set) it starts WEB_CONCURRENCY workers (default: one
# per CPU); embedded (no REDIS_URL) exactly one, since the in-process execution worker and
# the in-memory channel layer live in that one process. HOST (default 127.0.0.1, behind a
# reverse proxy that terminates TLS) and PORT (8000) choose where it listens;
# FORWARDED_ALLOW_IPS which proxies' X-Forwarded-* headers it trusts.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

case "${STATEYARD_DEV:-}" in
    1 | [Tt][Rr][Uu][Ee] | [Yy][Ee][Ss] | [Oo][Nn])
        echo "serve: STATEYARD_DEV is set; make serve runs production settings (make run is development)" >&2
        exit 2 ;;
esac
if [ -z "${SECRET_KEY:-}" ]; then
    echo "serve: set SECRET_KEY (a long random string, the same for the web server and the workers)" >&2
    exit 2
fi

if [ -n "${REDIS_URL:-}" ]; then
    workers=${WEB_CONCURRENCY:-$(nproc)}
else
    workers=1
    if [ "${WEB_CONCURRENCY:-1}" != 1 ]; then
        echo "serve: embedded mode (no REDIS_URL) runs one web process; set REDIS_URL to scale out" >&2
    fi
fi

"$PY" manage.py collectstatic --noinput --verbosity 1
"$PY" manage.py migrate --noinput
echo "serve: Stateyard on http://${HOST:-127.0.0.1}:${PORT:-8000}/ ($workers worker processes)"
# uvicorn refuses a websocket frame over the limit before the app sees it (designer/limits.py)
ws_max=${STATEYARD_LIMIT_WS_MESSAGE_MAX_BYTES:-$("$PY" -c 'from designer.limits import default; print(default("WS_MESSAGE_MAX_BYTES"))')}
exec "$PY" -m uvicorn stateyard.asgi:application \
    --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" --workers "$workers" \
    --ws-max-size "$ws_max" \
    --proxy-headers --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
