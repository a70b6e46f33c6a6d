"""Reading a results document: a unit found by its name in any normal form or the closest names
suggested, the mean and the best of a domain over the ranked units, a unit's own maximum where
parts of a domain do not apply, and a cycle's label and year."""

from __future__ import annotations

import math
import unicodedata

import pytest

from chiso.frameworks import get_framework
from chiso.reports.results_document import (
    UnitNotFound,
    applicable_maximum,
    close_unit_names,
    cycle_label,
    domain_stats,
    finite_number,
    ranked_units,
    unit_record,
)
from chiso.scoring.document import ResultsDocument, from_json

FW = get_framework("example-department-2024")
EMPTY = ResultsDocument(None, ())


@pytest.fixture
def doc() -> ResultsDocument:
    return from_json(
        {
            "units": [
                {"unit": "Sở Tư pháp", "rank": 2, "points": {"1": 9.25, "5": "NA"}},
                {"unit": "Sở Y tế", "rank": 1, "points": {"1": 11.0, "5": 8.0}},
                {"unit": "Sở Nội vụ", "rank": 2, "points": {"1": 11.0, "5": 9.5}},
                {"unit": "Sở chưa đủ", "rank": None, "points": {"1": 12.0, "5": None}},
            ]
        }
    )


def test_a_unit_is_found_by_its_name_in_any_normal_form(doc: ResultsDocument) -> None:
    assert unit_record(doc, unicodedata.normalize("NFD", "Sở Tư pháp")).rank == 2
    assert unit_record(doc, "  Sở Y tế ").rank == 1


def test_a_unit_that_is_not_in_the_results_gets_the_closest_names(doc: ResultsDocument) -> None:
    with pytest.raises(UnitNotFound) as caught:
        unit_record(doc, "so tu phap")
    assert caught.value.unit == "so tu phap"
    assert caught.value.suggestions[0] == "Sở Tư pháp"
    assert close_unit_names(doc, "Tư pháp") == ["Sở Tư pháp"]
    assert close_unit_names(doc, "SỞ Y TẾ")[0] == "Sở Y tế"
    assert close_unit_names(doc, "xyz") == []


def test_domain_stats_are_over_the_ranked_units_with_every_leader_in_ranking_order(
    doc: ResultsDocument,
) -> None:
    ranked = ranked_units(doc)
    assert [u.unit for u in ranked] == ["Sở Tư pháp", "Sở Y tế", "Sở Nội vụ"]
    stats = domain_stats(ranked, "1")
    assert stats.mean == pytest.approx((9.25 + 11.0 + 11.0) / 3)
    assert stats.best == 11.0 and stats.leaders == ("Sở Y tế", "Sở Nội vụ")


def test_domain_stats_leave_out_points_that_do_not_apply_or_are_missing(
    doc: ResultsDocument,
) -> None:
    stats = domain_stats(ranked_units(doc), "5")
    assert stats.mean == pytest.approx((8.0 + 9.5) / 2) and stats.leaders == ("Sở Nội vụ",)
    nothing = domain_stats(ranked_units(doc), "7")
    assert nothing.mean is None and nothing.best is None and nothing.leaders == ()


def test_only_finite_numbers_count_as_points() -> None:
    assert finite_number(9) == 9.0 and finite_number(9.5) == 9.5
    for value in ("NA", None, True, math.nan, math.inf, "9,5"):
        assert finite_number(value) is None


def test_a_part_that_does_not_apply_lowers_the_units_own_maximum() -> None:
    domain = FW.node("5")
    part = FW.node("5.2").max
    assert domain.max is not None and part is not None
    assert applicable_maximum(domain, {"5.2": "NA"}) == pytest.approx(domain.max - part)
    assert applicable_maximum(domain, {"5.2": 3.0}) is None  # everything applies
    assert applicable_maximum(domain, {"5": "NA", "5.2": "NA"}) is None  # none of it does


def test_a_cycles_label_is_its_year_else_its_name_else_the_file_name() -> None:
    snapshot = from_json({"units": [], "cycle": {"year": 2023, "name": "Chỉ số CCHC năm 2023"}})
    assert cycle_label(snapshot) == ("2023", 2023)
    named = from_json({"units": [], "cycle": {"name": "Chỉ số CCHC năm 2021"}})
    assert cycle_label(named) == ("Chỉ số CCHC năm 2021", 2021)
    assert cycle_label(EMPTY, "ket-qua-2022") == ("ket-qua-2022", 2022)
    assert cycle_label(EMPTY, "ket-qua") == ("ket-qua", None)
    assert cycle_label(EMPTY, "ma-120245") == ("ma-120245", None)  # not a year
