"""The responsibility-map import (plans.services.import_map) against files a property-based
search makes (Hypothesis, in the pattern of ``tests/test_importers_fuzz.py``): a valid map as
CSV or Excel with cells replaced, rows repeated or dropped, and raw bytes. Whatever the file,
the import returns its count or raises :class:`Refusal` whose every problem renders in
Vietnamese and English, and on a problem not one row of the map is written."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from chiso.problems import Refusal
from chiso.web.plans import services
from chiso.web.plans.models import Responsibility
from test_importers_fuzz import FUZZ, _check, _csv_bytes, _xlsx_safe, mutated
from web.conftest import World

CODE = "example-department-2024"
MAP = [
    ["framework", "unit", "node", "responsible"],
    [CODE, "S01", "1", "S02"],
    [CODE, "Sở Tư pháp", "2.1", "Sở Y tế"],
    [CODE, "S02", "1.2", "S01"],
]


def _import(world: World, content: bytes, name: str) -> None:
    before = list(Responsibility.objects.values_list("pk", "responsible_id").order_by("pk"))
    failed: list[Refusal] = []

    def read() -> int:
        try:
            return services.import_map(world.admin, content, name)
        except Refusal as exc:
            failed.append(exc)
            raise

    _check(read)
    if failed:
        after = list(Responsibility.objects.values_list("pk", "responsible_id").order_by("pk"))
        assert after == before, "a map with a problem writes nothing"


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([_xlsx_safe(x) for x in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@FUZZ
@given(rows=mutated(MAP), excel=st.booleans())
def test_responsibility_maps_never_crash_and_write_nothing_on_a_problem(
    world: World, rows: list[list[str]], excel: bool
) -> None:
    assert world.cycle.framework_code == CODE
    if excel:
        _import(world, _xlsx(rows), "ban-do.xlsx")
    else:
        _import(world, _csv_bytes(rows), "ban-do.csv")


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from(["csv", "xlsx", "txt", ""]))
def test_responsibility_maps_of_arbitrary_bytes_never_crash(
    world: World, data: bytes, suffix: str
) -> None:
    _import(world, data, f"ban-do.{suffix}" if suffix else "ban-do")
