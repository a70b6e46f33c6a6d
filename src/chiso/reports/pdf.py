"""The PDF report of a published cycle, typeset with Typst (a typesetting engine shipped as a
Python wheel): title, the simulated-data warning where it applies, the tile map for provinces,
the ranking table and the summary; Vietnamese text with a decimal comma."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from chiso.frameworks.model import QUARTILE_GROUPS, Framework
from chiso.numbers import format_number
from chiso.reports.annex import annex_rows
from chiso.reports.tilemap import PALETTE, TILES_63, tile_map_svg
from chiso.tables.atomic import atomic_target

FONTS = ("Noto Sans", "DejaVu Sans", "Libertinus Serif")  # the first present is used

LABELS = {
    "vi": {
        "rank": "Xếp hạng",
        "unit": "Đơn vị",
        "total": "Tổng điểm",
        "index": "Chỉ số (%)",
        "group": "Nhóm",
        "simulated": "DỮ LIỆU MÔ PHỎNG: không phải kết quả thật",
        "mean": "Giá trị trung bình",
        "ranked": "Số đơn vị xếp hạng",
        "snapshot": "Bản công bố",
        "basis": "Căn cứ",
    },
    "en": {
        "rank": "Rank",
        "unit": "Unit",
        "total": "Total",
        "index": "Index (%)",
        "group": "Group",
        "simulated": "SIMULATED DATA: not real results",
        "mean": "Mean",
        "ranked": "Ranked units",
        "snapshot": "Snapshot",
        "basis": "Basis",
    },
}


def _text(value: object) -> str:
    """A Typst string literal (content is set from strings, never interpreted as markup)."""
    escaped = str(value).replace("\\\\", "\\\\\\\\").replace('"', '\\\\"')
    return f'"{escaped}"'


def typst_source(
    doc: dict[str, Any],
    framework: Framework,
    title: str,
    lang: str,
    snapshot: str = "",
    simulated: bool = False,
    map_file: str = "",
) -> str:
    lab = LABELS[lang]

    def n(x: float | None) -> str:
        return format_number(x, lang, framework.precision)

    rows = annex_rows(doc, framework, lang)
    cells = []
    for r in rows:
        cells += [
            _text(r.rank or ""),
            _text(r.unit),
            _text(n(r.total)),
            _text(n(r.index)),
            _text(r.group),
        ]
    summary = doc.get("summary", {})
    lines = [
        '#set page(paper: "a4", margin: 1.6cm, numbering: "1")',
        f'#set text(font: ({", ".join(_text(f) for f in FONTS)}), size: 10pt, lang: "{lang}")',
        f'#align(center, text(size: 15pt, weight: "bold", {_text(title)}))',
        f"#align(center, text(size: 9pt, {_text(lab['basis'] + ': ' + framework.legal_basis)}))",
    ]
    if snapshot:
        lines.append(f"#align(center, text(size: 8pt, {_text(lab['snapshot'] + ' ' + snapshot)}))")
    if simulated:
        lines.append(
            f'#block(fill: rgb("#fff3cd"), inset: 6pt, width: 100%, '
            f'text(weight: "bold", {_text(lab["simulated"])}))'
        )
    counts = f"{lab['ranked']}: {summary.get('ranked', '')} · {lab['mean']}: "
    lines.append(f"#text({_text(counts + n(summary.get('mean')))})")
    if map_file:
        lines.append(f"#align(center, image({_text(map_file)}, width: 45%))")
    header = ", ".join(f"[*#{_text(lab[k])}*]" for k in ("rank", "unit", "total", "index", "group"))
    lines.append(
        "#table(columns: (auto, 1fr, auto, auto, auto), align: (right, left, right, "
        f"right, left), {header}, {', '.join(cells)})"
    )
    return "\n".join(lines) + "\n"


def write_pdf(
    doc: dict[str, Any],
    framework: Framework,
    path: str | Path,
    title: str,
    lang: str = "vi",
    snapshot: str = "",
    simulated: bool = False,
) -> None:
    """Typeset the report and write it atomically."""
    import typst

    with tempfile.TemporaryDirectory() as folder:
        map_file = ""
        if any(u["unit"] in TILES_63 for u in doc["units"]) and framework.groups is not None:
            bands = framework.groups.bands or QUARTILE_GROUPS
            palette = {b.code: PALETTE[min(i, len(PALETTE) - 2)] for i, b in enumerate(bands)}
            colours = {u["unit"]: palette[u["group"]] for u in doc["units"] if u.get("group")}
            Path(folder, "map.svg").write_text(tile_map_svg(colours, {}, title), "utf-8")
            map_file = "map.svg"
        source = Path(folder) / "report.typ"
        source.write_text(
            typst_source(doc, framework, title, lang, snapshot, simulated, map_file),
            encoding="utf-8",
        )
        pdf = typst.compile(str(source), root=folder)
        with atomic_target(path) as tmp:
            Path(tmp).write_bytes(pdf)
