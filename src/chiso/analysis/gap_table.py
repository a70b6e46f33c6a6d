"""The gap table as a file or a printed table: its columns in the reader's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chiso.analysis.gaps import Gap
from chiso.frameworks.model import Framework
from chiso.i18n import pgettext_noop, translated
from chiso.tables.records import write_records

GAP_COLUMNS: dict[str, str] = {
    "node": pgettext_noop("column", "Mã"),
    "name": pgettext_noop("column", "Nội dung"),
    "points": pgettext_noop("column", "Điểm đạt"),
    "max": pgettext_noop("column", "Điểm tối đa"),
    "lost": pgettext_noop("column", "Điểm bị mất"),
    "best": pgettext_noop("column", "Điểm cao nhất"),
    "best_units": pgettext_noop("column", "Đơn vị cao nhất"),
    "mean": pgettext_noop("column", "Trung bình"),
    "previous": pgettext_noop("column", "Kỳ trước"),
    "change": pgettext_noop("column", "Thay đổi"),
}
"""Key (the JSON field) → Vietnamese column name, translated by the catalogue."""


def gap_header(lang: str) -> tuple[list[str], list[str]]:
    names = translated(GAP_COLUMNS, lang)
    return list(GAP_COLUMNS), [names[k] for k in GAP_COLUMNS]


def gap_cells(gap: Gap, framework: Framework, lang: str) -> list[Any]:
    node = framework.node(gap.code)
    return [
        gap.code,
        node.name_in(lang),
        gap.points,
        gap.max,
        gap.lost,
        gap.best,
        ", ".join(gap.best_units),
        gap.mean,
        gap.previous,
        gap.change,
    ]


def write_gaps(
    gaps: list[Gap], framework: Framework, unit: str, path: str | Path, lang: str
) -> None:
    """CSV, XLSX or JSON by the extension, written whole or not at all."""
    keys, header = gap_header(lang)
    rows = [gap_cells(g, framework, lang) for g in gaps]
    extra = {"unit": unit, "framework": framework.code}
    write_records(header, rows, path, lang, framework.precision, keys, extra)
