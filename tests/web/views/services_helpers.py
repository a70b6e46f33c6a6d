"""Two months of the service index, added from simulated records, for the services views."""

from __future__ import annotations

from pathlib import Path

from chiso.records.simulate import Plan, simulate
from chiso.web.service_index.importing import add_month
from chiso.web.service_index.models import ServiceMonth

UNITS = ("Hà Nội", "Huế", "Cà Mau")


def two_months(tmp_path: Path) -> tuple[ServiceMonth, ServiceMonth]:
    folder = tmp_path / "records"
    simulate(Plan(UNITS, 3000, months=2, seed=4), folder)
    return add_month(str(folder), "service-index-2022", "2024-01"), add_month(
        str(folder), "service-index-2022", "2024-02"
    )
