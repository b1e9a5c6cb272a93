"""The one error root of the engine, and the names of the errors AWS defines.

Two families:

* ``StatesError(error, cause)`` is an ASL failure: data that a Retry or a Catch
  can match, that ends an execution as FAILED. It is raised inside evaluation
  code (paths, payload templates, intrinsics, JSONata, Choice rules) with only
  the *detail* as its cause; the interpreter adds AWS's prefix
  ("An error occurred while executing the state 'X' (entered at the event id
  #N). ") where AWS does.
* ``ExpressionSyntaxError`` says an expression in a definition cannot be
  compiled at all (a bad path, a bad intrinsic call, bad JSONata). The
  validator turns it into a diagnostic; it never reaches a running execution.

Python bugs are neither: they propagate.
"""

from __future__ import annotations


class EngineError(Exception):
    """Root of every exception the engine raises on purpose."""


class StatesError(EngineError):
    """An ASL error: ``error`` is the name a Retrier/Catcher matches, ``cause`` the text."""

    def __init__(self, error: str | None, cause: str | None = None) -> None:
        super().__init__(error, cause)
        self.error = error
        self.cause = cause

    def __repr__(self) -> str:
        return f"StatesError({self.error!r}, {self.cause!r})"

    def __str__(self) -> str:
        return f"{self.error}: {self.cause}" if self.cause else str(self.error)


class ExpressionSyntaxError(EngineError, ValueError):
    """An expression (JSONPath, intrinsic, JSONata) that cannot be compiled."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DefinitionError(EngineError, ValueError):
    """``parse()`` was given a definition with errors; ``diagnostics`` lists them all."""

    def __init__(self, diagnostics: list[object]) -> None:
        self.diagnostics = diagnostics
        first = diagnostics[0] if diagnostics else "invalid definition"
        more = f" (and {len(diagnostics) - 1} more)" if len(diagnostics) > 1 else ""
        super().__init__(f"{first}{more}")


# Error names AWS defines (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html)
ALL = "States.ALL"
BRANCH_FAILED = "States.BranchFailed"
DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"
EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold"
HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout"
INTRINSIC_FAILURE = "States.IntrinsicFailure"
ITEM_READER_FAILED = "States.ItemReaderFailed"
NO_CHOICE_MATCHED = "States.NoChoiceMatched"
PARAMETER_PATH_FAILURE = "States.ParameterPathFailure"
PERMISSIONS = "States.Permissions"
QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"
RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure"
# What AWS actually raises when a ResultPath cannot be applied to the input.
REFERENCE_PATH_CONFLICT = "States.ReferencePathConflict"
RESULT_WRITER_FAILED = "States.ResultWriterFailed"
RUNTIME = "States.Runtime"
TASK_FAILED = "States.TaskFailed"
TIMEOUT = "States.Timeout"

# AWS: States.ALL matches every error name except these two terminal ones.
NOT_MATCHED_BY_ALL = frozenset({DATA_LIMIT_EXCEEDED, RUNTIME})
