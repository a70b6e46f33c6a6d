"""The year-on-year table as CSV, XLSX or JSON, written atomically like results."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from chiso.numbers import format_number
from chiso.scoring.compare import Comparison
from chiso.tables.atomic import atomic_target
from chiso.tables.writing import LABELS


def _header(comparison: Comparison, lang: str) -> list[str]:
    lab = LABELS[lang]
    vi = lang == "vi"
    return [
        lab["unit"],
        *(f"Δ {d}" for d in comparison.domains),
        f"Δ {lab['total']}",
        f"Δ {lab['index']}",
        "Hạng trước" if vi else "rank before",
        "Hạng nay" if vi else "rank now",
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
    suffix = Path(path).suffix.lower()
    with atomic_target(path) as tmp:
        if suffix == ".json":
            doc = {
                "domains": comparison.domains,
                "changes": [
                    dict(
                        zip(
                            [
                                "unit",
                                *comparison.domains,
                                "total",
                                "index",
                                "rank_before",
                                "rank_after",
                                "places",
                            ],
                            r,
                            strict=True,
                        )
                    )
                    for r in _rows(comparison)
                ],
                "appeared": comparison.appeared,
                "disappeared": comparison.disappeared,
            }
            Path(tmp).write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "utf-8")
        elif suffix == ".xlsx":
            import openpyxl

            book = openpyxl.Workbook()
            sheet = book.active
            sheet.append(_header(comparison, lang))
            for row in _rows(comparison):
                sheet.append(row)
            book.save(tmp)
        else:
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(_header(comparison, lang))
            for row in _rows(comparison):
                writer.writerow(
                    [
                        format_number(x, lang, 2)
                        if isinstance(x, float)
                        else ("" if x is None else x)
                        for x in row
                    ]
                )
            Path(tmp).write_text(buf.getvalue(), encoding="utf-8-sig")
