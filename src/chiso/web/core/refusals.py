"""The refusals every app raises, made one way: :class:`chiso.problems.Refusal` with its kind.
A page (:mod:`.feedback`) and the API (:mod:`chiso.web.api.core`) each answer them in one
place, so a service says *why* and never *how it is shown*."""

from __future__ import annotations

from typing import Any

from chiso.problems import Kind, Refusal


def forbidden() -> Refusal:
    """This person may not do this (asked of the policy): a 403 page, API 403."""
    return Refusal("cycle.forbidden", Kind.FORBIDDEN)


def conflict(current: int) -> Refusal:
    """Someone saved the object since it was read at version ``current``'s predecessor."""
    return Refusal("cycle.conflict", Kind.CONFLICT, current=current)


def not_found(field: str | None = None) -> Refusal:
    """No such object, or one the person may not see (both answer alike); ``field`` names
    the parameter that named it."""
    return Refusal("api.not_found", Kind.NOT_FOUND, field)


def too_large(limit: Any, field: str | None = None) -> Refusal:
    """A file above its limit (``limit`` in MB, as the message prints it)."""
    return Refusal("cycle.file_too_large", Kind.TOO_LARGE, field, limit=limit)


def found_or_404(queryset: Any, field: str, **lookup: Any) -> Any:
    """The one object of ``queryset`` (already limited to what the caller may see) matching
    ``lookup``, else :func:`not_found` naming ``field``: a hidden object and a missing one
    answer alike."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise not_found(field)
    return found
