"""The parsed form of a state machine: frozen, typed, compiled once.

``engine.parser.parse`` builds these from a definition; the interpreter only
reads them. Every expression is already compiled (``Reference``, ``Payload``,
``JsonataTemplate``, ``ChoiceRule``), so running a state never parses text.

A ``Program`` is one list of states with its ``StartAt``: the top level, each
Parallel branch and each Map item processor. Programs are addressed by the JSON
Pointer of their ``States`` owner ("" for the top level,
``/States/P/Branches/0``, ``/States/M/ItemProcessor``), which is what the
interpreter's plain-data frames store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

QueryLanguage = Literal["JSONPath", "JSONata"]
JSONPATH: QueryLanguage = "JSONPath"
JSONATA: QueryLanguage = "JSONata"


class Absent:
    """Marks a field that the definition leaves out (distinct from JSON ``null``)."""

    _instance: Absent | None = None

    def __new__(cls) -> Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT = Absent()


@dataclass(frozen=True, slots=True)
class Retrier:
    error_equals: tuple[str, ...]
    interval_seconds: float = 1.0
    max_attempts: int = 3
    backoff_rate: float = 2.0
    max_delay_seconds: float | None = None
    jitter: str = "NONE"


@dataclass(frozen=True, slots=True)
class Catcher:
    error_equals: tuple[str, ...]
    next: str
    result_path: Any = ABSENT  # JSONPath: a compiled reference path, None for null, ABSENT
    output: Any = None  # JSONata: a JsonataTemplate or None
    assign: Any = None  # a compiled Assign (Payload or JsonataTemplate) or None


@dataclass(frozen=True, slots=True)
class IntegerField:
    """A number that may be given literally, by a JSONPath ``...Path`` or by JSONata."""

    name: str  # the field name as written ("MaxConcurrency", "TimeoutSeconds")
    value: Any = None  # literal value, or None
    path: Any = None  # compiled Reference for the ...Path form
    path_text: str | None = None
    template: Any = None  # JsonataTemplate when the field is a {% %} expression

    @property
    def is_set(self) -> bool:
        return self.value is not None or self.path is not None or self.template is not None


@dataclass(frozen=True, slots=True)
class ItemBatcher:
    """A Map state's ItemBatcher: batch limits and the BatchInput added to every batch."""

    max_items: IntegerField | None = None  # MaxItemsPerBatch / ...Path
    max_bytes: IntegerField | None = None  # MaxInputBytesPerBatch / ...Path
    batch_input: Any = None  # Payload (JSONPath) or JsonataTemplate, or None


@dataclass(frozen=True, slots=True)
class S3Block:
    """A Distributed Map's ItemReader or ResultWriter: its S3 call and configuration.

    ``parameters`` is the compiled Parameters (JSONPath payload) or Arguments
    (JSONata template); ``config`` the raw ReaderConfig / WriterConfig, with
    ``max_items`` the compiled MaxItems / MaxItemsPath of a ReaderConfig.
    """

    resource: str | None = None
    parameters: Any = None
    config: Mapping[str, Any] = field(default_factory=dict)
    max_items: IntegerField | None = None


@dataclass(frozen=True, slots=True)
class State:
    """Fields every state type shares; subclasses add their own."""

    name: str
    type: str
    pointer: str  # JSON Pointer of this state in the definition
    query_language: QueryLanguage
    next: str | None = None
    end: bool = False
    input_path: Any = ABSENT  # compiled Reference | None (null) | ABSENT ($)
    output_path: Any = ABSENT
    output: Any = None  # JSONata Output template
    assign: Any = None  # Payload (JSONPath) or JsonataTemplate (JSONata)
    needs_context: bool = False  # the state reads $$ / $states.context

    @property
    def is_jsonata(self) -> bool:
        return self.query_language == JSONATA


@dataclass(frozen=True, slots=True)
class PassState(State):
    result: Any = ABSENT
    parameters: Any = None
    result_path: Any = ABSENT


@dataclass(frozen=True, slots=True)
class SucceedState(State):
    pass


@dataclass(frozen=True, slots=True)
class FailState(State):
    error: Any = None  # str, or JsonataTemplate
    cause: Any = None
    error_path: Any = None  # Reference or Intrinsic
    cause_path: Any = None


@dataclass(frozen=True, slots=True)
class WaitState(State):
    seconds: IntegerField | None = None
    timestamp: Any = None  # str | JsonataTemplate
    timestamp_path: Any = None
    timestamp_path_text: str | None = None


@dataclass(frozen=True, slots=True)
class ChoiceBranch:
    """One Choice rule with where it leads and what it assigns or outputs."""

    rule: Any  # engine.choice.ChoiceRule
    next: str
    output: Any = None  # JSONata Output template
    assign: Any = None  # compiled Assign


@dataclass(frozen=True, slots=True)
class ChoiceState(State):
    choices: tuple[ChoiceBranch, ...] = ()
    default: str | None = None


@dataclass(frozen=True, slots=True)
class ErrorHandling:
    retry: tuple[Retrier, ...] = ()
    catch: tuple[Catcher, ...] = ()


@dataclass(frozen=True, slots=True)
class TaskState(State):
    resource: str = ""
    parameters: Any = None  # Payload (JSONPath)
    arguments: Any = None  # JsonataTemplate (JSONata)
    result_selector: Any = None
    result_path: Any = ABSENT
    timeout: IntegerField | None = None
    heartbeat: IntegerField | None = None
    credentials: Any = None
    handling: ErrorHandling = field(default_factory=ErrorHandling)


@dataclass(frozen=True, slots=True)
class ParallelState(State):
    branches: tuple[str, ...] = ()  # program ids
    parameters: Any = None
    arguments: Any = None
    result_selector: Any = None
    result_path: Any = ABSENT
    handling: ErrorHandling = field(default_factory=ErrorHandling)


@dataclass(frozen=True, slots=True)
class MapState(State):
    processor: str = ""  # program id
    mode: str = "INLINE"  # INLINE | DISTRIBUTED
    items_path: Any = ABSENT  # JSONPath Reference
    items: Any = None  # JSONata template or literal array
    item_selector: Any = None  # Payload or JsonataTemplate
    item_selector_field: str = "ItemSelector"
    result_selector: Any = None
    result_path: Any = ABSENT
    max_concurrency: IntegerField | None = None
    tolerated_count: IntegerField | None = None
    tolerated_percentage: IntegerField | None = None
    item_batcher: ItemBatcher | None = None
    item_reader: S3Block | None = None
    result_writer: S3Block | None = None
    execution_type: str = "STANDARD"  # a Distributed Map's children: STANDARD | EXPRESS
    label: str | None = None
    handling: ErrorHandling = field(default_factory=ErrorHandling)


@dataclass(frozen=True, slots=True)
class Program:
    id: str
    start_at: str
    states: Mapping[str, State]
    query_language: QueryLanguage


@dataclass(frozen=True, slots=True)
class StateMachine:
    """A parsed, validated definition. Run it with ``engine.run`` or the interpreter."""

    definition: Mapping[str, Any]
    programs: Mapping[str, Program]
    query_language: QueryLanguage
    timeout_seconds: int | None = None
    comment: str | None = None

    @property
    def root(self) -> Program:
        return self.programs[""]
