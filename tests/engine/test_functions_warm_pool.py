"""Issue #11: isolated Python functions run in warm processes reused across calls (as Lambda
reuses warm containers), and a warm process keeps what a fresh fork gave: killed and
replaced past its deadline, memory capped, its own context per call."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import engine
from engine.adapters import AdapterRegistry
from engine.tasks.functions import FunctionRegistry, LambdaContext

ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
CALLS = {"count": 0}


def pid_of(event: Any, context: LambdaContext) -> Any:
    return {"pid": os.getpid()}


def slow_pid(event: Any, context: LambdaContext) -> Any:
    time.sleep(0.5)
    return {"pid": os.getpid()}


def sleeper(event: Any, context: LambdaContext) -> Any:
    time.sleep(60)
    return {}


def hog(event: Any, context: LambdaContext) -> Any:
    return len([bytearray(64 * 2**20) for _ in range(64)])  # 4 GiB


def counter(event: Any, context: LambdaContext) -> Any:
    CALLS["count"] += 1
    return {"count": CALLS["count"], "pid": os.getpid()}


def about(event: Any, context: LambdaContext) -> Any:
    return {
        "request": context.aws_request_id,
        "left": context.get_remaining_time_in_millis(),
        "state": context.state_name,
        "event": event,
    }


def mutate(event: Any, context: LambdaContext) -> Any:
    event["seen"] = True
    return event


def setup(**fns: Any) -> tuple[FunctionRegistry, AdapterRegistry]:
    functions = FunctionRegistry(isolated=True, max_memory_bytes=256 * 2**20)
    for name, fn in fns.items():
        functions.register(name, fn)
    adapters = AdapterRegistry()
    functions.install(adapters)
    return functions, adapters


def call(name: str, adapters: AdapterRegistry, data: Any = None, **fields: Any) -> Any:
    state = {"Type": "Task", "Resource": ARN + name, "End": True, **fields}
    machine = engine.parse({"StartAt": "T", "States": {"T": state}})
    return engine.run(machine, {"n": 1} if data is None else data, adapters=adapters)


def gone(pid: int) -> bool:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "\nState:\tZ" in text  # a zombie has exited (waiting for whoever adopted it)


def test_calls_reuse_one_warm_process() -> None:
    functions, adapters = setup(pid_of=pid_of)
    pids = [call("pid_of", adapters).output["pid"] for _ in range(5)]
    assert len(set(pids)) == 1 and pids[0] != os.getpid()
    assert functions.pool().started == 1
    functions.pool().close()


def test_a_process_past_its_deadline_is_killed_and_replaced() -> None:
    functions, adapters = setup(pid_of=pid_of, sleeper=sleeper)
    first = call("pid_of", adapters).output["pid"]
    began = time.monotonic()
    result = call("sleeper", adapters, TimeoutSeconds=1)  # runs in the warm process
    assert time.monotonic() - began < 10
    assert (result.status, result.error) == ("FAILED", "States.Timeout")
    assert "did not finish within 1 seconds" in str(result.cause)
    assert gone(first)
    assert functions.pool().idle_pids() == []
    after = call("pid_of", adapters).output["pid"]
    assert after not in (first, os.getpid())
    assert functions.pool().started == 2
    functions.pool().close()


def test_a_pool_process_over_its_memory_fails_the_call_and_is_retired() -> None:
    functions, adapters = setup(pid_of=pid_of, hog=hog)
    first = call("pid_of", adapters).output["pid"]
    result = call("hog", adapters)
    assert (result.status, result.error) == ("FAILED", "Runtime.OutOfMemory")
    assert "256 MiB" in str(result.cause)
    assert gone(first)
    after = call("pid_of", adapters)
    assert after.status == "SUCCEEDED" and after.output["pid"] != first
    functions.pool().close()


def test_module_globals_persist_in_a_warm_process_as_on_lambda() -> None:
    functions, adapters = setup(counter=counter)
    counts = [call("counter", adapters).output["count"] for _ in range(3)]
    assert counts == [1, 2, 3]
    assert CALLS["count"] == 0  # the worker's own globals are untouched
    functions.pool().close()


def test_each_call_gets_its_own_context_and_a_copy_of_its_event() -> None:
    functions, adapters = setup(about=about, mutate=mutate)
    one = call("about", adapters, TimeoutSeconds=5).output
    two = call("about", adapters, TimeoutSeconds=30).output
    assert one["request"] != two["request"]
    assert 0 < one["left"] <= 5000 and 5000 < two["left"] <= 30000
    assert one["state"] == "T"
    data = {"n": 1}
    assert call("mutate", adapters, data).output == {"n": 1, "seen": True}
    assert data == {"n": 1}
    functions.pool().close()


def test_concurrent_calls_each_get_a_process_then_reuse_them() -> None:
    functions, adapters = setup(slow_pid=slow_pid)
    seen: list[int] = []

    def one() -> None:
        seen.append(call("slow_pid", adapters).output["pid"])

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 4
    again = {call("slow_pid", adapters).output["pid"] for _ in range(2)}
    assert again <= set(seen)
    assert functions.pool().started == 4
    functions.pool().close()


def test_a_function_registered_after_the_pool_started_is_found() -> None:
    functions, adapters = setup(pid_of=pid_of)
    first = call("pid_of", adapters).output["pid"]
    functions.register("counter", counter)
    assert call("counter", adapters).status == "SUCCEEDED"
    assert gone(first)  # the processes forked without it were retired
    functions.pool().close()


def test_a_stop_signal_lets_the_call_in_a_warm_process_finish() -> None:
    functions, adapters = setup(pid_of=pid_of, slow_pid=slow_pid)
    pid = call("pid_of", adapters).output["pid"]
    answers: list[Any] = []
    thread = threading.Thread(target=lambda: answers.append(call("slow_pid", adapters)))
    thread.start()
    time.sleep(0.2)
    os.kill(pid, signal.SIGTERM)  # a worker's group gets SIGTERM on a warm shutdown
    os.kill(pid, signal.SIGINT)
    thread.join()
    assert answers[0].status == "SUCCEEDED" and answers[0].output["pid"] == pid
    functions.pool().close()
    assert gone(pid)


WORKER = """
import os, sys, threading, time
sys.path.insert(0, {root!r})
import engine
from engine.adapters import AdapterRegistry
from engine.tasks.functions import FunctionRegistry
functions = FunctionRegistry(isolated=True)
functions.register("pid", lambda event, context: os.getpid())
functions.register("hang", lambda event, context: time.sleep(600))
adapters = AdapterRegistry()
functions.install(adapters)
def machine(name):
    arn = "arn:aws:lambda:us-east-1:000000000000:function:" + name
    return engine.parse({{"StartAt": "T", "States": {{"T": {{
        "Type": "Task", "Resource": arn, "TimeoutSeconds": 1, "End": True}}}}}})
print(engine.run(machine("pid"), {{}}, adapters=adapters).output, flush=True)
if {busy!r}:
    hang = machine("hang")
    threading.Thread(target=lambda: engine.run(hang, {{}}, adapters=adapters)).start()
    time.sleep(0.3)
print("ready", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("busy", [False, True])
def test_warm_processes_exit_when_their_worker_is_killed(busy: bool) -> None:
    """Idle: at once (the pipe closes). In a call: its deadline and a grace at the latest."""
    root = str(Path(__file__).resolve().parents[2])
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER.format(root=root, busy=busy)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout is not None
        pool_pid = int(worker.stdout.readline())
        assert worker.stdout.readline().strip() == "ready"
        assert not gone(pool_pid)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    until = time.monotonic() + 10
    while not gone(pool_pid) and time.monotonic() < until:
        time.sleep(0.05)
    assert gone(pool_pid)
