"""Audit entries: who did what to which object, recorded by the services."""

from __future__ import annotations

from typing import Any

from designer.models import AuditEntry, Team
from designer.row_writes import rows_insert


def audit_record(
    team: Team | int, actor: Any, action: str, target: str = "", **details: Any
) -> None:
    """Record ``action`` in ``team`` (a Team or its id)."""
    rows_insert([audit_entry(team, actor, action, target, **details)])  # designer.row_writes


def audit_entry(
    team: Team | int, actor: Any, action: str, target: str = "", **details: Any
) -> AuditEntry:
    """The entry ``audit_record`` writes, for a caller that writes it with other rows."""
    return AuditEntry(
        team_id=team if isinstance(team, int) else team.pk,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target=target[:200],
        details=details,
    )
