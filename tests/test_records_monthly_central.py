"""The month's index with its centrally assessed leaves (procedures published, feedback and
satisfaction with it), given as for the PAR INDEX in a points file: complete, out of 100."""

from __future__ import annotations

from pathlib import Path

import pytest

from chiso.frameworks import get_framework
from chiso.problems import Refusal
from chiso.records.compile import data_leaves
from chiso.records.monthly_index import central_leaves, ranked, read_central, unit_month

FW = get_framework("service-index-2022")
HALF = {leaf.code: (1, 2) for leaf in data_leaves(FW)}


def test_the_central_and_the_data_leaves_make_up_the_hundred_points() -> None:
    assert sum(leaf.max or 0 for leaf in data_leaves(FW)) == 76
    assert [leaf.code for leaf in central_leaves(FW)] == ["1.1", "1.2", "1.3", "5.1", "5.2"]


def test_a_month_with_its_central_points_is_complete() -> None:
    central = {"1.1": 4.0, "1.2": 4.0, "1.3": 4.0, "5.1": 6.0, "5.2": 6.0}  # full points
    um = unit_month(FW, "Huế", HALF, central)
    assert um.complete
    assert um.points == pytest.approx(38 + 24)
    assert um.index == pytest.approx(62.0)


def test_a_central_leaf_given_as_na_does_not_apply_and_a_missing_one_leaves_it_incomplete() -> None:
    central: dict[str, float | None] = {"1.1": 4.0, "1.2": 4.0, "1.3": 4.0, "5.1": 6.0}
    assert not unit_month(FW, "Huế", HALF, central).complete
    central["5.2"] = None
    um = unit_month(FW, "Huế", HALF, central)
    assert um.complete and um.applicable_max == 94
    assert um.index == pytest.approx(100 * 56 / 94)


def test_the_points_file_is_read_as_for_the_par_index_and_ranks_the_units(tmp_path: Path) -> None:
    path = tmp_path / "central.csv"
    path.write_text(
        "unit,node,value\n"
        + "".join(f"Huế,{c},100\n" for c in ("1.1", "1.2", "1.3", "5.1", "5.2"))
        + "".join(f"Cà Mau,{c},50\n" for c in ("1.1", "1.2", "1.3", "5.1"))
        + "Cà Mau,5.2,NA\n",
        encoding="utf-8",
    )
    central = read_central(path, FW)
    # a rate of 100 % on a 4-point leaf scored proportionally: 4 points
    assert central["Cà Mau"]["5.2"] is None and central["Huế"]["1.1"] == 4.0
    assert central["Cà Mau"]["5.1"] == 3.0
    months = [unit_month(FW, u, HALF, central[u]) for u in ("Cà Mau", "Huế")]
    assert [(rank, um.unit) for rank, um in ranked(FW, months)] == [(1, "Huế"), (2, "Cà Mau")]


def test_a_points_file_may_not_give_a_leaf_computed_from_records(tmp_path: Path) -> None:
    path = tmp_path / "central.csv"
    path.write_text("unit,node,value\nHuế,2.1,90\n", encoding="utf-8")
    with pytest.raises(Refusal) as caught:
        read_central(path, FW)
    assert [(p.rule, p.column) for p in caught.value.report] == [("service.not_central", "2.1")]
