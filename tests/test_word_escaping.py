"""Text that people type never changes the shape of a Word document chiso writes.

The probe of issue #19 published a decision whose issuing body held
``</w:t></w:r><w:fldSimple w:instr='DDEAUTO …'>`` into the public annex.docx as a live field,
and a unit named with ``<w:r>`` cut the annex table and dropped text: docxtpl renders its
templates with autoescape off unless told. Each Word output is rendered twice here, once with
hostile text in every place a person's text can reach (unit names, the decision, the
framework's names, guidance and notes, the plan's targets, tasks and method) and once with
ordinary text in the same places; the two ``word/document.xml`` must have the same element
structure, and the hostile text must be there, as text."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from chiso.frameworks import get_framework
from chiso.frameworks.loader import framework_from_text
from chiso.frameworks.model import Framework
from chiso.problems import ProblemReport
from chiso.reports.annex import write_annex_docx
from chiso.reports.plan_document import WordPlan, render_docx
from chiso.scoring import compile_plan, score
from chiso.scoring.document import from_json
from chiso.tables.criteria_tables import export_table
from chiso.tables.reading import read_scores
from chiso.tables.writing import json_document
from chiso.yamlfiles import load_yaml
from test_cli_score import CUT, GOOD, LEAVES, write_csv

FW = "example-department-2024"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

FIELD = (
    "</w:t></w:r><w:fldSimple w:instr='DDEAUTO c:\\\\Windows\\\\System32\\\\cmd.exe "
    '"/k calc"\'><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t>'
)
HOSTILE = [
    FIELD,
    "Sở <w:r> Nội vụ",
    "R&D & <b>\"quoted\"</b> 'apos' ]]> <!-- c --> &amp; &#x41;",
    "{{ 7*7 }} {% if true %}x{% endif %}",
    "</w:tc></w:tr></w:tbl><w:p><w:r><w:t>out of the table",
    "bell\x07 form feed\x0c vertical tab\x0b nul\x00 end",
]
"""One payload per kind of attack; the last carries control characters that XML 1.0 cannot
hold (docxtpl turns a bell into a new paragraph and a form feed into a page break)."""

INVALID_IN_XML = dict.fromkeys(map(ord, "\x00\x07\x0b\x0c"))


def hostile(i: int) -> str:
    """The hostile text of place ``i`` (ended, so that place 1 is not a prefix of place 10)."""
    return f"{HOSTILE[i % len(HOSTILE)]} {i}."


def harmless(i: int) -> str:
    return f"Tên thường {i}."


def shown(text: str) -> str:
    """What a reader sees of ``text``: the characters XML cannot hold are left out."""
    return text.translate(INVALID_IN_XML)


def shape(path: Path) -> list[tuple[int, str]]:
    """The element structure of a Word document's body: each element's depth and tag, in
    document order (a strict parse: a damaged part raises)."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
        etree.fromstring(archive.read("docProps/core.xml"))

    out: list[tuple[int, str]] = []

    def walk(element: Any, depth: int) -> None:
        out.append((depth, str(element.tag)))
        for child in element:
            walk(child, depth + 1)

    walk(root, 0)
    return out


def text_of(path: Path) -> str:
    """Every run's text, each paragraph on a line (what a reader of the document sees)."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p"))


NAMED_KEYS = ("name_vi", "name_en", "legal_basis", "guidance", "method", "notes")


def renamed_framework(name: Callable[[int], str]) -> Framework:
    """The example framework with every name, legal basis and note replaced by ``name(i)``
    (i numbering the places), read back through the YAML loader as an upload would be."""
    # read as the loader reads it (keys as written: YAML 1.1 would turn ``groups: {on: index}``
    # into a key ``True``, which the loader refuses as unknown)
    source = Path(get_framework(FW).path)
    doc = load_yaml(source.read_bytes(), source.name, ProblemReport())
    counter = iter(range(10_000))

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            named = [k for k in NAMED_KEYS if k != "method" or "bands" not in value]  # groups
            return {k: (name(next(counter)) if k in named else walk(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    text = yaml.safe_dump(walk(doc), allow_unicode=True, sort_keys=False)
    return framework_from_text(text, f"{FW}.yaml")


def results_document(tmp_path: Path, framework: Framework, name: Callable[[int], str]) -> Any:
    source = write_csv(tmp_path / "in.csv", [["unit", *LEAVES], ["A", *GOOD], ["B", *CUT]])
    plan = compile_plan(framework)
    data = read_scores(str(source), framework, plan, False, [])
    doc = json_document(score(framework, data.units, data.given, data.na, data.ranked, plan), None)
    for i, unit in enumerate(doc["units"]):
        unit["unit"] = name(100 + i)
    doc["publication"] = {
        "decision": {"number": name(200), "date": "2025-01-20", "body": name(201)}
    }
    return doc


def annex(tmp_path: Path, name: Callable[[int], str], lang: str) -> Path:
    framework = renamed_framework(name)
    out = tmp_path / f"annex-{lang}.docx"
    write_annex_docx(
        from_json(results_document(tmp_path, framework, name)), framework, out, name(300), lang
    )
    return out


def plan(tmp_path: Path, name: Callable[[int], str], lang: str) -> Path:
    out = tmp_path / f"plan-{lang}.docx"
    word = WordPlan(
        title=name(0),
        unit=name(1),
        framework=name(2),
        targets=[name(3), name(4)],
        task_header=[name(10 + c) for c in range(7)],
        tasks=[[name(20 + 10 * r + c) for c in range(7)] for r in range(3)],
        gaps=[[name(60 + 10 * r + c) for c in range(6)] for r in range(2)],
        method=name(90),
    )
    render_docx(out, word, lang)
    return out


def criteria_table(tmp_path: Path, name: Callable[[int], str], lang: str) -> Path:
    out = tmp_path / "table.docx"
    export_table(renamed_framework(name), out)
    return out


OUTPUTS = {"annex.docx": annex, "plan.docx": plan, "criteria table .docx": criteria_table}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("output", sorted(OUTPUTS))
def test_hostile_text_leaves_every_word_output_the_same_shape(
    tmp_path: Path, output: str, lang: str
) -> None:
    write = OUTPUTS[output]
    (tmp_path / "ordinary").mkdir()
    (tmp_path / "hostile").mkdir()
    ordinary = write(tmp_path / "ordinary", harmless, lang)
    attacked = write(tmp_path / "hostile", hostile, lang)
    assert shape(attacked) == shape(ordinary)
    ordinary_text, attacked_text = text_of(ordinary), text_of(attacked)
    places = [i for i in range(400) if harmless(i) in ordinary_text]
    assert len(places) >= len(HOSTILE)
    for i in places:
        assert shown(hostile(i)) in attacked_text


def test_a_decision_cannot_add_a_field_to_the_public_annex(tmp_path: Path) -> None:
    """The probe's own payload: the issuing body of the decision that published the results."""
    framework = get_framework(FW)
    doc = results_document(tmp_path, framework, harmless)
    doc["publication"]["decision"]["body"] = FIELD
    out = tmp_path / "annex.docx"
    write_annex_docx(from_json(doc), framework, out, "Phụ lục", "vi")
    with zipfile.ZipFile(out) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    assert not list(root.iter(f"{W}fldSimple")) and not list(root.iter(f"{W}instrText"))
    assert FIELD in text_of(out)


def test_escaped_text_is_not_escaped_twice(tmp_path: Path) -> None:
    """Autoescape writes ``&`` once as ``&amp;``: a reader sees ``R&D``, not ``R&amp;D``."""
    out = plan(tmp_path, lambda i: "R&D <1> \"2\" 'x'", "vi")
    text = text_of(out)
    assert "R&D <1> \"2\" 'x'" in text and "&amp;" not in text and "&lt;" not in text


def test_an_offices_template_gets_its_document_properties_filled_once_escaped(
    tmp_path: Path,
) -> None:
    """An office's own template may put tags in the document's title; python-docx escapes
    those properties itself, so they are filled without escaping (``R&D``, not ``R&amp;D``)."""
    from docx import Document

    from chiso.reports.annex import DEFAULT_WORD_TEMPLATE

    template = Document(str(DEFAULT_WORD_TEMPLATE))
    template.core_properties.title = "{{ title }}"
    template.save(str(tmp_path / "office.docx"))
    framework = get_framework(FW)
    out = tmp_path / "annex.docx"
    doc = results_document(tmp_path, framework, harmless)
    write_annex_docx(from_json(doc), framework, out, "R&D <1>\x07", "vi", tmp_path / "office.docx")
    assert Document(str(out)).core_properties.title == "R&D <1>"
