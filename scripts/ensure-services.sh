#!/usr/bin/env bash
# Make sure PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer; start them if not.
# The machine normally starts both before a session; CI or a restarted machine may not have.
# Also an S3-compatible server for the Distributed Map tests: moto's server mode
# (requirements-dev.txt) on STATEYARD_TEST_S3_PORT (5479), started in the background.
set -u

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

wait_for() {  # wait_for NAME CHECK
    for _ in $(seq 1 30); do
        if "$2"; then return 0; fi
        sleep 1
    done
    echo "ensure-services: $1 did not come up" >&2
    return 1
}

status=0
if ! pg_up; then
    if command -v pg_ctlcluster >/dev/null 2>&1; then
        echo "ensure-services: starting PostgreSQL"
        for version in $(ls /etc/postgresql 2>/dev/null); do
            pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        done
        wait_for PostgreSQL pg_up || status=1
    else
        echo "ensure-services: PostgreSQL is not installed (apt-get install postgresql)" >&2
        status=1
    fi
fi
if ! redis_up; then
    if command -v redis-server >/dev/null 2>&1; then
        echo "ensure-services: starting Redis"
        mkdir -p /var/lib/redis /var/log/redis
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
            --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
        wait_for Redis redis_up || status=1
    else
        echo "ensure-services: Redis is not installed (apt-get install redis-server)" >&2
        status=1
    fi
fi
S3_PORT="${STATEYARD_TEST_S3_PORT:-5479}"
s3_up() { curl -s -o /dev/null "http://127.0.0.1:${S3_PORT}/" 2>/dev/null; }
if ! s3_up; then
    MOTO="${MOTO_SERVER:-.venv/bin/moto_server}"
    if [ -x "$MOTO" ]; then
        echo "ensure-services: starting the S3-compatible test server (moto) on port ${S3_PORT}"
        mkdir -p /tmp/stateyard-s3
        nohup "$MOTO" -H 127.0.0.1 -p "$S3_PORT" >/tmp/stateyard-s3/moto.log 2>&1 &
        echo $! >/tmp/stateyard-s3/moto.pid
        wait_for "S3 test server" s3_up || status=1
    else
        echo "ensure-services: $MOTO is missing (make dev-install installs moto[server])" >&2
        status=1
    fi
fi
if [ "$status" -eq 0 ]; then echo "ensure-services: PostgreSQL, Redis and the S3 test server are up"; fi
exit "$status"
