"""What the cycle's pages' forms may send, checked by Django forms before any service runs.

A refused field becomes one of the workflow's rules (``cycle.not_number``, ``cycle.bad_date``…),
so people read the same message whichever layer noticed (:class:`chiso.web.core.forms.RuleForm`);
numbers typed by a person are read by :func:`chiso.numbers.parse_decimal`, the one reader of a
decimal comma."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy

from chiso.frameworks import builtin_frameworks
from chiso.tables.criteria_tables import TableMeta
from chiso.units.kinds import UNIT_KINDS
from chiso.web.accounts.models import Role
from chiso.web.core import limits
from chiso.web.core.forms import DecimalCommaField, Fallback, RuleForm
from chiso.web.cycles.models import Cycle, FrameworkVersion, Unit
from chiso.web.cycles.scores import NA_TOKENS


class PointsOrNotApplicable(forms.Field):
    """An appraiser's points, or 'KAD' (không áp dụng, not applicable), read as NOT_APPLICABLE;
    anything else is read as :class:`DecimalCommaField` reads it."""

    def to_python(self, value: Any) -> float | str | None:
        text = "" if value is None else " ".join(str(value).split())
        if text.casefold() in NA_TOKENS:
            return NOT_APPLICABLE
        return DecimalCommaField().to_python(text)


NOT_APPLICABLE = "KAD"


class LeafSaveForm(RuleForm):
    """A leaf's row: the unit's own value, an appraisal, or centrally entered points."""

    action = forms.ChoiceField(choices=[("self", ""), ("appraise", ""), ("central", "")])
    version = forms.CharField(required=False)
    value = limits.VALUE.form_field(required=False, strip=False)
    points = PointsOrNotApplicable(required=False)
    reason = limits.REASON.form_field(required=False, strip=False)

    def clean_version(self) -> int:
        """The version the page was made from; anything else is a version nobody holds, so
        the save is refused as a conflict that names the current one to reload."""
        text = self.cleaned_data.get("version", "").strip()
        if text.isascii() and text.isdigit() and len(text) <= 18:
            return int(text)
        return -1

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == "central" and data.get("points", 0) in (None, NOT_APPLICABLE):
            shown = "" if data["points"] is None else data["points"]
            self.add_error(
                "points", forms.ValidationError("", "cycle.not_number", {"value": shown})
            )
        return data

    def appraisal(self) -> tuple[float | None, bool]:
        """(points, not applicable) of an appraisal."""
        points = self.cleaned_data["points"]
        return (None, True) if points == NOT_APPLICABLE else (points, False)


class AdvanceForm(RuleForm):
    """The state to move to (the workflow says whether it is the next one) and why."""

    to = forms.CharField(required=False)
    reason = limits.REASON.form_field(required=False, strip=False)


class PublishForm(RuleForm):
    """Why a cycle is published again (the workflow requires it for a new revision), and the
    decision it is issued by: number, date, body."""

    reason = limits.REASON.form_field(required=False, strip=False)
    decision_number = limits.DECISION_NUMBER.form_field(required=False)
    decision_date = limits.DATE_TEXT.form_field(required=False)
    decision_body = limits.DECISION_BODY.form_field(required=False)

    def clean_decision_date(self) -> date | None:
        return _iso_date(self.cleaned_data.get("decision_date", ""))

    def clean(self) -> dict[str, Any]:
        """No publication without its decision: number, date and issuing body together."""
        data = super().clean()
        if "decision_date" in data and not (
            data.get("decision_number", "").strip()
            and data["decision_date"]
            and data.get("decision_body", "").strip()
        ):
            self.add_error(None, forms.ValidationError("", "cycle.decision_required"))
        return data


class MessageForm(RuleForm):
    """A message in a leaf's thread (the workflow refuses an empty one)."""

    text = limits.MESSAGE.form_field(required=False, strip=False)


class FileForm(RuleForm):
    """An upload; without a file the page is simply shown again."""

    file = forms.FileField(required=False, allow_empty_file=True)
    name = limits.NAME.form_field(required=False, strip=False)  # a map's, see maps.upload_map


class UnitForm(RuleForm):
    """A new unit: its code, its name (the last part of its public address) and its kind."""

    code = limits.UNIT_CODE.form_field(required=False)
    name = limits.NAME.form_field(required=False, strip=False)
    kind = forms.ChoiceField(choices=[(k, k) for k in UNIT_KINDS])
    fallback: ClassVar[Fallback] = {
        "code": ("cycle.unit_incomplete", {}),
        "name": ("cycle.unit_incomplete", {}),
        "kind": ("cycle.unit_incomplete", {}),
    }


class ProvinceForm(RuleForm):
    """A province to load: its code in the official list (the files come with the request)."""

    province = limits.UNIT_CODE.form_field(required=False)
    fallback: ClassVar[Fallback] = {"province": ("units.unknown_province", {"value": ""})}


def _iso_date(text: str) -> date | None:
    """A closing date as ``YYYY-MM-DD`` (what a date input sends); empty is none."""
    text = text.strip()
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise forms.ValidationError("", "cycle.bad_date", {"value": text}) from None


class CycleForm(RuleForm):
    """A new cycle: the units are checked first, then the year, then the windows."""

    units = limits.id_choices(Unit.objects.all(), required=False)
    name = limits.NAME.form_field(required=False)
    year = limits.YEAR.form_field(required=False)
    framework = limits.FRAMEWORK_CODE.form_field(required=False)
    self_assessment_ends = limits.DATE_TEXT.form_field(required=False)
    appraisal_ends = limits.DATE_TEXT.form_field(required=False)
    explanation_ends = limits.DATE_TEXT.form_field(required=False)
    WINDOWS = ("self_assessment_ends", "appraisal_ends", "explanation_ends")
    fallback: ClassVar[Fallback] = {
        "units": ("cycle.no_units", {}),
        "year": ("cycle.not_number", {"value": "năm"}),
    }

    def clean_framework(self) -> str:
        """Only a built-in or an uploaded framework: a path would read a file of the server's."""
        code: str = self.cleaned_data.get("framework", "")
        uploaded = FrameworkVersion.objects.filter(code=code).exists()
        if not uploaded and code not in {fw.code for fw in builtin_frameworks()}:
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
    """A role for a person, for one or many units and cycles at once (every pair of them the
    role needs); a refused field is named in its message."""

    username = limits.USERNAME.form_field(required=False)
    kind = forms.ChoiceField(choices=Role.KINDS, required=False)
    unit = limits.id_choices(Unit.objects.all(), required=False)
    cycle = limits.id_choices(Cycle.objects.exclude(state=Cycle.CANCELLED), required=False)
    fallback: ClassVar[Fallback] = {
        "username": ("role.bad_choice", {"field": gettext_lazy("tên đăng nhập")}),
        "kind": ("role.bad_choice", {"field": gettext_lazy("vai trò")}),
        "unit": ("role.bad_choice", {"field": gettext_lazy("đơn vị")}),
        "cycle": ("role.bad_choice", {"field": gettext_lazy("kỳ đánh giá")}),
    }


class ExplainForm(RuleForm):
    """A unit's explanation of one cut (the evidence file comes with it, see FileForm)."""

    fallback: ClassVar[Fallback] = {"text": ("cycle.empty_message", {})}
    text = limits.MESSAGE.form_field()


class ReviewForm(RuleForm):
    """The appraiser's answer to an explanation: the points restored (empty: the cut is
    kept) and the reason."""

    points = DecimalCommaField(required=False)
    reason = limits.REASON.form_field(required=False)


class CorrectionForm(RuleForm):
    """A correction of one leaf of a published cycle: the unit, the criterion, the points
    and why."""

    fallback: ClassVar[Fallback] = {
        "sheet": ("cycle.forbidden", {}),
        "code": ("cycle.unknown_node", {"node": "''"}),
        "points": ("cycle.not_number", {"value": ""}),
    }
    sheet = limits.ID.form_field()
    code = limits.NODE_CODE.form_field()
    points = DecimalCommaField()
    reason = limits.REASON.form_field(required=False)


class RankedForm(RuleForm):
    """Whether a unit is ranked in the cycle ("assessed, not ranked" when not)."""

    ranked = forms.BooleanField(required=False)
    reason = limits.REASON.form_field(required=False)


class FrameworkUploadForm(RuleForm):
    """A framework file; a Word or Excel criteria table also needs what a table does not say
    (code, subject, first year, and the decision as its legal basis)."""

    fallback: ClassVar[Fallback] = {
        "year": ("cycle.not_number", {"value": "năm"}),
        "subject": ("framework.table_needs", {}),
    }
    file = forms.FileField(required=False)
    code = limits.FRAMEWORK_CODE.form_field(required=False)
    subject = forms.MultipleChoiceField(choices=[(k, k) for k in UNIT_KINDS], required=False)
    year = limits.YEAR.form_field(required=False)
    legal_basis = limits.LEGAL_BASIS.form_field(required=False)

    def table_meta(self) -> Any:
        """What the criteria table does not say, or None when it is incomplete."""
        data = self.cleaned_data
        if not (data.get("code") or "").strip() or not data.get("subject") or not data.get("year"):
            return None
        return TableMeta(
            code=data["code"].strip(),
            subjects=tuple(data["subject"]),
            year=data["year"],
            legal_basis=(data.get("legal_basis") or "").strip(),
        )


class ExtensionForm(RuleForm):
    """A deadline moved by the administrator: the stage, the unit (empty: the whole cycle),
    the new last day and why (the workflow refuses an empty reason, naming the field)."""

    fallback: ClassVar[Fallback] = {
        "stage": ("deadline.no_window", {}),
        "unit": ("deadline.unit_not_in_cycle", {"unit": "?"}),
    }
    stage = forms.ChoiceField(
        choices=[(Cycle.SELF, ""), (Cycle.APPRAISAL, ""), (Cycle.EXPLANATION, "")]
    )
    unit = limits.id_choice(Unit.objects.all(), required=False)
    ends = limits.DATE_TEXT.form_field(required=False)
    reason = limits.REASON.form_field(required=False, strip=False)

    def clean_ends(self) -> date | None:
        return _iso_date(self.cleaned_data.get("ends", ""))
