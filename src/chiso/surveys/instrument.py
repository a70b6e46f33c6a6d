"""Survey instruments as data: questions, answer scales, which answers count as satisfied,
relevance (skip) conditions, and the framework node each question feeds.

An instrument is a YAML file (built-in ones in ``surveys/instruments/``); it is exported as an
XLSForm for ODK Collect or KoboToolbox, used to check imported exports, and turns answers into
the 0/1 "satisfied" items whose design-based proportions become index points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from chiso.problems import ProblemReport, Refusal
from chiso.vietnamese import is_nfc
from chiso.yamlfiles import LineMap, load_yaml

QUESTION_TYPES = ("select_one", "select_multiple", "integer", "decimal", "text")
ROLES = ("item", "stratum", "psu", "domain", "weight", "info")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")  # a valid XLSForm / XML name
DATA_DIR = Path(__file__).parent / "instruments"


@dataclass(frozen=True)
class Option:
    value: str
    label_vi: str
    label_en: str


@dataclass(frozen=True)
class Scale:
    code: str
    type: str
    options: tuple[Option, ...] = ()
    satisfied: tuple[str, ...] = ()  # answers that count as satisfied (1); others 0
    excluded: tuple[str, ...] = ()  # answers treated as missing ("don't know")
    min: float | None = None
    max: float | None = None

    def option_values(self) -> set[str]:
        return {o.value for o in self.options}


@dataclass(frozen=True)
class Question:
    code: str
    text_vi: str
    text_en: str
    scale: Scale
    group: str | None = None
    node: str | None = None
    relevant: str | None = None
    required: bool = True
    role: str = "item"


@dataclass(frozen=True)
class Group:
    code: str
    label_vi: str
    label_en: str
    repeat: bool = False  # a repeat group: answered once per member, item, visit...


@dataclass(frozen=True)
class Instrument:
    code: str
    version: str
    name_vi: str
    name_en: str
    framework: str | None
    groups: tuple[Group, ...]
    questions: tuple[Question, ...]
    sources: tuple[str, ...] = ()
    notes: str = ""
    path: str = ""
    by_code: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def question(self, code: str) -> Question:
        return self.by_code[code]

    @property
    def items(self) -> list[Question]:
        return [q for q in self.questions if q.role == "item"]

    def repeat_groups(self) -> list[Group]:
        return [g for g in self.groups if g.repeat]

    def in_repeat(self, question: Question) -> str | None:
        """The repeat group ``question`` belongs to, if any."""
        repeats = {g.code for g in self.groups if g.repeat}
        return question.group if question.group in repeats else None

    def role(self, role: str) -> Question | None:
        return next((q for q in self.questions if q.role == role), None)


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.report = ProblemReport()

    def problem(self, rule: str, line: int | None, column: str | None = None, **kw: Any) -> None:
        self.report.add(rule, self.file, line, column, **kw)

    def text(self, m: LineMap, key: str, required: bool = True) -> str:
        value = m.get(key)
        line = m.key_lines.get(key, m.line)
        if value is None:
            if required:
                self.problem("framework.missing_key", m.line, key, key=key)
            return ""
        value = str(value)
        if not is_nfc(value):
            self.problem("framework.not_nfc", line, key, key=key)
        return value

    def items(self, m: LineMap, key: str) -> list[Any]:
        """The list under ``key`` (empty when absent); anything else is reported."""
        value = m.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(
                "framework.bad_type", m.key_lines.get(key, m.line), key, key=key, expected="list"
            )
            return []
        return value

    def mapping(self, m: LineMap, key: str) -> dict[Any, Any]:
        """The mapping under ``key`` (empty when absent); anything else is reported."""
        value = m.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(
                "framework.bad_type", m.key_lines.get(key, m.line), key, key=key, expected="mapping"
            )
            return {}
        return value

    def name(self, m: LineMap, key: str = "code") -> str:
        value = self.text(m, key)
        if value and not _NAME.match(value):
            self.problem("survey.bad_name", m.key_lines.get(key, m.line), key, value=value)
        return value

    def scale(self, code: str, m: LineMap) -> Scale:
        kind = m.get("type")
        if kind not in QUESTION_TYPES:
            self.problem(
                "framework.bad_choice",
                m.key_lines.get("type", m.line),
                "type",
                key="type",
                value=kind,
                allowed=", ".join(QUESTION_TYPES),
            )
            kind = "text"
        options = []
        seen: set[str] = set()
        for item in self.items(m, "options"):
            if not isinstance(item, LineMap):
                self.problem("framework.not_mapping", m.line, "options")
                continue
            value = self.text(item, "value")
            if value in seen:
                self.problem("framework.choice_duplicate", item.line, "value", value=value)
            seen.add(value)
            options.append(Option(value, self.text(item, "vi"), self.text(item, "en", False)))
        if kind.startswith("select") and not options:
            self.problem("framework.missing_key", m.line, "options", key="options")
        satisfied = tuple(str(v) for v in self.items(m, "satisfied"))
        excluded = tuple(str(v) for v in self.items(m, "excluded"))
        for value in satisfied + excluded:
            if options and value not in seen:
                self.problem("survey.unknown_option", m.line, "satisfied", value=value, scale=code)
        return Scale(
            code, str(kind), tuple(options), satisfied, excluded, m.get("min"), m.get("max")
        )

    def instrument(self, doc: Any) -> Instrument | None:
        if not isinstance(doc, LineMap):
            self.problem("framework.not_mapping", 1)
            return None
        code = self.text(doc, "code")
        scales: dict[str, Scale] = {}
        for key, value in self.mapping(doc, "scales").items():
            if isinstance(value, LineMap):
                scales[key] = self.scale(key, value)
        groups = []
        for g in self.items(doc, "groups"):
            if isinstance(g, LineMap):
                groups.append(
                    Group(
                        self.name(g),
                        self.text(g, "vi"),
                        self.text(g, "en", False),
                        bool(g.get("repeat", False)),
                    )
                )
        group_codes = {g.code for g in groups}
        questions: list[Question] = []
        seen: dict[str, int] = {}
        for q in self.items(doc, "questions"):
            if not isinstance(q, LineMap):
                self.problem("framework.not_mapping", doc.line, "questions")
                continue
            qcode = self.name(q)
            if qcode in seen:
                self.problem(
                    "framework.duplicate_code",
                    q.key_lines.get("code", q.line),
                    "code",
                    code=qcode,
                    first_line=seen[qcode],
                )
            seen.setdefault(qcode, q.line)
            scale_code = self.text(q, "scale")
            scale = scales.get(scale_code)
            if scale is None:
                self.problem("survey.unknown_scale", q.line, "scale", scale=scale_code)
                continue
            group = q.get("group")
            if group is not None and group not in group_codes:
                self.problem("survey.unknown_group", q.line, "group", group=group)
            role = q.get("role", "item")
            if role not in ROLES:
                self.problem(
                    "framework.bad_choice",
                    q.line,
                    "role",
                    key="role",
                    value=role,
                    allowed=", ".join(ROLES),
                )
            questions.append(
                Question(
                    code=qcode,
                    text_vi=self.text(q, "vi"),
                    text_en=self.text(q, "en", False),
                    scale=scale,
                    group=group,
                    node=None if q.get("node") is None else str(q["node"]),
                    relevant=q.get("relevant"),
                    required=bool(q.get("required", True)),
                    role=str(role),
                )
            )
        if not questions:
            self.problem("framework.no_nodes", doc.line, "questions")
        if self.report:
            return None
        return Instrument(
            code=code,
            version=str(doc.get("version", "1")),
            name_vi=self.text(doc, "name_vi"),
            name_en=self.text(doc, "name_en", False),
            framework=doc.get("framework"),
            groups=tuple(groups),
            questions=tuple(questions),
            sources=tuple(str(s) for s in self.items(doc, "sources")),
            notes=str(doc.get("notes") or ""),
            path=self.file,
            by_code={q.code: q for q in questions},
        )


def read_instrument(path: str | Path) -> tuple[Instrument | None, ProblemReport]:
    reader = _Reader(str(path))
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        reader.problem("file.unreadable", None, reason=exc.strerror or str(exc))
        return None, reader.report
    doc = load_yaml(raw, str(path), reader.report)
    if doc is None:
        return None, reader.report
    return reader.instrument(doc), reader.report


@cache
def _builtin(code: str) -> Instrument | None:
    path = DATA_DIR / f"{code}.yaml"
    if not path.is_file():
        return None
    instrument, report = read_instrument(path)
    if instrument is None:
        raise Refusal(report)
    return instrument


def get_instrument(code_or_file: str) -> Instrument:
    """A built-in instrument by code, or an instrument file by path."""
    path = Path(code_or_file)
    if path.suffix.lower() in (".yaml", ".yml") or path.is_file():
        instrument, report = read_instrument(path)
        if instrument is None:
            raise Refusal(report)
        return instrument
    found = _builtin(code_or_file)
    if found is None:
        report = ProblemReport()
        report.add("survey.unknown_instrument", code_or_file, code=code_or_file)
        raise Refusal(report)
    return found
