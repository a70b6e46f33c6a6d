"""Indicator definitions (framework leaves with a ``metric``) compiled to one Ibis expression.

The expression is the whole computation: each record is placed among the periods' boundaries
by a binary search (not compared with every period), the records are counted once, grouped by
unit, procedure and place, for the conditions on their own columns (their flags, channel,
outcome…), and only those few counts are repeated for each period they matter to (received
before the period ends, not finished before it starts), where the conditions that depend on the
period pick which of them each numerator and denominator adds up. The same expression runs on
DuckDB and on Spark (:mod:`chiso.records.engines`), so the counts are the same on a laptop and
on a cluster; the rates are divided here, in Python, from those integer counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from chiso.frameworks.dossier_schema import LEVELS, OPEN
from chiso.frameworks.metric import Filter

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from chiso.frameworks.model import Framework, Node
    from chiso.records.periods import Period


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator for one group (a unit, or a unit's procedure or field) in one period."""

    period: str
    unit: str
    key: str | None
    node: str
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        """The rate in %; None where nothing is counted (the indicator does not apply)."""
        if self.denominator == 0:
            return None
        return 100.0 * self.numerator / self.denominator


def data_leaves(framework: Framework) -> list[Node]:
    """The framework's leaves computed from records, in outline order."""
    return [n for n in framework.leaves() if n.metric is not None]


def _period_flags(t: ir.Table) -> dict[str, ir.BooleanValue]:
    """The flags of docs/dossier-records.md that depend on the period, over a table of
    records joined to periods (columns ``p_start``, ``p_end``). Each is true or false, never
    null: a missing value is "no"."""
    start, end = t.p_start, t.p_end
    finished = t.finished
    open_at_end = (t.received < end) & (finished.isnull() | (finished >= end))

    def yes(column: ir.BooleanValue) -> ir.BooleanValue:
        return column.fill_null(False)

    return {
        "received_in_period": (t.received >= start) & (t.received < end),
        "finished_in_period": yes(finished.notnull() & (finished >= start) & (finished < end)),
        "open_at_end": yes(open_at_end),
        "overdue_at_end": yes(open_at_end & (t.due < end)),
    }


def _record_flags(t: ir.Table, names: set[str] | None = None) -> dict[str, ir.BooleanValue]:
    """The flags of a record that do not depend on the period (those of ``names`` only: the
    others' columns may not have been read): true, false, or null where a column is empty,
    which counts as false. They are only counted (``count_if``, which does not count a null)
    after ANDs and ORs, where a null cannot make a condition true, and :func:`_condition`
    fills the null before a NOT: filling every flag of every record beforehand was a COALESCE
    each, some tenth of the time of a national run."""
    made: dict[str, Any] = {
        "on_time": lambda: t.finished <= t.due,  # null when open: not (yet) on time
        "late": lambda: t.finished > t.due,
        "paid_online": lambda: t.paid_online,
        "fee": lambda: t.paid_online.notnull(),
        "inputs_digitised": lambda: t.inputs_digitised,
        "results_digitised": lambda: t.results_digitised,
        "synced": lambda: t.synced,
        "reused": lambda: t.reused,
        "rated": lambda: t.rating.notnull(),
        "unsatisfied": lambda: t.rating == 1,
    }
    return {name: make() for name, make in made.items() if names is None or name in names}


_FLAG_COLUMNS: dict[str, tuple[str, ...]] = {
    "paid_online": ("paid_online",),
    "fee": ("paid_online",),
    "inputs_digitised": ("inputs_digitised",),
    "results_digitised": ("results_digitised",),
    "synced": ("synced",),
    "reused": ("reused",),
    "rated": ("rating",),
    "unsatisfied": ("rating",),
}
_ALWAYS = ("unit", "procedure", "received", "due", "finished")


def _filters(f: Filter) -> list[Filter]:
    out = [f]
    for g in f.any_of:
        out += _filters(g)
    return out


def used_by(leaves: list[Node], by: str) -> tuple[set[str], list[str]]:
    """The flags the leaves' filters test, and the record columns they read: a plan reads
    no other column (Parquet is read by column; on Spark, less to shuffle)."""
    flags: set[str] = set()
    columns: list[str] = list(_ALWAYS)
    if by not in columns:
        columns.append(by)

    def need(name: str) -> None:
        if name not in columns:
            columns.append(name)

    for leaf in leaves:
        assert leaf.metric is not None
        if tuple(leaf.metric.levels) != LEVELS:
            need("level")
        for f in _filters(leaf.metric.numerator) + _filters(leaf.metric.denominator):
            for name, _ in f.flags:
                flags.add(name)
                for column in _FLAG_COLUMNS.get(name, ()):
                    need(column)
            if f.channels is not None:
                need("channel")
            if f.outcomes is not None:
                need("outcome")
            if f.rating_at_least is not None or f.rating_at_most is not None:
                need("rating")
    return flags, columns


Word = tuple[str, Any]
"""A condition on a record's own columns: ("channel", words), ("outcome", words), ("level",
words), ("rating>=", n) or ("rating<=", n)."""


def _words_of(f: Filter) -> list[Word]:
    out: list[Word] = []
    if f.channels is not None:
        out.append(("channel", f.channels))
    if f.outcomes is not None:
        out.append(("outcome", f.outcomes))
    if f.rating_at_least is not None:
        out.append(("rating>=", f.rating_at_least))
    if f.rating_at_most is not None:
        out.append(("rating<=", f.rating_at_most))
    for g in f.any_of:
        out += _words_of(g)
    return out


def _word(t: ir.Table, word: Word) -> ir.BooleanValue:
    """The condition ``word`` on the record's columns: true, false, or null where the column
    is empty, which counts as false (as a record's flags, :func:`_record_flags`: a word is
    never negated)."""
    import ibis

    kind, value = word
    if kind == "channel":
        return t.channel.isin(list(value))
    if kind == "level":
        return t.level.isin(list(value))
    if kind == "outcome":
        named = tuple(o for o in value if o != OPEN)
        cond = t.outcome.isin(list(named)) if named else ibis.literal(False)
        if OPEN in value:
            cond = cond | t.outcome.isnull()
        return cond
    if kind == "rating>=":
        return t.rating >= value
    return t.rating <= value


def _condition(
    t: ir.Table,
    flags: dict[str, ir.BooleanValue],
    f: Filter,
    words: dict[Word, ir.BooleanValue] | None = None,
) -> ir.BooleanValue:
    """The filter ``f`` as a boolean: its flags from ``flags``, its conditions on the
    record's columns from ``words`` when they were computed beforehand (else from ``t``).
    True where the filter holds; false or null where it does not (a null flag or word is a
    "no", and a flag's null is filled before it is negated: NOT null would be null, not
    "yes"), so it is counted with ``count_if`` (:func:`_count`), which counts only true."""
    import ibis

    def word(w: Word) -> ir.BooleanValue:
        return words[w] if words is not None and w in words else _word(t, w)

    parts: list[ir.BooleanValue] = []
    for name, wanted in f.flags:
        parts.append(flags[name] if wanted else ~flags[name].fill_null(False))
    if f.channels is not None:
        parts.append(word(("channel", f.channels)))
    if f.outcomes is not None:
        parts.append(word(("outcome", f.outcomes)))
    if f.rating_at_least is not None:
        parts.append(word(("rating>=", f.rating_at_least)))
    if f.rating_at_most is not None:
        parts.append(word(("rating<=", f.rating_at_most)))
    if f.any_of:
        options = [_condition(t, flags, g, words) for g in f.any_of]
        either = options[0]
        for option in options[1:]:
            either = either | option
        parts.append(either)
    if not parts:
        return ibis.literal(True)
    out = parts[0]
    for part in parts[1:]:
        out = out & part
    return out


def _match(
    t: ir.Table,
    flags: dict[str, ir.BooleanValue],
    f: Filter,
    levels: tuple[str, ...],
    words: dict[Word, ir.BooleanValue] | None = None,
) -> Any:
    """Whether a record matches the filter ``f`` at one of the ``levels``."""
    cond = _condition(t, flags, f, words)
    if tuple(levels) != LEVELS:
        level = ("level", tuple(levels))
        cond = cond & (words[level] if words and level in words else _word(t, level))
    return cond


def _count(t: ir.Table, cond: Any) -> Any:
    """How many rows of ``t`` meet ``cond`` (``count_if``, which DuckDB and Spark SQL both
    have: a 64-bit count, where a sum of the condition cast to integers made DuckDB keep a
    128-bit sum for each of a dozen counts of every group); a filter without any condition is
    the constant true (a scalar, which has no count): every row."""
    import ibis.expr.types as types

    if isinstance(cond, types.Scalar):
        every = t.count()
        return every if getattr(cond.op(), "value", None) is True else every * 0
    return _count_if()(cond)


@cache
def _count_if() -> Any:
    """SQL's ``count_if(condition)``: the rows where the condition is true (a null is not
    counted), as a 64-bit integer."""
    import ibis

    def count_if(arg):  # type: ignore[no-untyped-def]
        """The engine's own count_if (types given below: this module's annotations are text)."""

    return ibis.udf.agg.builtin(count_if, signature=(("boolean",), "int64"))


def _distinct_filters(
    leaves: list[Node],
) -> tuple[dict[str, tuple[Filter, tuple[str, ...]]], dict[str, str]]:
    """The numerators' (``n<i>``) and denominators' (``d<i>``) filters with their levels,
    each counted once: the first name of each, and the others' aliases (a filter two leaves
    share is counted once)."""
    unique: dict[str, tuple[Filter, tuple[str, ...]]] = {}
    shared: dict[tuple[Filter, tuple[str, ...]], str] = {}
    alias: dict[str, str] = {}
    for i, leaf in enumerate(leaves):
        assert leaf.metric is not None
        for part in ("n", "d"):
            filter_ = leaf.metric.numerator if part == "n" else leaf.metric.denominator
            key = (filter_, tuple(leaf.metric.levels))
            name = f"{part}{i}"
            if key in shared:
                alias[name] = shared[key]
                continue
            shared[key] = name
            unique[name] = key
    return unique, alias


def contiguous(periods: list[Period]) -> bool:
    """The periods follow each other without gap or overlap (each ends where the next
    starts), as :func:`chiso.records.periods.parse_periods` gives them."""
    from itertools import pairwise

    return (
        bool(periods)
        and all(p.start < p.end for p in periods)
        and all(a.end == b.start for a, b in pairwise(periods))
    )


def _position(column: Any, bounds: list[Any], lo: int = 0, hi: int | None = None) -> Any:
    """How many of the sorted ``bounds`` are at or before ``column``: a binary search
    written as nested CASEs (four comparisons for a year of months), where a join of every
    record with every period would compare each record with all of them.

    A null time (an open dossier's finish, a missing due time) is after every bound: each
    test is written ``column < bound``, which a null does not pass (SQL's CASE and IF take
    the other branch on a null, on DuckDB as on Spark), so a null goes the way of the later
    bounds and ends at ``len(bounds)`` — what filling it with the last boundary gave, without
    a COALESCE of every record's times."""
    import ibis

    if hi is None:
        hi = len(bounds)
    if lo == hi:
        return ibis.literal(lo, "int16")
    mid = (lo + hi) // 2
    return ibis.ifelse(
        column < ibis.literal(bounds[mid], "timestamp"),
        _position(column, bounds, lo, mid),
        _position(column, bounds, mid + 1, hi),
    )


PERIOD_FLAGS = ("received_in_period", "finished_in_period", "open_at_end", "overdue_at_end")
"""The flags that depend on the period; the others are a record's own."""


def _place(records: ir.Table, periods: list[Period], keep: list[str], due: bool) -> ir.Table:
    """The records that matter to at least one of the contiguous ``periods``, each with its
    place among their boundaries: ``_cr``, ``_cf`` and (with ``due``) ``_cd``.

    With the boundaries B = (start₀, …, startₙ₋₁, endₙ₋₁), c(t) = #{b ∈ B : b ≤ t} places a
    time: in period c − 1 when 1 ≤ c ≤ n (an open dossier counts as finished after the last
    boundary). A record matters to the periods lo … hi with lo = max(c(received) − 1, 0) and
    hi = min(c(finished), n) − 1. The due time's place is kept only as far as it can change
    ``overdue_at_end`` (:func:`_spread`): at most lo + 1 (overdue from its first period on)
    and at least c(finished) (never overdue) — so that records differing only there group
    together.

    The records are chosen on their own times, received before the last period ends and
    not finished before the first starts, which the engines test as they read the files
    (DuckDB and Spark push such a filter into the Parquet scan) rather than on the places
    computed for every record. That keeps exactly the records with lo ≤ hi, and also those
    finished before they were received in the same window (bad data): for those hi < lo,
    and the spread drops them (:func:`_spread` has no span below 1)."""
    import ibis

    bounds = [p.start for p in periods] + [periods[-1].end]
    first = ibis.literal(periods[0].start, "timestamp")
    last = ibis.literal(periods[-1].end, "timestamp")
    records = records.filter(
        records.received < last, records.finished.isnull() | (records.finished >= first)
    )
    places = {
        "_cr": _position(records.received, bounds),
        "_cf": _position(records.finished, bounds),  # open: after the last boundary
    }
    if due:
        places["_cd"] = _position(records.due, bounds)
    placed = records.mutate(**places)
    out = [*keep, "_cr", "_cf"]
    if due:
        lo = ibis.greatest(placed._cr - 1, 0)
        cd = ibis.least(ibis.greatest(placed._cd, lo + 1), placed._cf).cast("int16")
        placed = placed.mutate(_cd=cd)
        out.append("_cd")
    result: ir.Table = placed.select(*out)
    return result


def _spread(placed: ir.Table, n: int, due: bool = True) -> tuple[ir.Table, dict[str, Any]]:
    """Each placed row (:func:`_place`) once for each of the ``n`` periods it matters to,
    the period given by its position ``pi`` — without comparing it with every period: an
    equality join with the small table of (span, k) pairs, k < span, where a row of span
    hi − lo + 1 meets its k. In period i a record is received there when i = c(received) − 1,
    finished there when i = c(finished) − 1, open at the end when i + 1 < c(finished), and
    its due time is before the end when c(due) − 1 ≤ i. ``due``: the rows carry ``_cd``
    (only ``overdue_at_end`` tests it)."""
    import ibis
    import pyarrow as pa

    spans, steps = [], []
    for span in range(1, n + 1):
        for k in range(span):
            spans.append(span)
            steps.append(k)
    pairs = ibis.memtable(
        pa.table({"_span": pa.array(spans, pa.int16()), "_k": pa.array(steps, pa.int16())})
    )
    placed = placed.mutate(_lo=ibis.greatest(placed._cr - 1, 0), _hi=ibis.least(placed._cf, n) - 1)
    spread = placed.join(pairs, (placed._hi - placed._lo + 1) == pairs._span)
    spread = spread.mutate(pi=(spread._lo + spread._k).cast("int16"))
    i = spread.pi
    open_at_end = i + 1 < spread._cf
    period_flags = {
        "received_in_period": i == spread._cr - 1,
        "finished_in_period": i == spread._cf - 1,
        "open_at_end": open_at_end,
    }
    if due:
        period_flags["overdue_at_end"] = open_at_end & (spread._cd - 1 <= i)
    return spread, period_flags


def _radix(n: int, due: bool) -> tuple[int, str]:
    """The base of a packed place (a place is 0 … n + 1) and the integer type that holds
    the packed places of ``n`` periods."""
    k = n + 2
    top = k ** (3 if due else 2)  # the places are below k: every code is below k³ (or k²)
    return k, "int16" if top <= 2**15 else "int32" if top <= 2**31 else "int64"


def _packed(placed: ir.Table, n: int, due: bool) -> Any:
    """A record's places among the boundaries (:func:`_place`) as one integer, (_cr · k +
    _cf) · k + _cd with k = n + 2, to group by: one integer key instead of three is less
    for the engine to hash and compare for each record (a hundred million of them at
    national scale), and the places are read back from it exactly (:func:`_unpacked`)."""
    k, kind = _radix(n, due)

    def wide(column: Any) -> Any:
        return column if kind == "int16" else column.cast(kind)  # the places are int16

    code = wide(placed._cr) * k + wide(placed._cf)
    return code * k + wide(placed._cd) if due else code


def _unpacked(small: ir.Table, n: int, due: bool) -> ir.Table:
    """The places packed by :func:`_packed`, back as ``_cr``, ``_cf`` and ``_cd``."""
    k, _ = _radix(n, due)
    c = small._c
    places = {}
    if due:
        places["_cd"] = (c % k).cast("int16")
        c = c // k
    places |= {"_cf": (c % k).cast("int16"), "_cr": (c // k).cast("int16")}
    return small.mutate(**places).drop("_c")


def _residual(f: Filter, fixed: dict[str, bool]) -> Filter | None:
    """What is left of the filter ``f`` once the flags ``fixed`` have these values: a filter
    (the empty one when ``f`` holds whatever else is true), or None when ``f`` cannot hold."""
    from dataclasses import replace

    kept: list[tuple[str, bool]] = []
    for name, wanted in f.flags:
        if name not in fixed:
            kept.append((name, wanted))
        elif fixed[name] != wanted:
            return None
    options: list[Filter] = []
    if f.any_of:
        for g in f.any_of:
            left = _residual(g, fixed)
            if left == Filter():  # one option holds: the others need not be tested
                options = []
                break
            if left is not None:
                options.append(left)
        else:
            if not options:
                return None
    return replace(f, flags=tuple(kept), any_of=tuple(options))


def _possible(fixed: dict[str, bool]) -> bool:
    """Whether the period flags can have the values ``fixed`` together: finished in the
    period and open at its end exclude each other, overdue at the end is open at the end."""
    finished = fixed.get("finished_in_period")
    open_ = fixed.get("open_at_end")
    overdue = fixed.get("overdue_at_end")
    if finished and (open_ or overdue):
        return False
    return not (overdue and open_ is False)


def _cases(f: Filter) -> list[tuple[dict[str, bool], Filter]]:
    """The filter ``f`` split by the values of the period flags it tests: for each set of
    values that can occur together, the condition left on the record's own columns (values
    under which ``f`` cannot hold are left out)."""
    from itertools import product

    tested = sorted({name for g in _filters(f) for name, _ in g.flags if name in PERIOD_FLAGS})
    out: list[tuple[dict[str, bool], Filter]] = []
    for values in product((False, True), repeat=len(tested)):
        fixed = dict(zip(tested, values, strict=True))
        if not _possible(fixed):
            continue
        left = _residual(f, fixed)
        if left is not None:
            out.append((fixed, left))
    return out


def _joined(records: ir.Table, periods: list[Period]) -> tuple[ir.Table, dict[str, Any]]:
    """Each record joined to each period it matters to (any periods: overlapping or with
    gaps), the period given by its position ``pi``."""
    import ibis
    import pyarrow as pa

    table = ibis.memtable(
        pa.table(
            {
                "pi": pa.array(range(len(periods)), pa.int16()),
                "p_start": pa.array([p.start for p in periods], pa.timestamp("us")),
                "p_end": pa.array([p.end for p in periods], pa.timestamp("us")),
            }
        )
    )
    joined = records.join(
        table,
        (records.received < table.p_end)
        & (records.finished.isnull() | (records.finished >= table.p_start)),
    )
    return joined, _period_flags(joined)


def _counted_joined(
    r: ir.Table,
    own: dict[str, Any],
    tested: list[Word],
    leaves: list[Node],
    periods: list[Period],
    names: set[str],
    fine: list[str],
    with_rows: bool,
) -> tuple[ir.Table, dict[str, str]]:
    """The counts per ``fine`` group for periods that do not follow each other: each record
    joined to each period it matters to, every condition tested on the joined rows."""
    spread, period_flags = _joined(r, periods)
    words = {w: spread[f"w_{k}"] for k, w in enumerate(tested)}
    flags = {name: spread[f"f_{name}"] for name in own}
    flags.update({name: f for name, f in period_flags.items() if name in names})
    first: dict[str, Any] = {}
    if with_rows:
        first["k"] = spread.count()
    unique, alias = _distinct_filters(leaves)
    for name, (filter_, levels) in unique.items():
        first[name] = _count(spread, _match(spread, flags, filter_, levels, words))
    return spread.group_by(fine).aggregate(**first), alias


def _counted_by_place(
    r: ir.Table,
    own: dict[str, Any],
    tested: list[Word],
    leaves: list[Node],
    periods: list[Period],
    keys: list[str],
    due: bool,
    with_rows: bool,
) -> tuple[ir.Table, dict[str, str]]:
    """The counts per period and ``keys`` group for contiguous periods, aggregated first at
    the records' grain: one pass groups the records by ``keys`` and their place among the
    periods' boundaries (:func:`_place`), summing the conditions on their own columns; only
    that small table is spread over the periods it matters to (:func:`_spread`) and summed
    per period. Each filter is split by the values of the period flags it tests
    (:func:`_cases`): in a period, a group's count is the sum of what its records' own
    conditions left for the values its period flags have there. Counts add up, so the numbers
    are those of spreading every record (what this did before, at several times the cost)."""
    import ibis

    keep = list(dict.fromkeys(keys))
    own_columns = [f"f_{name}" for name in own] + [f"w_{k}" for k in range(len(tested))]
    placed = _place(r, periods, keep + own_columns, due)
    placed = placed.mutate(_c=_packed(placed, len(periods), due))
    words = {w: placed[f"w_{k}"] for k, w in enumerate(tested)}
    flags = {name: placed[f"f_{name}"] for name in own}
    unique, alias = _distinct_filters(leaves)
    first: dict[str, Any] = {"_n": placed.count()}
    sums: dict[tuple[Filter, tuple[str, ...]], str] = {}
    terms: dict[str, list[tuple[dict[str, bool], str]]] = {}
    for name, (filter_, levels) in unique.items():
        terms[name] = []
        for fixed, left in _cases(filter_):
            key = (left, levels)
            if key not in sums:
                if left == Filter() and tuple(levels) == LEVELS:
                    sums[key] = "_n"
                else:
                    sums[key] = f"_s{len(sums)}"
                    cond = _match(placed, flags, left, levels, words)
                    first[sums[key]] = _count(placed, cond)
            terms[name].append((fixed, sums[key]))
    small = _unpacked(placed.group_by([*keep, "_c"]).aggregate(**first), len(periods), due)
    spread, period_flags = _spread(small, len(periods), due)
    second: dict[str, Any] = {}
    if with_rows:
        second["k"] = spread._n.sum()
    for name, cases in terms.items():
        total: Any = spread._n * 0  # a filter that never holds
        for k, (fixed, column) in enumerate(cases):
            conds = [period_flags[f] if v else ~period_flags[f] for f, v in fixed.items()]
            term: Any = spread[column]
            if conds:
                both = conds[0]
                for cond in conds[1:]:
                    both = both & cond
                term = ibis.ifelse(both, term, 0)
            total = term if k == 0 else total + term
        second[name] = total.sum()
    return spread.group_by(["pi", *keep]).aggregate(**second), alias


def procedure_counts(
    records: ir.Table,
    leaves: list[Node],
    periods: list[Period],
    by: str = "unit",
    with_rows: bool = False,
) -> ir.Table:
    """The first of the two aggregations of :func:`compile_indicators`: per period, group
    and procedure, how many records match each leaf's numerator (``n<i>``) and denominator
    (``d<i>``) — and, with ``with_rows``, how many records the group has (``k``). Integer
    counts that add up: the counts of two sets of records are the sums of their counts, which
    is what lets a running month be updated by adding and subtracting
    (:mod:`chiso.records.running`).

    One pass over the records' columns that the leaves read, every condition a boolean
    column: for periods that follow each other, the records are first counted by group and
    place among the periods (:func:`_counted_by_place`), and only those counts are spread over
    the periods; otherwise each record is joined to each period it matters to. A filter two
    leaves share is counted once."""
    import ibis
    import pyarrow as pa

    names, columns = used_by(leaves, by)
    r = records.select(*columns)
    # a record's own flags once per record, before it is spread over its periods
    own = _record_flags(r, names)
    tested: list[Word] = []
    for leaf in leaves:
        assert leaf.metric is not None
        for f in (leaf.metric.numerator, leaf.metric.denominator):
            tested += _words_of(f)
        if tuple(leaf.metric.levels) != LEVELS:
            tested.append(("level", tuple(leaf.metric.levels)))
    tested = list(dict.fromkeys(tested))
    r = r.mutate(
        **{f"f_{name}": f for name, f in own.items()},
        **{f"w_{k}": _word(r, w) for k, w in enumerate(tested)},
    )
    keys = ["pi", "unit"] + ([by] if by != "unit" else [])
    fine = keys if by == "procedure" else [*keys, "procedure"]
    if contiguous(periods):
        counted, alias = _counted_by_place(
            r, own, tested, leaves, periods, fine[1:], "overdue_at_end" in names, with_rows
        )
    else:
        counted, alias = _counted_joined(r, own, tested, leaves, periods, names, fine, with_rows)
    labels = ibis.memtable(
        pa.table(
            {
                "pi": pa.array(range(len(periods)), pa.int16()),
                "period": pa.array([p.label for p in periods], pa.string()),
            }
        )
    )
    named = counted.join(labels, "pi")
    out: list[Any] = ["period", *fine[1:]]
    if with_rows:
        out.append(named.k)
    for i in range(len(leaves)):
        for part in ("n", "d"):
            name = f"{part}{i}"
            out.append(named[alias.get(name, name)].cast("int64").name(name))
    result: ir.Table = named.select(*out)
    return result


def unit_counts(per_procedure: ir.Table, leaves: list[Node], by: str = "unit") -> ir.Table:
    """The second aggregation: per period and group, the procedures' counts added up — or,
    for a metric that counts procedures, the procedures whose count is not zero."""
    keys = ["period", "unit"] + ([by] if by != "unit" else [])
    second: dict[str, Any] = {}
    for i, leaf in enumerate(leaves):
        assert leaf.metric is not None
        for part in ("n", "d"):
            column = per_procedure[f"{part}{i}"]
            if leaf.metric.count == "procedures":
                second[f"{part}{i}"] = (column > 0).cast("int64").sum()
            else:
                second[f"{part}{i}"] = column.sum()
    result: ir.Table = per_procedure.group_by(keys).aggregate(**second)
    return result


def compile_indicators(
    records: ir.Table, leaves: list[Node], periods: list[Period], by: str = "unit"
) -> ir.Table:
    """One expression: per period and unit (and procedure or field when ``by`` says so), the
    numerator ``n<i>`` and denominator ``d<i>`` of each leaf ``i``.

    Two aggregations: first per group and procedure, counting the records that match each
    filter; then per group, adding the counts up — or, for a metric that counts procedures,
    counting the procedures whose count is not zero. This avoids a distinct count over the
    records (the costliest part of a plan at national scale) and gives the same numbers."""
    return unit_counts(procedure_counts(records, leaves, periods, by), leaves, by)


def values_from(rows: Any, leaves: list[Node], by: str = "unit") -> list[IndicatorValue]:
    """The aggregated rows (a pyarrow table) as indicator values, sorted by period, unit, key
    and the leaves' outline order — the same order whichever engine made them."""
    data = rows.to_pylist()
    out: list[IndicatorValue] = []
    for row in data:
        key = None if by == "unit" else row[by]
        for i, leaf in enumerate(leaves):
            out.append(
                IndicatorValue(
                    row["period"],
                    row["unit"],
                    key,
                    leaf.code,
                    int(row[f"n{i}"] or 0),
                    int(row[f"d{i}"] or 0),
                )
            )
    order = {leaf.code: i for i, leaf in enumerate(leaves)}
    out.sort(key=lambda v: (v.period, v.unit, v.key or "", order[v.node]))
    return out
