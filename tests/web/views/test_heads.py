"""After publication, each unit's head's classification and the proposals, as a page and as
the Word and Excel annex for the emulation and commendation council (the example framework's
illustrative rule: group tốt → Hoàn thành xuất sắc nhiệm vụ, proposed for commendation)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from chiso.web.cycles.models import Cycle, Unit
from web.conftest import World
from web.views.helpers import MISSING


def test_the_heads_page_lists_each_units_head_and_the_proposals(scored: World) -> None:
    html = Client().get(reverse("portal:heads", args=[scored.cycle.pk])).content.decode()
    assert html.count("Hoàn thành xuất sắc nhiệm vụ") == 2  # Sở Tư pháp 80 and Sở Y tế: tốt
    assert "Đề nghị khen thưởng: 2 đơn vị (Sở Y tế, Sở Tư pháp)" in html
    assert "xuất sắc" not in html.replace("Hoàn thành xuất sắc", "")  # names, never codes
    ranking = Client().get(reverse("portal:published", args=[scored.cycle.pk])).content.decode()
    assert reverse("portal:heads", args=[scored.cycle.pk]) in ranking


def test_the_heads_page_speaks_english_to_an_english_reader(scored: World) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get(reverse("portal:heads", args=[scored.cycle.pk])).content.decode()
    assert "Tasks completed excellently" in html and "Proposed for commendation" in html


def test_the_excel_annex_has_a_row_per_unit_and_keeps_a_formula_as_text(world: World) -> None:
    from web.views.conftest import fill

    Unit.objects.filter(pk=world.sheet_b.unit_id).update(name='=HYPERLINK("x")')
    fill(world)
    world.move_to(Cycle.PUBLISHED)
    response = Client().get(reverse("portal:heads-xlsx", args=[world.cycle.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert rows[1][:7] == [
        "STT",
        "Đơn vị",
        "Chỉ số (%)",
        "Xếp hạng",
        "Nhóm",
        "Xếp loại người đứng đầu",
        "Đề nghị",
    ]
    units = {r[1]: r for r in rows[2:4]}
    assert units["Sở Tư pháp"][5:7] == ["Hoàn thành xuất sắc nhiệm vụ", "Đề nghị khen thưởng"]
    cell = next(c for c in book.active["B"] if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s" and cell.quotePrefix  # written as text, never run


def test_the_word_annex_is_a_table_for_the_council(scored: World) -> None:
    from docx import Document

    response = Client().get(reverse("portal:heads-docx", args=[scored.cycle.pk]))
    assert response.status_code == 200
    table = Document(io.BytesIO(response.content)).tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0][5] == "Xếp loại người đứng đầu"
    assert {r[1]: r[2] for r in cells[1:]} == {"Sở Y tế": "98,00", "Sở Tư pháp": "80,00"}


@pytest.mark.parametrize("name", ["portal:heads", "portal:heads-xlsx", "portal:heads-docx"])
def test_404_before_publication_and_for_an_unknown_cycle(world: World, name: str) -> None:
    assert Client().get(reverse(name, args=[world.cycle.pk])).status_code == 404
    assert Client().get(reverse(name, args=[MISSING])).status_code == 404
