"""The public pages of the archive: its index (coverage, sources, downloads), a page per
province across the three indices, and the open-data files. Every page is rendered once per
loaded archive (its digest), language and province, and served from the cache after that."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from chiso.archive import Archive
from chiso.archive.compare import MAX_PROVINCES, MIN_PROVINCES, Cell, Line, chosen, compare
from chiso.archive.facts import SCALE_FROM, TOP_GROUP, Facts, year_spans
from chiso.archive.loading import PAPI_EDITIONS
from chiso.archive.model import INDICES, Figure
from chiso.archive.province import IndexSeries, ProvincePage, province_names, province_page
from chiso.archive.year_by_year import PRECISION, YearEntry, group_label, node_label
from chiso.frameworks import get_framework
from chiso.numbers import format_number
from chiso.reports import charts
from chiso.scoring.rebase import method_note
from chiso.units.provinces import MERGED_34, PROVINCES_63
from chiso.units.regions import REGIONS
from chiso.web.accounts import policy
from chiso.web.archive import store
from chiso.web.core import feedback, kept, pagecache
from chiso.web.core.kept import site_revision
from chiso.web.core.pagecache import Made

FILES: dict[str, tuple[str, str]] = {
    # kind: (file name, content type)
    "csv": ("chiso-archive.csv", "text/csv; charset=utf-8"),
    "xlsx": (
        "chiso-archive.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "parquet": ("chiso-archive.parquet", "application/vnd.apache.parquet"),
    "dictionary": ("chiso-archive.dictionary.csv", "text/csv; charset=utf-8"),
    "sources": ("chiso-archive.sources.csv", "text/csv; charset=utf-8"),
}


def _loaded(request: HttpRequest) -> tuple[str, Archive] | None:
    if not policy.can_see_archive(request.user):
        raise Http404
    return store.current()


def _digest(request: HttpRequest) -> str | None:
    """The loaded archive's digest (None when none is loaded), for a page's key: the archive
    itself is read only when the page is made."""
    if not policy.can_see_archive(request.user):
        raise Http404
    return store.loaded_sha()


def _made(
    request: HttpRequest,
    sha: str,
    kind: str,
    parts: tuple[object, ...],
    body: Callable[[Archive], str],
    context: dict[str, Any],
) -> Made[HttpResponse]:
    """An archive page made: its body (kept per loaded archive, ``kind`` and ``parts``) in
    archive/page.html. An archive loaded since ``sha`` was read is the one shown, and the page
    counts as a fallback (kept only briefly under the older digest)."""
    current = store.current()
    if current is None:  # the archive was emptied meanwhile
        raise Http404
    now, archive = current
    key = pagecache.key(kind, now, *parts, site_revision())
    made = pagecache.get_or_make(key, lambda: Made(body(archive)))
    page = render(request, "archive/page.html", {"body": mark_safe(made.value), **context})
    return Made(page, made.fallback or now != sha)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    lang = feedback.lang()
    sha = _digest(request)
    if sha is None:
        return render(request, "archive/empty.html", {})
    return kept.page(
        request,
        pagecache.key("archive-index", sha, lang),
        lambda: _made(request, sha, "archive-index", (lang,), lambda a: _index_body(a, lang), {}),
    )


def _index_body(archive: Archive, lang: str) -> str:
    used = {f.source for f in archive.figures}
    return render_to_string(
        "archive/index_body.html",
        {
            "regions": [(r, list(ps)) for r, ps in REGIONS.items()],
            "new": [(n, parts) for n, parts in MERGED_34.items()],
            "tables": [
                {
                    "index": t.index,
                    "years": t.years,
                    "unit_kind": t.unit_kind,
                    "coverage": t.coverage,
                    "note": t.note_in(lang),
                    "sources": t.sources,
                }
                for t in archive.tables
            ],
            "sources": [s for s in archive.sources.values() if s.id in used],
            "disputes": [_dispute(rows, lang) for rows in archive.disputes.values()],
            "ministries": _others(archive, ("ministry",), lang),
            "means": _others(archive, ("nation", "region"), lang),
            "count": len(archive.figures),
            "LANGUAGE_CODE": lang,
        },
    )


def _others(archive: Archive, kinds: tuple[str, ...], lang: str) -> list[dict[str, Any]]:
    """The figures of units that have no page (ministries, the nation, the regions), by index,
    year and rank: one row per unit, year and source, its parts beside its headline (a
    ministry's appraised and survey points, where the table prints them)."""
    rows = [f for f in archive.figures if f.unit_kind in kinds]
    rows.sort(key=lambda f: (f.index, f.year, f.rank or 999, f.unit))
    parts: dict[tuple[str, int, str, str], dict[str, Figure]] = {}
    for f in rows:
        parts.setdefault((f.index, f.year, f.unit, f.source), {})[f.node] = f
    out = []
    for f in rows:
        if f.node in PARTS:
            continue
        mine = parts[(f.index, f.year, f.unit, f.source)]
        out.append(
            {
                "index": f.index,
                "year": f.year,
                "unit": f.unit,
                "value": _shown(f.value, f.text, f.index, lang),
                **{
                    node: _shown(mine[node].value, mine[node].text, f.index, lang)
                    if node in mine
                    else ""
                    for node in PARTS
                },
                "rank": f.rank,
                "source": f.source,
            }
        )
    return out


PARTS = ("appraised", "survey")
"""Nodes printed beside a ministry's headline: the appraised self-assessment and the survey."""


def _dispute(rows: tuple[Figure, ...], lang: str) -> dict[str, Any]:
    first = rows[0]
    return {
        "index": first.index,
        "year": first.year,
        "unit": first.unit,
        "node": node_label(first.index, first.year, first.node, lang),
        "province": first.unit_kind == "province",
        "versions": [(_shown(f.value, f.text, f.index, lang), f.rank, f.source) for f in rows],
    }


@require_safe
def province(request: HttpRequest, name: str) -> HttpResponse:
    lang = feedback.lang()
    sha = _digest(request)
    if sha is None or name not in province_names():
        raise Http404
    return kept.page(
        request,
        pagecache.key("archive-province", sha, lang, name),
        lambda: _made(
            request,
            sha,
            "archive-province",
            (lang, name),
            lambda a: _province_body(a, name, lang),
            {"title": name},
        ),
    )


def _province_body(archive: Archive, name: str, lang: str) -> str:
    page = province_page(archive, name)
    sections = [_section(archive, page, s, lang) for s in page.indices]
    used = {src for s in page.indices for e in s.entries for src in e.sources}
    return render_to_string(
        "archive/province_body.html",
        {
            "page": page,
            "years": _side_by_side(page, lang),
            "sections": sections,
            "rebased": [_rebased(index, rows, lang) for index, rows in page.rebased],
            "dimensions": _papi_dimensions(archive, name, lang) if page.former else None,
            "rebased_note": method_note("mean", "", lang) if page.rebased else "",
            "sources": [s for code, s in archive.sources.items() if code in used],
            "compare_url": f"{reverse('archive:compare')}?{urlencode([('p', name)])}",
            "LANGUAGE_CODE": lang,
        },
    )


def _papi_dimensions(archive: Archive, name: str, lang: str) -> dict[str, Any] | None:
    """The province's PAPI dimension scores year by year (each out of 10), from the whole
    tables: the headings are the dimensions of the latest edition (the six of 2011-2017 keep
    their numbers; environmental governance and e-governance are counted from 2018)."""
    by_year: dict[int, dict[str, Figure]] = {}
    for f in archive.of(name):
        if (
            f.index == "PAPI"
            and "." not in f.node
            and f.node != "total"
            and f.source in archive.whole_sources("PAPI", f.year)
        ):
            by_year.setdefault(f.year, {})[f.node] = f
    if not by_year:
        return None
    latest = get_framework(PAPI_EDITIONS[max(by_year)])
    codes = [n.code for n in latest.nodes]
    return {
        "headers": [(c, latest.node(c).name_in(lang)) for c in codes],
        "rows": [
            {
                "year": year,
                "cells": [
                    _shown(cells[c].value, cells[c].text, "PAPI", lang) if c in cells else ""
                    for c in codes
                ],
                "derived": any(f.basis == "derived" for f in cells.values()),
            }
            for year, cells in sorted(by_year.items())
        ],
    }


def _shown(value: float | None, text: str, index: str, lang: str) -> str:
    """A value with the decimals its source prints (at most the index's ranking precision),
    a decimal comma in Vietnamese: display only, the stored figure keeps every digit."""
    if value is None:
        return ""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return format_number(value, lang, min(decimals, PRECISION.get(index, 2)))


def _value(entry: YearEntry, index: str, lang: str) -> str:
    if entry.disputed:
        return " / ".join(  # each printed figure once, however many sources print it
            dict.fromkeys(
                _shown(f.value, f.text, index, lang) for f in entry.versions if f.value is not None
            )
        )
    figure = next((f for f in entry.versions if f.value is not None), None)
    return _shown(entry.value, figure.text if figure else "", index, lang)


def _side_by_side(page: ProvincePage, lang: str) -> list[dict[str, Any]]:
    years = sorted({e.year for s in page.indices for e in s.entries})
    by = {(s.index, e.year): e for s in page.indices for e in s.entries}
    out = []
    for year in years:
        cells = []
        for index in INDICES:
            e = by.get((index, year))
            cells.append(
                {
                    "value": _value(e, index, lang) if e else "",
                    "rank": e.rank if e else None,
                    "rank_derived": bool(e and e.rank is not None and e.rank_basis == "derived"),
                    "derived": bool(e and e.basis == "derived"),
                    "region_rank": e.region_rank if e else None,
                }
            )
        out.append({"year": year, "cells": cells})
    return out


def _section(archive: Archive, page: ProvincePage, s: IndexSeries, lang: str) -> dict[str, Any]:
    # one chart per scale: PAPI's total is out of 60 until 2017 and out of 80 from 2018, and a
    # line across the change would draw a rise that is only the new scale
    start = SCALE_FROM.get(s.index)
    spans = [(None, start), (start, None)] if start else [(None, None)]
    svgs = []
    for low, high in spans:
        points = [
            charts.HistoryPoint(str(e.year), e.value, e.rank, e.year)
            for e in s.entries
            if (low is None or e.year >= low) and (high is None or e.year < high)
        ]
        if len([p for p in points if p.index is not None]) > 1:
            years = f"{points[0].year}–{points[-1].year}"
            svgs.append(
                mark_safe(
                    charts.history_svg(
                        points,
                        lang,
                        title=f"{s.index} {years} — {page.name}",
                        precision=PRECISION[s.index],
                        note=_chart_note(s.index, low, lang),
                    )
                )
            )
    rows = [
        {
            "year": e.year,
            "value": _value(e, s.index, lang),
            "rank": e.rank,
            "region_rank": e.region_rank,
            "region_size": e.region_size,
            "group": group_label(s.index, e.year, e.group, lang),
            "derived": e.basis == "derived",
            "rank_derived": e.rank_basis == "derived",
            "disputed": e.disputed,
            "sources": e.sources,
            "whole": archive.whole(s.index, e.year),
        }
        for e in s.entries
    ]
    return {
        "index": s.index,
        "anchor": s.index.lower().replace(" ", "-"),
        "rows": rows,
        "facts": _facts(s.facts, s.index, lang),
        "svgs": svgs,
    }


def _chart_note(index: str, since: int | None, lang: str) -> str:
    """What a chart's values are: PAPI's total in points on that period's scale (6–60 until
    2017, 8–80 from 2018), never %; the PAR INDEX and SIPAS in %."""
    if index != "PAPI":
        return ""
    scale = 80 if since is not None and since >= SCALE_FROM["PAPI"] else 60
    del lang  # the page's language is active: Django's catalogue of the app
    return gettext(
        "Tổng điểm PAPI (điểm, tối đa {scale}) ghi cạnh mỗi điểm; thứ hạng (do chiso tính) ghi "
        "dưới năm"
    ).format(scale=scale)


def _facts(f: Facts, index: str, lang: str) -> dict[str, Any]:
    def years(ys: tuple[int, ...]) -> str:
        return ", ".join(str(y) for y in ys)

    top = TOP_GROUP.get(index)
    return {
        "first": years(f.first),
        "first_count": len(f.first),
        "top_group_run": years(f.top_group_run),
        "top_group_count": len(f.top_group_run),
        "top_group_name": group_label(index, max(f.years), top, lang) if top and f.years else "",
        "top_group_known": year_spans(f.top_group_known),
        "top_group_unknown": year_spans(f.top_group_unknown),
        "has_top_group": top is not None,
        "rank_unknown": year_spans(f.rank_unknown),
        "top_five_run": years(f.top_five_run),
        "top_five_count": len(f.top_five_run),
        "mean": format_number(f.mean, lang, PRECISION[index]) if f.mean is not None else "",
        "mean_years": years(f.mean_years),
        "best": f.best,
        "worst": f.worst,
        "lowest": f.lowest,
        "lowest_value": format_number(f.lowest.value, lang, PRECISION[index])
        if f.lowest is not None and f.lowest.value is not None
        else "",
        "ranks_derived": f.ranks_derived,
        "groups_derived": f.groups_derived,
        "any": bool(f.years),
    }


def _rebased(index: str, rows: Any, lang: str) -> dict[str, Any]:
    return {
        "index": index,
        "rows": [
            {
                "year": r.year,
                "value": format_number(r.unit.value, lang, PRECISION[index])
                if r.unit.value is not None
                else "",
                "rank": r.unit.rank,
                "parts": [
                    (p, format_number(v, lang, PRECISION[index]) if v is not None else "—")
                    for p, v in r.unit.parts
                ],
            }
            for r in rows
        ],
    }


@require_safe
def download(request: HttpRequest, kind: str) -> HttpResponse:
    """The whole archive as open data: stable addresses, one file per kind."""
    current = _loaded(request)
    if current is None or kind not in FILES:
        raise Http404
    sha, archive = current
    # the CSV (3.4 MB) is sent compressed (about 0.3 MB) to every client that accepts gzip
    gzipped = kind == "csv" and "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    data = store.file_bytes(sha, archive, kind, gzipped)
    name, content_type = FILES[kind]
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    patch_vary_headers(response, ["Accept-Encoding"])
    if gzipped:
        response["Content-Encoding"] = "gzip"
    return response


def _compare_names(request: HttpRequest) -> tuple[list[str], bool]:
    """The provinces asked for (``?p=…`` up to four times) that have a page, and whether the
    request can be shown (no unknown name, no more than four; one name only fills the form, as
    a province's page links to it)."""
    asked = [n.strip() for n in request.GET.getlist("p")[:20] if n.strip()]
    names = chosen(asked)
    ok = len(names) == len(dict.fromkeys(asked)) and len(names) <= MAX_PROVINCES
    return names[:MAX_PROVINCES], ok


@require_safe
def compare_page(request: HttpRequest) -> HttpResponse:
    """Two to four provinces (the 63 or the 34) across the three indices and the years: a chart
    and its data table per index, a link to the same figures as CSV, and the regional means
    beside them where published. The address names the provinces, so a comparison is linkable."""
    lang = feedback.lang()
    sha = _digest(request)
    if sha is None:
        return render(request, "archive/empty.html", {})
    names, ok = _compare_names(request)
    shown = names if ok and len(names) >= MIN_PROVINCES else []
    # the form shows the names asked for even when no comparison is (one name, from a
    # province's page): the page is keyed by them, not only by the provinces compared
    parts = (lang, ok, len(names), *names)
    return kept.page(
        request,
        pagecache.key("archive-compare", sha, *parts),
        lambda: _made(
            request,
            sha,
            "archive-compare",
            parts,
            lambda a: _compare_body(a, names, shown, ok, lang),
            {"title": gettext("So sánh các tỉnh, thành phố")},
        ),
    )


def _compare_body(archive: Archive, names: list[str], shown: list[str], ok: bool, lang: str) -> str:
    from chiso.reports.compare_chart import Series, compare_svg

    sections = []
    for c in compare(archive, shown) if shown else []:
        if not c.years:
            continue
        lines = [*c.provinces, *c.regions]
        svg = compare_svg(
            [
                Series(
                    _line_label(line),
                    {y: cell.value for y, cell in line.cells.items()},
                    reference=line.kind == "region",
                )
                for line in lines
            ],
            c.years,
            lang,
            title=f"{c.index}: " + ", ".join(shown),
            note=_compare_note(c.index, lang),
            precision=PRECISION[c.index],
        )
        # the table's body is written here (a comparison has some 150 cells: the template's
        # tags for each were a third of its CPU); a year is an integer, printed as the
        # template printed it (no thousands separator)
        rows = mark_safe(
            "".join(
                f'<tr><th scope="row">{int(year)}</th>'
                + "".join(
                    f'<td class="num">{_cell_html(line.cells.get(year), c.index, lang)}</td>'
                    for line in lines
                )
                + "</tr>"
                for year in c.years
            )
        )
        sections.append(
            {
                "index": c.index,
                "anchor": c.index.lower().replace(" ", "-"),
                "svg": mark_safe(svg),
                "heads": [_line_label(line) for line in lines],
                "rows": rows,
                "papi": c.index == "PAPI",
            }
        )
    query = urlencode([("p", n) for n in shown])
    return render_to_string(
        "archive/compare_body.html",
        {
            "slots": [
                (i + 1, *_options(names[i] if i < len(names) else "")) for i in range(MAX_PROVINCES)
            ],
            "shown": shown,
            "ok": ok,
            "sections": sections,
            "csv": f"{reverse('archive:compare-csv')}?{query}" if shown else "",
            "merged": [n for n in shown if len(MERGED_34.get(n, ())) > 1],
            "LANGUAGE_CODE": lang,
        },
    )


@lru_cache(maxsize=256)
def _options(current: str) -> tuple[SafeString, SafeString]:
    """The options of a slot of the comparison's form, ``current`` selected: the 63 former
    provinces, then the new names of the 34. Written here, once per selected name, rather than
    by the template: four lists of some 90 names, each escaped and compared, were two thirds of
    a comparison's CPU once its figures were kept (the names are the same in every language;
    at most one entry per name, and "")."""

    def options(names: Iterable[str]) -> SafeString:
        return mark_safe(
            "".join(
                f'<option value="{escape(n)}"{" selected" if n == current else ""}>'
                f"{escape(n)}</option>"
                for n in names
            )
        )

    return options(PROVINCES_63), options(n for n in MERGED_34 if n not in PROVINCES_63)


def _compare_note(index: str, lang: str) -> str:
    del lang  # the page's language is active
    if index == "PAPI":
        return gettext(
            "Tổng điểm PAPI (điểm, tối đa 60 đến 2017 và 80 từ 2018; không phải phần trăm)"
        )
    return gettext("{index} (%)").format(index=index)


def _line_label(line: Line) -> str:
    """A compared line as the chart's legend and the table's heading name it."""
    if line.kind == "province":
        return line.name
    return gettext("Trung bình vùng {region}").format(region=line.name)


def _cell_html(found: Cell | None, index: str, lang: str) -> SafeString:
    """A cell of a comparison's table as its HTML: the value, a star when chiso derived it,
    and the national rank, starred likewise."""
    cell = _compare_cell(found, index, lang)
    rank = f" ({cell['rank']}{'*' if cell['rank_mark'] else ''})" if cell["rank"] else ""
    return mark_safe(f"{escape(cell['value'])}{'*' if cell['mark'] else ''}{rank}")


def _compare_cell(cell: Cell | None, index: str, lang: str) -> dict[str, Any]:
    if cell is None:
        return {"value": "", "rank": None, "mark": False, "rank_mark": False, "disputed": False}
    if cell.disputed:
        value = " / ".join(dict.fromkeys(_shown(v, t, index, lang) for v, t in cell.printed))
    elif cell.value is not None:
        text = next((t for v, t in cell.printed), "")
        value = (
            _shown(cell.value, text, index, lang)
            if text
            else format_number(cell.value, lang, PRECISION[index])
        )
    else:
        value = ""
    return {
        "value": value,
        "rank": cell.rank,
        "mark": cell.derived and bool(value),
        "rank_mark": cell.rank_derived,
        "disputed": cell.disputed,
    }


@require_safe
def compare_csv(request: HttpRequest) -> HttpResponse:
    """The comparison's figures as CSV: one row per index, year and line (a province or a
    region's published mean), the printed values where sources disagree, and whether the value
    and the rank are published or computed by chiso."""
    import csv
    import io

    from chiso.tables.formulas import csv_row

    current = _loaded(request)
    names, ok = _compare_names(request)
    if current is None or not ok or len(names) < MIN_PROVINCES:
        raise Http404
    _, archive = current
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "index",
            "year",
            "unit",
            "kind",
            "value",
            "printed",
            "rank",
            "basis",
            "rank_basis",
            "sources",
        ]
    )
    for c in compare(archive, names):
        for line in (*c.provinces, *c.regions):
            for year, cell in sorted(line.cells.items()):
                writer.writerow(
                    csv_row(
                        [
                            c.index,
                            year,
                            line.name,
                            "province" if line.kind == "province" else "region_mean",
                            "" if cell.value is None else repr(round(cell.value, 6)),
                            " / ".join(dict.fromkeys(t for _, t in cell.printed)),
                            "" if cell.rank is None else cell.rank,
                            "derived" if cell.derived else "published",
                            ("derived" if cell.rank_derived else "published") if cell.rank else "",
                            " ".join(cell.sources),
                        ]
                    )
                )
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="chiso-compare.csv"'
    return response
