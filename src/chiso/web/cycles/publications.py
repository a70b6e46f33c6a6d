"""Reading published snapshots, for the public pages, the plans and the API: the newest
revision of a cycle, its document (read once per SHA-256), and a unit's series across the
cycles of its index, handed to :mod:`chiso.scoring.unit_history` (the rules live there, without
Django). The cycles app owns the publications, so every app above it reads them here."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Subquery
from django.http import Http404
from django.utils.translation import gettext

from chiso.numbers import format_date, format_number
from chiso.reports.charts import HistoryPoint
from chiso.scoring import unit_history
from chiso.scoring.document import ResultsDocument, from_json
from chiso.web.core import pagecache
from chiso.web.core.frameworks import framework_of
from chiso.web.cycles import lineage, policy
from chiso.web.cycles.models import Publication


def latest(cycle_id: int) -> Publication:
    """The newest revision of a published cycle (404 when there is none); its snapshot is
    read once per SHA-256 (see :func:`document`), not on every request. The same query also
    reads the newest publication of any cycle (:func:`newest_id`), kept on the object as
    ``newest_of_all``: a unit's page names it in its cache key, and one round trip to the
    database instead of two is a quarter of what a cached unit page costs."""
    newest = Publication.objects.order_by("-id").values("id")[:1]
    publication = (
        Publication.objects.select_related("cycle")
        .defer("content")
        .filter(cycle_id=cycle_id)
        .annotate(newest_of_all=Subquery(newest))
        .order_by("-revision")
        .first()
    )
    if publication is None:
        raise Http404
    return publication


def document(publication: Publication) -> ResultsDocument:
    """The published results document (its snapshot read and checked once per SHA-256)."""
    doc: ResultsDocument = pagecache.get_or_make(
        pagecache.key("published-doc", publication.sha256),
        lambda: pagecache.Made(
            from_json(
                json.loads(publication.content), f"{publication.cycle_id}/{publication.revision}"
            )
        ),
    ).value
    return doc


def newest_id() -> int | None:
    """The newest publication of any cycle: a unit's history reads them all."""
    return Publication.objects.order_by("-id").values_list("id", flat=True).first()


def snapshot_label(publication: Publication) -> str:
    """The publication as a report prints it: its revision and the start of its SHA-256."""
    return f"{publication.revision} · SHA-256 {publication.sha256[:16]}…"


def no_data() -> str:
    """What a table cell or a map says where a unit has no value, in the active language."""
    return gettext("không có số liệu")


def as_published(publication: Publication) -> unit_history.Published:
    """The publication as the series reads it; its key is the cycle (pages link to it)."""
    cycle = publication.cycle
    return unit_history.Published(
        key=cycle,
        year=cycle.year,
        framework=cycle.framework_code,
        units=document(publication).by_name(),
        precision=framework_of(cycle).precision,
    )


def same_index(publication: Publication) -> list[unit_history.Published]:
    """Every published cycle of the index of ``publication``'s, oldest first."""
    fw = framework_of(publication.cycle)
    cycles = (
        policy.published_cycles()
        .filter(framework_code__startswith=unit_history.index_of(fw.code))
        .order_by("year", "pk")
    )
    return [as_published(latest(cycle.pk)) for cycle in cycles]


def unit_series(publication: Publication, unit: str) -> list[unit_history.Entry]:
    """``unit`` in every published cycle of the same index (see :func:`unit_history.series`);
    a commune of the two-level local government from 2025 only (:mod:`.lineage`: a commune of
    the same name before July 2025 is another unit, and its results are listed apart)."""
    published = same_index(publication)
    cycle = publication.cycle
    if lineage.series_starts_at_reform(cycle.units.filter(name=unit).first(), cycle.year):
        published = [p for p in published if p.year >= lineage.REFORM_DAY.year]
    return unit_history.series(unit, as_published(publication), published)


def lineage_of(publication: Publication, unit: str, lang: str) -> dict[str, Any] | None:
    """For a commune from 2025: the units it was formed from (successor links) and their own
    published results, to list beside its series; None for any other unit."""
    cycle = publication.cycle
    me = cycle.units.filter(name=unit).first()
    if me is None or not lineage.series_starts_at_reform(me, cycle.year):
        return None
    rows = []
    for before in lineage.predecessors(me):
        results = []
        for other in policy.published_cycles().filter(units=before.unit).order_by("year", "pk"):
            entry = document(latest(other.pk)).by_name().get(before.unit.name)
            if entry is not None:
                precision = framework_of(other).precision
                results.append(
                    {
                        "cycle": other,
                        "rank": entry.rank,
                        "index_text": format_number(entry.index, lang, precision),
                    }
                )
        rows.append(
            {"unit": before.unit.name, "date": format_date(before.date, lang), "results": results}
        )
    return {"predecessors": rows}


def history_rows(entries: list[unit_history.Entry], lang: str) -> list[dict[str, Any]]:
    """The series as the profile's table prints it."""
    return [
        {
            "cycle": e.cycle.key,
            "kind": e.kind,
            "rank": e.rank,
            "value": e.value,
            "index_text": format_number(e.value, lang),
            "successor": e.successor,
            "parts": [
                {
                    "unit": p.unit,
                    "index_text": format_number(p.value, lang) or no_data(),
                    "rank": p.rank,
                }
                for p in e.parts
            ],
        }
        for e in entries
    ]


def history_points(entries: list[unit_history.Entry]) -> list[HistoryPoint]:
    """The chart's points: the unit's own values and re-based ones (marked *); a successor
    province's figures are another unit's and stay out of the line."""
    return [
        HistoryPoint(
            f"{e.cycle.year}{'*' if e.kind == 'parts' else ''}", e.value, e.rank, e.cycle.year
        )
        for e in entries
        if e.own_line
    ]


def revisions(cycle_id: int) -> list[Publication]:
    """Every revision of a published cycle, the first first: each stays public."""
    if not policy.published_cycles().filter(pk=cycle_id).exists():
        raise Http404
    return list(
        Publication.objects.select_related("cycle").filter(cycle_id=cycle_id).order_by("revision")
    )
