"""Text typed by people never reaches a CSV or spreadsheet file as a live formula (OWASP's
CSV injection): the probe of a running demo found a unit's name, a reason and an evidence name
written to audit.csv, data.csv, data.xlsx and annex.xlsx as ``=HYPERLINK(…)`` and as a real
``<f>`` formula. Every writer passes its cells through :mod:`chiso.tables.formulas`."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chiso.tables.formulas import csv_cell, is_risky
from chiso.web.cycles import evidence as evidence_files
from chiso.web.cycles import scores
from chiso.web.cycles.models import Cycle, Unit
from web.conftest import World

PAYLOADS = [
    '=HYPERLINK("http://evil.example","bấm")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=2+5+cmd|' calc'!A0",
    "+1+cmd",
    "-2+3",
    "\t=1",
    "\r=1",
]


@pytest.mark.parametrize("text", PAYLOADS)
def test_text_that_a_spreadsheet_would_run_is_risky(text: str) -> None:
    assert is_risky(text)
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-1", "+2,5", "-0.75", "1e-3", "Sở Tư pháp", "", "KAD"])
def test_numbers_and_ordinary_text_are_left_as_they_are(text: str) -> None:
    assert not is_risky(text)
    assert csv_cell(text) == text


NAME = PAYLOADS[0]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def poisoned(world: World) -> Cycle:
    """A published cycle whose unit is named with a formula, and whose audit trail holds
    formulas in a reason and an evidence name."""
    Unit.objects.filter(pk=world.sheet_a.unit_id).update(name=NAME)
    leaf = world.leaf(world.sheet_a)
    scores.save_self_score(world.officer_a, leaf, "2", leaf.version)
    evidence_files.add_evidence(
        world.officer_a, world.leaf(world.sheet_a), SimpleUploadedFile("=1+1.pdf", PDF)
    )
    world.move_to(Cycle.APPRAISAL)
    scores.add_message(world.appraiser_a, world.leaf(world.sheet_a), PAYLOADS[2])
    leaf = world.leaf(world.sheet_a)
    scores.appraise(world.appraiser_a, leaf, 1.0, PAYLOADS[1], leaf.version)
    world.move_to(Cycle.PUBLISHED)
    return world.cycle


def _no_formula_in(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def _csv_cells(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _assert_neutral(cells: list[str]) -> None:
    for cell in cells:
        assert not is_risky(cell), cell


@pytest.mark.parametrize("name", ["portal:data-csv"])
def test_a_formula_in_a_unit_name_is_neutralised_in_open_data_csv(
    poisoned: Cycle, name: str
) -> None:
    data = Client().get(reverse(name, args=[poisoned.pk])).getvalue()
    cells = _csv_cells(data)
    assert "'" + NAME in cells
    _assert_neutral(cells)


@pytest.mark.parametrize("name", ["portal:data-xlsx", "portal:annex-xlsx"])
def test_a_formula_in_a_unit_name_is_text_in_the_spreadsheets(poisoned: Cycle, name: str) -> None:
    data = Client().get(reverse(name, args=[poisoned.pk])).getvalue()
    _no_formula_in(data)
    book = openpyxl.load_workbook(io.BytesIO(data))
    found = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value == NAME]
    assert found, "the name reads back unchanged"
    assert all(c.data_type == "s" and c.quotePrefix for c in found)


def test_formulas_in_reasons_and_messages_are_neutralised_in_the_audit_csv(
    poisoned: Cycle, world: World
) -> None:
    client = Client()
    client.force_login(world.admin)
    cells = _csv_cells(client.get(reverse("cycles:cycle-audit", args=[poisoned.pk])).getvalue())
    assert "'" + PAYLOADS[1] in cells and "'" + PAYLOADS[2] in cells and "'=1+1.pdf" in cells
    _assert_neutral(cells)


def test_the_sheet_template_writes_a_unit_name_as_text(world: World) -> None:
    Unit.objects.filter(pk=world.sheet_a.unit_id).update(name=NAME)
    client = Client()
    client.force_login(world.officer_a)
    data = client.get(reverse("cycles:sheet-template", args=[world.sheet_a.pk])).content
    _no_formula_in(data)
    assert re.search(
        rb"HYPERLINK", zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    )
