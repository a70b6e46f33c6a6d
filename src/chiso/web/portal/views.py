"""Public pages of published cycles: the ranking, a unit's profile, open data and the annex.
Everything reads the immutable snapshot; what is rendered from it is cached under keys that
name it (:mod:`chiso.web.core.pagecache`), so a new publication is a new key and nothing stale
is served."""

from __future__ import annotations

import colorsys
import logging
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy
from django.views.decorators.http import require_safe

from chiso.analysis.published_uncertainty import (
    DocumentUncertainty,
    document_uncertainty,
    group_probability,
    rank_range_labels,
)
from chiso.numbers import format_number
from chiso.reports import charts, files
from chiso.reports.choropleth import choropleth_svg
from chiso.reports.decision import decision_line, decision_of
from chiso.reports.results_document import domain_stats
from chiso.reports.svg import readable_text
from chiso.reports.tilemap import (
    group_colours,
    group_legend,
    layout_for,
    tile_map_svg,
    unit_labels,
    value_classes,
)
from chiso.scoring import unit_history
from chiso.scoring.document import ResultsDocument, UnitEntry
from chiso.scoring.ranking import display_key, group_name, groups_counted, ranks_within
from chiso.scoring.rebase import Rebased, method_note, rebase_to_34
from chiso.tables.records import write_records
from chiso.units.provinces import era_of
from chiso.units.regions import REGION_OF
from chiso.vietnamese import sort_key
from chiso.web.core import feedback, kept, pagecache, panels
from chiso.web.core.frameworks import framework_of
from chiso.web.core.kept import site_revision
from chiso.web.core.pagecache import Made
from chiso.web.cycles.models import Publication
from chiso.web.cycles.publications import (
    as_published,
    document,
    history_points,
    history_rows,
    latest,
    lineage_of,
    newest_id,
    no_data,
    snapshot_label,
    unit_series,
)
from chiso.web.portal import maps
from chiso.web.portal.state import state

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@require_safe
def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch the language with a plain link (no form, so public pages carry no token and
    can be served whole from the cache)."""
    home = reverse("cycles:home")
    target = request.GET.get("next", home)
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = home
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response


@require_safe
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    # an uploaded or removed boundary map changes the page
    found = state(pk, maps=True)
    lang = feedback.lang()
    body_key = pagecache.key(
        "published-ranking", found.sha256, lang, found.maps, found.cycle_version, site_revision()
    )

    def make() -> Made[HttpResponse]:
        publication = found.read()
        body = pagecache.get_or_make(body_key, lambda: _ranking_body(publication, lang))
        page = render(
            request,
            "portal/ranking.html",
            {"cycle": publication.cycle, "body": mark_safe(body.value)},
        )
        return Made(page, body.fallback)

    return kept.page(request, body_key, make)


def _group_probability_line(fw: Any, group: str | None, p: float | None, lang: str) -> str:
    """The sentence saying how likely the unit is to be in its group, or "" without one."""
    if p is None or not group:
        return ""
    return gettext(
        "Với sai số của kết quả điều tra, xác suất đơn vị thuộc nhóm %(group)s là %(p)s %%."
    ) % {"group": group_name(fw, group, lang), "p": format_number(100 * p, lang, 0)}


def _uncertainty(
    publication: Publication, doc: ResultsDocument, fw: Any, lang: str
) -> tuple[DocumentUncertainty, str]:
    """The snapshot's rank intervals, and the sentence telling readers why there are none
    when its standard errors cannot be simulated (it does not fit its framework): a fault of
    the published data, logged as an error with every problem so it is looked into. The
    simulation (4,000 draws of every unit) is run once per publication and kept: the ranking
    and each unit's profile read the same intervals."""
    found = pagecache.get_or_make(
        pagecache.key("published-uncertainty", publication.sha256, fw.code, site_revision()),
        lambda: Made(document_uncertainty(doc, fw)),
    ).value
    if not found.problems:
        return found, ""
    logger.error(
        "publication %s (cycle %s, revision %s) does not fit its framework %s: rank intervals "
        "not shown: %s",
        publication.pk,
        publication.cycle_id,
        publication.revision,
        fw.code,
        "; ".join(p.render("en") for p in found.problems),
    )
    where = dict.fromkeys(
        str(p.params.get("unit") or p.params.get("node") or p.row or "") for p in found.problems
    )
    return found, gettext(
        "Không tính được khoảng hạng: bản công bố không khớp với bộ tiêu chí %(framework)s "
        "(%(where)s). Lỗi đã được ghi lại để kiểm tra."
    ) % {"framework": fw.code, "where": ", ".join(w for w in where if w)}


REGION_NAMES = {
    "Trung du và miền núi phía Bắc": pgettext_lazy("region", "Trung du và miền núi phía Bắc"),
    "Đồng bằng sông Hồng": pgettext_lazy("region", "Đồng bằng sông Hồng"),
    "Bắc Trung Bộ và duyên hải miền Trung": pgettext_lazy(
        "region", "Bắc Trung Bộ và duyên hải miền Trung"
    ),
    "Tây Nguyên": pgettext_lazy("region", "Tây Nguyên"),
    "Đông Nam Bộ": pgettext_lazy("region", "Đông Nam Bộ"),
    "Đồng bằng sông Cửu Long": pgettext_lazy("region", "Đồng bằng sông Cửu Long"),
}
"""The six regions in the reader's language (chiso.units.regions keeps them in Vietnamese)."""


def region_name(region: str) -> str:
    return str(REGION_NAMES.get(region, region))


def _ranking_body(publication: Publication, lang: str) -> Made[str]:
    doc = document(publication)
    fw = framework_of(publication.cycle)
    in_region = ranks_within({u.unit: u.rank for u in doc.units}, REGION_OF)
    uncertainty, unavailable = _uncertainty(publication, doc, fw, lang)
    ranges = rank_range_labels(uncertainty.result)
    rows: list[dict[str, Any]] = []
    for u in doc.units:
        rows.append(
            {
                "unit": u.unit,
                "region": region_name(REGION_OF.get(u.unit, "")),
                "rank": u.rank,
                "region_rank": in_region.get(u.unit),
                "rank_range": ranges.get(u.unit, ""),
                "total": format_number(u.total, lang),
                "index": format_number(u.index, lang),
                "index_value": "" if u.index is None else f"{u.index:.4f}",
                # a snapshot keeps the group's code; its name is the framework's, in this language
                "group": group_name(fw, u.group, lang),
                "status": u.status,
                "missing": ", ".join(u.missing),
                "sort": "".join(f"{x:04d}" for part in sort_key(u.unit)[0] for x in part),
            }
        )
    regions = sorted({r["region"] for r in rows if r["region"]}, key=sort_key)
    drawn = _maps(publication, doc, lang)
    groups = [g for g in dict.fromkeys(r["group"] for r in rows) if g]
    body = render_to_string(
        "portal/ranking_body.html",
        {
            "publication": publication,
            "cycle": publication.cycle,
            "rows": rows,
            "regions": regions,
            "groups": groups,
            "summary": doc.summary,
            "per_group": groups_counted(fw, doc.summary.per_group if doc.summary else {}, lang),
            "mean": format_number(doc.summary.mean if doc.summary else None, lang),
            "maps": drawn.value,
            "has_intervals": doc.has_errors,
            "has_heads": fw.head_classification is not None,
            "rank_ranges": ranges,
            "rank_intervals_unavailable": unavailable,
            "can_rebase": era_of(doc.names, publication.cycle.year) == "63",
            "LANGUAGE_CODE": lang,
            "decision": decision_line(decision_of(doc), lang),
        },
    )
    return Made(body, drawn.fallback)


def _maps(publication: Publication, doc: ResultsDocument, lang: str) -> Made[dict[str, Any] | None]:
    """The map of the ranking page, coloured by group and by value: the true map when an
    administrator's boundary file covers the units, else the tile map for provinces (the
    layout of the provinces as they were when the cycle was assessed), else none. A tile map
    drawn because the boundary file failed is a fallback (kept briefly, see pagecache)."""
    fw = framework_of(publication.cycle)
    measure = "index" if fw.rank_by == "index" else "total"
    legend = group_legend(fw, lang)
    missing = legend[-1]
    by_value, value_legend = value_classes(
        {u.unit: u.total if measure == "total" else u.index for u in doc.units},
        lang,
        fw.precision,
    )
    labels = unit_labels(doc, fw, lang, measure)
    by_group = group_colours(doc, fw)
    title = publication.cycle.name
    names = set(doc.names)
    boundary = maps.map_for(names)
    out: dict[str, Any] = {
        "legend_group": legend,
        "legend_value": [*value_legend, missing],
        "measure": measure,
    }
    failed = False
    if boundary is not None:
        features = boundary.decoded()
        try:
            drawn = choropleth_svg(features, by_group, labels, title)
            by_value_svg = choropleth_svg(features, by_value, labels, title).svg
        except ValueError:
            # outlines that cannot be drawn: the tile map below instead
            logger.warning(
                "boundary map %s cannot be drawn for cycle %s; tile map instead",
                boundary.pk,
                publication.cycle_id,
                exc_info=True,
            )
            failed = True
        else:
            out |= {
                "kind": "choropleth",
                "map": boundary,
                "group_svg": mark_safe(drawn.svg),
                "value_svg": mark_safe(by_value_svg),
                "unmatched_units": ", ".join(drawn.unmatched_units),
            }
            return Made(out)
    tiles = layout_for(names, publication.cycle.year)
    if tiles is None:
        return Made(None, failed)
    out |= {
        "kind": "tiles",
        "group_svg": mark_safe(tile_map_svg(by_group, labels, title, tiles=tiles)),
        "value_svg": mark_safe(tile_map_svg(by_value, labels, title, tiles=tiles)),
    }
    return Made(out, failed)


def _unit_key(kind: str, publication: Publication, unit: str, lang: str) -> str:
    """The key of what is made for one unit of a publication. Its history comes from every
    publication, so the newest one is part of the key."""
    newest = getattr(publication, "newest_of_all", None)  # read with it by latest()
    newest = newest if newest is not None else newest_id()
    return pagecache.key(kind, publication.sha256, lang, newest, pagecache.digest(unit))


@require_safe
def profile(request: HttpRequest, pk: int, unit: str) -> HttpResponse:
    """A unit: points per domain against the maximum, the mean and the best; its rank and
    index in every published cycle of the same index; the change since the previous one."""
    # successor links change what a commune's profile lists beside its series
    found = state(pk, lineage=True)
    lang = feedback.lang()
    key = pagecache.key(
        "published-profile",
        pagecache.key("profile", found.sha256, lang, found.newest, pagecache.digest(unit)),
        found.lineage,
        found.cycle_version,
        site_revision(),
    )

    def make() -> Made[HttpResponse]:
        publication = found.read()
        body = pagecache.get_or_make(key, lambda: Made(_profile_body(publication, unit, lang)))
        page = render(
            request,
            "portal/profile.html",
            {"cycle": publication.cycle, "title": unit, "body": mark_safe(body.value)},
        )
        return Made(page, body.fallback)

    return kept.page(request, key, make)


def _profile_body(publication: Publication, unit: str, lang: str) -> str:
    doc = document(publication)
    me = doc.by_name().get(unit)
    if me is None:
        raise Http404
    fw = framework_of(publication.cycle)
    entries = unit_series(publication, unit)
    year = publication.cycle.year
    before = unit_history.previous_points(entries, as_published(publication), unit)
    ranked = doc.ranked
    domains = []
    for node in fw.nodes:
        stats = domain_stats(ranked, node.code)
        mine = me.points.get(node.code)
        delta = unit_history.points_change(mine, before.points.get(node.code) if before else None)
        domains.append(
            {
                "code": node.code,
                "name": node.name_in(lang),
                "points": gettext("KAD") if mine == "NA" else format_number(mine, lang),
                "max": "?" if node.max is None else format_number(node.max, lang),
                "mean": format_number(stats.mean, lang),
                "best": format_number(stats.best, lang),
                "leaders": ", ".join(stats.leaders[:3]),
                "change": ""
                if delta is None
                else ("+" if delta > 0 else "") + format_number(delta, lang),
            }
        )
    change = unit_history.change_since(entries, year, me.index, me.rank)
    points = history_points(entries)
    intervals = charts.estimates(doc)
    mine_interval = next((e.interval for e in intervals if e.unit == unit), None)
    uncertainty, unavailable = _uncertainty(publication, doc, fw, lang)
    likely = group_probability(uncertainty.result, unit, me.group)
    return render_to_string(
        "portal/profile_body.html",
        {
            "publication": publication,
            "cycle": publication.cycle,
            "me": me,
            "group_name": group_name(fw, me.group, lang),
            "group_probability": _group_probability_line(fw, me.group, likely, lang),
            "rank_intervals_unavailable": unavailable,
            # what other apps show after the domains (the plans app's gap table)
            "panels": panels.render(
                "portal.profile",
                doc=doc,
                framework=fw,
                unit=unit,
                lang=lang,
                sha256=publication.sha256,
            ),
            "domains": domains,
            "history": history_rows(entries, lang),
            "lineage": lineage_of(publication, unit, lang),
            "change": None
            if change is None
            else {
                "index": ("+" if change.difference > 0 else "")
                + format_number(change.difference, lang),
                "places": change.places,
                "year": change.year,
                "rebased": change.rebased,
            },
            "change_year": before.year if before else None,
            "index": format_number(me.index, lang),
            "total": format_number(me.total, lang),
            "interval": [format_number(x, lang) for x in mine_interval] if mine_interval else None,
            "bars_svg": mark_safe(
                charts.domain_bars_svg(charts.domain_bars(doc, fw, unit, lang), lang)
            ),
            "history_svg": mark_safe(charts.history_svg(points, lang, subject=unit))
            if len(points) > 1
            else "",
            "rebased_note": method_note("mean", "", lang)
            if any(e.kind == "parts" for e in entries)
            else "",
            "LANGUAGE_CODE": lang,
        },
    )


def _source(publication: Publication, lang: str) -> files.Source:
    """The publication as the file factory reads it, with where it comes from."""
    return files.Source(
        document(publication),
        framework_of(publication.cycle),
        publication.cycle.name,
        lang,
        snapshot=snapshot_label(publication),
        simulated=publication.cycle.simulated,
        extra={
            "cycle": publication.cycle.name,
            "revision": publication.revision,
            "sha256_of_snapshot": publication.sha256,
            "simulated": publication.cycle.simulated,
            "decision": decision_line(decision_of(document(publication)), lang),
        },
    )


@require_safe
def download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Stable URLs per cycle: data.csv, data.xlsx, data.json, dictionary.json, annex.xlsx,
    annex.docx, report.pdf; each made once per publication and language."""
    if kind not in files.KINDS:
        raise Http404
    found = state(pk)
    lang = feedback.lang()
    key = pagecache.key(
        "published-file", found.sha256, kind, lang, found.cycle_version, site_revision()
    )

    def make() -> Made[HttpResponse]:
        publication = found.read()
        data = pagecache.get_or_make(
            key, lambda: Made(files.make(_source(publication, lang), kind))
        ).value
        response = HttpResponse(data, content_type=CONTENT_TYPES[files.extension_of(kind)])
        name = f"chiso-{pk}-{files.file_name(kind)}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return Made(response)

    # a file is the same for everyone: kept whole for visitors, made from the kept bytes for
    # the signed-in (the page cache keeps the file itself for both)
    return kept.page(request, key, make)


@require_safe
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Up to five units side by side: each domain's points, then total, index and rank."""
    publication = latest(pk)
    doc = document(publication)
    lang = feedback.lang()
    by_name = doc.by_name()
    chosen = [n for n in dict.fromkeys(request.GET.getlist("u")) if n in by_name][:5]
    fw = framework_of(publication.cycle)
    rows: list[dict[str, Any]] = []
    for node in fw.nodes:
        name = node.name_in(lang)
        cells = []
        for n in chosen:
            v = by_name[n].points.get(node.code)
            cells.append(gettext("KAD") if v == "NA" else format_number(v, lang))
        rows.append({"label": f"{node.code} {name}", "cells": cells})
    for key, label in (
        ("total", gettext("Tổng điểm")),
        ("index", gettext("Chỉ số (%)")),
    ):
        rows.append(
            {
                "label": label,
                "strong": True,
                "cells": [
                    format_number(by_name[n].total if key == "total" else by_name[n].index, lang)
                    for n in chosen
                ],
            }
        )
    rows.append(
        {
            "label": gettext("Xếp hạng"),
            "strong": True,
            "cells": [by_name[n].rank or "" for n in chosen],
        }
    )
    return render(
        request,
        "portal/compare.html",
        {
            "cycle": publication.cycle,
            "chosen": chosen,
            "rows": rows,
            "units": sorted(by_name, key=sort_key),
        },
    )


def _green(share: float) -> str:
    """The heat map's shade for a share of the best value, as #rrggbb."""
    red, green, blue = colorsys.hls_to_rgb(140 / 360, (95 - 50 * share) / 100, 0.45)
    return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"


@require_safe
def heatmap(request: HttpRequest, pk: int) -> HttpResponse:
    """All units × domains, each cell shaded by its share of the domain's best value (the
    number is always printed: the colour only helps the eye)."""
    publication = latest(pk)
    doc = document(publication)
    lang = feedback.lang()
    fw = framework_of(publication.cycle)
    best = {}
    for node in fw.nodes:
        values = [u.points.get(node.code) for u in doc.units]
        numbers = [v for v in values if isinstance(v, (int, float))]
        best[node.code] = max(numbers) if numbers else None
    rows: list[dict[str, Any]] = []
    for u in doc.in_display_order():
        cells = []
        for node in fw.nodes:
            v = u.points.get(node.code)
            top = best[node.code]
            share = (v / top) if isinstance(v, (int, float)) and top else None
            # light (low share) to dark green (the best); the text takes whichever of black
            # and white contrasts more with the cell (WCAG AA: at least 4.5 either way)
            shade = "" if share is None else _green(max(0.0, share))
            text = readable_text(shade) if shade else ""
            cells.append(
                {
                    "text": gettext("KAD") if v == "NA" else format_number(v, lang),
                    "style": f"background:{shade};color:{text}" if shade else "",
                }
            )
        rows.append({"unit": u.unit, "rank": u.rank, "cells": cells})
    return render(
        request,
        "portal/heatmap.html",
        {
            "cycle": publication.cycle,
            "domains": fw.nodes,
            "rows": rows,
        },
    )


@require_safe
def intervals(request: HttpRequest, pk: int) -> HttpResponse:
    """Every unit's index with its 95 % interval (a caterpillar plot), where the results
    carry standard errors: ranks of units whose intervals overlap are not told apart."""
    found = state(pk)
    lang = feedback.lang()

    def make() -> Made[HttpResponse]:
        publication = found.read()
        items = charts.estimates(document(publication))
        table = charts.caterpillar_table(items, lang) if items else None
        return Made(
            render(
                request,
                "portal/intervals.html",
                {
                    "cycle": publication.cycle,
                    "svg": mark_safe(charts.caterpillar_svg(items, lang)) if items else "",
                    "table": table,
                    "rows": [list(zip(r, table.numeric, strict=True)) for r in table.rows]
                    if table
                    else [],
                },
            )
        )

    key = pagecache.key("intervals", found.sha256, lang, found.cycle_version, site_revision())
    return kept.page(request, key, make)


@require_safe
def unit_report(request: HttpRequest, pk: int, unit: str) -> HttpResponse:
    """The PDF report of one unit, with its history across published cycles."""
    publication = latest(pk)
    lang = feedback.lang()
    doc = document(publication)
    if unit not in doc.by_name():
        raise Http404

    def make() -> Made[bytes]:
        entries = unit_series(publication, unit)
        earlier = [e for e in entries if e.cycle.key.pk != publication.cycle_id]
        return Made(
            files.make_unit_report(
                _source(publication, lang),
                unit,
                history=history_points(earlier),
                label=str(publication.cycle.year),
                history_note="* " + method_note("mean", "", lang)
                if any(e.kind == "parts" for e in entries)
                else "",
            )
        )

    data = pagecache.get_or_make(
        _unit_key("published-unit-pdf", publication, unit, lang), make
    ).value
    response = HttpResponse(data, content_type=CONTENT_TYPES["pdf"])
    short = pagecache.digest(unit)[:8]
    response["Content-Disposition"] = f'attachment; filename="chiso-{pk}-unit-{short}.pdf"'
    return response


def _rebased(publication: Publication) -> tuple[Rebased, dict[str, UnitEntry]]:
    """The cycle's index re-based to the 34 provinces (404 for a cycle not of the 63)."""
    units = document(publication).by_name()
    if era_of(units, publication.cycle.year) != "63":
        raise Http404
    precision = framework_of(publication.cycle).precision
    return rebase_to_34({n: u.index for n, u in units.items()}, precision), units


@require_safe
def rebased(request: HttpRequest, pk: int) -> HttpResponse:
    """A cycle of the 63 provinces seen as the 34: each new province with its former
    provinces' published figures and the derived value, and the sentence saying how."""
    found = state(pk)
    lang = feedback.lang()

    def make() -> Made[HttpResponse]:
        publication = found.read()
        result, units = _rebased(publication)  # 404 for a cycle not of the 63 provinces
        rows = [
            {
                "unit": r.unit,
                "rank": r.rank,
                "value": format_number(r.value, lang),
                "parts": [
                    {
                        "unit": p,
                        "value": format_number(v, lang) or no_data(),
                        "rank": units[p].rank if p in units else None,
                        "listed": p in units,
                    }
                    for p, v in r.parts
                ],
            }
            for r in sorted(result.units, key=lambda r: display_key(r.rank, r.unit))
        ]
        return Made(
            render(
                request,
                "portal/rebased.html",
                {"cycle": publication.cycle, "rows": rows, "note": "* " + result.note(lang)},
            )
        )

    key = pagecache.key("rebased", found.sha256, lang, found.cycle_version, site_revision())
    return kept.page(request, key, make)


@require_safe
def rebased_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The re-based table as open data (CSV, XLSX or JSON), its method in every row."""
    publication = latest(pk)
    result, _units = _rebased(publication)
    header = ["province_2025", "rebased_index", "rebased_rank", "parts", "method"]
    rows: list[list[Any]] = [
        [
            r.unit,
            r.value,
            r.rank,
            "; ".join(f"{p}={'' if v is None else f'{v:.6f}'}" for p, v in r.parts),
            result.note("en"),
        ]
        for r in result.units
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"rebased.{kind}"
        write_records(
            header,
            rows,
            path,
            "en",
            6,
            extra={
                "cycle": publication.cycle.name,
                "sha256_of_snapshot": publication.sha256,
                "simulated": publication.cycle.simulated,
                "method_vi": result.note("vi"),
            },
        )
        data = path.read_bytes()
    response = HttpResponse(data, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="chiso-{pk}-rebased-34.{kind}"'
    return response
