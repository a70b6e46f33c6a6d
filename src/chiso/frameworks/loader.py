"""Read a framework file, check it, and build the :class:`Framework` it describes.

Reading and validating are one pass: every problem is recorded with the file, the line and the
rule broken, and a framework is returned only when there is none. Line numbers come from a YAML
loader that remembers where each mapping and key stood.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from chiso.frameworks.metric import Metric, MetricReader
from chiso.frameworks.model import (
    AGGREGATIONS,
    RULE_KINDS,
    SOURCES,
    SUBJECTS,
    TOTAL_CODE,
    Band,
    Choice,
    Framework,
    Groups,
    HeadClass,
    HeadClassification,
    Node,
    Proposal,
    Rule,
    Ungraded,
)
from chiso.problems import ProblemReport, Refusal
from chiso.vietnamese import is_nfc
from chiso.yamlfiles import LineMap, load_yaml

_CODE = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$")
_TOP_KEYS = {
    "format",
    "code",
    "index",
    "subject",
    "name_vi",
    "name_en",
    "years",
    "legal_basis",
    "sources",
    "notes",
    "scoring",
    "nodes",
    "head_classification",
}
_HEAD_KEYS = {"by", "basis", "classes", "proposals"}
_HEAD_CLASS_KEYS = {"code", "name_vi", "name_en", "groups", "min", "below", "proposal"}
_PROPOSAL_KEYS = {"code", "name_vi", "name_en"}
_NODE_KEYS = {
    "code",
    "name_vi",
    "name_en",
    "max",
    "min",
    "source",
    "aggregation",
    "cap",
    "children_add_up",
    "weight",
    "rule",
    "children",
    "notes",
    "guidance",
    "method",
    "metric",
}
_SCORING_KEYS = {"precision", "rank_by", "total", "groups", "defaults"}
_DEFAULT_KEYS = {"aggregation", "children_add_up", "source", "cap"}
_RULE_KEYS = {"kind", "options", "bands", "full", "per_item", "range"}
_BAND_KEYS = {"code", "name_vi", "name_en", "min", "below", "points"}
_GROUPS_KEYS = {"method", "on", "bands", "ungraded", "source"}
_UNGRADED_KEYS = {"name_vi", "name_en"}
_EPS = 1e-9


class _Reader:
    """Turns the parsed YAML into model objects, recording every problem on the way."""

    def __init__(self, path: str) -> None:
        self.file = path
        self.report = ProblemReport()
        self.seen_codes: dict[str, int] = {}

    # -- small helpers ---------------------------------------------------------------------
    def problem(self, rule: str, line: int | None, column: str | None = None, **kw: Any) -> None:
        self.report.add(rule, self.file, line, column, **kw)

    def line_of(self, mapping: LineMap, key: str) -> int:
        return mapping.key_lines.get(key, mapping.line)

    def check_keys(self, mapping: LineMap, allowed: set[str]) -> None:
        for key in mapping:
            if key not in allowed:
                self.problem("framework.unknown_key", self.line_of(mapping, key), key, key=key)

    def text(self, mapping: LineMap, key: str, required: bool = True) -> str:
        value = mapping.get(key)
        if value is None:
            if required:
                self.problem("framework.missing_key", mapping.line, key, key=key)
            return ""
        if not isinstance(value, str):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            else:
                self.problem(
                    "framework.bad_type", self.line_of(mapping, key), key, key=key, expected="text"
                )
                return ""
        if not is_nfc(value):
            self.problem("framework.not_nfc", self.line_of(mapping, key), key, key=key)
        return value

    def number(
        self, mapping: LineMap, key: str, default: float | None = None, fraction: bool = False
    ) -> float | None:
        if key not in mapping or mapping[key] is None:
            return default
        value = mapping[key]
        if isinstance(value, bool):
            value = None
        elif isinstance(value, (int, float)):
            try:
                number = float(value)
            except OverflowError:  # an integer beyond any float
                number = math.nan
            if math.isfinite(number):
                return number
        elif fraction and isinstance(value, str):
            try:
                number = float(Fraction(value.replace(" ", "")))
            except (ValueError, ZeroDivisionError, OverflowError):
                number = math.nan
            if math.isfinite(number):
                return number
        self.problem("framework.bad_max", self.line_of(mapping, key), key, value=mapping[key])
        return default

    def flag(self, mapping: LineMap, key: str, default: bool) -> bool:
        value = mapping.get(key, default)
        if isinstance(value, bool):
            return value
        self.problem(
            "framework.bad_type", self.line_of(mapping, key), key, key=key, expected="true/false"
        )
        return default

    def choice(self, mapping: LineMap, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = mapping.get(key, default)
        if value not in allowed:
            self.problem(
                "framework.bad_choice",
                self.line_of(mapping, key),
                key,
                key=key,
                value=value,
                allowed=", ".join(allowed),
            )
            return default
        return str(value)

    def mapping(self, value: Any, line: int, column: str | None = None) -> LineMap | None:
        if isinstance(value, LineMap):
            return value
        self.problem("framework.not_mapping", line, column)
        return None

    # -- bands -----------------------------------------------------------------------------
    def bands(
        self,
        raw: Any,
        line: int,
        with_points: bool,
        lo: float | None,
        hi: float | None,
        gaps_allowed: bool = False,
    ) -> tuple[Band, ...]:
        if not isinstance(raw, list) or not raw:
            self.problem(
                "framework.bad_type", line, "bands", key="bands", expected="a list of bands"
            )
            return ()
        out: list[tuple[Band, int]] = []
        for i, item in enumerate(raw):
            m = self.mapping(item, getattr(raw, "line", line), "bands")
            if m is None:
                continue
            self.check_keys(m, _BAND_KEYS)
            code = self.text(m, "code", required=False) or str(i + 1)
            band = Band(
                code=code,
                name_vi=self.text(m, "name_vi", required=False),
                name_en=self.text(m, "name_en", required=False),
                min=self.number(m, "min"),
                below=self.number(m, "below"),
                points=self.number(m, "points"),
            )
            if with_points and band.points is None:
                self.problem("framework.missing_key", m.line, "points", key="points")
            if band.min is not None and band.below is not None and band.min >= band.below:
                self.problem("framework.band_empty", m.line, "bands", band=code)
            out.append((band, m.line))
        gaps = self.check_band_cover(out, lo, hi, gaps_allowed)
        if gaps_allowed and out and not gaps:
            self.problem("framework.ungraded_without_gap", line, "ungraded")
        return tuple(b for b, _ in out)

    def check_band_cover(
        self,
        bands: list[tuple[Band, int]],
        lo: float | None,
        hi: float | None,
        gaps_allowed: bool = False,
    ) -> int:
        """Bands must not overlap and, over [lo, hi] (or all numbers), must leave no gap —
        unless gaps are declared (groups known only in part, ``ungraded``). The number of
        gaps."""
        inf = float("inf")
        spans = sorted(
            (
                (
                    b.min if b.min is not None else -inf,
                    b.below if b.below is not None else inf,
                    b,
                    ln,
                )
                for b, ln in bands
                if b.min is None or b.below is None or b.min < b.below
            ),
            key=lambda s: (s[0], s[1]),
        )
        start = -inf if lo is None else lo
        end = inf if hi is None else hi
        reach = start
        prev: Band | None = None
        gaps = 0
        for low, high, band, ln in spans:
            if prev is not None and low < reach:
                self.problem("framework.band_overlap", ln, "bands", band=band.code, other=prev.code)
            elif low > reach and reach < end:
                gaps += 1
                if not gaps_allowed:
                    self.problem("framework.band_gap", ln, "bands", low=_fmt(reach), high=_fmt(low))
            if high > reach or prev is None:
                reach = max(reach, high)
                prev = band
        if spans and reach < end:
            gaps += 1
            if not gaps_allowed:
                self.problem(
                    "framework.band_gap", spans[-1][3], "bands", low=_fmt(reach), high=_fmt(end)
                )
        return gaps

    # -- rules -----------------------------------------------------------------------------
    def rule(self, raw: Any, line: int, code: str, node_max: float | None) -> Rule:
        m = self.mapping(raw, line, "rule")
        if m is None:
            return Rule()
        self.check_keys(m, _RULE_KEYS)
        kind = m.get("kind", "points")
        if kind not in RULE_KINDS:
            self.problem(
                "framework.rule_unknown",
                self.line_of(m, "kind"),
                "rule.kind",
                kind=kind,
                allowed=", ".join(RULE_KINDS),
            )
            return Rule()
        if kind != "points" and node_max is None and kind != "choice" and kind != "bands":
            self.problem("framework.rule_needs_max", m.line, "rule", kind=kind, code=code)
        options: list[Choice] = []
        bands: tuple[Band, ...] = ()
        if kind == "choice":
            raw_options = m.get("options")
            if not isinstance(raw_options, list) or not raw_options:
                self.problem("framework.missing_key", m.line, "rule.options", key="options")
            else:
                seen: set[str] = set()
                for item in raw_options:
                    om = self.mapping(item, m.line, "rule.options")
                    if om is None:
                        continue
                    value = self.text(om, "value")
                    if value in seen:
                        self.problem("framework.choice_duplicate", om.line, "value", value=value)
                    seen.add(value)
                    points = self.number(om, "points")
                    if points is None:
                        self.problem("framework.missing_key", om.line, "points", key="points")
                        points = 0.0
                    elif node_max is not None and points > node_max + _EPS:
                        self.problem(
                            "framework.band_points",
                            om.line,
                            "points",
                            points=_fmt(points),
                            band=value,
                            max=_fmt(node_max),
                        )
                    options.append(
                        Choice(
                            value,
                            points,
                            self.text(om, "name_vi", required=False),
                            self.text(om, "name_en", required=False),
                        )
                    )
        if kind == "bands":
            rng = m.get("range")
            lo = hi = None
            if isinstance(rng, list) and len(rng) == 2:
                lo, hi = (float(rng[0]), float(rng[1]))
            elif rng is not None:
                self.problem(
                    "framework.bad_type",
                    self.line_of(m, "range"),
                    "rule.range",
                    key="range",
                    expected="[low, high]",
                )
            bands = self.bands(m.get("bands"), self.line_of(m, "bands"), True, lo, hi)
            for band in bands:
                if node_max is not None and band.points is not None and band.points > node_max:
                    self.problem(
                        "framework.band_points",
                        self.line_of(m, "bands"),
                        "bands",
                        points=_fmt(band.points),
                        band=band.code,
                        max=_fmt(node_max),
                    )
        full = self.number(m, "full", 100.0) or 100.0
        per_item = self.number(m, "per_item", 0.0) or 0.0
        if kind == "deduction" and "per_item" not in m:
            self.problem("framework.missing_key", m.line, "rule.per_item", key="per_item")
        return Rule(str(kind), tuple(options), bands, full, per_item)

    # -- nodes -----------------------------------------------------------------------------
    def node(
        self,
        raw: Any,
        line: int,
        parent: str | None,
        defaults: dict[str, Any],
        parent_aggregation: str,
    ) -> Node | None:
        m = self.mapping(raw, line, "nodes")
        if m is None:
            return None
        self.check_keys(m, _NODE_KEYS)
        raw_code = m.get("code")
        code = ""
        if raw_code is None:
            self.problem("framework.missing_key", m.line, "code", key="code")
        elif not isinstance(raw_code, str):
            self.problem(
                "framework.bad_type",
                self.line_of(m, "code"),
                "code",
                key="code",
                expected='a quoted outline number such as "3.2"',
            )
            code = str(raw_code)
        else:
            code = raw_code
            if not is_nfc(code):
                self.problem("framework.not_nfc", self.line_of(m, "code"), "code", key="code")
            if not _CODE.match(code):
                self.problem("framework.bad_code", self.line_of(m, "code"), "code", code=code)
            elif code.casefold() == TOTAL_CODE:
                # score input gives the total's value under this code
                self.problem("framework.reserved_code", self.line_of(m, "code"), "code", code=code)
            elif parent is not None and not code.startswith(parent + "."):
                self.problem(
                    "framework.code_outside_parent",
                    self.line_of(m, "code"),
                    "code",
                    code=code,
                    parent=parent,
                )
            if code in self.seen_codes:
                self.problem(
                    "framework.duplicate_code",
                    self.line_of(m, "code"),
                    "code",
                    code=code,
                    first_line=self.seen_codes[code],
                )
            else:
                self.seen_codes[code] = self.line_of(m, "code")
        name_vi = self.text(m, "name_vi")
        name_en = self.text(m, "name_en", required=False)
        node_max = self.number(m, "max", fraction=True)
        if "max" not in m:
            self.problem("framework.missing_key", m.line, "max", key="max")
        node_min = self.number(m, "min", 0.0, fraction=True) or 0.0
        if node_max is not None and node_min > node_max:
            self.problem(
                "framework.min_above_max", m.line, "min", min=_fmt(node_min), max=_fmt(node_max)
            )
        source = m.get("source", defaults.get("source"))
        if source is not None and source not in SOURCES:
            self.choice(m, "source", SOURCES, "mixed")
            source = None
        aggregation = self.choice(
            m, "aggregation", AGGREGATIONS, str(defaults.get("aggregation", "sum"))
        )
        cap = self.flag(m, "cap", bool(defaults.get("cap", False)))
        add_up = self.flag(m, "children_add_up", bool(defaults.get("children_add_up", False)))
        weight = self.number(m, "weight")
        if parent_aggregation == "weighted_mean" and weight is None:
            self.problem("framework.weight_missing", m.line, "weight", code=code)
        children: list[Node] = []
        raw_children = m.get("children")
        if raw_children is not None:
            if not isinstance(raw_children, list):
                self.problem(
                    "framework.bad_type",
                    self.line_of(m, "children"),
                    "children",
                    key="children",
                    expected="a list of nodes",
                )
            else:
                for item in raw_children:
                    child = self.node(
                        item, raw_children_line(raw_children, m), code, defaults, aggregation
                    )
                    if child is not None:
                        children.append(child)
        rule = Rule()
        if "rule" in m:
            if children:
                self.problem("framework.rule_on_parent", self.line_of(m, "rule"), "rule", code=code)
            else:
                rule = self.rule(m["rule"], self.line_of(m, "rule"), code, node_max)
        metric = self.metric(m, code, source, children)
        if add_up and aggregation == "sum" and children and node_max is not None:
            maxima = [c.max for c in children]
            if all(x is not None for x in maxima):
                total = float(sum(Fraction(x).limit_denominator(10**6) for x in maxima if x))
                if abs(total - node_max) > 1e-6:
                    self.problem(
                        "framework.sum_mismatch",
                        self.line_of(m, "max"),
                        "max",
                        children=_fmt(total),
                        code=code,
                        max=_fmt(node_max),
                    )
        return Node(
            code=code,
            name_vi=name_vi,
            name_en=name_en,
            max=node_max,
            min=node_min,
            source=source,
            aggregation=aggregation,
            cap=cap,
            weight=weight,
            rule=rule,
            children=tuple(children),
            line=m.line,
            guidance=self.text(m, "guidance", required=False),
            method=self.text(m, "method", required=False),
            notes=self.text(m, "notes", required=False),
            metric=metric,
        )

    def metric(self, m: LineMap, code: str, source: Any, children: list[Node]) -> Metric | None:
        """A leaf's ``metric`` (in the words of frameworks/dossier_schema.py only); only a leaf
        whose points come from data (``source: data``) may carry one."""
        if "metric" not in m:
            return None
        line = self.line_of(m, "metric")
        if children:
            self.problem("framework.rule_on_parent", line, "metric", code=code)
            return None
        if source != "data":
            self.problem("framework.metric_not_data", line, "metric", code=code)
        return MetricReader(self.problem).metric(m["metric"], line)

    # -- the whole file --------------------------------------------------------------------
    def framework(self, doc: Any) -> Framework | None:
        top = self.mapping(doc, 1)
        if top is None:
            return None
        self.check_keys(top, _TOP_KEYS)
        fmt = top.get("format", 1)
        if fmt != 1:
            self.problem("framework.bad_format", self.line_of(top, "format"), "format", found=fmt)
        code = self.text(top, "code")
        index = self.text(top, "index")
        subject_raw = top.get("subject")
        subjects: tuple[str, ...] = ()
        if subject_raw is None:
            self.problem("framework.missing_key", top.line, "subject", key="subject")
        else:
            items = subject_raw if isinstance(subject_raw, list) else [subject_raw]
            for s in items:
                if s not in SUBJECTS:
                    self.problem(
                        "framework.bad_choice",
                        self.line_of(top, "subject"),
                        "subject",
                        key="subject",
                        value=s,
                        allowed=", ".join(SUBJECTS),
                    )
            subjects = tuple(str(s) for s in items)
        name_vi = self.text(top, "name_vi")
        name_en = self.text(top, "name_en")
        legal_basis = self.text(top, "legal_basis")
        year_from, year_to = 0, None
        years = top.get("years")
        ym = self.mapping(years, self.line_of(top, "years"), "years") if years is not None else None
        if years is None:
            self.problem("framework.missing_key", top.line, "years", key="years")
        elif ym is not None:
            start, end = ym.get("from"), ym.get("to")
            if not isinstance(start, int):
                self.problem(
                    "framework.bad_type", ym.line, "years.from", key="from", expected="a year"
                )
            else:
                year_from = start
            if end is not None and not isinstance(end, int):
                self.problem("framework.bad_type", ym.line, "years.to", key="to", expected="a year")
            elif end is not None:
                year_to = end
                if year_from and end < year_from:
                    self.problem("framework.years", ym.line, "years", start=year_from, end=end)
        sources_raw = top.get("sources") or []
        sources = tuple(str(s) for s in sources_raw) if isinstance(sources_raw, list) else ()
        notes = self.text(top, "notes", required=False)

        scoring = top.get("scoring") or LineMap()
        sm = self.mapping(scoring, self.line_of(top, "scoring"), "scoring") or LineMap()
        if not hasattr(sm, "key_lines"):
            sm.key_lines = {}
        self.check_keys(sm, _SCORING_KEYS)
        precision = sm.get("precision", 2)
        if not isinstance(precision, int) or isinstance(precision, bool) or precision < 0:
            self.problem(
                "framework.bad_type",
                self.line_of(sm, "precision"),
                "precision",
                key="precision",
                expected="a whole number ≥ 0",
            )
            precision = 2
        rank_by = self.choice(sm, "rank_by", ("index", "total"), "index")
        total_aggregation, total_max = "sum", None
        if "total" in sm:
            tm = self.mapping(sm["total"], self.line_of(sm, "total"), "total")
            if tm is not None:
                total_aggregation = self.choice(tm, "aggregation", AGGREGATIONS, "sum")
                total_max = self.number(tm, "max", fraction=True)
        defaults: dict[str, Any] = {}
        if "defaults" in sm:
            dm = self.mapping(sm["defaults"], self.line_of(sm, "defaults"), "defaults")
            if dm is not None:
                self.check_keys(dm, _DEFAULT_KEYS)
                defaults = dict(dm)
                for key in ("source",):
                    if key in dm and dm[key] not in SOURCES:
                        self.choice(dm, key, SOURCES, "mixed")
                        defaults.pop(key)
                if "aggregation" in dm:
                    defaults["aggregation"] = self.choice(dm, "aggregation", AGGREGATIONS, "sum")
        groups = None
        if "groups" in sm:
            gm = self.mapping(sm["groups"], self.line_of(sm, "groups"), "groups")
            if gm is not None:
                self.check_keys(gm, _GROUPS_KEYS)
                method = self.choice(gm, "method", ("bands", "quartiles"), "bands")
                on = self.choice(gm, "on", ("index", "total"), "index")
                ungraded = self.ungraded(gm) if method == "bands" else None
                gbands: tuple[Band, ...] = ()
                if method == "bands":
                    gbands = self.bands(
                        gm.get("bands"),
                        self.line_of(gm, "bands"),
                        False,
                        None,
                        None,
                        gaps_allowed=ungraded is not None,
                    )
                source = self.text(gm, "source", required=False)
                groups = Groups(method, on, gbands, ungraded, source)

        nodes: list[Node] = []
        raw_nodes = top.get("nodes")
        if not isinstance(raw_nodes, list) or not raw_nodes:
            self.problem("framework.no_nodes", self.line_of(top, "nodes"), "nodes")
        else:
            for item in raw_nodes:
                n = self.node(
                    item, getattr(raw_nodes, "line", 1), None, defaults, total_aggregation
                )
                if n is not None:
                    nodes.append(n)
        add_up = bool(defaults.get("children_add_up", False))
        if add_up and total_aggregation == "sum" and total_max is not None and nodes:
            maxima = [n.max for n in nodes]
            if all(x is not None for x in maxima):
                total = sum(x for x in maxima if x is not None)
                if abs(total - total_max) > 1e-6:
                    self.problem(
                        "framework.sum_mismatch",
                        sm.line,
                        "total.max",
                        children=_fmt(total),
                        code="total",
                        max=_fmt(total_max),
                    )
        heads = None
        if "head_classification" in top:
            line = self.line_of(top, "head_classification")
            heads = self.head_classification(top["head_classification"], line, groups)
        if self.report:
            return None
        return Framework(
            code=code,
            index=index,
            subjects=subjects,
            name_vi=name_vi,
            name_en=name_en,
            year_from=year_from,
            year_to=year_to,
            legal_basis=legal_basis,
            nodes=tuple(nodes),
            sources=sources,
            notes=notes,
            precision=precision,
            rank_by=rank_by,
            total_aggregation=total_aggregation,
            total_max=total_max,
            groups=groups,
            path=self.file,
            head_classification=heads,
        )

    def ungraded(self, gm: LineMap) -> Ungraded | None:
        """``groups.ungraded``: how a value in a gap between bands is named, when the bands
        are known only in part (a gap is then allowed; without it a gap is refused)."""
        if "ungraded" not in gm:
            return None
        um = self.mapping(gm["ungraded"], self.line_of(gm, "ungraded"), "ungraded")
        if um is None:
            return None
        self.check_keys(um, _UNGRADED_KEYS)
        return Ungraded(self.text(um, "name_vi"), self.text(um, "name_en", required=False))

    # -- the head's classification ---------------------------------------------------------
    def head_classification(
        self, raw: Any, line: int, groups: Groups | None
    ) -> HeadClassification | None:
        """``head_classification``: classes reached from the groups (each group in exactly one
        class) or from bands of the index (no overlap, no gap), each with an optional
        proposal from the listed ones."""
        m = self.mapping(raw, line, "head_classification")
        if m is None:
            return None
        self.check_keys(m, _HEAD_KEYS)
        on = self.choice(m, "by", ("group", "index"), "group")  # "on" would read as a bool
        basis = self.text(m, "basis", required=False)
        proposals: list[Proposal] = []
        for item in m.get("proposals") or []:
            pm = self.mapping(item, self.line_of(m, "proposals"), "proposals")
            if pm is not None:
                self.check_keys(pm, _PROPOSAL_KEYS)
                proposals.append(
                    Proposal(
                        self.text(pm, "code"),
                        self.text(pm, "name_vi"),
                        self.text(pm, "name_en", required=False),
                    )
                )
        known_proposals = {p.code for p in proposals}
        raw_classes = m.get("classes")
        if not isinstance(raw_classes, list) or not raw_classes:
            self.problem(
                "framework.bad_type",
                self.line_of(m, "classes"),
                "classes",
                key="classes",
                expected="a list of classes",
            )
            return None
        classes: list[tuple[HeadClass, int]] = []
        for item in raw_classes:
            cm = self.mapping(item, getattr(raw_classes, "line", line), "classes")
            if cm is None:
                continue
            self.check_keys(cm, _HEAD_CLASS_KEYS)
            named = [str(g) for g in cm.get("groups") or []] if on == "group" else []
            head = HeadClass(
                code=self.text(cm, "code"),
                name_vi=self.text(cm, "name_vi"),
                name_en=self.text(cm, "name_en", required=False),
                groups=tuple(named),
                min=self.number(cm, "min") if on == "index" else None,
                below=self.number(cm, "below") if on == "index" else None,
                proposal=self.text(cm, "proposal", required=False),
            )
            if head.proposal and head.proposal not in known_proposals:
                self.problem(
                    "framework.head_proposal_unknown",
                    self.line_of(cm, "proposal"),
                    "proposal",
                    proposal=head.proposal,
                )
            classes.append((head, cm.line))
        if on == "index":
            bands = [(Band(h.code, min=h.min, below=h.below), ln) for h, ln in classes]
            self.check_band_cover(bands, None, None)
        else:
            self.check_head_groups(classes, groups, line)
        return HeadClassification(on, tuple(h for h, _ in classes), tuple(proposals), basis)

    def check_head_groups(
        self, classes: list[tuple[HeadClass, int]], groups: Groups | None, line: int
    ) -> None:
        """Every group of the framework in exactly one class, and no group it does not have."""
        if groups is None or groups.method != "bands":
            self.problem("framework.head_needs_groups", line, "head_classification")
            return
        codes = [b.code for b in groups.bands]
        seen: dict[str, str] = {}
        for head, ln in classes:
            for g in head.groups:
                if g not in codes:
                    self.problem(
                        "framework.bad_choice",
                        ln,
                        "groups",
                        key="groups",
                        value=g,
                        allowed=", ".join(codes),
                    )
                elif g in seen:
                    self.problem(
                        "framework.band_overlap", ln, "groups", band=head.code, other=seen[g]
                    )
                seen.setdefault(g, head.code)
        for g in codes:
            if g not in seen:
                self.problem("framework.head_group_missing", line, "head_classification", group=g)


def raw_children_line(children: Any, parent: LineMap) -> int:
    return int(getattr(children, "line", parent.line))


def _fmt(x: float) -> str:
    return f"{x:g}"


def read_framework(path: str | Path) -> tuple[Framework | None, ProblemReport]:
    """Read and check the framework file at ``path``: the framework, or every problem found."""
    name = str(path)
    reader = _Reader(name)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        reader.problem("file.unreadable", None, reason=exc.strerror or str(exc))
        return None, reader.report
    doc = load_yaml(raw, name, reader.report)
    if doc is None:
        return None, reader.report
    return reader.framework(doc), reader.report


@lru_cache(maxsize=32)
def framework_from_text(text: str, name: str = "framework.yaml") -> Framework:
    """A framework from YAML text (as a cycle stores it); raise with the report if invalid.

    Kept per text and name (a framework is an immutable value; a cycle's pages ask for the same
    one on every request): the one cache of frameworks read from text, which lets
    :func:`chiso.scoring.plan.compile_plan` find the plan it made for it. An invalid text is
    read again each time, so its report is always fresh."""
    reader = _Reader(name)
    doc = load_yaml(text.encode("utf-8"), name, reader.report)
    framework = None if doc is None else reader.framework(doc)
    if framework is None:
        raise Refusal(reader.report)
    return framework


def load_framework(path: str | Path) -> Framework:
    """Read a framework that must be valid; raise :class:`Refusal` with the report if not."""
    framework, report = read_framework(path)
    if framework is None:
        raise Refusal(report)
    return framework
