"""Export an instrument as an XLSForm (survey, choices, settings sheets) for ODK Collect and
KoboToolbox, and check it with pyxform, the converter those tools use."""

from __future__ import annotations

from pathlib import Path

from chiso.problems import ProblemReport, Refusal
from chiso.surveys.instrument import Group, Instrument
from chiso.tables.atomic import atomic_target

LANGS = (("vi", "Vietnamese (vi)"), ("en", "English (en)"))


def _type(question_type: str, list_name: str) -> str:
    if question_type in ("select_one", "select_multiple"):
        return f"{question_type} {list_name}"
    return question_type


def _end(group: Group) -> str:
    return "end_repeat" if group.repeat else "end_group"


def xlsform_rows(instrument: Instrument) -> tuple[list[list[str]], list[list[str]]]:
    """The survey and choices sheets, header first."""
    label = [f"label::{name}" for _, name in LANGS]
    survey = [["type", "name", *label, "relevant", "required"]]
    groups = {g.code: g for g in instrument.groups}
    current: str | None = None
    for q in instrument.questions:
        if q.group != current:
            if current is not None:
                survey.append([_end(groups[current]), "", "", "", "", ""])
            if q.group is not None:
                g = groups[q.group]
                begin = "begin_repeat" if g.repeat else "begin_group"
                survey.append([begin, g.code, g.label_vi, g.label_en or g.label_vi, "", ""])
            current = q.group
        survey.append(
            [
                _type(q.scale.type, q.scale.code.replace("-", "_")),
                q.code,
                q.text_vi,
                q.text_en or q.text_vi,
                q.relevant or "",
                "yes" if q.required else "",
            ]
        )
    if current is not None:
        survey.append([_end(groups[current]), "", "", "", "", ""])
    choices = [["list_name", "name", *label]]
    used = {q.scale.code: q.scale for q in instrument.questions}
    for scale in used.values():
        for option in scale.options:
            choices.append(
                [
                    scale.code.replace("-", "_"),
                    option.value,
                    option.label_vi,
                    option.label_en or option.label_vi,
                ]
            )
    return survey, choices


def write_xlsform(instrument: Instrument, path: str | Path) -> None:
    """Write the XLSForm and convert it with pyxform; nothing is left behind if that fails."""
    import openpyxl
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    survey, choices = xlsform_rows(instrument)
    with atomic_target(path) as tmp:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "survey"
        for row in survey:
            sheet.append(row)
        sheet = book.create_sheet("choices")
        for row in choices:
            sheet.append(row)
        sheet = book.create_sheet("settings")
        sheet.append(["form_title", "form_id", "version", "default_language"])
        sheet.append(
            [instrument.name_vi, instrument.code.replace("-", "_"), instrument.version, LANGS[0][1]]
        )
        book.save(tmp)
        try:
            convert(xlsform=tmp, validate=False, file_type=".xlsx")
        except PyXFormError as exc:
            report = ProblemReport()
            report.add("survey.xlsform", str(path), reason=str(exc))
            raise Refusal(report) from None
