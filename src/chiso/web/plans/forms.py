"""What the plans' forms may send, checked before any service runs; a refused field becomes a
workflow rule, as on the cycle's pages (:class:`chiso.web.core.forms.RuleForm`)."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from chiso.web.core import limits
from chiso.web.core.forms import DecimalCommaField, Fallback, RuleForm
from chiso.web.cycles.models import Unit
from chiso.web.plans.models import Target, Task
from chiso.web.plans.services import TargetWanted


class AssignForm(RuleForm):
    fallback: ClassVar[Fallback] = {
        "framework": ("plans.unknown_framework", {"framework": ""}),
        "node": ("cycle.unknown_node", {"node": ""}),
        "unit": ("unit.unknown", {"unit": ""}),
        "responsible": ("unit.unknown", {"unit": ""}),
    }
    framework = limits.FRAMEWORK_CODE.form_field()
    unit = limits.id_choice(Unit.objects.all())
    node = limits.NODE_CODE.form_field()
    responsible = limits.id_choice(Unit.objects.all())


class PlanForm(RuleForm):
    """Next year's plan: the unit, the year and any of the targets."""

    fallback: ClassVar[Fallback] = {
        "unit": ("unit.unknown", {"unit": ""}),
        "year": ("plans.bad_target", {"value": ""}),
        "rank": ("plans.bad_target", {"value": ""}),
        "up": ("plans.bad_target", {"value": ""}),
        "group": ("plans.bad_target", {"value": ""}),
    }
    unit = limits.id_choice(Unit.objects.none())
    year = limits.YEAR.form_field()
    index = DecimalCommaField(required=False)
    rank = limits.RANK.form_field(required=False)
    up = limits.RANK.form_field(required=False)
    group = limits.GROUP.form_field(required=False)
    sipas = DecimalCommaField(required=False)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("index", "sipas"):
            value = data.get(name)
            if value is not None and not 0 < value <= 100:
                self.add_error(
                    name, forms.ValidationError("", "plans.bad_target", {"value": value})
                )
        return data

    def targets(self) -> list[TargetWanted]:
        data = self.cleaned_data
        out = []
        for kind in (Target.INDEX, Target.RANK, Target.UP, Target.GROUP, Target.SIPAS):
            value = data.get(kind)
            if value not in (None, ""):
                out.append(
                    TargetWanted(kind, f"{value:g}" if isinstance(value, float) else str(value))
                )
        return out


class TaskForm(RuleForm):
    fallback: ClassVar[Fallback] = {
        "status": ("cycle.forbidden", {}),
        "deadline": ("cycle.bad_date", {"value": ""}),
        "evidence": ("cycle.forbidden", {}),
        "responsible": ("unit.unknown", {"unit": ""}),
    }
    version = limits.VERSION.form_field()
    status = forms.ChoiceField(choices=Task.STATUSES)
    evidence = limits.NOTE.form_field(required=False)
    deadline = forms.DateField(required=False)
    responsible = limits.id_choice(Unit.objects.all(), required=False)


class FileForm(forms.Form):
    file = forms.FileField()
