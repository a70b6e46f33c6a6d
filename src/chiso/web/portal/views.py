"""Public pages of published cycles: the ranking, a unit's profile, open data and the annex.
Everything reads the immutable snapshot; what is rendered from it is cached by its SHA-256,
so a new publication is a new key and nothing stale is ever served."""

from __future__ import annotations

import colorsys
import hashlib
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from chiso.numbers import format_number
from chiso.reports import charts, open_data
from chiso.reports.annex import write_annex_docx, write_annex_xlsx
from chiso.reports.choropleth import choropleth_svg
from chiso.reports.pdf import write_pdf
from chiso.reports.results_document import domain_stats
from chiso.reports.svg import readable_text
from chiso.reports.tilemap import (
    PALETTE,
    group_colours,
    group_palette,
    layout_for,
    tile_map_svg,
    value_classes,
)
from chiso.reports.unit_pdf import write_unit_pdf
from chiso.scoring.ranking import group_bands
from chiso.scoring.rebase import Rebased, method_note, rebase_to_34
from chiso.tables.records import write_records
from chiso.units.provinces import era_of, successor_of
from chiso.units.regions import REGION_OF
from chiso.vietnamese import sort_key
from chiso.web.cycles import services
from chiso.web.cycles.models import Cycle, Publication
from chiso.web.portal import maps

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def _latest(cycle_id: int) -> Publication:
    # the snapshot itself is read once per SHA-256 (see _doc), not on every request
    publication = (
        Publication.objects.select_related("cycle")
        .defer("content")
        .filter(cycle_id=cycle_id)
        .order_by("-revision")
        .first()
    )
    if publication is None:
        raise Http404
    return publication


def _doc(publication: Publication) -> dict[str, Any]:
    key = f"published-doc:{publication.sha256}"
    doc = cache.get(key)
    if doc is None:
        doc = json.loads(publication.content)
        cache.set(key, doc, timeout=None)
    return doc


def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch the language with a plain link (no form, so public pages carry no token and
    can be served whole from the cache)."""
    from django.conf import settings
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response


def _public_page(request: HttpRequest, key: str, make: Callable[[], HttpResponse]) -> HttpResponse:
    """Visitors who are not logged in all see the same page: it is rendered once per key."""
    if request.user.is_authenticated:
        return make()
    page = cache.get(key)
    if page is None:
        page = make().content
        cache.set(key, page, timeout=None)
    return HttpResponse(page)


def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _latest(pk)
    lang = _lang()
    # an uploaded or removed boundary map changes the page
    version = maps.maps_version()
    return _public_page(
        request,
        f"page:ranking:{publication.sha256}:{lang}:{version}",
        lambda: _ranking_page(request, publication, lang, version),
    )


def _ranking_page(
    request: HttpRequest, publication: Publication, lang: str, version: str
) -> HttpResponse:
    key = f"published-ranking:{publication.sha256}:{lang}:{version}"
    body = cache.get(key)
    if body is None:
        body = _ranking_body(publication, lang)
        cache.set(key, body, timeout=None)
    return render(
        request, "portal/ranking.html", {"cycle": publication.cycle, "body": mark_safe(body)}
    )


def _ranking_body(publication: Publication, lang: str) -> str:
    doc = _doc(publication)
    rows: list[dict[str, Any]] = []
    for u in doc["units"]:
        rows.append(
            {
                "unit": u["unit"],
                "region": REGION_OF.get(u["unit"], ""),
                "rank": u["rank"],
                "total": format_number(u["total"], lang),
                "index": format_number(u["index"], lang),
                "index_value": "" if u["index"] is None else f"{u['index']:.4f}",
                "group": u.get("group_name") or "",
                "status": u["status"],
                "missing": ", ".join(u["missing"]),
                "sort": "".join(f"{x:04d}" for part in sort_key(u["unit"])[0] for x in part),
            }
        )
    regions = sorted({r["region"] for r in rows if r["region"]}, key=sort_key)
    drawn = _maps(publication, doc, lang)
    groups = [g for g in dict.fromkeys(r["group"] for r in rows) if g]
    return render_to_string(
        "portal/ranking_body.html",
        {
            "publication": publication,
            "cycle": publication.cycle,
            "rows": rows,
            "regions": regions,
            "groups": groups,
            "summary": doc.get("summary", {}),
            "mean": format_number(doc.get("summary", {}).get("mean"), lang),
            "maps": drawn,
            "has_intervals": any("index_se" in u for u in doc["units"]),
            "can_rebase": era_of((u["unit"] for u in doc["units"]), publication.cycle.year) == "63",
            "LANGUAGE_CODE": lang,
        },
    )


def _maps(publication: Publication, doc: dict[str, Any], lang: str) -> dict[str, Any] | None:
    """The map of the ranking page, coloured by group and by value: the true map when an
    administrator's boundary file covers the units, else the tile map for provinces (the
    layout of the provinces as they were when the cycle was assessed), else none."""
    fw = services.framework_of(publication.cycle)
    measure = "index" if fw.rank_by == "index" else "total"
    palette = group_palette(fw)
    legend = [(palette[b.code], b.name_en if lang == "en" else b.name_vi) for b in group_bands(fw)]
    no_data = (PALETTE[-1], _no_data(lang))
    by_value, value_legend = value_classes(
        {u["unit"]: u[measure] for u in doc["units"]}, lang, fw.precision
    )
    labels = {
        u["unit"]: f"{u.get('group_name') or ''} {format_number(u[measure], lang)}".strip()
        for u in doc["units"]
    }
    by_group = group_colours(doc, fw)
    title = publication.cycle.name
    names = {u["unit"] for u in doc["units"]}
    boundary = maps.map_for(names)
    out: dict[str, Any] = {
        "legend_group": [*legend, no_data],
        "legend_value": [*value_legend, no_data],
        "measure": measure,
    }
    if boundary is not None:
        features = boundary.decoded()
        try:
            drawn = choropleth_svg(features, by_group, labels, title)
            by_value_svg = choropleth_svg(features, by_value, labels, title).svg
        except ValueError:
            pass  # outlines that cannot be drawn: the tile map below instead
        else:
            out |= {
                "kind": "choropleth",
                "map": boundary,
                "group_svg": mark_safe(drawn.svg),
                "value_svg": mark_safe(by_value_svg),
                "unmatched_units": ", ".join(drawn.unmatched_units),
            }
            return out
    tiles = layout_for(names, publication.cycle.year)
    if tiles is None:
        return None
    out |= {
        "kind": "tiles",
        "group_svg": mark_safe(tile_map_svg(by_group, labels, title, tiles=tiles)),
        "value_svg": mark_safe(tile_map_svg(by_value, labels, title, tiles=tiles)),
    }
    return out


def _no_data(lang: str) -> str:
    return "no data" if lang == "en" else "không có số liệu"


def _unit_key(kind: str, publication: Publication, unit: str, lang: str) -> str:
    """The cache key of what is made for one unit of a publication. Its history comes from
    every publication, so the newest one is part of the key; unit names carry spaces and
    Vietnamese letters, so they enter as a digest."""
    newest = Publication.objects.order_by("-id").values_list("id", flat=True).first()
    digest = hashlib.sha256(unit.encode("utf-8")).hexdigest()[:32]
    return f"{kind}:{publication.sha256}:{lang}:{newest}:{digest}"


def _snapshot_label(publication: Publication) -> str:
    """The publication as a report prints it: its revision and the start of its SHA-256."""
    return f"{publication.revision} · SHA-256 {publication.sha256[:16]}…"


def profile(request: HttpRequest, pk: int, unit: str) -> HttpResponse:
    """A unit: points per domain against the maximum, the mean and the best; its rank and
    index in every published cycle of the same index; the change since the previous one."""
    publication = _latest(pk)
    lang = _lang()
    key = _unit_key("published-profile", publication, unit, lang)
    return _public_page(
        request, f"page:{key}", lambda: _profile_page(request, publication, unit, lang, key)
    )


def _profile_page(
    request: HttpRequest, publication: Publication, unit: str, lang: str, key: str
) -> HttpResponse:
    body = cache.get(key)
    if body is None:
        body = _profile_body(publication, unit, lang)
        cache.set(key, body, timeout=None)
    return render(
        request,
        "portal/profile.html",
        {"cycle": publication.cycle, "title": unit, "body": mark_safe(body)},
    )


def _profile_body(publication: Publication, unit: str, lang: str) -> str:
    doc = _doc(publication)
    me = next((u for u in doc["units"] if u["unit"] == unit), None)
    if me is None:
        raise Http404
    fw = services.framework_of(publication.cycle)
    history = unit_history(publication, unit, lang)
    before = _previous_points(history, publication, unit)
    ranked = [u for u in doc["units"] if u["rank"]]
    domains = []
    for node in fw.nodes:
        stats = domain_stats(ranked, node.code)
        mine = me["points"].get(node.code)
        earlier = before.get(node.code)
        delta = (
            mine - earlier
            if isinstance(mine, (int, float)) and isinstance(earlier, (int, float))
            else None
        )
        domains.append(
            {
                "code": node.code,
                "name": node.name_en if lang == "en" and node.name_en else node.name_vi,
                "points": "KAD" if mine == "NA" else format_number(mine, lang),
                "max": "?" if node.max is None else format_number(node.max, lang),
                "mean": format_number(stats.mean, lang),
                "best": format_number(stats.best, lang),
                "leaders": ", ".join(stats.leaders[:3]),
                "change": ""
                if delta is None
                else ("+" if delta > 0 else "") + format_number(delta, lang),
            }
        )
    change = _change(history, publication, me, lang)
    points = _history_points(history)
    intervals = charts.estimates(doc)
    mine_interval = next((e.interval for e in intervals if e.unit == unit), None)
    return render_to_string(
        "portal/profile_body.html",
        {
            "publication": publication,
            "cycle": publication.cycle,
            "me": me,
            "domains": domains,
            "history": history,
            "change": change,
            "change_year": before.get("__year__"),
            "index": format_number(me["index"], lang),
            "total": format_number(me["total"], lang),
            "interval": [format_number(x, lang) for x in mine_interval] if mine_interval else None,
            "bars_svg": mark_safe(
                charts.domain_bars_svg(charts.domain_bars(doc, fw, unit, lang), lang)
            ),
            "history_svg": mark_safe(charts.history_svg(points, lang, subject=unit))
            if len(points) > 1
            else "",
            "rebased_note": method_note("mean", "", lang)
            if any(h["kind"] == "parts" for h in history)
            else "",
            "LANGUAGE_CODE": lang,
        },
    )


def _history_points(history: list[dict[str, Any]]) -> list[charts.HistoryPoint]:
    """The chart's points: the unit's own values and re-based ones (marked *); a successor
    province's figures are another unit's and stay out of the line."""
    return [
        charts.HistoryPoint(
            f"{h['cycle'].year}{'*' if h['kind'] == 'parts' else ''}",
            h["value"],
            h["rank"],
            h["cycle"].year,
        )
        for h in history
        if h["kind"] in ("same", "parts")
    ]


def _previous_points(
    history: list[dict[str, Any]], publication: Publication, unit: str
) -> dict[str, Any]:
    """The unit's points in the last earlier cycle of the same framework (the domains'
    changes are only read where the criteria are the same), with its year under __year__."""
    earlier = [
        h
        for h in history
        if h["kind"] == "same"
        and h["cycle"].year < publication.cycle.year
        and h["cycle"].framework_code == publication.cycle.framework_code
    ]
    if not earlier:
        return {}
    doc = _doc(_latest(earlier[-1]["cycle"].pk))
    me = next(u for u in doc["units"] if u["unit"] == unit)
    return {**me["points"], "__year__": earlier[-1]["cycle"].year}


def _same_index(publication: Publication) -> list[Cycle]:
    fw = services.framework_of(publication.cycle)
    return list(
        Cycle.objects.filter(
            state=Cycle.PUBLISHED, framework_code__startswith=fw.code.rsplit("-", 1)[0]
        ).order_by("year", "pk")
    )


def unit_history(publication: Publication, unit: str, lang: str) -> list[dict[str, Any]]:
    """The unit in every published cycle of the same index. Across the reorganisation of
    1 July 2025 the old provinces are shown as they were, never merged silently: a new province
    looking back gets its former provinces' figures and a re-based value that says so; an old
    province looking forward gets the new province it became part of."""
    here = {u["unit"] for u in _doc(publication)["units"]}
    my_era = era_of(here, publication.cycle.year)
    rows: list[dict[str, Any]] = []
    for cycle in _same_index(publication):
        pub = _latest(cycle.pk)
        doc = _doc(pub)
        units = {u["unit"]: u for u in doc["units"]}
        era = era_of(units, cycle.year)
        row: dict[str, Any] = {"cycle": cycle, "kind": "same", "parts": [], "rebased": None}
        if my_era == "34" and era == "63":
            rebased = rebase_to_34(
                {n: u["index"] for n, u in units.items()},
                services.framework_of(cycle).precision,
            )
            mine = next((r for r in rebased.units if r.unit == unit), None)
            if mine is None:
                continue
            row["kind"] = "parts"
            row["parts"] = [
                {
                    "unit": name,
                    "index_text": format_number(value, lang) or _no_data(lang),
                    "rank": units[name]["rank"] if name in units else None,
                }
                for name, value in mine.parts
            ]
            row["rank"], row["value"] = mine.rank, mine.value
        elif my_era == "63" and era == "34":
            successor = successor_of(unit)
            if successor is None or successor not in units:
                continue
            row["kind"] = "successor"
            row["successor"] = successor
            row["rank"], row["value"] = units[successor]["rank"], units[successor]["index"]
        elif unit in units:
            row["rank"], row["value"] = units[unit]["rank"], units[unit]["index"]
        else:
            continue
        row["index_text"] = format_number(row["value"], lang)
        rows.append(row)
    return rows


def _change(
    history: list[dict[str, Any]], publication: Publication, me: dict[str, Any], lang: str
) -> dict[str, Any] | None:
    """Since the last earlier cycle: against a re-based value when that is all there is (and
    then marked as such)."""
    earlier = [
        h
        for h in history
        if h["cycle"].year < publication.cycle.year and h["kind"] in ("same", "parts")
    ]
    if not earlier or me["index"] is None or earlier[-1]["value"] is None:
        return None
    before = earlier[-1]
    difference = me["index"] - before["value"]
    return {
        "index": ("+" if difference > 0 else "") + format_number(difference, lang),
        "places": (before["rank"] - me["rank"]) if before["rank"] and me["rank"] else None,
        "year": before["cycle"].year,
        "rebased": before["kind"] == "parts",
    }


def _file(publication: Publication, kind: str, lang: str) -> bytes:
    """A generated file of a publication, made once and kept (the publication never changes)."""
    key = f"published-file:{publication.sha256}:{kind}:{lang}"
    data = cache.get(key)
    if data is None:
        doc = _doc(publication)
        fw = services.framework_of(publication.cycle)
        with tempfile.TemporaryDirectory() as folder:
            if kind == "annex":
                path = Path(folder) / "annex.xlsx"
                write_annex_xlsx(doc, fw, path, publication.cycle.name, lang)
            elif kind == "pdf":
                path = Path(folder) / "report.pdf"
                write_pdf(
                    doc,
                    fw,
                    path,
                    publication.cycle.name,
                    lang,
                    _snapshot_label(publication),
                    publication.cycle.simulated,
                )
            elif kind == "annex_docx":
                path = Path(folder) / "annex.docx"
                write_annex_docx(doc, fw, path, publication.cycle.name, lang)
            elif kind == "dictionary":
                path = Path(folder) / "dictionary.json"
                path.write_text(
                    json.dumps(
                        {"columns": open_data.columns(fw, doc)}, ensure_ascii=False, indent=2
                    ),
                    encoding="utf-8",
                )
            else:
                path = Path(folder) / f"data.{kind}"
                open_data.write_table(
                    doc,
                    fw,
                    path,
                    extra={
                        "cycle": publication.cycle.name,
                        "revision": publication.revision,
                        "sha256_of_snapshot": publication.sha256,
                        "simulated": publication.cycle.simulated,
                    },
                )
            data = path.read_bytes()
        cache.set(key, data, timeout=None)
    return data


def download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Stable URLs per cycle: data.csv, data.xlsx, data.json, dictionary.json, annex.xlsx."""
    if kind not in ("csv", "xlsx", "json", "dictionary", "annex", "annex_docx", "pdf"):
        raise Http404
    publication = _latest(pk)
    data = _file(publication, kind, _lang())
    ext = {"dictionary": "json", "annex": "xlsx", "annex_docx": "docx"}.get(kind, kind)
    if kind == "pdf":
        ext = "pdf"
    name = {
        "dictionary": "dictionary",
        "annex": "annex",
        "annex_docx": "annex",
        "pdf": "report",
    }.get(kind, "data")
    response = HttpResponse(data, content_type=CONTENT_TYPES[ext])
    response["Content-Disposition"] = f'attachment; filename="chiso-{pk}-{name}.{ext}"'
    return response


def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Up to five units side by side: each domain's points, then total, index and rank."""
    publication = _latest(pk)
    doc = _doc(publication)
    lang = _lang()
    by_name = {u["unit"]: u for u in doc["units"]}
    chosen = [n for n in dict.fromkeys(request.GET.getlist("u")) if n in by_name][:5]
    fw = services.framework_of(publication.cycle)
    rows: list[dict[str, Any]] = []
    for node in fw.nodes:
        name = node.name_en if lang == "en" and node.name_en else node.name_vi
        cells = []
        for n in chosen:
            v = by_name[n]["points"].get(node.code)
            cells.append("KAD" if v == "NA" else format_number(v, lang))
        rows.append({"label": f"{node.code} {name}", "cells": cells})
    for key, label in (
        ("total", "Tổng điểm" if lang == "vi" else "Total"),
        ("index", "Chỉ số (%)" if lang == "vi" else "Index (%)"),
    ):
        rows.append(
            {
                "label": label,
                "strong": True,
                "cells": [format_number(by_name[n][key], lang) for n in chosen],
            }
        )
    rows.append(
        {
            "label": "Xếp hạng" if lang == "vi" else "Rank",
            "strong": True,
            "cells": [by_name[n]["rank"] or "" for n in chosen],
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


def heatmap(request: HttpRequest, pk: int) -> HttpResponse:
    """All units × domains, each cell shaded by its share of the domain's best value (the
    number is always printed: the colour only helps the eye)."""
    publication = _latest(pk)
    doc = _doc(publication)
    lang = _lang()
    fw = services.framework_of(publication.cycle)
    best = {}
    for node in fw.nodes:
        values = [u["points"].get(node.code) for u in doc["units"]]
        numbers = [v for v in values if isinstance(v, (int, float))]
        best[node.code] = max(numbers) if numbers else None
    rows: list[dict[str, Any]] = []
    for u in sorted(
        doc["units"], key=lambda u: (u["rank"] is None, u["rank"] or 0, sort_key(u["unit"]))
    ):
        cells = []
        for node in fw.nodes:
            v = u["points"].get(node.code)
            top = best[node.code]
            share = (v / top) if isinstance(v, (int, float)) and top else None
            # light (low share) to dark green (the best); the text takes whichever of black
            # and white contrasts more with the cell (WCAG AA: at least 4.5 either way)
            shade = "" if share is None else _green(max(0.0, share))
            text = readable_text(shade) if shade else ""
            cells.append(
                {
                    "text": "KAD" if v == "NA" else format_number(v, lang),
                    "style": f"background:{shade};color:{text}" if shade else "",
                }
            )
        rows.append({"unit": u["unit"], "rank": u["rank"], "cells": cells})
    return render(
        request,
        "portal/heatmap.html",
        {
            "cycle": publication.cycle,
            "domains": fw.nodes,
            "rows": rows,
        },
    )


def intervals(request: HttpRequest, pk: int) -> HttpResponse:
    """Every unit's index with its 95 % interval (a caterpillar plot), where the results
    carry standard errors: ranks of units whose intervals overlap are not told apart."""
    publication = _latest(pk)
    lang = _lang()

    def make() -> HttpResponse:
        items = charts.estimates(_doc(publication))
        table = charts.caterpillar_table(items, lang) if items else None
        return render(
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

    return _public_page(request, f"page:intervals:{publication.sha256}:{lang}", make)


def unit_report(request: HttpRequest, pk: int, unit: str) -> HttpResponse:
    """The PDF report of one unit, with its history across published cycles."""
    publication = _latest(pk)
    lang = _lang()
    doc = _doc(publication)
    if not any(u["unit"] == unit for u in doc["units"]):
        raise Http404
    key = _unit_key("published-unit-pdf", publication, unit, lang)
    data = cache.get(key)
    if data is None:
        rows = unit_history(publication, unit, lang)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "unit.pdf"
            write_unit_pdf(
                doc,
                services.framework_of(publication.cycle),
                unit,
                path,
                publication.cycle.name,
                lang,
                _snapshot_label(publication),
                publication.cycle.simulated,
                history=_history_points([h for h in rows if h["cycle"].pk != publication.cycle_id]),
                label=str(publication.cycle.year),
                history_note="* " + method_note("mean", "", lang)
                if any(h["kind"] == "parts" for h in rows)
                else "",
            )
            data = path.read_bytes()
        cache.set(key, data, timeout=None)
    response = HttpResponse(data, content_type=CONTENT_TYPES["pdf"])
    short = key.rsplit(":", 1)[1][:8]  # the unit's digest
    response["Content-Disposition"] = f'attachment; filename="chiso-{pk}-unit-{short}.pdf"'
    return response


def _rebased(publication: Publication) -> tuple[Rebased, dict[str, Any]]:
    """The cycle's index re-based to the 34 provinces (404 for a cycle not of the 63)."""
    units = {u["unit"]: u for u in _doc(publication)["units"]}
    if era_of(units, publication.cycle.year) != "63":
        raise Http404
    precision = services.framework_of(publication.cycle).precision
    return rebase_to_34({n: u["index"] for n, u in units.items()}, precision), units


def rebased(request: HttpRequest, pk: int) -> HttpResponse:
    """A cycle of the 63 provinces seen as the 34: each new province with its former
    provinces' published figures and the derived value, and the sentence saying how."""
    publication = _latest(pk)
    lang = _lang()
    result, units = _rebased(publication)

    def make() -> HttpResponse:
        rows = [
            {
                "unit": r.unit,
                "rank": r.rank,
                "value": format_number(r.value, lang),
                "parts": [
                    {
                        "unit": p,
                        "value": format_number(v, lang) or _no_data(lang),
                        "rank": units[p]["rank"] if p in units else None,
                        "listed": p in units,
                    }
                    for p, v in r.parts
                ],
            }
            for r in sorted(
                result.units, key=lambda r: (r.rank is None, r.rank or 0, sort_key(r.unit))
            )
        ]
        return render(
            request,
            "portal/rebased.html",
            {"cycle": publication.cycle, "rows": rows, "note": "* " + result.note(lang)},
        )

    return _public_page(request, f"page:rebased:{publication.sha256}:{lang}", make)


def rebased_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The re-based table as open data (CSV, XLSX or JSON), its method in every row."""
    publication = _latest(pk)
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
