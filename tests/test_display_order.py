"""The display order every ranking is shown in (chiso.scoring.ranking.display_key): by rank, ties
by Vietnamese name, units without a rank last; the results table, the annex and the comparison
all list units so."""

from __future__ import annotations

from typing import Any

import numpy as np

from chiso.frameworks.model import Framework
from chiso.reports.annex import annex_rows
from chiso.scoring import compile_plan, score, values_from_mapping
from chiso.scoring.compare import ResultTable, UnitResult, compare
from chiso.scoring.document import from_json
from chiso.scoring.ranking import display_key
from chiso.tables.writing import result_rows
from frameworks_for_tests import framework, leaf


def _two_leaves() -> Framework:
    return framework(leaf("1", 50), leaf("2", 50))


def test_display_order_is_by_rank_ties_by_vietnamese_name_and_unranked_last() -> None:
    units = [("Đà Nẵng", 2), ("Yên Bái", None), ("An Giang", 2), ("Bắc Ninh", 1), ("Cà Mau", 0)]
    ordered = sorted(units, key=lambda u: display_key(u[1], u[0]))
    assert [u for u, _ in ordered] == ["Bắc Ninh", "An Giang", "Đà Nẵng", "Cà Mau", "Yên Bái"]


def test_results_table_lists_ranked_units_then_units_not_ranked_then_incomplete_ones() -> None:
    fw = _two_leaves()
    plan = compile_plan(fw)
    data: dict[str, dict[str, float | str | None]] = {
        "Yên Bái": {"1": 40.0, "2": 40.0},
        "Đà Nẵng": {"1": 45.0, "2": 40.0},
        "An Giang": {"1": 45.0, "2": 40.0},
        "Bến Tre": {"1": 45.0, "2": None},
        "Cà Mau": {"1": 10.0, "2": 10.0},
    }
    units, given, na = values_from_mapping(plan, data)
    ranked = np.array([u != "Cà Mau" for u in units])
    rows = result_rows(score(fw, units, given, na, ranked))
    assert [(r.unit, r.rank) for r in rows] == [
        ("An Giang", 1),
        ("Đà Nẵng", 1),
        ("Yên Bái", 3),
        ("Cà Mau", None),  # not ranked
        ("Bến Tre", None),  # incomplete
    ]


def test_a_complete_unit_without_an_index_is_listed_after_the_ranked_ones() -> None:
    """Nothing applies to Bạc Liêu: complete, but with no index there is no rank to put it
    first with."""
    fw = _two_leaves()
    plan = compile_plan(fw)
    data: dict[str, dict[str, float | str | None]] = {
        "Bạc Liêu": {"1": "NA", "2": "NA"},
        "Yên Bái": {"1": 40.0, "2": 40.0},
        "Hà Nam": {"1": 20.0, "2": 40.0},
    }
    rows = result_rows(score(fw, *values_from_mapping(plan, data)))
    assert [(r.unit, r.rank, r.status) for r in rows] == [
        ("Yên Bái", 1, "complete"),
        ("Hà Nam", 2, "complete"),
        ("Bạc Liêu", None, "complete"),
    ]


def _doc_unit(name: str, rank: int | None) -> dict[str, Any]:
    return {"unit": name, "rank": rank, "total": None, "index": None, "points": {}, "group": ""}


def test_the_annex_lists_units_in_display_order() -> None:
    doc = {
        "units": [
            _doc_unit("Yên Bái", None),
            _doc_unit("Đà Nẵng", 2),
            _doc_unit("An Giang", 2),
            _doc_unit("Bắc Ninh", 1),
        ]
    }
    rows = annex_rows(from_json(doc), _two_leaves())
    assert [r.unit for r in rows] == ["Bắc Ninh", "An Giang", "Đà Nẵng", "Yên Bái"]


def test_the_comparison_lists_units_in_the_current_tables_display_order() -> None:
    def table(ranks: dict[str, int | None]) -> ResultTable:
        return ResultTable(
            "t.csv", {u: UnitResult(u, {}, None, None, r) for u, r in ranks.items()}, []
        )

    before = table({"Yên Bái": 1, "Đà Nẵng": 2, "An Giang": 3, "Bắc Ninh": 4})
    after = table({"Yên Bái": None, "Đà Nẵng": 2, "An Giang": 2, "Bắc Ninh": 1})
    changes = compare(before, after).changes
    assert [c.unit for c in changes] == ["Bắc Ninh", "An Giang", "Đà Nẵng", "Yên Bái"]
