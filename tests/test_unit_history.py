"""A unit's series across cycles of one index and across the 2025 reorganisation, as the
domain states it (chiso.scoring.unit_history; no web framework involved)."""

from __future__ import annotations

import pytest

from chiso.scoring import unit_history
from chiso.scoring.document import UnitEntry
from chiso.scoring.unit_history import Published
from chiso.units.provinces import MERGED_34, PROVINCES_63


def _cycle(year: int, indices: dict[str, float | None], framework: str = "par-province-2023"):
    """A published cycle: ranks follow the indices, highest first; points per domain A are
    the index tenfold smaller."""
    ordered = sorted((v, n) for n, v in indices.items() if v is not None)
    ranks = {n: i + 1 for i, (_v, n) in enumerate(reversed(ordered))}
    units = {
        name: UnitEntry(
            unit=name,
            points={"A": None if value is None else value / 10},
            total=value,
            max=100.0,
            index=value,
            rank=ranks.get(name),
            group=None,
            status="complete",
        )
        for name, value in indices.items()
    }
    return Published(key=f"{framework}/{year}", year=year, framework=framework, units=units)


OLD = {name: 40.0 + i for i, name in enumerate(PROVINCES_63)}  # Hà Nội 40, Hà Giang 41, …
NEW = {name: 70.0 + i / 2 for i, name in enumerate(MERGED_34)}
OLD_RANK_OF_HA_NOI = _cycle(2024, OLD).units["Hà Nội"].rank


def test_the_index_of_a_framework_is_its_code_without_the_edition() -> None:
    assert unit_history.index_of("par-province-2023") == "par-province"
    assert unit_history.index_of("papi-2024") == "papi"


def test_a_unit_has_its_own_figures_in_every_cycle_it_was_assessed() -> None:
    before, now = _cycle(2023, OLD), _cycle(2024, {**OLD, "Hà Nội": 50.0})
    entries = unit_history.series("Hà Nội", now, [before, now])
    assert [(e.cycle.year, e.kind, e.value) for e in entries] == [
        (2023, "same", 40.0),
        (2024, "same", 50.0),
    ]


def test_a_cycle_without_the_unit_is_left_out() -> None:
    without = _cycle(2022, {n: v for n, v in OLD.items() if n != "Cao Bằng"})
    now = _cycle(2024, OLD)
    assert [e.cycle.year for e in unit_history.series("Cao Bằng", now, [without, now])] == [2024]


def test_a_new_province_looks_back_at_its_former_provinces_as_they_were() -> None:
    before, now = _cycle(2024, OLD), _cycle(2025, NEW)
    first = unit_history.series("Tuyên Quang", now, [before, now])[0]
    assert first.kind == "parts"
    assert [(p.unit, p.value) for p in first.parts] == [
        ("Tuyên Quang", OLD["Tuyên Quang"]),
        ("Hà Giang", OLD["Hà Giang"]),
    ]
    assert [p.rank for p in first.parts] == [
        before.units["Tuyên Quang"].rank,
        before.units["Hà Giang"].rank,
    ]
    # the re-based value is the plain mean of the parts, and it is marked as re-based
    assert first.value == pytest.approx((OLD["Tuyên Quang"] + OLD["Hà Giang"]) / 2)
    assert first.own_line


def test_a_former_province_looks_forward_at_the_province_it_became_part_of() -> None:
    before, now = _cycle(2024, OLD), _cycle(2025, NEW)
    entries = unit_history.series("Hà Giang", before, [before, now])
    assert [(e.kind, e.successor) for e in entries] == [
        ("same", None),
        ("successor", "Tuyên Quang"),
    ]
    assert entries[1].value == NEW["Tuyên Quang"]
    # another unit's figures never join the old province's own line
    assert [e.own_line for e in entries] == [True, False]


def test_the_change_is_read_against_the_last_earlier_value() -> None:
    a, b, c = _cycle(2022, OLD), _cycle(2023, {**OLD, "Hà Nội": 45.0}), _cycle(2024, OLD)
    now = _cycle(2025, {**OLD, "Hà Nội": 100.0})
    entries = unit_history.series("Hà Nội", now, [a, b, c, now])
    change = unit_history.change_since(entries, 2025, 100.0, 1)
    assert change == unit_history.Change(60.0, OLD_RANK_OF_HA_NOI - 1, 2024, False)


def test_a_change_against_a_re_based_value_says_so() -> None:
    before, now = _cycle(2024, OLD), _cycle(2025, NEW)
    entries = unit_history.series("Tuyên Quang", now, [before, now])
    change = unit_history.change_since(entries, 2025, NEW["Tuyên Quang"], 3)
    assert change is not None and change.rebased and change.year == 2024
    assert change.difference == pytest.approx(NEW["Tuyên Quang"] - entries[0].value)


def test_no_change_without_an_earlier_value_or_an_index_now() -> None:
    now = _cycle(2024, OLD)
    only = unit_history.series("Hà Nội", now, [now])
    assert unit_history.change_since(only, 2024, 40.0, 1) is None
    both = unit_history.series("Hà Nội", now, [_cycle(2023, {**OLD, "Hà Nội": None}), now])
    assert unit_history.change_since(both, 2024, 40.0, 1) is None
    assert unit_history.change_since(both, 2024, None, None) is None


def test_no_change_of_places_when_either_rank_is_missing() -> None:
    now = _cycle(2024, OLD)
    entries = unit_history.series("Hà Nội", now, [_cycle(2023, OLD), now])
    change = unit_history.change_since(entries, 2024, 42.0, None)
    assert change is not None and change.places is None


def test_the_successor_is_not_a_value_to_change_from() -> None:
    before, now = _cycle(2024, OLD), _cycle(2025, NEW)
    entries = unit_history.series("Hà Giang", before, [before, now])
    # looking from 2026 at a series whose only later entry is another unit's: the own 2024
    assert unit_history.change_since(entries, 2026, 50.0, None) == unit_history.Change(
        50.0 - OLD["Hà Giang"], None, 2024, False
    )


def test_domain_changes_only_where_the_criteria_are_the_same() -> None:
    older = _cycle(2022, OLD, framework="par-province-2019")
    same = _cycle(2023, {**OLD, "Hà Nội": 30.0})
    now = _cycle(2024, OLD)
    entries = unit_history.series("Hà Nội", now, [older, same, now])
    previous = unit_history.previous_points(entries, now, "Hà Nội")
    assert previous == unit_history.Previous(2023, {"A": 3.0})
    only_other = unit_history.series("Hà Nội", now, [older, now])
    assert unit_history.previous_points(only_other, now, "Hà Nội") is None


def test_a_re_based_value_is_not_a_previous_domain_score() -> None:
    before, now = _cycle(2024, OLD), _cycle(2025, NEW, framework="par-province-2025")
    entries = unit_history.series("Tuyên Quang", now, [before, now])
    assert unit_history.previous_points(entries, now, "Tuyên Quang") is None


def test_points_change_only_between_numbers() -> None:
    assert unit_history.points_change(3.5, 2.0) == 1.5
    assert unit_history.points_change("NA", 2.0) is None
    assert unit_history.points_change(3.0, None) is None


def test_the_series_does_not_need_django() -> None:
    import ast
    from pathlib import Path

    source = Path(unit_history.__file__).read_text(encoding="utf-8")
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert not any(name.startswith(("django", "chiso.web")) for name in imported)
