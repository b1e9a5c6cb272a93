"""The whole state of one execution as plain data.

An execution is a tree of frames: the root frame runs the top-level states;
each Parallel branch and each Map iteration runs in a child frame whose
``parent`` is the frame running the Parallel or Map state. Pending task
invocations and timers are keyed by effect ids. Everything here is made of
ints, strings, lists and dicts (plus JSON values), so ``to_dict`` /
``from_dict`` round-trip it through JSON: an execution can be saved after any
step and resumed by another process.
"""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from engine.jsonvalue import MISSING

# Frame phases: what a frame is waiting for.
ENTER = "enter"  # about to enter ``state``
TASK = "task"  # waiting for a task result
WAIT = "wait"  # waiting for a Wait state's timer
RETRY = "retry"  # waiting for a retry interval's timer
CHILDREN = "children"  # a Parallel/Map state waiting for its branches or iterations
MAP_RUN = "maprun"  # a Distributed Map waiting for its Map Run (run by the runtime)

RUNNING = "RUNNING"
SUCCEEDED = "SUCCEEDED"
FAILED = "FAILED"
TIMED_OUT = "TIMED_OUT"
ABORTED = "ABORTED"


@dataclass(slots=True)
class Container:
    """A running Parallel or Map state: its children and what they produced."""

    kind: str  # "Parallel" | "Map"
    inputs: list[Any]  # one input per branch or item (items before ItemSelector)
    max_concurrency: int = 0  # 0: no limit
    next_index: int = 0
    running: list[int] = field(default_factory=list)
    results: list[Any] = field(default_factory=list)
    done: int = 0
    failed: int = 0
    tolerated_count: int | None = None
    tolerated_percentage: float | None = None
    cursor: int = 0  # id of the last state event inside (previousEventId of what follows)
    last_success: int = 0  # id of the last MapIterationSucceeded
    started_id: int = 0
    map_run_id: int = 0  # distributed Map: id of MapRunStarted
    map_run_arn: str = ""  # distributed Map: the Map Run's ARN
    # a Map Run the runtime carries out (kind "MapRun"): {"run": effect id, "spec": ...}
    map_run: dict[str, Any] | None = None
    effective_input: Any = None  # the Map's input after InputPath (ItemSelector's $)
    silent: bool = False  # distributed Map: iterations record no events here
    # redrive: children to revive (frame snapshots, ``frame_to_dict``) before ``next_index``
    redo: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Frame:
    id: int
    program: str
    state: str
    input: Any
    parent: int | None = None
    index: int = 0
    phase: str = ENTER
    variables: dict[str, Any] = field(default_factory=dict)
    entered_id: int = 0
    entered_time: float = 0.0
    cursor: int = 0
    pre_enter_cursor: int = 0
    attempts: list[int] = field(default_factory=list)
    retry_count: int = 0
    pending: int = 0  # task id or timer id this frame waits on
    effective: Any = None  # a Task's effective input (re-sent on retry)
    container: Container | None = None
    silent: bool = False


@dataclass(slots=True)
class Timer:
    frame: int  # 0 for the execution timeout
    kind: str  # "wait" | "retry" | "timeout" | "heartbeat" | "execution"
    fire_at: float
    task: int = 0


@dataclass(slots=True)
class PendingTask:
    frame: int
    timeout_timer: int = 0
    heartbeat_timer: int = 0
    heartbeat_seconds: float | None = None


@dataclass(slots=True)
class ExecutionState:
    context: dict[str, Any]  # Execution and StateMachine parts of the context object
    frames: dict[int, Frame] = field(default_factory=dict)
    ready: deque[int] = field(default_factory=deque)
    tasks: dict[int, PendingTask] = field(default_factory=dict)
    timers: dict[int, Timer] = field(default_factory=dict)
    status: str = RUNNING
    output: Any = None
    error: str | None = None
    cause: str | None = None
    event_count: int = 0
    next_frame_id: int = 1
    next_effect_id: int = 1
    max_events: int | None = None
    max_seconds: float | None = None  # the runtime's cap on the execution's duration
    random_seed: int = 0
    random_calls: int = 0
    token_key: str = ""  # secret from which task tokens are derived
    # frames that did not succeed (``frame_to_dict`` snapshots): what a redrive resumes
    fallen: list[dict[str, Any]] = field(default_factory=list)
    # the runtime runs each Distributed Map as a Map Run of child executions
    # (``StartMapRun``); otherwise its iterations run here, like an inline Map's
    map_runs_outside: bool = False

    def new_frame_id(self) -> int:
        fid = self.next_frame_id
        self.next_frame_id += 1
        return fid

    def new_effect_id(self) -> int:
        eid = self.next_effect_id
        self.next_effect_id += 1
        return eid


def to_dict(state: ExecutionState) -> dict[str, Any]:
    """A JSON-serialisable snapshot (MISSING results become absent)."""
    data = asdict(state)
    data["ready"] = list(state.ready)
    for frame in data["frames"].values():
        _encode_results(frame)
    data["frames"] = {str(k): v for k, v in data["frames"].items()}
    data["tasks"] = {str(k): v for k, v in data["tasks"].items()}
    data["timers"] = {str(k): v for k, v in data["timers"].items()}
    return data


def _encode_results(frame: dict[str, Any]) -> None:
    container = frame.get("container")
    if container:
        container["results"] = [
            {"missing": True} if r is MISSING else {"value": r} for r in container["results"]
        ]


def frame_to_dict(frame: Frame) -> dict[str, Any]:
    """One frame as plain data, for a frame that is being dropped.

    Shallow: the JSON values (input, variables, results) are shared, not copied,
    so a value nested deeper than the recursion limit costs nothing here.
    """
    data = {f.name: getattr(frame, f.name) for f in fields(Frame)}
    data["attempts"] = list(frame.attempts)
    container = frame.container
    if container is not None:
        data["container"] = {f.name: getattr(container, f.name) for f in fields(Container)}
        data["container"]["running"] = list(container.running)
        _encode_results(data)
    return data


def frame_from_dict(data: dict[str, Any]) -> Frame:
    """The inverse of ``frame_to_dict``."""
    return _frame_from_dict(data)


def from_dict(data: dict[str, Any]) -> ExecutionState:
    """The inverse of ``to_dict``."""
    frames = {int(k): _frame_from_dict(v) for k, v in data["frames"].items()}
    fields = {k: v for k, v in data.items() if k not in ("frames", "ready", "tasks", "timers")}
    return ExecutionState(
        **fields,
        frames=frames,
        ready=deque(data["ready"]),
        tasks={int(k): PendingTask(**v) for k, v in data["tasks"].items()},
        timers={int(k): Timer(**v) for k, v in data["timers"].items()},
    )


def _frame_from_dict(data: dict[str, Any]) -> Frame:
    container = data.get("container")
    fields = {k: v for k, v in data.items() if k != "container"}
    frame = Frame(**fields)
    if container:
        results = [MISSING if r.get("missing") else r["value"] for r in container["results"]]
        frame.container = Container(**{**container, "results": results})
    return frame
