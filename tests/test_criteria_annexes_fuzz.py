"""The annexes of :mod:`annex_tables` mutated by a property-based search (Hypothesis), in the
pattern of :mod:`test_importers_fuzz`: cells replaced by the texts that broke readers before
and by level lines built to confuse the level reader (no label, a range upside down, a rate
of a thousand digits, a penalty without an amount), rows dropped or repeated. Whatever the
table, the importer returns a framework file that the loader accepts, or raises
:class:`Refusal` whose every problem renders in Vietnamese and English; never another
exception."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from annex_tables import EXCEL, WORD, Annex, Part, write_excel, write_word
from chiso.frameworks import framework_from_text
from chiso.tables.criteria_tables import TableMeta, import_table
from test_importers_fuzz import FUZZ, _check, _xlsx_safe, cells

META = TableMeta(code="tinh-so-2026", subjects=("department",), year=2026)
LEVELS = [
    "-",
    "- ",
    "+:",
    "- : 1",
    "- 1%: 1",
    "- Từ 100% đến dưới 0%: 1",
    "- Dưới -5%: 1",
    "- Từ " + "9" * 400 + "% trở lên: 1",
    "- Đạt: " + "9" * 400,
    "- Đạt: 1e999",
    "- trừ điểm cho mỗi lỗi",
    "- Mỗi lỗi trừ 0,5 điểm",
    "- Mỗi lỗi trừ 99 điểm",
    "- Trên 50%: 1",
    "- Đạt 50%: 1",
    "+ Đúng hạn (1 điểm)\n+ Chậm (0,5 điểm)",
    "- Đúng hạn: 1\nghi chú\n- Chậm: 2",
    "TỔNG ĐIỂM",
    "Tổng cộng",
    "STT",
    "(1)",
]
level_cells = st.one_of(cells, st.sampled_from(LEVELS))


@st.composite
def mutated_annex(draw: st.DrawFn, annex: Annex) -> Annex:
    """``annex`` with cells replaced and rows dropped or repeated in its parts; a merge that
    no longer fits its part is left out."""
    parts = []
    for part in annex.parts:
        rows = [list(r) for r in part.rows]
        width = max(len(r) for r in rows)
        for _ in range(draw(st.integers(0, 6))):
            r = draw(st.integers(0, len(rows) - 1))
            rows[r][draw(st.integers(0, len(rows[r]) - 1))] = _xlsx_safe(draw(level_cells))
        if len(rows) > 1 and draw(st.booleans()):
            rows.insert(
                draw(st.integers(1, len(rows))), list(rows[draw(st.integers(1, len(rows) - 1))])
            )
        if len(rows) > 1 and draw(st.booleans()):
            del rows[draw(st.integers(1, len(rows) - 1))]
        rows = [(r + [""] * width)[:width] for r in rows]
        merges = [m for m in part.merges if m[2] < len(rows) and m[3] < width]
        if rows != part.rows:
            merges = [m for m in merges if draw(st.booleans())]
        parts.append(Part(rows, merges, part.page_break_before))
    return dataclasses.replace(annex, parts=parts)


def _read(annex: Annex, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        write = write_word if suffix == "docx" else write_excel
        path = write(Path(folder) / f"phu-luc.{suffix}", annex)

        def read() -> None:
            framework_from_text(import_table(path, META, path.name), "phu-luc.yaml")

        _check(read)


@FUZZ
@given(annex=st.sampled_from(WORD + EXCEL).flatmap(mutated_annex))
def test_mutated_word_annexes_never_crash(annex: Annex) -> None:
    _read(annex, "docx")


@FUZZ
@given(annex=st.sampled_from(WORD + EXCEL).flatmap(mutated_annex))
def test_mutated_excel_annexes_never_crash(annex: Annex) -> None:
    _read(annex, "xlsx")
