"""Turning service errors into what a page shows: a field error, a message, a 404 or a 403."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest

from designer import errors


def form_add_errors(
    form: forms.Form, exc: errors.DomainError, rename: dict[str, str] | None = None
) -> None:
    """Put a service error's per-field details next to the fields, the rest on the form."""
    details = exc.details if isinstance(exc.details, dict) else {}
    placed = False
    for field, problems in details.items():
        name = (rename or {}).get(field, field)
        if name in form.fields and isinstance(problems, list):
            for problem in problems:
                form.add_error(name, str(problem))
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def raise_for_page(exc: errors.DomainError) -> None:
    """NotFound and PermissionDenied become Django's 404 and 403 pages."""
    if isinstance(exc, errors.NotFound):
        raise Http404(exc.message) from exc
    if isinstance(exc, errors.PermissionDenied):
        raise DjangoPermissionDenied(exc.message) from exc


def message_for(request: HttpRequest, exc: errors.DomainError) -> None:
    """Show a Conflict or ValidationFailed as a message on the next page."""
    raise_for_page(exc)
    messages.error(request, exc.message)
