"""The whole archive as open data, in long form: one row per figure and source
(``index, year, unit_kind, unit, region, node, value, rank, group, basis, rank_basis,
source``), as CSV, XLSX or Parquet, with its data dictionary and its list of sources (their
addresses, titles and dates, once each rather than on every row).

Values keep the digits their source printed: the CSV writes the published text itself, XLSX
and Parquet the number that text reads as. Nothing is rounded or recomputed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chiso.archive.model import Archive, Figure
from chiso.i18n import LANGUAGES, gettext_noop, translated
from chiso.tables.records import write_records
from chiso.units.regions import REGION_OF

FORMATS: tuple[str, ...] = ("csv", "xlsx", "parquet")
STEM = "chiso-archive"

_MEANINGS: dict[str, tuple[str, str]] = {
    "index": ("text", gettext_noop("Chỉ số: PAR INDEX, SIPAS hoặc PAPI")),
    "year": ("integer", gettext_noop("Năm được đánh giá (không phải năm công bố)")),
    "unit_kind": (
        "text",
        gettext_noop(
            "Loại đơn vị: province (tỉnh, thành phố), ministry (bộ, ngành), region (vùng), "
            "nation (cả nước)"
        ),
    ),
    "unit": ("text", gettext_noop("Tên đơn vị như khi được đánh giá (63 tỉnh trước 1/7/2025)")),
    "region": ("text", gettext_noop("Vùng kinh tế - xã hội (tỉnh)")),
    "node": (
        "text",
        gettext_noop(
            "Mục: total (chỉ số hoặc tổng điểm), mean (giá trị trung bình), hoặc mã lĩnh vực, "
            "chỉ số nội dung của PAPI (1, 1.1…)"
        ),
    ),
    "value": (
        "number",
        gettext_noop("Giá trị như nguồn công bố; trống khi nguồn chỉ cho thứ hạng"),
    ),
    "rank": ("integer", gettext_noop("Xếp hạng (đồng hạng khi bằng điểm)")),
    "group": (
        "text",
        gettext_noop("Nhóm: A–D của Chỉ số CCHC; 1–4 (nhóm tứ phân vị, 1 cao nhất) của PAPI"),
    ),
    "basis": (
        "text",
        gettext_noop(
            "published: giá trị như nguồn công bố; derived: suy ra từ số liệu công bố "
            "(ví dụ tổng các chỉ số nội dung)"
        ),
    ),
    "rank_basis": (
        "text",
        gettext_noop("published hoặc derived: thứ hạng và nhóm do nguồn công bố hay do chiso tính"),
    ),
    "source": ("text", gettext_noop("Mã nguồn (xem tệp danh sách nguồn)")),
}
COLUMNS: tuple[str, ...] = tuple(_MEANINGS)
SOURCE_COLUMNS: tuple[str, ...] = ("id", "address", "title", "publisher", "date", "licence")


def dictionary() -> list[dict[str, str]]:
    """Name, type and meaning in Vietnamese ("vi") and English ("en") of every column."""
    texts = {
        lang: translated({c: m for c, (_, m) in _MEANINGS.items()}, lang) for lang in LANGUAGES
    }
    return [
        {"name": c, "type": kind, "vi": texts["vi"][c], "en": texts["en"][c]}
        for c, (kind, _) in _MEANINGS.items()
    ]


def rows(archive: Archive, published_text: bool) -> list[list[Any]]:
    """The long-form rows; values as the published text (``published_text``) or as numbers."""
    return [_row(f, published_text) for f in archive.figures]


def _row(f: Figure, published_text: bool) -> list[Any]:
    return [
        f.index,
        f.year,
        f.unit_kind,
        f.unit,
        REGION_OF.get(f.unit, "") if f.unit_kind == "province" else "",
        f.node,
        f.text if published_text else f.value,
        f.rank,
        f.group,
        f.basis,
        f.rank_basis,
        f.source,
    ]


def source_rows(archive: Archive) -> list[list[Any]]:
    return [
        [s.id, s.address, s.title, s.publisher, s.date, s.licence] for s in archive.sources.values()
    ]


def write(archive: Archive, path: str | Path) -> list[Path]:
    """The archive in the format of ``path``'s suffix (.csv, .xlsx or .parquet), written
    atomically, with ``<stem>.dictionary.csv`` and ``<stem>.sources.csv`` beside it (the
    dictionary and the sources also ride in the Parquet file's metadata). Returns the paths."""
    target = Path(path)
    suffix = target.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(suffix)
    columns = dictionary()
    extra = {
        "dictionary": columns,
        "sources": [dict(zip(SOURCE_COLUMNS, r, strict=True)) for r in source_rows(archive)],
    }
    write_records(
        list(COLUMNS),
        rows(archive, published_text=suffix == "csv"),
        target,
        "en",
        extra=extra if suffix == "parquet" else None,
    )
    dictionary_path = target.with_name(f"{target.stem}.dictionary.csv")
    write_records(
        ["name", "type", "vi", "en"],
        [[c["name"], c["type"], c["vi"], c["en"]] for c in columns],
        dictionary_path,
        "en",
    )
    sources_path = target.with_name(f"{target.stem}.sources.csv")
    write_records(list(SOURCE_COLUMNS), source_rows(archive), sources_path, "en")
    return [target, dictionary_path, sources_path]


def dictionary_json() -> str:
    return json.dumps({"columns": dictionary()}, ensure_ascii=False, indent=2)
