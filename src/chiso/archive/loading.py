"""Read and check the archive's files: every problem at once, each naming its file, row and
field, and nothing loaded when there is one.

The files are the project's own (``data/``), but an administrator may load a corrected or
extended copy (``chiso archive load --data DIR``), so they are checked as any user file is:
columns, known indices, unit kinds and units (the 63 provinces before 1 July 2025 and the 34
after, the six regions), PAPI node codes of that year's edition (or ``mean``, a printed
national or regional average), numbers, ranks, groups, a source that ``sources.yaml`` lists,
and no row given twice by the same source.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path
from typing import Any

from chiso.archive.model import BASES, INDICES, UNIT_KINDS, Archive, Figure, Source, TableNote
from chiso.numbers import NotANumber, parse_decimal
from chiso.problems import ProblemReport, Refusal
from chiso.units.provinces import MERGED_34, PROVINCES_63, REORGANISED_IN
from chiso.units.regions import REGIONS
from chiso.yamlfiles import load_yaml

DATA_DIR = Path(__file__).parent / "data"
COLUMNS: tuple[str, ...] = (
    "index",
    "year",
    "unit_kind",
    "unit",
    "node",
    "value",
    "rank",
    "group",
    "basis",
    "rank_basis",
    "source",
)
SOURCE_KEYS: tuple[str, ...] = ("id", "address", "title", "publisher", "date", "licence")
TABLE_KEYS: tuple[str, ...] = (
    "index",
    "years",
    "unit_kind",
    "coverage",
    "sources",
    "note_vi",
    "note_en",
)
COVERAGES: tuple[str, ...] = ("whole", "partial", "none")
GROUPS: dict[str, tuple[str, ...]] = {
    "PAR INDEX": ("A", "B", "C", "D"),
    "SIPAS": (),
    "PAPI": ("1", "2", "3", "4"),
}
FIRST_YEAR, LAST_YEAR = 2009, 2100
PAPI_EDITIONS: dict[int, str] = {
    **dict.fromkeys(range(2011, 2016), "papi-2011"),
    **dict.fromkeys(range(2016, 2018), "papi-2016"),
    2018: "papi-2018",
    **dict.fromkeys(range(2019, 2021), "papi-2019"),
    **dict.fromkeys(range(2021, 2031), "papi-2021"),
}
"""The PAPI edition (criteria tree) of each year: a PAPI row's node is a code of its tree."""


def load_archive(directory: str | Path | None = None) -> Archive:
    """The archive in ``directory`` (the one shipped with chiso by default): ``sources.yaml``
    and every ``*.csv`` beside it. Raises :class:`Refusal` with every problem found."""
    folder = Path(directory) if directory is not None else DATA_DIR
    report = ProblemReport()
    sources, tables = _sources(folder / "sources.yaml", report)
    figures: list[Figure] = []
    files = sorted(folder.glob("*.csv"))
    if not files:
        report.add("file.not_found", str(folder / "*.csv"))
    for path in files:
        figures += _figures(path, sources, report)
    if report:
        raise Refusal(report)
    return Archive(tuple(figures), sources, tuple(tables))


def _sources(path: Path, report: ProblemReport) -> tuple[dict[str, Source], list[TableNote]]:
    name = path.name
    if not path.is_file():
        report.add("file.not_found", name)
        return {}, []
    doc = load_yaml(path.read_bytes(), name, report)
    if doc is None:
        return {}, []
    if not isinstance(doc, dict):
        report.add("framework.not_mapping", name, 1)
        return {}, []
    sources: dict[str, Source] = {}
    lines: dict[str, int | None] = {}
    for entry in doc.get("sources") or []:
        line = getattr(entry, "line", None)
        if not _has_keys(entry, SOURCE_KEYS, name, line, report):
            continue
        if entry["id"] in sources:
            report.add("archive.source_duplicate", name, line, "id", source=entry["id"])
            continue
        lines[str(entry["id"])] = line
        text = {k: str(entry[k]) for k in SOURCE_KEYS}
        sources[text["id"]] = Source(
            text["id"],
            text["address"],
            text["title"],
            text["publisher"],
            text["date"],
            text["licence"],
            related=tuple(str(r) for r in entry.get("related") or []),
        )
    for source in sources.values():
        for related in source.related:
            if related not in sources or related == source.id:
                report.add(
                    "archive.source_unknown", name, lines[source.id], "related", source=related
                )
    tables: list[TableNote] = []
    for entry in doc.get("tables") or []:
        line = getattr(entry, "line", None)
        if not _has_keys(entry, TABLE_KEYS, name, line, report):
            continue
        ok = True
        if entry["coverage"] not in COVERAGES:
            report.add(
                "framework.bad_choice",
                name,
                line,
                "coverage",
                key="coverage",
                value=entry["coverage"],
                allowed=", ".join(COVERAGES),
            )
            ok = False
        for source in entry["sources"] or []:
            if source not in sources:
                report.add("archive.source_unknown", name, line, "sources", source=source)
                ok = False
        years = str(entry["years"]).split("-")
        if not all(y.isdigit() for y in years) or len(years) > 2:
            report.add("archive.bad_year", name, line, "years", value=entry["years"])
            ok = False
        if ok:
            tables.append(
                TableNote(
                    str(entry["index"]),
                    str(entry["years"]),
                    str(entry["unit_kind"]),
                    str(entry["coverage"]),
                    tuple(str(s) for s in entry["sources"] or []),
                    (("vi", str(entry["note_vi"])), ("en", str(entry["note_en"]))),
                )
            )
    return sources, tables


def _has_keys(
    entry: Any, keys: tuple[str, ...], name: str, line: int | None, report: ProblemReport
) -> bool:
    if not isinstance(entry, dict):
        report.add("framework.not_mapping", name, line)
        return False
    missing = [k for k in keys if k not in entry]
    for key in missing:
        report.add("framework.missing_key", name, line, key, key=key)
    return not missing


def _figures(path: Path, sources: dict[str, Source], report: ProblemReport) -> list[Figure]:
    name = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        report.add("file.encoding", name)
        return []
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        report.add("file.empty", name)
        return []
    header = rows[0]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        report.add("archive.columns", name, 1, columns=", ".join(missing))
        return []
    at = {c: header.index(c) for c in COLUMNS}
    out: list[Figure] = []
    seen: dict[tuple[object, ...], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(header):
            report.add("file.ragged_row", name, number, found=len(row), expected=len(header))
            continue
        cells = {c: row[i].strip() for c, i in at.items()}
        figure = _figure(cells, name, number, sources, report)
        if figure is None:
            continue
        same = (*figure.key, figure.source)
        if same in seen:
            report.add(
                "archive.duplicate",
                name,
                number,
                "source",
                source=figure.source,
                first_row=seen[same],
            )
            continue
        seen[same] = number
        out.append(figure)
    return out


def _figure(
    cells: dict[str, str],
    name: str,
    row: int,
    sources: dict[str, Source],
    report: ProblemReport,
) -> Figure | None:
    before = len(report)
    for column, text in cells.items():
        if unicodedata.normalize("NFC", text) != text:
            report.add("framework.not_nfc", name, row, column, key=column)
    index = cells["index"]
    if index not in INDICES:
        _choice(report, name, row, "index", index, INDICES)
    year = _year(cells["year"], name, row, report)
    kind = cells["unit_kind"]
    if kind not in UNIT_KINDS:
        _choice(report, name, row, "unit_kind", kind, UNIT_KINDS)
    elif year is not None:
        _check_unit(kind, cells["unit"], year, name, row, report)
    node = cells["node"]
    if not node:
        report.add("archive.empty", name, row, "node")
    elif index == "PAPI" and year is not None and node != "total" and not _a_mean(kind, node):
        _check_papi_node(node, year, name, row, report)
    value = _number(cells["value"], "value", name, row, report)
    rank = _rank(cells["rank"], name, row, report)
    if not (cells["value"] or cells["rank"] or cells["group"]):
        report.add("archive.no_figure", name, row, "value")
    group = cells["group"]
    if group and index in GROUPS and group not in GROUPS[index]:
        _choice(report, name, row, "group", group, GROUPS[index] or ("",))
    if cells["basis"] not in BASES:
        _choice(report, name, row, "basis", cells["basis"], BASES)
    rank_basis = cells["rank_basis"]
    if (rank is not None or group) and rank_basis not in BASES:
        _choice(report, name, row, "rank_basis", rank_basis, BASES)
    if cells["source"] not in sources:
        report.add("archive.source_unknown", name, row, "source", source=cells["source"])
    if len(report) > before or year is None:
        return None
    return Figure(
        index,
        year,
        kind,
        cells["unit"],
        node,
        value,
        rank,
        group,
        cells["basis"],
        rank_basis,
        cells["source"],
        cells["value"],
    )


def _choice(
    report: ProblemReport, name: str, row: int, column: str, value: str, allowed: tuple[str, ...]
) -> None:
    report.add(
        "framework.bad_choice",
        name,
        row,
        column,
        key=column,
        value=value,
        allowed=", ".join(allowed),
    )


def _year(text: str, name: str, row: int, report: ProblemReport) -> int | None:
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        report.add("archive.bad_year", name, row, "year", value=text)
        return None
    return int(text)


def _check_unit(
    kind: str, unit: str, year: int, name: str, row: int, report: ProblemReport
) -> None:
    if not unit:
        report.add("unit.empty", name, row, "unit")
    elif kind == "province":
        known = PROVINCES_63 if year < REORGANISED_IN else tuple(MERGED_34)
        if unit not in known:
            report.add(
                "archive.unit_unknown",
                name,
                row,
                "unit",
                unit=unit,
                year=year,
                count=len(known),
            )
    elif kind == "region" and unit not in REGIONS:
        _choice(report, name, row, "unit", unit, tuple(REGIONS))


def _a_mean(kind: str, node: str) -> bool:
    """A printed average of the country or a region (``mean``), as the PAR INDEX rows write
    it: not a node of PAPI's tree, and never a province's figure."""
    return node == "mean" and kind in ("nation", "region")


def _check_papi_node(node: str, year: int, name: str, row: int, report: ProblemReport) -> None:
    from chiso.frameworks import get_framework

    edition = PAPI_EDITIONS.get(year)
    if edition is None:
        report.add("archive.bad_year", name, row, "year", value=year)
    elif node not in get_framework(edition).codes:
        report.add("node.unknown", name, row, "node", node=node, framework=edition)


def _number(text: str, column: str, name: str, row: int, report: ProblemReport) -> float | None:
    try:
        return parse_decimal(text, decimal_comma=False)
    except NotANumber:
        report.add("value.not_number", name, row, column, value=text)
        return None


def _rank(text: str, name: str, row: int, report: ProblemReport) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        report.add("archive.bad_rank", name, row, "rank", value=text)
        return None
    return int(text)
