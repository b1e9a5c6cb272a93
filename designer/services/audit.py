"""Audit entries: who did what to which object, recorded by the services."""

from __future__ import annotations

from typing import Any

from designer.models import AuditEntry, Team


def audit_record(team: Team, actor: Any, action: str, target: str = "", **details: Any) -> None:
    AuditEntry.objects.create(
        team=team,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target=target[:200],
        details=details,
    )
