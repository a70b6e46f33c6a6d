"""The PDF report of one unit in a cycle: its rank, total, index and group, the change since the
previous cycle, its points per domain against the maximum, the mean and the best, its index
across cycles, and its index among every unit's with 95 % intervals when the results carry
standard errors; each chart followed by its data table. Typeset with Typst like the cycle's
report (:mod:`chiso.reports.pdf`, whose helpers it uses)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from chiso.frameworks.model import Framework
from chiso.i18n import gettext_noop, ngettext, translated
from chiso.numbers import format_number
from chiso.reports import charts
from chiso.reports.pdf import chart, compile_pdf, data_table, preamble, typst_string
from chiso.reports.results_document import cycle_label, unit_record
from chiso.scoring.document import ResultsDocument
from chiso.scoring.ranking import group_name
from chiso.tables.writing import STATUS_CODES
from chiso.tables.writing import labels as table_labels

LABELS = {
    "this_cycle": gettext_noop("Kỳ này"),
    "rank": gettext_noop("Xếp hạng"),
    "rank_of": gettext_noop("{rank} trong {ranked} đơn vị xếp hạng"),
    "total": gettext_noop("Tổng điểm"),
    "index": gettext_noop("Chỉ số (%)"),
    "group": gettext_noop("Nhóm"),
    "status": gettext_noop("Trạng thái"),
    "missing": gettext_noop("Còn thiếu"),
    "change": gettext_noop("Thay đổi so với {label}"),
    "change_index": gettext_noop("chỉ số {delta}"),
    "same": gettext_noop("giữ nguyên hạng {now}"),
    "interval": gettext_noop("Khoảng tin cậy 95% của chỉ số"),
    "domains": gettext_noop("Điểm theo lĩnh vực"),
    "history": gettext_noop("Chỉ số qua các kỳ"),
    "intervals": gettext_noop("Chỉ số của các đơn vị và khoảng tin cậy 95%"),
    "intervals_total": gettext_noop("Tổng điểm của các đơn vị và khoảng tin cậy 95%"),
    "intervals_note": gettext_noop(
        "Khoảng tin cậy 95%: ước lượng ± 1,96 × sai số chuẩn; {unit} được tô màu."
    ),
}


def unit_history(
    doc: ResultsDocument,
    unit: str,
    history: Sequence[charts.HistoryPoint] | None,
    label: str,
    lang: str = "vi",
) -> tuple[list[charts.HistoryPoint], charts.HistoryPoint]:
    """The series for the history chart (earlier cycles, then this one: by year when every
    point has one) and this cycle's point. A point of ``history`` for this cycle itself (same
    label or year) is dropped, so a caller may pass every cycle it knows."""
    name, year = cycle_label(doc, label or translated(LABELS, lang)["this_cycle"])
    if label:
        name = label
    current = charts.history_point(doc, unit, name, year)
    earlier = [
        p for p in history or () if p.label != current.label and (year is None or p.year != year)
    ]
    series = [*earlier, current]
    if all(p.year is not None for p in series):
        series.sort(key=lambda p: p.year or 0)
    return series, current


def _change(
    series: Sequence[charts.HistoryPoint], current: charts.HistoryPoint, lang: str, precision: int
) -> tuple[str, str] | None:
    """(label, text) of the change since the cycle before this one, when both have an index."""
    lab = translated(LABELS, lang)
    position = series.index(current)
    if position == 0 or current.index is None:
        return None
    before = series[position - 1]
    if before.index is None:
        return None
    delta = current.index - before.index
    text = format_number(delta, lang, precision)
    parts = [
        lab["change_index"].format(delta=("+" if delta > 0 and text.strip("0,.") else "") + text)
    ]
    if before.rank and current.rank:
        places = before.rank - current.rank
        ranks = {"places": abs(places), "before": before.rank, "now": current.rank}
        if places > 0:
            moved = ngettext(
                "tăng {places} bậc (từ hạng {before} lên hạng {now})",
                "tăng {places} bậc (từ hạng {before} lên hạng {now})",
                abs(places),
                lang,
            )
        elif places < 0:
            moved = ngettext(
                "giảm {places} bậc (từ hạng {before} xuống hạng {now})",
                "giảm {places} bậc (từ hạng {before} xuống hạng {now})",
                abs(places),
                lang,
            )
        else:
            moved = lab["same"]
        parts.append(moved.format(**ranks))
    return lab["change"].format(label=before.label), "; ".join(parts)


def unit_typst_source(
    doc: ResultsDocument,
    framework: Framework,
    unit: str,
    folder: str | Path,
    title: str,
    lang: str = "vi",
    snapshot: str = "",
    simulated: bool = False,
    history: Sequence[charts.HistoryPoint] | None = None,
    label: str = "",
    history_note: str = "",
) -> str:
    """The unit report's Typst source; the charts are written into ``folder``."""
    lab = translated(LABELS, lang)
    precision = framework.precision
    me = unit_record(doc, unit)
    name = me.unit

    def n(x: float | None) -> str:
        return format_number(x, lang, precision)

    lines = preamble(framework, title, lang, snapshot, simulated)
    lines.append(f'#v(6pt)#align(center, text(size: 18pt, weight: "bold", {typst_string(name)}))')
    series, current = unit_history(doc, name, history, label, lang)
    ranked = (doc.summary.ranked if doc.summary else 0) or len(doc.ranked)
    figures: list[tuple[str, str]] = []
    if me.rank:
        figures.append((lab["rank"], lab["rank_of"].format(rank=me.rank, ranked=ranked)))
    total = n(me.total)
    if me.total is not None and me.max is not None:
        total += f" / {n(me.max)}"
    figures.append((lab["total"], total or "—"))
    figures.append((lab["index"], n(me.index) or "—"))
    index_se = charts.estimates(ResultsDocument(None, (me,)), "index")
    if index_se and index_se[0].interval is not None:
        low, high = index_se[0].interval
        figures.append((lab["interval"], f"{n(low)} – {n(high)}"))
    group = group_name(framework, me.group, lang)
    if group:
        figures.append((lab["group"], group))
    status = me.status
    if status and status != "complete" and status in STATUS_CODES:
        figures.append((lab["status"], table_labels(lang)[status]))
    if me.missing:
        figures.append((lab["missing"], "; ".join(me.missing)))
    change = _change(series, current, lang, precision)
    if change is not None:
        figures.append(change)
    cells = ", ".join(f"[*#{typst_string(k)}*], {typst_string(v)}" for k, v in figures)
    lines.append(
        f"#block(width: 100%, inset: 8pt, fill: luma(245), grid(columns: (auto, 1fr), "
        f"column-gutter: 12pt, row-gutter: 6pt, {cells}))"
    )

    bars = charts.domain_bars(doc, framework, name, lang)
    lines += chart(
        folder,
        "domains",
        charts.domain_bars_svg(bars, lang, precision=precision, show_title=False),
        lab["domains"],
        charts.domain_bars_table(bars, lang, precision=precision),
    )
    if sum(1 for p in series if p.index is not None) >= 2:
        lines += chart(
            folder,
            "history",
            charts.history_svg(series, lang, subject=name, precision=precision, show_title=False),
            lab["history"],
            charts.history_table(series, lang, subject=name, precision=precision),
            max_height_cm=9,
        )
        if history_note:
            lines.append(f"#text(size: 8pt, {typst_string(history_note)})")
    measure = "index"
    estimates = charts.estimates(doc, "index")
    if not estimates:
        measure, estimates = "total", charts.estimates(doc, "total")
    if any(e.unit == name for e in estimates):
        summary = doc.summary
        mean = summary.mean if summary is not None and summary.on == measure else None
        lines += chart(
            folder,
            "intervals",
            charts.caterpillar_svg(
                estimates, lang, highlight=name, mean=mean, precision=precision, show_title=False
            ),
            lab["intervals"] if measure == "index" else lab["intervals_total"],
            None,
        )
        lines.append(f"#text(size: 8pt, {typst_string(lab['intervals_note'].format(unit=name))})")
        lines.append(
            data_table(charts.caterpillar_table(estimates, lang, precision=precision), "8pt")
        )
    return "\n".join(lines) + "\n"


def write_unit_pdf(
    doc: ResultsDocument,
    framework: Framework,
    unit: str,
    path: str | Path,
    title: str,
    lang: str = "vi",
    snapshot: str = "",
    simulated: bool = False,
    history: Sequence[charts.HistoryPoint] | None = None,
    label: str = "",
    history_note: str = "",
) -> None:
    """Typeset the unit's report and write it atomically (nothing is written when the unit is
    not in ``doc``: :class:`chiso.reports.results_document.UnitNotFound`).

    ``history``: the unit's points in earlier cycles (see :func:`charts.history_point`);
    ``label``: this cycle's label in the history (default: the snapshot's year, else "this
    cycle"); ``history_note``: printed under the history (how re-based points were made)."""
    unit_record(doc, unit)
    with tempfile.TemporaryDirectory() as folder:
        source = unit_typst_source(
            doc,
            framework,
            unit,
            folder,
            title,
            lang,
            snapshot,
            simulated,
            history,
            label,
            history_note,
        )
        compile_pdf(folder, source, path)
