"""Forms whose errors are rules: what every app's pages may send is checked by a Django form
before any service runs, and a refused field becomes the same rule (``cycle.not_number``,
``cycle.bad_date``…) whichever layer noticed, so people read the same message.

Numbers typed by a person are read by :func:`chiso.numbers.parse_decimal`, the one reader of a
decimal comma."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms

from chiso.numbers import NotANumber, parse_decimal
from chiso.problems import Kind, Refusal

Fallback = Mapping[str, tuple[str, Mapping[str, Any]]]


class RuleForm(forms.Form):
    """A form whose errors are rules: a field's own check raises the rule as its error code;
    Django's built-in checks (a missing choice, an overlong text) fall back to
    ``fallback[field]``."""

    fallback: ClassVar[Fallback] = {}

    def problem(self) -> FormRefusal:
        """The refused fields, as the rules to tell the person, each naming its field: the
        field's own rule where one of its checks names one (a bound of
        :mod:`chiso.web.core.limits`), else its fallback. The first is the refusal raised;
        the others ride along in its ``others`` (the page lists them all)."""
        found: list[FormRefusal] = []
        for name, errors in self.errors.as_data().items():
            ruled = next((e for e in errors if "." in (e.code or "")), None)
            if ruled is not None:
                found.append(
                    FormRefusal(str(ruled.code), Kind.INVALID, name, **(ruled.params or {}))
                )
                continue
            rule, params = self.fallback.get(name, ("cycle.forbidden", {}))
            found.append(FormRefusal(rule, Kind.INVALID, name, **params))
        if not found:
            raise ValueError("the form has no errors")
        found[0].others = found[1:]
        return found[0]


class FormRefusal(Refusal):
    """A form's refusal: its first field's rule, and the other refused fields' in ``others``."""

    others: list[FormRefusal]

    def __init__(self, *args: Any, **params: Any) -> None:
        super().__init__(*args, **params)
        self.others = []


class DecimalCommaField(forms.Field):
    """A number as a person types it (``91,87`` or ``91.87``); empty is None."""

    def to_python(self, value: Any) -> float | None:
        text = "" if value is None else str(value).strip()
        try:
            return parse_decimal(text)
        except NotANumber:
            raise forms.ValidationError(
                "not a number", code="cycle.not_number", params={"value": text}
            ) from None
