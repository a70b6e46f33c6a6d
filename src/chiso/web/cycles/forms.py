"""What the pages' forms may send, checked by Django forms before any service runs.

A refused field becomes one of the workflow's rules (``cycle.not_number``, ``cycle.bad_date``…),
so people read the same message whichever layer noticed; numbers typed by a person are read by
:func:`chiso.numbers.parse_decimal`, the one reader of a decimal comma."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from django import forms

from chiso.numbers import NotANumber, parse_decimal
from chiso.units.kinds import UNIT_KINDS
from chiso.web.accounts.models import Role
from chiso.web.cycles.models import Cycle, Unit
from chiso.web.cycles.services import WorkflowError

MAX_ID = 2**62
Fallback = Mapping[str, tuple[str, Mapping[str, Any]]]
TEXT = 5000  # reasons and names: far beyond any real one, short of filling the database


class RuleForm(forms.Form):
    """A form whose errors are workflow rules: a field's own check raises the rule as its
    error code; Django's built-in checks (a missing choice, an overlong text) fall back to
    ``fallback[field]``."""

    fallback: ClassVar[Fallback] = {}

    def problem(self) -> WorkflowError:
        """The first refused field, as the rule to tell the person."""
        for name, errors in self.errors.as_data().items():
            for error in errors:
                code = error.code or ""
                if "." in code:
                    return WorkflowError(code, **(error.params or {}))
                rule, params = self.fallback.get(name, ("cycle.forbidden", {}))
                return WorkflowError(rule, **params)
        raise ValueError("the form has no errors")


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


class LeafSaveForm(RuleForm):
    """A leaf's row: the unit's own value, an appraisal, or centrally entered points."""

    action = forms.ChoiceField(choices=[("self", ""), ("appraise", ""), ("central", "")])
    version = forms.IntegerField(min_value=-1, max_value=MAX_ID, required=False)
    value = forms.CharField(required=False, max_length=200, strip=False)
    points = DecimalCommaField(required=False)
    reason = forms.CharField(required=False, max_length=TEXT, strip=False)
    fallback: ClassVar[Fallback] = {
        "version": ("cycle.conflict", {"current": "?"}),
        "value": ("cycle.not_number", {"value": "…"}),
        "reason": ("cycle.reason_required", {}),
    }

    def clean_version(self) -> int:
        version = self.cleaned_data.get("version")
        return -1 if version is None else version

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == "central" and "points" in data and data["points"] is None:
            self.add_error("points", forms.ValidationError("", "cycle.not_number", {"value": ""}))
        return data


class AdvanceForm(RuleForm):
    to = forms.CharField(required=False, max_length=32)
    reason = forms.CharField(required=False, max_length=TEXT, strip=False)
    fallback: ClassVar[Fallback] = {"to": ("cycle.bad_transition", {"current": "", "target": "?"})}


class PublishForm(RuleForm):
    reason = forms.CharField(required=False, max_length=TEXT, strip=False)
    fallback: ClassVar[Fallback] = {"reason": ("cycle.reason_required", {})}


class MessageForm(RuleForm):
    text = forms.CharField(required=False, strip=False)


class FileForm(RuleForm):
    """An upload; without a file the page is simply shown again."""

    file = forms.FileField(required=False, allow_empty_file=True)
    name = forms.CharField(required=False, max_length=200, strip=False)
    fallback: ClassVar[Fallback] = {
        "file": ("cycle.file_type", {}),
        "name": ("map.name_missing", {}),
    }


class UnitForm(RuleForm):
    code = forms.CharField(required=False, max_length=32)
    name = forms.CharField(required=False, max_length=200, strip=False)
    kind = forms.ChoiceField(choices=[(k, k) for k in UNIT_KINDS])
    fallback: ClassVar[Fallback] = {
        "code": ("cycle.unit_incomplete", {}),
        "name": ("cycle.unit_incomplete", {}),
        "kind": ("cycle.unit_incomplete", {}),
    }


def _iso_date(text: str) -> date | None:
    """A closing date as ``YYYY-MM-DD`` (what a date input sends); empty is none."""
    text = text.strip()
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise forms.ValidationError("", "cycle.bad_date", {"value": text}) from None


class CycleForm(RuleForm):
    """A new cycle: the units are checked first, then the year, then the windows."""

    units = forms.ModelMultipleChoiceField(Unit.objects.all(), required=False)
    name = forms.CharField(required=False, max_length=200)
    year = forms.IntegerField(required=False, min_value=0, max_value=9999)
    framework = forms.CharField(required=False, max_length=200)
    self_assessment_ends = forms.CharField(required=False, max_length=32)
    appraisal_ends = forms.CharField(required=False, max_length=32)
    explanation_ends = forms.CharField(required=False, max_length=32)
    WINDOWS = ("self_assessment_ends", "appraisal_ends", "explanation_ends")
    fallback: ClassVar[Fallback] = {
        "units": ("cycle.no_units", {}),
        "year": ("cycle.not_number", {"value": "năm"}),
        "name": ("cycle.unit_incomplete", {}),
    }

    def clean_framework(self) -> str:
        """Only a built-in framework: a path would read a file of the server's."""
        from chiso.frameworks import builtin_frameworks

        code: str = self.cleaned_data.get("framework", "")
        if code not in {fw.code for fw in builtin_frameworks()}:
            raise forms.ValidationError("", "framework.unknown", {"code": code})
        return code

    def clean_units(self) -> list[Unit]:
        units = list(self.cleaned_data.get("units") or [])
        if not units:
            raise forms.ValidationError("", "cycle.no_units")
        return units

    def clean_self_assessment_ends(self) -> date | None:
        return _iso_date(self.cleaned_data.get("self_assessment_ends", ""))

    def clean_appraisal_ends(self) -> date | None:
        return _iso_date(self.cleaned_data.get("appraisal_ends", ""))

    def clean_explanation_ends(self) -> date | None:
        return _iso_date(self.cleaned_data.get("explanation_ends", ""))

    def windows(self) -> dict[str, date | None]:
        return {key: self.cleaned_data[key] for key in self.WINDOWS}


class RoleForm(RuleForm):
    username = forms.CharField(required=False, max_length=150)
    kind = forms.ChoiceField(choices=Role.KINDS, required=False)
    unit = forms.ModelChoiceField(Unit.objects.all(), required=False)
    cycle = forms.ModelChoiceField(Cycle.objects.all(), required=False)
    fallback: ClassVar[Fallback] = {
        "username": ("cycle.role_incomplete", {}),
        "kind": ("cycle.role_incomplete", {}),
        "unit": ("cycle.role_incomplete", {}),
        "cycle": ("cycle.role_incomplete", {}),
    }
