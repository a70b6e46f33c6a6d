"""The bounds of what a person types on a page or a program sends to the API, written once.

Why one table: the pages' Django forms and the API's schemas were written apart and drifted
(a cycle of the year 0 opened from a page while the API took only 1990–2100; a reason of
100,000 characters stored from a page while the API stopped at 5,000; an id of twenty digits a
server error on the page and a 422 on the API). Every form field and schema field that takes
an id, a year, a reason, a message, a name or a code is now made here, from the same
:class:`Whole` or :class:`Text`, so whatever one path refuses the other refuses too, and a
test reads the bounds of both off this table.

The bounds come from what the databases hold (an id fits a signed 64-bit integer on SQLite
and PostgreSQL alike; a unit's name fits its column of 200 characters) or from what the
domain means (a cycle's year). A value out of bounds is refused with a rule of
:mod:`chiso.messages` (``input.out_of_range``, ``input.too_long``) before any service or query
runs; an id out of bounds is simply an object that does not exist, told by the form's own
rule (``unit.unknown``, ``cycle.no_units``…), as the API answers 404 for a path id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from pydantic import Field

MAX_ID = 2**62  # below 2**63 − 1, the largest integer SQLite and PostgreSQL's bigint hold


@dataclass(frozen=True)
class Whole:
    """A whole number from ``least`` to ``most``. ``rule`` is told when a number is outside;
    None for ids, whose form names its own rule (an id nobody has is not found)."""

    least: int
    most: int
    rule: str | None = "input.out_of_range"

    def contains(self, value: int) -> bool:
        return self.least <= value <= self.most

    def form_field(self, **options: Any) -> forms.IntegerField:
        """The field of a page's form (a Django ``IntegerField`` bounded here)."""
        return WholeField(self, **options)

    def schema(self, default: Any = ..., **options: Any) -> Any:
        """The field of an API schema (pydantic ``Field(ge=…, le=…)``)."""
        return Field(default, ge=self.least, le=self.most, **options)


@dataclass(frozen=True)
class Text:
    """Text of at most ``most`` characters (after the form strips it, where it does)."""

    most: int
    least: int = 0

    def form_field(self, **options: Any) -> forms.CharField:
        """The field of a page's form: ``CharField(max_length=…)`` whose refusal is the rule
        ``input.too_long`` with the length and the bound."""
        return forms.CharField(
            max_length=self.most,
            validators=[_not_longer_than(self.most)],
            **options,
        )

    def schema(self, default: Any = ..., **options: Any) -> Any:
        """The field of an API schema (pydantic ``Field(max_length=…)``); a required one also
        ``min_length`` (an optional one's default, usually empty, says what nothing is)."""
        if self.least and default is ...:
            options.setdefault("min_length", self.least)
        return Field(default, max_length=self.most, **options)


# --- the table ---------------------------------------------------------------------------

ID = Whole(1, MAX_ID, rule=None)
"""Any object's id (a unit, a cycle, a sheet, a plan's unit…)."""
VERSION = Whole(0, MAX_ID, rule=None)
"""The version of a row as the page or the client read it (a stale one is a conflict)."""
YEAR = Whole(1990, 2100, rule="input.bad_year")
"""A cycle's year, a framework's first year, a plan's year."""
RANK = Whole(1, 10_000)
"""A rank, or a number of places to climb, in a plan's targets."""
IdNumber = Annotated[int, Field(ge=ID.least, le=ID.most)]
"""An id as an item of a list in an API schema (``list[IdNumber]``)."""

REASON = Text(5000)
"""Why: an appraiser's cut, a state change, a publication, a correction, a review."""
MESSAGE = Text(10_000, least=1)
"""What a person writes to another: a message in a leaf's thread, a unit's explanation."""
NOTE = Text(4000)
"""What a task's report says was done."""
NAME = Text(200, least=1)
"""A unit's, a cycle's or a boundary map's name (their columns hold 200)."""
USERNAME = Text(150)
"""A person's sign-in name (Django's column)."""
UNIT_CODE = Text(32, least=1)
"""A unit's official code."""
NODE_CODE = Text(32, least=1)
"""A criterion's outline number (``3.2.1``)."""
FRAMEWORK_CODE = Text(64, least=1)
"""A framework's code (``par-province-2019``, an uploaded one's)."""
DECISION_NUMBER = Text(64)
"""The number of the decision that publishes results (``1551/QĐ-UBND``)."""
DECISION_BODY = Text(200)
"""The body that issued it."""
LEGAL_BASIS = Text(500)
"""The decision an uploaded framework is based on."""
VALUE = Text(200)
"""What is typed for a leaf (choices are words, numbers a few digits)."""
GROUP = Text(32)
"""A group's code in a plan's targets."""
DATE_TEXT = Text(32)
"""A date as a date input sends it (``YYYY-MM-DD``), read by the form."""


# --- the fields the table makes ----------------------------------------------------------


def _not_longer_than(most: int) -> Any:
    def check(value: str) -> None:
        if len(value) > most:
            raise ValidationError(
                "too long", code="input.too_long", params={"length": len(value), "most": most}
            )

    return check


class WholeField(forms.IntegerField):
    """A whole number bounded by a :class:`Whole`; outside, the bound's rule (or, for ids,
    the form's own)."""

    def __init__(self, bound: Whole, **options: Any) -> None:
        super().__init__(min_value=bound.least, max_value=bound.most, **options)
        self.bound = bound

    def to_python(self, value: Any) -> int | None:
        """Digits as people type them on a Vietnamese keyboard: ASCII only (Python would read
        ``١`` as 1)."""
        if isinstance(value, str) and not value.isascii():
            raise ValidationError("not a number", code="invalid")
        number: int | None = super().to_python(value)
        return number

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not self.bound.contains(value):
            raise ValidationError(
                "out of range",
                code=self.bound.rule or "out_of_range",
                params={"value": value, "least": self.bound.least, "most": self.bound.most},
            )


def is_id(value: Any) -> bool:
    """Whether ``value`` (as a form sends it) is an id the databases can hold: ASCII digits
    only, from 1 to :data:`MAX_ID`. Anything else is an object nobody has."""
    text = str(value).strip()
    return text.isascii() and text.isdigit() and len(text) <= 19 and ID.contains(int(text))


def _no_choice(value: Any) -> ValidationError:
    return ValidationError("no such object", code="invalid_choice", params={"value": value})


class IdChoiceField(forms.ModelChoiceField):
    """An object chosen by its id; text that is no id the databases hold is no choice,
    refused before the query (which would overflow the database's integers)."""

    def to_python(self, value: Any) -> Any:
        chosen = value not in self.empty_values and not isinstance(value, self.queryset.model)
        if chosen and not is_id(value):
            raise _no_choice(value)
        return super().to_python(value)


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Several objects chosen by their ids, each checked as :class:`IdChoiceField` does."""

    def _check_values(self, value: Any) -> Any:
        for one in value:
            if not is_id(one):
                raise _no_choice(one)
        return super()._check_values(value)


def id_choice(queryset: Any, **options: Any) -> IdChoiceField:
    """A page form's field choosing one object of ``queryset`` by its id."""
    return IdChoiceField(queryset, **options)


def id_choices(queryset: Any, **options: Any) -> IdsChoiceField:
    """A page form's field choosing objects of ``queryset`` by their ids."""
    return IdsChoiceField(queryset, **options)
