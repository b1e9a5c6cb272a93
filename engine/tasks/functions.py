"""Python functions as Lambda functions: ``handler(event, context)``, registered by name.

A function is any callable taking ``(event, context)`` and returning a JSON
value. Functions live in plain Python modules and are marked with the
``@function("name")`` decorator; ``STATEYARD_FUNCTION_MODULES`` (comma-separated
module paths, default ``stateyard_functions.examples``) lists the modules whose
marked functions are registered. Tests and embedders can also call
``FunctionRegistry.register(name, fn)`` directly.

Two ways to call one from a Task, as on AWS:

* ``arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]``: the
  Task's effective input is the event, the function's return value is the
  Task's result;
* ``arn:aws:states:::lambda:invoke`` (and ``.waitForTaskToken``): the
  effective input is ``{"FunctionName": name or ARN, "Payload": event, ...}``
  and the result is Lambda's Invoke response (``Payload``, ``StatusCode``,
  ``ExecutedVersion``, ``SdkHttpMetadata``, ``SdkResponseMetadata``).

An exception in a function fails the Task the way Lambda reports it: the error
is the exception's class name and the cause is the JSON document
``{"errorMessage", "errorType", "requestId", "stackTrace"}``. A name that no
function answers to fails with ``Lambda.ResourceNotFoundException``.

An ``isolated`` registry (what the web app's workers and TestState use, see
``register``) runs each call in another process, as Lambda runs each function
in its own sandbox: a warm pool of processes forked from the worker and reused
from call to call, as Lambda reuses warm containers (``engine.tasks.warm_pool``).
Past its time (the Task's ``TimeoutSeconds``, or Lambda's 900 s) the process
is killed (and replaced on the next call) and the call fails with
``States.Timeout``; each process's address space is capped (``RLIMIT_AS``: what
it had when forked plus ``FUNCTION_MAX_MEMORY_BYTES``), so a function that
allocates too much fails with ``Runtime.OutOfMemory`` instead of taking the
worker down (and that process is retired); a process that dies fails the call
with ``Runtime.ExitError``. Each call gets a copy of its event and its own
``context``; module globals persist between the calls a process serves, as in
a warm Lambda container, so a function must not rely on them being fresh.
A registry built by hand runs functions in process (tests, embedders).
"""

from __future__ import annotations

import importlib
import json
import os
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, TypeVar

from engine.adapters import AdapterRegistry, TaskResponse
from engine.interpreter.effects import InvokeTask
from engine.limits import FUNCTION_DEFAULT_SECONDS, FUNCTION_MAX_MEMORY_BYTES
from engine.tasks.warm_pool import Answer, WarmPool

ENV_MODULES = "STATEYARD_FUNCTION_MODULES"
TIMEOUT_ERROR = "States.Timeout"
OUT_OF_MEMORY = "Runtime.OutOfMemory"
EXIT_ERROR = "Runtime.ExitError"
DEFAULT_MODULES = ("stateyard_functions.examples",)
LAMBDA_ARN_PREFIX = "arn:aws:lambda:"
INVOKE_RESOURCE = "arn:aws:states:::lambda:invoke"
CALLBACK_SUFFIX = ".waitForTaskToken"
DEFAULT_TIMEOUT_SECONDS = FUNCTION_DEFAULT_SECONDS  # Lambda's longest, when the Task sets none
EXECUTED_VERSION = "$LATEST"
MARK = "__stateyard_function__"

Handler = Callable[[Any, "LambdaContext"], Any]
F = TypeVar("F", bound=Callable[..., Any])


def function(name: str) -> Callable[[F], F]:
    """Mark ``fn`` as the function called ``name`` (registered when its module is loaded)."""
    if not isinstance(name, str) or not name:
        raise ValueError("A function needs a non-empty name.")

    def mark(fn: F) -> F:
        setattr(fn, MARK, name)
        return fn

    return mark


@dataclass
class LambdaContext:
    """What Lambda's Python runtime passes as ``context`` (the parts that make sense here)."""

    function_name: str
    invoked_function_arn: str
    aws_request_id: str
    deadline: float  # time.monotonic() value when the Task's time is up
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS  # what the deadline was set from
    function_version: str = EXECUTED_VERSION
    memory_limit_in_mb: int = 128
    log_group_name: str = ""
    log_stream_name: str = ""
    state_name: str = ""  # the Task state that called (a Stateyard addition)
    attempt: int = 0  # the Task's retry count (a Stateyard addition)
    identity: Any = None
    client_context: Any = None

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


class FunctionError(Exception):
    """A function could not be found or loaded."""


@dataclass
class FunctionRegistry:
    """Functions by name; also the task adapter that calls them (``invoke``)."""

    functions: dict[str, Handler] = field(default_factory=dict)
    isolated: bool = False  # each call in a pool process that is killed past its time
    max_memory_bytes: int = FUNCTION_MAX_MEMORY_BYTES  # a pool process's extra address space
    _pool: WarmPool | None = field(default=None, init=False, repr=False, compare=False)
    _pool_lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    def register(self, name: str, fn: Handler) -> None:
        if not callable(fn):
            raise TypeError(f"The function {name!r} is not callable.")
        self.functions[name] = fn
        if self._pool is not None:
            self._pool.renew()  # the warm processes were forked without it

    def get(self, name: str) -> Handler | None:
        return self.functions.get(name)

    def names(self) -> list[str]:
        return sorted(self.functions)

    def load_module(self, module: str | ModuleType) -> int:
        """Register every ``@function``-marked callable of ``module``; returns how many."""
        mod = importlib.import_module(module) if isinstance(module, str) else module
        count = 0
        for value in vars(mod).values():
            name = getattr(value, MARK, None)
            if isinstance(name, str) and callable(value):
                self.register(name, value)
                count += 1
        return count

    @classmethod
    def from_modules(cls, modules: Iterable[str], *, required: bool = True) -> FunctionRegistry:
        registry = cls()
        for module in modules:
            try:
                registry.load_module(module)
            except ModuleNotFoundError as missing:
                if required or missing.name is None or not module.startswith(missing.name):
                    raise FunctionError(
                        f"Cannot load the function module {module!r}: {missing}"
                    ) from missing
        return registry

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> FunctionRegistry:
        """The modules ``STATEYARD_FUNCTION_MODULES`` lists, or the examples when it is unset."""
        env = os.environ if environ is None else environ
        configured = env.get(ENV_MODULES)
        if configured is None:
            return cls.from_modules(DEFAULT_MODULES, required=False)
        return cls.from_modules([m.strip() for m in configured.split(",") if m.strip()])

    def install(self, registry: AdapterRegistry) -> None:
        """Answer both Lambda resource forms in ``registry``."""
        registry.register(LAMBDA_ARN_PREFIX, self)
        registry.register(INVOKE_RESOURCE, self)

    def _call(self, fn: Handler, event: Any, context: LambdaContext) -> Outcome:
        if self.isolated:
            answer = self.pool().run((context.function_name, event, context), context.deadline)
            return _outcome(answer, context)
        return call(fn, event, context)

    def pool(self) -> WarmPool:
        """The warm processes isolated calls run in (made on first use)."""
        with self._pool_lock:
            if self._pool is None:
                self._pool = WarmPool(self._in_pool, max_memory=self.max_memory_bytes)
            return self._pool

    def _in_pool(self, request: Any) -> tuple[Outcome, bool]:
        """In a pool process: one call; the process is retired after running out of memory."""
        name, event, context = request
        fn = self.get(name)
        if fn is None:  # pragma: no cover - the pool is renewed on every register
            return Outcome(response=not_found(context.invoked_function_arn)), True
        outcome = call(fn, event, context)
        if outcome.failed and outcome.response.error == "MemoryError":
            return _out_of_memory(context, self.max_memory_bytes), False
        return outcome, True

    # ---- the adapter ---------------------------------------------------------

    def invoke(self, request: InvokeTask) -> TaskResponse:
        if request.resource.startswith(INVOKE_RESOURCE):
            return self._invoke_integration(request)
        return self._invoke_arn(request)

    def _invoke_arn(self, request: InvokeTask) -> TaskResponse:
        name = function_name(request.resource)
        arn = function_arn(name, request)
        fn = self.get(name)
        if fn is None:
            return not_found(arn)
        outcome = self._call(fn, request.input, _context(name, arn, request))
        if outcome.failed:
            return outcome.response
        return TaskResponse(output=outcome.value)

    def _invoke_integration(self, request: InvokeTask) -> TaskResponse:
        params = request.input if isinstance(request.input, dict) else {}
        target = params.get("FunctionName")
        if not isinstance(target, str) or not target:
            return TaskResponse(
                failed=True,
                error="Lambda.InvalidParameterValueException",
                cause="The lambda:invoke integration needs a FunctionName (a name or an ARN).",
            )
        name = function_name(target)
        arn = function_arn(name, request)
        fn = self.get(name)
        if fn is None:
            return not_found(arn)
        event = params.get("Payload", {})
        asynchronous = params.get("InvocationType") == "Event"
        context = _context(name, arn, request)
        outcome = self._call(fn, event, context)
        if asynchronous:  # Lambda queues the event and answers at once; errors are not reported
            return TaskResponse(output=invoke_response("", context.aws_request_id, 202))
        if outcome.failed:
            return outcome.response
        if request.resource.endswith(CALLBACK_SUFFIX):
            return TaskResponse(pending=True)  # the function answers later with the token
        return TaskResponse(output=invoke_response(outcome.value, context.aws_request_id))


# ---- names and ARNs ----------------------------------------------------------


def function_name(reference: str) -> str:
    """The function's name in a name, ``name:alias``, ARN or partial ARN (qualifiers dropped)."""
    text = reference.removesuffix(CALLBACK_SUFFIX)
    if ":function:" in text:
        text = text.split(":function:", 1)[1]
    return text.split(":", 1)[0]


def _region_account(request: InvokeTask) -> tuple[str, str]:
    execution_arn = str(request.context.get("Execution", {}).get("Id", ""))
    parts = execution_arn.split(":")
    if len(parts) > 4 and parts[3] and parts[4]:
        return parts[3], parts[4]
    return "us-east-1", "000000000000"


def function_arn(name: str, request: InvokeTask) -> str:
    region, account = _region_account(request)
    return f"arn:aws:lambda:{region}:{account}:function:{name}"


def _context(name: str, arn: str, request: InvokeTask) -> LambdaContext:
    seconds = request.timeout_seconds or DEFAULT_TIMEOUT_SECONDS
    return LambdaContext(
        function_name=name,
        invoked_function_arn=arn,
        aws_request_id=str(uuid.uuid4()),
        deadline=time.monotonic() + float(seconds),
        timeout_seconds=float(seconds),
        log_group_name=f"/aws/lambda/{name}",
        log_stream_name=time.strftime("%Y/%m/%d/[$LATEST]stateyard"),
        state_name=request.state_name,
        attempt=request.attempt,
    )


# ---- calling -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    value: Any = None
    response: TaskResponse = field(default_factory=TaskResponse)

    @property
    def failed(self) -> bool:
        return self.response.failed


def call(fn: Handler, event: Any, context: LambdaContext) -> Outcome:
    """Call ``fn`` on a private copy of ``event``; its result must be JSON, as Lambda's is."""
    try:
        private = json.loads(json.dumps(event))
    except (TypeError, ValueError) as bad:  # pragma: no cover - inputs come from JSON
        return Outcome(response=function_failed(bad, context.aws_request_id))
    try:
        value = fn(private, context)
    except Exception as exc:
        return Outcome(response=function_failed(exc, context.aws_request_id, skip=1))
    try:
        return Outcome(value=json.loads(json.dumps(value)))
    except (TypeError, ValueError) as bad:
        return Outcome(
            response=error_response(
                "Runtime.MarshalError",
                f"Unable to marshal response: {bad}",
                context.aws_request_id,
                [],
            )
        )


def _outcome(answer: Answer, context: LambdaContext) -> Outcome:
    """A pool process's answer, or the failure that stands for its absence."""
    if answer.answered and isinstance(answer.value, Outcome):
        return answer.value
    if answer.timed_out:
        return Outcome(
            response=TaskResponse(
                failed=True,
                error=TIMEOUT_ERROR,
                cause=(
                    f"The function '{context.function_name}' did not finish within "
                    f"{_seconds(context)} seconds; it was stopped."
                ),
            )
        )
    code = "unknown" if answer.exit_code is None else str(answer.exit_code)
    return Outcome(
        response=error_response(
            EXIT_ERROR,
            f"The function's process exited before answering (exit code {code}).",
            context.aws_request_id,
            [],
        )
    )


def _out_of_memory(context: LambdaContext, max_memory: int) -> Outcome:
    return Outcome(
        response=error_response(
            OUT_OF_MEMORY,
            f"The function ran out of memory (its limit is {max_memory // 2**20} MiB "
            "on top of the worker's own).",
            context.aws_request_id,
            [],
        )
    )


def _seconds(context: LambdaContext) -> str:
    return f"{context.timeout_seconds:g}"


def function_failed(exc: BaseException, request_id: str, skip: int = 0) -> TaskResponse:
    """Lambda's error document for an exception raised by the function."""
    frames = traceback.extract_tb(exc.__traceback__)[skip:]
    return error_response(type(exc).__name__, str(exc), request_id, traceback.format_list(frames))


def error_response(
    error_type: str, message: str, request_id: str, stack: list[str]
) -> TaskResponse:
    cause = {
        "errorMessage": message,
        "errorType": error_type,
        "requestId": request_id,
        "stackTrace": stack,
    }
    return TaskResponse(failed=True, error=error_type, cause=json.dumps(cause))


def not_found(arn: str) -> TaskResponse:
    request_id = str(uuid.uuid4())
    return TaskResponse(
        failed=True,
        error="Lambda.ResourceNotFoundException",
        cause=(
            f"Function not found: {arn} (Service: Lambda, Status Code: 404, "
            f"Request ID: {request_id})"
        ),
    )


def invoke_response(payload: Any, request_id: str, status: int = 200) -> dict[str, Any]:
    """Lambda's Invoke answer as Step Functions' optimized integration returns it."""
    headers = {
        "Connection": "keep-alive",
        "Content-Length": str(len(json.dumps(payload))),
        "Content-Type": "application/json",
        "X-Amz-Executed-Version": EXECUTED_VERSION,
        "x-amzn-Remapped-Content-Length": "0",
        "x-amzn-RequestId": request_id,
    }
    return {
        "ExecutedVersion": EXECUTED_VERSION,
        "Payload": payload,
        "SdkHttpMetadata": {
            "AllHttpHeaders": {k: [v] for k, v in headers.items()},
            "HttpHeaders": headers,
            "HttpStatusCode": status,
        },
        "SdkResponseMetadata": {"RequestId": request_id},
        "StatusCode": status,
    }


def register(registry: AdapterRegistry, *, max_memory_bytes: int | None = None) -> None:
    """Install the functions ``STATEYARD_FUNCTION_MODULES`` names, each call isolated in a
    warm pool process (the web app's workers and TestState)."""
    functions = FunctionRegistry.from_env()
    functions.isolated = True
    if max_memory_bytes is not None:
        functions.max_memory_bytes = max_memory_bytes
    functions.install(registry)
