"""The year-on-year table as CSV, XLSX or JSON, written atomically like results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chiso.i18n import pgettext
from chiso.scoring.compare import Comparison
from chiso.tables.records import write_records
from chiso.tables.writing import labels


def _header(comparison: Comparison, lang: str) -> list[str]:
    lab = labels(lang)
    return [
        lab["unit"],
        *(f"Δ {d}" for d in comparison.domains),
        f"Δ {lab['total']}",
        f"Δ {lab['index']}",
        pgettext("column", "Hạng trước", lang),
        pgettext("column", "Hạng nay", lang),
        "Δ " + lab["rank"],
    ]


def _rows(comparison: Comparison) -> list[list[Any]]:
    return [
        [
            c.unit,
            *(c.domains[d] for d in comparison.domains),
            c.total,
            c.index,
            c.rank_before,
            c.rank_after,
            c.places,
        ]
        for c in comparison.changes
    ]


def write_comparison(comparison: Comparison, path: str | Path, lang: str = "vi") -> None:
    keys = ["unit", *comparison.domains, "total", "index", "rank_before", "rank_after", "places"]
    write_records(
        _header(comparison, lang),
        _rows(comparison),
        path,
        lang,
        2,
        keys,
        {
            "domains": comparison.domains,
            "appeared": comparison.appeared,
            "disappeared": comparison.disappeared,
        },
    )
