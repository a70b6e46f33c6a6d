"""The indicator values of ``chiso dossiers index`` are a cycle's central import as they are:
the data leaves of a service-index-2022 cycle receive their points (max × rate ÷ 100)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chiso.frameworks import get_framework
from chiso.records.engines import Run
from chiso.records.index import index_values, write_values
from chiso.records.periods import parse_periods
from chiso.records.simulate import Plan, simulate
from chiso.web.accounts import policy
from chiso.web.accounts.models import Role
from chiso.web.cycles import central_import, workflow
from chiso.web.cycles.models import Cycle, LeafScore, Unit
from web.conftest import World


def test_the_index_output_imports_as_data_points_of_a_cycle(world: World, tmp_path: Path) -> None:
    names = ("Hà Nội", "Huế", "Cần Thơ")
    simulate(Plan(names, 3000, months=2, seed=6), tmp_path / "records")
    fw = get_framework("service-index-2022")
    values = index_values(fw, parse_periods("2024-02"), Run(tmp_path / "records"))
    write_values(values, "unit", False, tmp_path / "values.csv")
    units = [
        Unit.objects.create(code=f"P{i}", name=n, kind="province") for i, n in enumerate(names)
    ]
    cycle = workflow.create_cycle(world.admin, "766 2024-02", 2024, "service-index-2022", units)
    Role.objects.create(user=world.chair, kind=Role.CHAIR, cycle=cycle)
    policy.forget(world.chair)
    workflow.advance(world.admin, cycle, Cycle.SELF)
    cycle.refresh_from_db()
    count = central_import.import_points(
        world.admin, cycle, (tmp_path / "values.csv").read_bytes(), "chi-so.csv"
    )
    assert count > 0
    maxima = {leaf.code: leaf.max for leaf in fw.leaves()}
    for v in values:
        leaf = LeafScore.objects.get(sheet__cycle=cycle, sheet__unit__name=v.unit, code=v.node)
        if v.value is None:
            assert leaf.final_points is None
        else:
            assert leaf.final_points == pytest.approx(maxima[v.node] * v.value / 100, abs=1e-8)
