"""The results document: one frozen, typed record of a cycle's results, shared by everything
that writes or reads them.

``chiso score --out x.json`` writes it, a publication freezes it (with the cycle and the
decision), the portal serves it (a revision's JSON, and flattened as open data: ``data.json``,
``data.csv``, ``data.xlsx``), the API answers with it, and the reports, the charts, the
analyses (``chiso ranks``, ``chiso plan``, ``chiso gaps``) and ``chiso compare`` read it. Before
it had a class it was a dictionary whose keys each reader spelled out again; now each field is
named once, here, and :func:`from_json` checks a document read from outside once, on the way in,
instead of every reader guessing at its shape.

**Schema versions.** A document says which version of this layout it follows. Version 1 is the
layout every chiso so far has written, with no version key (adding one would change the bytes of
every file ``chiso score`` writes and the SHA-256 of every publication). A later version that
changes what a field means writes ``"schema_version": N`` beside ``framework``; a reader refuses
a version it does not know (:data:`SCHEMA_VERSION` is the newest it knows) rather than misread
it. Adding an optional field is not a new version.

Pure: no web framework and no files here (reading and writing files is
:mod:`chiso.tables.results_reading` and :mod:`chiso.tables.writing`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from chiso.problems import ProblemReport, Refusal
from chiso.scoring.ranking import display_key, group_name
from chiso.scoring.results import NOT_APPLICABLE, Results, Status, Summary
from chiso.vietnamese import nfc

if TYPE_CHECKING:
    from chiso.frameworks.model import Framework

SCHEMA_VERSION = 1
"""The newest layout this chiso reads and writes (see the module's docstring)."""

Point = float | Literal["NA"] | None
"""A node's points in a document: a number, ``"NA"`` where the node does not apply to the
unit, or None where they are missing."""

STATUSES: tuple[Status, ...] = ("complete", "incomplete", "not ranked")


@dataclass(frozen=True)
class FrameworkIdentity:
    """Which framework the results are of: enough to find it again (``code``) and to print
    where they come from without it (names, legal basis), with how they are rounded and
    ranked."""

    code: str
    index: str = ""
    name_vi: str = ""
    name_en: str = ""
    legal_basis: str = ""
    precision: int = 2
    rank_by: str = "index"

    @classmethod
    def of(cls, framework: Framework) -> FrameworkIdentity:
        return cls(
            framework.code,
            framework.index,
            framework.name_vi,
            framework.name_en,
            framework.legal_basis,
            framework.precision,
            framework.rank_by,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "index": self.index,
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "legal_basis": self.legal_basis,
            "precision": self.precision,
            "rank_by": self.rank_by,
        }


@dataclass(frozen=True)
class UnitEntry:
    """One unit's results. Numbers are kept as they were computed or read (never rounded
    here); ``se`` holds the standard errors carried from survey estimates per node (None when
    there are none), ``total_se`` and ``index_se`` the total's and the index's."""

    unit: str
    points: Mapping[str, Point]
    total: float | None
    max: float | None
    index: float | None
    rank: int | None
    group: str | None  # the group's code: shown with scoring.ranking.group_name
    status: Status
    missing: tuple[str, ...] = ()
    se: Mapping[str, float] | None = None
    total_se: float | None = None
    index_se: float | None = None
    group_name: str | None = None  # only in a document for people (ResultsDocument.named_groups)

    def point(self, code: str) -> float | None:
        """The node's points as a finite number; None where missing or not applicable."""
        return finite_number(self.points.get(code))

    def applies(self, code: str) -> bool:
        return self.points.get(code) != NOT_APPLICABLE

    def value(self, measure: str) -> float | None:
        """``total`` or ``index`` (or their ``_se``) as a finite number, None without one."""
        values = {
            "total": self.total,
            "index": self.index,
            "max": self.max,
            "total_se": self.total_se,
            "index_se": self.index_se,
        }
        return finite_number(values[measure])

    def as_json(self, named_groups: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "unit": self.unit,
            "points": dict(self.points),
            "total": self.total,
            "max": self.max,
            "index": self.index,
            "rank": self.rank,
            "group": self.group,
        }
        if named_groups:
            out["group_name"] = self.group_name
        out["status"] = self.status
        out["missing"] = list(self.missing)
        if self.se is not None:
            out["se"] = dict(self.se)
        if self.total_se is not None:
            out["total_se"] = self.total_se
        if self.index_se is not None:
            out["index_se"] = self.index_se
        return out


@dataclass(frozen=True)
class CycleInfo:
    """The cycle a published document belongs to."""

    id: int | None
    name: str
    year: int | None
    simulated: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "year": self.year, "simulated": self.simulated}


@dataclass(frozen=True)
class DecisionInfo:
    """The decision that issued a revision: its number, date (ISO, or None) and body."""

    number: str
    date: str | None = None
    body: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"number": self.number, "date": self.date, "body": self.body}


@dataclass(frozen=True)
class PublicationInfo:
    """Which revision of a cycle's results the document is, the decision that issued it, why
    it was made (for a correction) and the SHA-256 of the revision it replaces. ``sha256`` is
    the document's own, known where it was read from the portal or the API (a snapshot cannot
    hold its own hash)."""

    revision: int | None
    reason: str = ""
    decision: DecisionInfo | None = None
    replaces_sha256: str | None = None
    sha256: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "revision": self.revision,
            "reason": self.reason,
            "decision": None if self.decision is None else self.decision.as_json(),
            "replaces_sha256": self.replaces_sha256,
        }


@dataclass(frozen=True)
class ResultsDocument:
    """A cycle's results: the framework they are of, every unit's entry (in the display
    order, as written), the summary, and for a published document its cycle and publication.

    ``framework`` is None only for a document read from open data (whose table does not name
    it): :func:`chiso.analysis.loaded.framework_of` finds it by its criteria, or is told.
    ``named_groups``: each unit also carries its group's name in one language (a file for
    people; a snapshot keeps codes only). ``decimals``: None where the numbers are as computed
    (JSON, a workbook), else how many decimals the table they were read from rounded them to.
    """

    framework: FrameworkIdentity | None
    units: tuple[UnitEntry, ...]
    summary: Summary | None = None
    cycle: CycleInfo | None = None
    publication: PublicationInfo | None = None
    schema_version: int = SCHEMA_VERSION
    named_groups: bool = False
    decimals: int | None = None
    codes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.codes and self.units:
            object.__setattr__(self, "codes", tuple(self.units[0].points))

    # --- questions readers ask -----------------------------------------------------------

    @property
    def framework_code(self) -> str | None:
        return None if self.framework is None else self.framework.code

    @property
    def ranked(self) -> list[UnitEntry]:
        """The entries of the units that have a rank, in the document's order."""
        return [u for u in self.units if u.rank]

    @property
    def names(self) -> list[str]:
        return [u.unit for u in self.units]

    def by_name(self) -> dict[str, UnitEntry]:
        """The entries by unit name, as written."""
        return {u.unit: u for u in self.units}

    def find(self, unit: str) -> UnitEntry | None:
        """The unit's entry (names compared in NFC, surrounding spaces ignored), or None."""
        wanted = nfc(unit.strip())
        return next((u for u in self.units if nfc(u.unit) == wanted), None)

    def in_display_order(self) -> list[UnitEntry]:
        """Ranked units by rank (ties by Vietnamese name), then the others by name."""
        return sorted(self.units, key=lambda u: display_key(u.rank, u.unit))

    @property
    def has_errors(self) -> bool:
        """True when the results carry the index's standard errors (survey-sourced points)."""
        return any(u.index_se is not None for u in self.units)

    @property
    def decision(self) -> DecisionInfo | None:
        """The decision that issued this revision, where it names one."""
        publication = self.publication
        if publication is None or publication.decision is None:
            return None
        return publication.decision if publication.decision.number else None

    # --- new documents from old ----------------------------------------------------------

    def with_group_names(self, framework: Framework, lang: str) -> ResultsDocument:
        """Each unit's group named in ``lang`` too (``group_name``), for people reading the
        file; readers that show groups derive the name from the code themselves."""
        units = tuple(
            replace(u, group_name=group_name(framework, u.group, lang) or None) for u in self.units
        )
        return replace(self, units=units, named_groups=True)

    def published(self, cycle: CycleInfo, publication: PublicationInfo) -> ResultsDocument:
        """The document as a publication freezes it: with its cycle and its revision."""
        return replace(self, cycle=cycle, publication=publication)

    # --- JSON ----------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The document as JSON data, its keys in the order ``chiso score`` has always
        written them (a snapshot sorts them: :func:`json.dumps` with ``sort_keys``)."""
        out: dict[str, Any] = {}
        if self.schema_version != 1:
            out["schema_version"] = self.schema_version
        if self.framework is not None:
            out["framework"] = self.framework.as_json()
        out["units"] = [u.as_json(self.named_groups) for u in self.units]
        if self.summary is not None:
            out["summary"] = summary_json(self.summary)
        if self.cycle is not None:
            out["cycle"] = self.cycle.as_json()
        if self.publication is not None:
            out["publication"] = self.publication.as_json()
        return out


def finite_number(value: object) -> float | None:
    """A value of a document as a number: None for "NA", a missing value, a boolean or a value
    that is not finite (JSON from elsewhere may carry any of them)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def summary_json(s: Summary) -> dict[str, Any]:
    return {
        "units": s.units,
        "complete": s.complete,
        "ranked": s.ranked,
        "on": s.on,
        "mean": s.mean,
        "highest": s.highest,
        "highest_units": list(s.highest_units),
        "lowest": s.lowest,
        "lowest_units": list(s.lowest_units),
        "per_group": dict(s.per_group),
    }


# --- from the scoring engine ---------------------------------------------------------------


def _num(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def _standard_errors(
    results: Results, u: int
) -> tuple[dict[str, float] | None, float | None, float | None]:
    """A unit's standard errors carried from survey estimates: per node, and the total's and
    the index's where the total's is known (never pieced together from the parts, whose
    covariance only the survey design knows)."""
    if results.se is None:
        return None, None, None
    per_node = {
        code: float(results.se[j, u])
        for code, j in results.plan.positions.items()
        if not math.isnan(results.se[j, u])
    }
    total_se = _num(results.total_se[u])
    index_se = _num(results.index_se[u]) if total_se is not None else None
    return per_node or None, total_se, index_se


def from_results(results: Results) -> ResultsDocument:
    """The engine's results as a document, units in the display order
    (:func:`~chiso.scoring.ranking.display_key`): ranked units by rank (ties by Vietnamese
    name), then units without a rank, by name: complete ones (whose index could not be
    computed), then units assessed but not ranked, then incomplete ones."""
    plan = results.plan
    values, applicable = results.aggregates.values, results.aggregates.applicable
    codes = results.framework.codes
    entries: list[UnitEntry] = []
    for u, unit in enumerate(results.units):
        points: dict[str, Point] = {}
        for code in codes:
            j = plan.positions[code]
            points[code] = NOT_APPLICABLE if not applicable[j, u] else _num(values[j, u])
        band = results.groups[u]
        se, total_se, index_se = _standard_errors(results, u)
        entries.append(
            UnitEntry(
                unit=unit,
                points=points,
                total=_num(results.total[u]),
                max=_num(results.total_max[u]),
                index=_num(results.index[u]),
                rank=int(results.rank[u]) or None,
                group=band.code if band else None,
                status=results.status[u],
                missing=tuple(results.missing.get(u, [])),
                se=se,
                total_se=total_se,
                index_se=index_se,
            )
        )
    order = {"complete": 0, "not ranked": 1, "incomplete": 2}
    entries.sort(key=lambda r: (order[r.status], display_key(r.rank, r.unit)))
    return ResultsDocument(
        FrameworkIdentity.of(results.framework),
        tuple(entries),
        results.summary(),
        codes=tuple(codes),
    )


# --- from JSON read elsewhere --------------------------------------------------------------


class _Checked:
    """Reads the fields of JSON data, noting each that is not of its type as a problem
    (file, row, field) rather than stopping at the first."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.report = ProblemReport()

    def bad(self, reason: str, row: int | None = None, column: str | None = None) -> None:
        self.report.add("results.bad_file", self.file, row, column, reason=reason)

    def number(self, data: Mapping[str, Any], key: str, row: int | None) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.bad(f"{key}: '{value}'", row, key)
            return None
        return value

    def integer(self, data: Mapping[str, Any], key: str, row: int | None) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                return int(value)
            self.bad(f"{key}: '{value}'", row, key)
            return None
        return value

    def text(self, data: Mapping[str, Any], key: str, row: int | None = None) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.bad(f"{key}: '{value}'", row, key)
            return None
        return value

    def mapping(
        self, data: Mapping[str, Any], key: str, row: int | None = None
    ) -> Mapping[str, Any] | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.bad(key, row, key)
            return None
        return value


def _points(check: _Checked, value: Any, row: int) -> dict[str, Point]:
    if not isinstance(value, Mapping):
        check.bad("points", row, "points")
        return {}
    points: dict[str, Point] = {}
    for code, v in value.items():
        if (
            v is None
            or v == NOT_APPLICABLE
            or (isinstance(v, int | float) and not isinstance(v, bool))
        ):
            points[str(code)] = v
        else:
            check.bad(f"'{v}'", row, str(code))
    return points


def _unit(check: _Checked, data: Any, row: int) -> UnitEntry | None:
    if not isinstance(data, Mapping):
        check.bad("units", row)
        return None
    name = data.get("unit")
    if not isinstance(name, str) or not name.strip():
        check.bad("unit", row, "unit")
        return None
    status = data.get("status", "complete")
    if status not in STATUSES:
        check.bad(f"status: '{status}'", row, "status")
        status = "complete"
    se_data = check.mapping(data, "se", row)
    se: dict[str, float] | None = None
    if se_data is not None:
        se = {}
        for code, v in se_data.items():
            if isinstance(v, int | float) and not isinstance(v, bool):
                se[str(code)] = v
            elif v is not None:
                check.bad(f"se: '{v}'", row, str(code))
    missing = data.get("missing") or []
    if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
        check.bad("missing", row, "missing")
        missing = []
    return UnitEntry(
        unit=name,
        points=_points(check, data.get("points", {}), row),
        total=check.number(data, "total", row),
        max=check.number(data, "max", row),
        index=check.number(data, "index", row),
        rank=check.integer(data, "rank", row) or None,
        group=_group(data.get("group")),
        status=status,
        missing=tuple(missing),
        se=se,
        total_se=check.number(data, "total_se", row),
        index_se=check.number(data, "index_se", row),
        group_name=check.text(data, "group_name", row),
    )


def _group(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _framework(check: _Checked, data: Any) -> FrameworkIdentity | None:
    if data is None:
        return None
    if not isinstance(data, Mapping) or not isinstance(data.get("code"), str):
        check.bad("framework.code", None, "framework")
        return None
    precision = check.integer(data, "precision", None)
    return FrameworkIdentity(
        code=data["code"],
        index=check.text(data, "index") or "",
        name_vi=check.text(data, "name_vi") or "",
        name_en=check.text(data, "name_en") or "",
        legal_basis=check.text(data, "legal_basis") or "",
        precision=2 if precision is None else precision,
        rank_by=check.text(data, "rank_by") or "index",
    )


def _summary(check: _Checked, data: Any) -> Summary | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        check.bad("summary", None, "summary")
        return None

    def names(key: str) -> tuple[str, ...]:
        value = data.get(key) or []
        return tuple(str(v) for v in value) if isinstance(value, list) else ()

    per_group = data.get("per_group") or {}
    return Summary(
        units=check.integer(data, "units", None) or 0,
        complete=check.integer(data, "complete", None) or 0,
        ranked=check.integer(data, "ranked", None) or 0,
        mean=check.number(data, "mean", None),
        highest=check.number(data, "highest", None),
        highest_units=names("highest_units"),
        lowest=check.number(data, "lowest", None),
        lowest_units=names("lowest_units"),
        per_group=dict(per_group) if isinstance(per_group, Mapping) else {},
        on=check.text(data, "on") or "index",
    )


def _cycle(check: _Checked, data: Any) -> CycleInfo | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        check.bad("cycle", None, "cycle")
        return None
    return CycleInfo(
        id=check.integer(data, "id", None),
        name=check.text(data, "name") or "",
        year=check.integer(data, "year", None),
        simulated=bool(data.get("simulated")),
    )


def _decision(check: _Checked, data: Any) -> DecisionInfo | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        check.bad("decision", None, "decision")
        return None
    return DecisionInfo(
        number=check.text(data, "number") or "",
        date=check.text(data, "date"),
        body=check.text(data, "body") or "",
    )


def _publication(check: _Checked, data: Any) -> PublicationInfo | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        check.bad("publication", None, "publication")
        return None
    return PublicationInfo(
        revision=check.integer(data, "revision", None),
        reason=check.text(data, "reason") or "",
        decision=_decision(check, data.get("decision")),
        replaces_sha256=check.text(data, "replaces_sha256"),
        sha256=check.text(data, "sha256"),
    )


def check_schema(data: Mapping[str, Any], file: str) -> None:
    """:class:`Refusal` for a document of a schema version this chiso does not know."""
    version = data.get("schema_version", 1)
    if version != SCHEMA_VERSION:
        report = ProblemReport()
        report.add("results.schema", file, version=str(version), known=str(SCHEMA_VERSION))
        raise Refusal(report)


def from_json(data: Any, file: str = "") -> ResultsDocument:
    """A document from its JSON data (what ``chiso score --out x.json`` writes, a revision's
    JSON, an API answer), every field checked; :class:`Refusal` naming the file, the unit's
    row and the field for anything else. Numbers keep their JSON type (``9`` stays an
    integer), so a document read and written again is the same text."""
    check = _Checked(file)
    if not isinstance(data, Mapping) or not isinstance(data.get("units"), list):
        check.bad("units")
        raise Refusal(check.report)
    check_schema(data, file)
    framework = _framework(check, data.get("framework"))
    read = [(row, _unit(check, u, row)) for row, u in enumerate(data["units"], start=1)]
    units = [u for _, u in read if u is not None]
    named = any(isinstance(u, Mapping) and "group_name" in u for u in data["units"])
    summary = _summary(check, data.get("summary"))
    cycle = _cycle(check, data.get("cycle"))
    publication = _publication(check, data.get("publication"))
    _check_names(check, [(row, u.unit) for row, u in read if u is not None])
    if check.report:
        raise Refusal(check.report)
    return ResultsDocument(
        framework,
        tuple(units),
        summary,
        cycle,
        publication,
        named_groups=named,
    )


def _check_names(check: _Checked, names: Sequence[tuple[int, str]]) -> None:
    """Each unit once (names compared in NFC): a second entry would shadow the first."""
    seen: set[str] = set()
    for row, name in names:
        key = nfc(name.strip())
        if key in seen:
            check.bad(f"unit: '{name}'", row, "unit")
        seen.add(key)
