"""Stop many executions at once (the team's executions page): one outcome per id.

Each execution is stopped on its own, as ``POST /api/executions/<id>/stop/``
stops it, with the same error and cause for all: an execution of another team
is "not found", a role below runner is refused, one that is no longer running
is a conflict, and the others are stopped all the same. An id given twice is
stopped once.
"""

from __future__ import annotations

from typing import Any

from designer.errors import DomainError
from designer.services.access import VIEW, execution_get_for
from designer.services.executions import execution_stop

BULK_MAX = 100


def executions_stop(
    user: Any, execution_ids: list[Any], error: str | None = None, cause: str | None = None
) -> list[dict[str, Any]]:
    """``{"id", "stopped": true}`` or ``{"id", "stopped": false, "code", "message"}`` per id,
    in the order given (the code and message the single stop would answer)."""
    outcomes: list[dict[str, Any]] = []
    for execution_id in dict.fromkeys(str(i) for i in execution_ids):
        try:
            execution = execution_get_for(user, execution_id, VIEW)
            execution_stop(user, execution, error, cause)
        except DomainError as err:
            outcomes.append(
                {"id": execution_id, "stopped": False, "code": err.code, "message": err.message}
            )
        else:
            outcomes.append({"id": execution_id, "stopped": True})
    return outcomes
