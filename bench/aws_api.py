"""AWS API benchmark: StartExecution and StartSyncExecution calls/s through boto3 (SigV4,
``/aws``) against the same calls to the REST API (Bearer token, ``/api/``) in the same run.

It recreates a throwaway database (``stateyard_bench_aws``, migrated), flushes
one Redis database, seeds a user, a team, an API token and an access key, and a
5-state Pass workflow twice (Standard and Express), then starts one uvicorn
worker in production mode. Each measurement makes ``calls`` sequential calls
on one kept-alive connection, alternating AWS and REST rounds so both see the
same machine; the best round of each is kept. StartExecution stores and
dispatches a Standard execution (no worker runs them: the start is what is
measured); StartSyncExecution runs the Express workflow in the web process to
the end and answers its output.

    .venv/bin/python bench/aws_api.py [--quick] [--calls N] [--rounds N]

The ratio ``aws/rest`` is the number to track: the AWS path adds SigV4 (one
HMAC chain and a cached key lookup), the model check of the body and the
replay check; absolute rates move with the machine's load.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

_BENCH_DIR = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH_DIR]
sys.path.insert(0, str(_BENCH_DIR.parent))

from bench.runtime_support import (  # noqa: E402
    BenchFailure,
    Config,
    Stack,
    flush_redis,
    free_port,
    recreate_database,
    terminate_on_sigterm,
)

DB_NAME = "stateyard_bench_aws"
REDIS_DB = 14
FIVE = {
    "StartAt": "A",
    "States": {
        "A": {"Type": "Pass", "Result": 1, "ResultPath": "$.a", "Next": "B"},
        "B": {"Type": "Pass", "Result": 2, "ResultPath": "$.b", "Next": "C"},
        "C": {"Type": "Pass", "Result": 3, "ResultPath": "$.c", "Next": "D"},
        "D": {"Type": "Pass", "Result": 4, "ResultPath": "$.d", "Next": "E"},
        "E": {"Type": "Pass", "Result": 5, "ResultPath": "$.e", "End": True},
    },
}
EXPECTED = {"n": 1, "a": 1, "b": 2, "c": 3, "d": 4, "e": 5}


def seed() -> dict[str, Any]:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stateyard.settings")
    django.setup()
    from django.contrib.auth import get_user_model

    from designer import arns
    from designer.models import Membership, Role, Team, Workflow, WorkflowType
    from designer.services.access_keys import access_key_create
    from designer.services.tokens import token_create

    user = get_user_model().objects.create_user("bench", password=uuid.uuid4().hex)
    team = Team.objects.create(name="Bench", slug="bench")
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    standard = Workflow.objects.create(team=team, name="five", definition=FIVE)
    express = Workflow.objects.create(
        team=team, name="five-express", type=WorkflowType.EXPRESS, definition=FIVE
    )
    key = access_key_create(user, "bench").as_aws()
    return {
        "token": token_create(user, "bench")[1],
        "key": (key["AccessKeyId"], key["SecretAccessKey"]),
        "standard": (str(standard.pk), arns.machine_arn(standard)),
        "express": (str(express.pk), arns.machine_arn(express)),
    }


def best_rate(call: Callable[[int], None], calls: int) -> float:
    began = time.perf_counter()
    for index in range(calls):
        call(index)
    return calls / (time.perf_counter() - began)


def measure(seeded: dict[str, Any], port: int, calls: int, rounds: int) -> dict[str, float]:
    import boto3
    import httpx
    from botocore.config import Config as BotoConfig

    sfn = boto3.client(
        "stepfunctions",
        endpoint_url=f"http://127.0.0.1:{port}/aws",
        region_name="us-east-1",
        aws_access_key_id=seeded["key"][0],
        aws_secret_access_key=seeded["key"][1],
        config=BotoConfig(inject_host_prefix=False, retries={"max_attempts": 1}),
    )
    rest = httpx.Client(
        base_url=f"http://127.0.0.1:{port}",
        headers={"Authorization": f"Bearer {seeded['token']}"},
        timeout=60,
    )
    standard_id, standard_arn = seeded["standard"]
    express_id, express_arn = seeded["express"]
    payload = json.dumps({"n": 1})

    def aws_start(_: int) -> None:
        sfn.start_execution(stateMachineArn=standard_arn, input=payload)

    def rest_start(_: int) -> None:
        answer = rest.post(f"/api/workflows/{standard_id}/executions/", json={"input": {"n": 1}})
        if answer.status_code != 201:
            raise BenchFailure(f"REST start: {answer.status_code} {answer.text[:200]}")

    def aws_sync(_: int) -> None:
        done = sfn.start_sync_execution(stateMachineArn=express_arn, input=payload)
        if done["status"] != "SUCCEEDED" or json.loads(done["output"]) != EXPECTED:
            raise BenchFailure(f"AWS sync run: {done['status']} {done.get('output')}")

    def rest_sync(_: int) -> None:
        url = f"/api/workflows/{express_id}/executions/sync/"
        answer = rest.post(url, json={"input": {"n": 1}})
        execution = answer.json().get("execution", {})
        if answer.status_code != 200 or execution.get("output") != EXPECTED:
            raise BenchFailure(f"REST sync run: {answer.status_code} {answer.text[:200]}")

    pairs = {
        "StartExecution": (aws_start, rest_start),
        "StartSyncExecution": (aws_sync, rest_sync),
    }
    results: dict[str, float] = {}
    for name, (aws, plain) in pairs.items():
        aws(0), plain(0)  # warm both paths (connections, caches)
        aws_best = rest_best = 0.0
        for _ in range(rounds):
            aws_best = max(aws_best, best_rate(aws, calls))
            rest_best = max(rest_best, best_rate(plain, calls))
        results[f"{name} aws"] = aws_best
        results[f"{name} rest"] = rest_best
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="few calls: a smoke check")
    parser.add_argument("--calls", type=int, default=None, help="calls per round (default 200)")
    parser.add_argument("--rounds", type=int, default=None, help="rounds per side (default 3)")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379", help="Redis server")
    parser.add_argument("--redis-db", type=int, default=REDIS_DB, help="the Redis db to flush")
    args = parser.parse_args(argv)
    calls = args.calls or (20 if args.quick else 200)
    rounds = args.rounds or (1 if args.quick else 3)
    config = Config(args.pg, DB_NAME, args.redis, args.redis_db)
    terminate_on_sigterm()
    import os

    os.environ.update(config.env())
    recreate_database(config)
    flush_redis(config)
    seeded = seed()
    stack = Stack(config, Path(tempfile.mkdtemp(prefix="stateyard-bench-aws-")))
    try:
        port = free_port()
        server = stack.start_server(port, workers=1)
        stack.wait_server_ready(server, port)
        results = measure(seeded, port, calls, rounds)
        stack.check_alive()
    except BenchFailure as failure:
        print(f"\nFAILED: {failure}\n\n{stack.tails()}", file=sys.stderr)
        return 1
    finally:
        stack.stop_all()
    print(f"AWS API vs REST API, {calls} sequential calls per round, best of {rounds}")
    print(f"{'operation':<22}{'boto3 /aws':>14}{'REST /api':>14}{'aws/rest':>10}")
    for name in ("StartExecution", "StartSyncExecution"):
        aws, rest = results[f"{name} aws"], results[f"{name} rest"]
        print(f"{name:<22}{aws:>12.1f}/s{rest:>12.1f}/s{aws / rest:>9.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
