"""The PDF report of a published cycle, typeset with Typst (a typesetting engine shipped as a
Python wheel): title, the simulated-data warning where it applies, the tile map for provinces,
the ranking table and the summary, the mean points per domain and, where the results carry
standard errors, every unit's index with its 95 % interval; Vietnamese text with a decimal
comma. The helpers here (preamble, charts with their data tables, atomic compilation) are
shared with :mod:`chiso.reports.unit_pdf`."""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from chiso.frameworks.model import Framework
from chiso.i18n import gettext_noop, translated
from chiso.numbers import format_number
from chiso.reports import charts
from chiso.reports.annex import annex_rows
from chiso.reports.decision import decision_line, decision_of
from chiso.reports.tilemap import group_colours, layout_for, tile_map_svg
from chiso.scoring.document import ResultsDocument
from chiso.tables.atomic import atomic_target

FONT_DIR = Path(__file__).parent / "fonts"
"""The fonts a report is set in, shipped with chiso (Noto Sans, SIL Open Font License 1.1;
see fonts/OFL.txt and NOTICE). Typst is given these and nothing of the machine's: a machine
with DejaVu Sans (it comes with R and Chromium on Debian) would otherwise set the same report
in another face, and the charts' widths and the PDF's fonts would depend on where it ran."""
FONTS = ("Noto Sans",)

LABELS = {
    "rank": gettext_noop("Xếp hạng"),
    "unit": gettext_noop("Đơn vị"),
    "total": gettext_noop("Tổng điểm"),
    "index": gettext_noop("Chỉ số (%)"),
    "group": gettext_noop("Nhóm"),
    "simulated": gettext_noop("DỮ LIỆU MÔ PHỎNG: không phải kết quả thật"),
    "mean": gettext_noop("Giá trị trung bình"),
    "ranked": gettext_noop("Số đơn vị xếp hạng"),
    "snapshot": gettext_noop("Bản công bố"),
    "basis": gettext_noop("Căn cứ"),
    "means": gettext_noop("Điểm trung bình theo lĩnh vực"),
    "intervals": gettext_noop("Chỉ số và khoảng tin cậy 95%"),
    "intervals_note": gettext_noop("Khoảng tin cậy 95%: ước lượng ± 1,96 × sai số chuẩn."),
}


def typst_string(value: object) -> str:
    """A Typst string literal (content is set from strings, never interpreted as markup)."""
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


_text = typst_string


def preamble(
    framework: Framework, title: str, lang: str, snapshot: str = "", simulated: bool = False
) -> list[str]:
    """Page and font settings, the title, the legal basis, the snapshot and the simulated-data
    warning: the top of every report."""
    lab = translated(LABELS, lang)
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
    return lines


def data_table(table: charts.DataTable, size: str = "9pt") -> str:
    """A chart's data table, its header repeated on every page it spans."""
    columns = ", ".join("auto" if numeric else "1fr" for numeric in table.numeric)
    if all(table.numeric):
        columns = ", ".join("auto" for _ in table.numeric)
    align = ", ".join("right" if numeric else "left" for numeric in table.numeric)
    header = ", ".join(f"[*#{_text(h)}*]" for h in table.headers)
    cells = ", ".join(_text(cell) for row in table.rows for cell in row)
    return (
        f"#text(size: {size}, table(columns: ({columns},), align: ({align},), inset: 4pt, "
        f"stroke: 0.5pt + luma(170), table.header({header}), {cells}))"
    )


TEXT_WIDTH_CM = 17.8  # A4 less two margins of 1.6 cm


def chart(
    folder: str | Path,
    name: str,
    svg: str,
    heading: str,
    table: charts.DataTable | None = None,
    max_height_cm: float = 23.0,
    table_size: str = "9pt",
) -> list[str]:
    """Typst lines for a chart: a heading, the SVG (written into ``folder``, scaled to the
    text width or to ``max_height_cm``) with its title as the image's alternative text, and its
    data table."""
    Path(folder, f"{name}.svg").write_text(svg, encoding="utf-8")
    size = re.search(r'<svg[^>]* width="([\d.]+)" height="([\d.]+)"', svg)
    width = TEXT_WIDTH_CM
    if size:
        width = min(width, max_height_cm * float(size.group(1)) / float(size.group(2)))
    alt = re.search(r"<title[^>]*>([^<]*)</title>", svg)
    lines = [
        f"#heading(level: 2, {_text(heading)})",
        f"#align(center, image({_text(name + '.svg')}, width: {width:.2f}cm, "
        f"alt: {_text(html.unescape(alt.group(1)) if alt else heading)}))",
    ]
    if table is not None:
        lines.append(data_table(table, table_size))
    return lines


def compile_pdf(folder: str | Path, source: str, path: str | Path) -> None:
    """Typeset ``source`` (with the files it names in ``folder``) and write the PDF atomically."""
    import typst

    typ = Path(folder) / "report.typ"
    typ.write_text(source, encoding="utf-8")
    pdf = typst.compile(
        str(typ), root=str(folder), font_paths=[str(FONT_DIR)], ignore_system_fonts=True
    )
    with atomic_target(path) as tmp:
        Path(tmp).write_bytes(pdf)


def typst_source(
    doc: ResultsDocument,
    framework: Framework,
    title: str,
    lang: str,
    snapshot: str = "",
    simulated: bool = False,
    map_file: str = "",
    extra: Sequence[str] = (),
) -> str:
    """The report's Typst source; ``extra`` lines (charts) follow the ranking table."""
    lab = translated(LABELS, lang)

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
    summary = doc.summary
    lines = preamble(framework, title, lang, snapshot, simulated)
    decision = decision_line(decision_of(doc), lang)
    if decision:  # the decision that issued these results, under the title like the annexes'
        lines.insert(4, f"#align(center, text(size: 10pt, {_text(decision)}))")
    ranked = "" if summary is None else str(summary.ranked)
    counts = f"{lab['ranked']}: {ranked} · {lab['mean']}: "
    lines.append(f"#text({_text(counts + n(None if summary is None else summary.mean))})")
    if map_file:
        lines.append(f"#align(center, image({_text(map_file)}, width: 45%))")
    header = ", ".join(f"[*#{_text(lab[k])}*]" for k in ("rank", "unit", "total", "index", "group"))
    lines.append(
        "#table(columns: (auto, 1fr, auto, auto, auto), align: (right, left, right, "
        f"right, left), {header}, {', '.join(cells)})"
    )
    lines += extra
    return "\n".join(lines) + "\n"


def cycle_charts(
    doc: ResultsDocument, framework: Framework, folder: str | Path, lang: str
) -> list[str]:
    """The per-cycle charts: the mean points per domain (when some unit is ranked) and every
    unit's index with its 95 % interval (when the units carry ``index_se``)."""
    lab = translated(LABELS, lang)
    lines: list[str] = []
    precision = framework.precision
    if framework.domains and doc.ranked:
        means = charts.domain_means(doc, framework, lang)
        svg = charts.domain_bars_svg(means, lang, precision=precision, show_title=False)
        table = charts.domain_bars_table(means, lang, precision=precision)
        lines += chart(folder, "means", svg, lab["means"], table)
    estimates = charts.estimates(doc, "index")
    if estimates:
        summary = doc.summary
        mean = summary.mean if summary is not None and summary.on == "index" else None
        svg = charts.caterpillar_svg(
            estimates, lang, mean=mean, precision=precision, show_title=False
        )
        lines += chart(folder, "intervals", svg, lab["intervals"])
        lines.append(f"#text(size: 8pt, {_text(lab['intervals_note'])})")
        lines.append(
            data_table(charts.caterpillar_table(estimates, lang, precision=precision), "8pt")
        )
    return lines


def write_pdf(
    doc: ResultsDocument,
    framework: Framework,
    path: str | Path,
    title: str,
    lang: str = "vi",
    snapshot: str = "",
    simulated: bool = False,
) -> None:
    """Typeset the report and write it atomically."""
    with tempfile.TemporaryDirectory() as folder:
        map_file = ""
        year = None if doc.cycle is None else doc.cycle.year
        tiles = layout_for(doc.names, year)
        if tiles is not None and framework.groups is not None:
            svg = tile_map_svg(group_colours(doc, framework), {}, title, tiles=tiles)
            Path(folder, "map.svg").write_text(svg, "utf-8")
            map_file = "map.svg"
        extra = cycle_charts(doc, framework, folder, lang)
        source = typst_source(doc, framework, title, lang, snapshot, simulated, map_file, extra)
        compile_pdf(folder, source, path)
