"""Every engine-level limit, as data, in one place (``docs/limits.md`` lists them all).

The numbers follow AWS Step Functions' quotas where AWS has one
(https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html);
the others bound what one request or one execution may cost this process.
The web app reads the same constants (``designer.limits``) and may lower the
ones that are settings there; nothing here imports anything but the standard
library, so every layer can use it.
"""

from __future__ import annotations

from typing import Final

# --- data ------------------------------------------------------------------------------------

#: AWS: a state's input, output, a task result and an execution input are at most 256 KiB
#: (UTF-8 bytes of the JSON text). Exceeding it at run time is States.DataLimitExceeded.
PAYLOAD_MAX_BYTES: Final = 256 * 1024

#: AWS: a state machine definition is at most 1 MB (UTF-8 bytes of its JSON text).
DEFINITION_MAX_BYTES: Final = 1024 * 1024

#: How deeply JSON values may nest (objects and arrays) where they enter from outside
#: (request bodies, definitions, YAML). Deeper values would only exhaust the stack later.
JSON_MAX_DEPTH: Final = 100

#: YAML: at most this many alias uses (``*anchor``) in one document, and the document with
#: every alias expanded at most this many bytes (a "billion laughs" document expands a few
#: hundred bytes of text into gigabytes).
YAML_MAX_ALIASES: Final = 100
YAML_MAX_EXPANDED_BYTES: Final = 2 * DEFINITION_MAX_BYTES

# --- executions ------------------------------------------------------------------------------

#: AWS: an execution history holds at most 25,000 events, Standard and Express alike. The
#: last one must end the execution: when event #25,000 would be anything else, ExecutionFailed
#: (States.Runtime) takes its place. Inline Map iterations count; a distributed Map's do not.
HISTORY_MAX_EVENTS: Final = 25_000

#: AWS: an Express execution runs at most 5 minutes; then it ends TIMED_OUT (States.Timeout).
EXPRESS_MAX_SECONDS: Final = 5 * 60

#: AWS: a Standard execution runs at most one year; then it ends TIMED_OUT (States.Timeout,
#: an ``ExecutionTimedOut`` event), as at its definition's ``TimeoutSeconds``. The web app's
#: sweep enforces it (the ``ExecutionTimeout`` signal).
STANDARD_MAX_SECONDS: Final = 365 * 24 * 60 * 60

#: TestState: one call runs at most 5 minutes of wall-clock time (a Task's own TimeoutSeconds,
#: when shorter, ends it first) and at most this many history events (a state that loops).
TEST_STATE_MAX_SECONDS: Final = 5 * 60
TEST_STATE_MAX_EVENTS: Final = 1000

#: One JSONata expression's evaluation runs at most this long (an infinite loop through
#: tail recursion never overflows the stack); then the state fails with
#: States.QueryEvaluationError. Kept well under SQLite's 30 s lock wait: a Standard
#: advance evaluates inside its database transaction.
JSONATA_MAX_SECONDS: Final = 10

#: The longest string one JSONata evaluation may make (``&``, ``$pad``, ``$join``,
#: ``$string``, ``$replace``...), in characters: 32 times the payload quota, so no
#: useful intermediate is refused while ``$reduce([1..40], function($a){$a & $a}, "x")``
#: stops at a few dozen megabytes instead of gigabytes. The JSON text of the evaluation's
#: result is held to it as well.
JSONATA_MAX_STRING_LENGTH: Final = 8 * 1024 * 1024

#: The most items one array made by a JSONata evaluation may hold (a path's result,
#: ``[a..b]``, ``$range``, ``$zip``, ``**``...). JSONata's own bound on a range is ten
#: million (D2014); a million numbers already take tens of megabytes here.
JSONATA_MAX_ARRAY_LENGTH: Final = 1_000_000

#: How much one JSONata evaluation may grow this process (resident memory, looked at
#: with the clock every few thousand evaluation steps): the bound for values built up
#: from many small pieces, such as arrays of arrays.
JSONATA_MAX_MEMORY_BYTES: Final = 256 * 1024 * 1024

#: One regular-expression search (JSONata's ``/regex/`` in ``$match``, ``$contains``,
#: ``$replace``, ``$split``; a JSONPath filter's ``=~``) runs at most this long: a pattern
#: that backtracks catastrophically (``(a|aa)+$``) cannot hang a worker. Within a JSONata
#: evaluation it also gets no more than what is left of ``JSONATA_MAX_SECONDS``.
REGEX_MAX_SECONDS: Final = 1

# --- Python functions ------------------------------------------------------------------------

#: Lambda's longest timeout: a function Task without TimeoutSeconds gets this long.
FUNCTION_DEFAULT_SECONDS: Final = 900

#: Address space of the child process a Python function runs in (RLIMIT_AS), like Lambda's
#: memory setting; past it the function fails with Runtime.OutOfMemory.
FUNCTION_MAX_MEMORY_BYTES: Final = 1024 * 1024 * 1024
