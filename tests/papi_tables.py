"""Turn the published PAPI tables in tests/fixtures/published/papi into chiso score inputs.

Only the layout is translated (which column is which node); every number is the published one.
"""

from __future__ import annotations

import csv
from pathlib import Path

from chiso.frameworks import get_framework
from conftest import published_file

EDITION_OF_YEAR = {
    **dict.fromkeys(range(2011, 2016), "papi-2011"),
    **dict.fromkeys(range(2016, 2018), "papi-2016"),
    2018: "papi-2018",
    2019: "papi-2019",
    2020: "papi-2019",
    **dict.fromkeys(range(2021, 2025), "papi-2021"),
}


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8") as fh:
        return [r for r in csv.reader(fh) if r and not r[0].startswith("#")]


def official_sheet(year: int) -> tuple[list[str], list[dict[str, str]], list[str]]:
    """(node codes in sheet order, rows {unit, code: value, 'total': ...}, unit names) of the
    official 2011–2016 sheet; dimension and sub-dimension columns follow the tree's pre-order."""
    rows = _rows(published_file("papi", f"papi_{year}_dimension_and_subdimension_scores.csv"))
    header, body = rows[0], [r for r in rows[1:] if r[0] != "999"]
    codes = get_framework(EDITION_OF_YEAR[year]).codes
    assert len(header) == 3 + len(codes) + 1, "sheet layout differs from the framework tree"
    out = []
    for r in body:
        row = {"unit": r[2], "total": r[-1]}
        row.update(zip(codes, r[3:-1], strict=True))
        out.append(row)
    return codes, out, [r[2] for r in body]


def subdimension_scores(year: int) -> tuple[list[str], list[dict[str, str]]]:
    """(sub-dimension codes, rows {unit, code: value}) from the 2011–2024 sub-dimension file."""
    rows = _rows(published_file("papi", "papi_subdimension_scores_2011_2024.csv"))
    header, body = rows[0], [r for r in rows[1:] if r[0] == str(year)]
    fw = get_framework(EDITION_OF_YEAR[year])
    leaves = [n.code for n in fw.leaves()]
    columns: dict[str, str] = {}
    for dimension in fw.nodes:
        # the file keeps SC52 (construction permits) as a column after it was dropped in 2021
        source = [c for c in header if c.startswith(f"SC{dimension.code}")]
        used = [c for c in source if any(r[header.index(c)] for r in body)]
        for node, column in zip(dimension.children, used, strict=True):
            columns[node.code] = column
    assert sorted(columns) == sorted(leaves)
    out = []
    for r in body:
        row = {"unit": r[2]}
        for code in leaves:
            row[code] = r[header.index(columns[code])]
        out.append(row)
    return leaves, out


def derived_dimensions(year: int) -> dict[str, dict[str, str]]:
    rows = _rows(published_file("papi", "papi_dimension_scores_2011_2024_derived.csv"))
    header = rows[0]
    return {r[1]: dict(zip(header, r, strict=True)) for r in rows[1:] if r[0] == str(year)}


def write_wide(path: Path, codes: list[str], rows: list[dict[str, str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["unit", *codes])
        for row in rows:
            writer.writerow([row["unit"], *(row[c] for c in codes)])
    return path
