"""Import survey exports (ODK Central, KoboToolbox, or a plain table with a column mapping)
into one normalised responses table, checked against the instrument, all or nothing.

Profiles, as the tools write their exports:

* ``odk`` — ODK Central CSV: group paths joined with ``-`` (``yeu_to_1-c1_1``), the submission
  id in ``meta-instanceID`` (``KEY`` too), ``SubmissionDate``, ``FormVersion``; select_multiple
  answers space-separated in one column (or, when split, ``…-q-option`` 0/1 columns);
* ``kobo`` — KoboToolbox CSV or XLSX: groups joined with ``/``, ``_uuid``,
  ``_submission_time``, ``__version__``; select_multiple space-separated in one column and/or
  one 0/1 column per option (``q/option``);
* ``csv`` — a plain CSV/XLSX whose columns are named by ``--map "Column=question,..."`` (or
  are the question codes themselves), with ``--id`` naming the respondent id column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from chiso.office.limits import LOCAL
from chiso.problems import ProblemReport, Refusal
from chiso.surveys.instrument import Instrument, Question
from chiso.tables.sources import Cell, open_table

PROFILES: dict[str, dict[str, Any]] = {
    "odk": {
        "sep": "-",
        "id": ("meta-instanceID", "KEY"),
        "time": "SubmissionDate",
        "version": "FormVersion",
    },
    "kobo": {
        "sep": "/",
        "id": ("_uuid", "meta/instanceID"),
        "time": "_submission_time",
        "version": "__version__",
    },
    "csv": {"sep": None, "id": ("id",), "time": None, "version": None},
}


@dataclass
class Imported:
    instrument: Instrument
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    repeats: dict[str, tuple[list[str], list[list[Any]]]] = field(default_factory=dict)


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return cell.strip()


def _locate(
    header: list[str], instrument: Instrument, profile: str, mapping: dict[str, str]
) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Column of each question, and of each (select_multiple question, option) 0/1 column."""
    sep = PROFILES[profile]["sep"]
    questions: dict[str, int] = {}
    options: dict[tuple[str, str], int] = {}
    for i, name in enumerate(header):
        if name in mapping:
            questions[mapping[name]] = i
            continue
        parts = name.split(sep) if sep else [name]
        last = parts[-1]
        if last in instrument.by_code and last not in questions:
            questions[last] = i
        elif len(parts) >= 2 and parts[-2] in instrument.by_code:
            q = instrument.by_code[parts[-2]]
            if q.scale.type == "select_multiple":
                options[(q.code, last)] = i
    return questions, options


def import_export(
    path: str,
    instrument: Instrument,
    profile: str,
    mapping: dict[str, str] | None = None,
    id_column: str | None = None,
    design: dict[str, str] | None = None,
    repeat_files: list[str] | None = None,
) -> Imported:
    """Read an export, check every answer against the instrument; raise with every problem.

    Questions of repeat groups come in separate files (``repeat_files``: ODK Central writes
    one CSV per repeat group, each row linked to its submission by ``PARENT_KEY``).

    ``design`` names design columns that must be present and filled (``weight`` must also be a
    positive number): ``{"weight": "w", "strata": "tinh", ...}``.
    """
    # a survey export on the analyst's own disk: tens of thousands of interviews
    table = open_table(path, LOCAL)
    file = table.file
    report = ProblemReport()
    conf = PROFILES[profile]
    header = table.header
    questions, option_columns = _locate(header, instrument, profile, mapping or {})
    main = [q for q in instrument.questions if instrument.in_repeat(q) is None]
    id_names = (id_column,) if id_column else conf["id"]
    id_at = next((header.index(n) for n in id_names if n in header), None)
    if id_at is None:
        report.add("survey.no_id_column", file, 1, None, names=", ".join(id_names))
    for q in main:
        if q.code not in questions and not (
            q.scale.type == "select_multiple" and any(k[0] == q.code for k in option_columns)
        ):
            report.add("survey.question_missing", file, 1, None, question=q.code)
    design_at: dict[str, int] = {}
    for role, name in (design or {}).items():
        if name in header:
            design_at[role] = header.index(name)
        elif not (name in instrument.by_code and name in questions):
            report.add("survey.no_column", file, 1, name, name=name)
        else:
            design_at[role] = questions[name]
    if report:
        raise Refusal(report)
    version_at = header.index(conf["version"]) if conf["version"] in header else None
    time_at = header.index(conf["time"]) if conf["time"] in header else None
    result = Imported(
        instrument,
        [
            "submission_id",
            "submitted_at",
            "form_version",
            *[n for r, n in (design or {}).items() if n not in instrument.by_code],
            *[q.code for q in main],
            *[
                f"{q.code}/{o.value}"
                for q in main
                if q.scale.type == "select_multiple"
                for o in q.scale.options
            ],
        ],
    )
    seen_ids: dict[str, int] = {}
    key_at = header.index("KEY") if "KEY" in header else id_at
    keys: set[str] = set()
    for row, cells in table.rows:
        cells = cells + [None] * (len(header) - len(cells))
        submission = _text(cells[id_at]) if id_at is not None else ""
        if not submission:
            report.add("survey.id_missing", file, row, header[id_at] if id_at is not None else None)
        elif submission in seen_ids:
            report.add(
                "survey.id_duplicate",
                file,
                row,
                header[id_at or 0],
                id=submission,
                first_row=seen_ids[submission],
            )
        else:
            seen_ids[submission] = row
        if key_at is not None:
            keys.add(_text(cells[key_at]))
        values: dict[str, str] = {}
        for q in main:
            values[q.code] = _answer(q, cells, questions, option_columns, report, file, row, header)
        for role, at in design_at.items():
            text = _text(cells[at])
            if not text:
                report.add("survey.design_blank", file, row, header[at], name=header[at])
            elif role == "weight":
                try:
                    weight = float(text)
                except ValueError:
                    weight = math.nan
                if not weight > 0:
                    report.add("survey.weight_not_positive", file, row, header[at], value=text)
        extra = [
            _text(cells[design_at[r]])
            for r, n in (design or {}).items()
            if n not in instrument.by_code
        ]
        multiples = []
        for q in main:
            if q.scale.type == "select_multiple":
                chosen = set(values[q.code].split())
                multiples += [1 if o.value in chosen else 0 for o in q.scale.options]
        result.rows.append(
            [
                submission,
                _text(cells[time_at]) if time_at is not None else "",
                _text(cells[version_at]) if version_at is not None else "",
                *extra,
                *(values[q.code] for q in main),
                *multiples,
            ]
        )
    if not result.rows:
        report.add("file.no_rows", file)
    for repeat_file in repeat_files or []:
        group, columns, rows = _import_repeat(repeat_file, instrument, profile, keys, report)
        if group is not None:
            result.repeats[group] = (columns, rows)
    missing = {g.code for g in instrument.repeat_groups()} - set(result.repeats)
    if repeat_files is not None:
        for group in sorted(missing):
            report.add("survey.repeat_missing", file, None, None, group=group)
    if report:
        raise Refusal(report)
    if not table.was_nfc:
        result.warnings.append("survey.nfd_normalised")
    return result


def _import_repeat(
    path: str, instrument: Instrument, profile: str, parents: set[str], report: ProblemReport
) -> tuple[str | None, list[str], list[list[Any]]]:
    """One repeat group's file: every row linked to an imported submission by PARENT_KEY."""
    # a survey export on the analyst's own disk: tens of thousands of interviews
    table = open_table(path, LOCAL)
    header = table.header
    questions, option_columns = _locate(header, instrument, profile, {})
    groups = {instrument.in_repeat(instrument.question(code)) for code in questions}
    groups.discard(None)
    if len(groups) != 1 or "PARENT_KEY" not in header:
        report.add("survey.repeat_unknown", table.file, 1, None)
        return None, [], []
    group = str(groups.pop())
    members = [q for q in instrument.questions if q.group == group]
    for q in members:
        if q.code not in questions:
            report.add("survey.question_missing", table.file, 1, None, question=q.code)
    parent_at = header.index("PARENT_KEY")
    key_at = header.index("KEY") if "KEY" in header else None
    rows: list[list[Any]] = []
    for row, cells in table.rows:
        cells = cells + [None] * (len(header) - len(cells))
        parent = _text(cells[parent_at])
        if parent not in parents:
            report.add("survey.repeat_orphan", table.file, row, "PARENT_KEY", parent=parent)
        values = [
            _answer(q, cells, questions, option_columns, report, table.file, row, header)
            for q in members
            if q.code in questions
        ]
        rows.append([parent, _text(cells[key_at]) if key_at is not None else "", *values])
    columns = ["submission_id", "repeat_key", *(q.code for q in members if q.code in questions)]
    return group, columns, rows


def _answer(
    q: Question,
    cells: list[Cell],
    questions: dict[str, int],
    option_columns: dict[tuple[str, str], int],
    report: ProblemReport,
    file: str,
    row: int,
    header: list[str],
) -> str:
    """The answer to ``q`` in this row as text (space-separated for select_multiple)."""
    scale = q.scale
    at = questions.get(q.code)
    text = _text(cells[at]) if at is not None else ""
    column = header[at] if at is not None else q.code
    if scale.type == "select_multiple":
        tokens = text.split()
        for (code, option), i in option_columns.items():
            if code == q.code and _text(cells[i]) in ("1", "True", "true"):
                tokens.append(option)
        tokens = list(dict.fromkeys(tokens))
        for token in tokens:
            if token not in scale.option_values():
                report.add(
                    "value.bad_choice",
                    file,
                    row,
                    column,
                    value=token,
                    node=q.code,
                    options=", ".join(sorted(scale.option_values())),
                )
        return " ".join(tokens)
    if not text:
        return ""
    if scale.type == "select_one" and text not in scale.option_values():
        report.add(
            "value.bad_choice",
            file,
            row,
            column,
            value=text,
            node=q.code,
            options=", ".join(o.value for o in scale.options),
        )
    elif scale.type in ("integer", "decimal"):
        try:
            number = float(text)
        except ValueError:
            report.add("value.not_number", file, row, column, value=text)
            return text
        if scale.type == "integer" and not number.is_integer():
            report.add("value.not_integer", file, row, column, value=text)
        if (scale.min is not None and number < scale.min) or (
            scale.max is not None and number > scale.max
        ):
            report.add(
                "value.out_of_range",
                file,
                row,
                column,
                value=text,
                node=q.code,
                min=scale.min,
                max=scale.max,
            )
    return text


def parse_mapping(text: str | None) -> dict[str, str]:
    """``"Column A=q1, Column B=q2"`` → ``{"Column A": "q1", "Column B": "q2"}``."""
    if not text:
        return {}
    pairs = (part.split("=", 1) for part in text.split(",") if "=" in part)
    return {a.strip(): b.strip() for a, b in pairs}
