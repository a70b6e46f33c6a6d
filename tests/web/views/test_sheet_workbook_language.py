"""The Excel sheets filled offline speak the reader's language (issue #21, "speak Vietnamese":
no Vietnamese-only text outside the catalogues): headers, the instruction, the criteria's names
and how each is scored come in the language the sheet was downloaded in, and the upload reads
a sheet by its columns, so a sheet downloaded in English is read back as one in Vietnamese."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chiso.web.core.frameworks import framework_of
from chiso.web.cycles.models import Cycle, LeafScore
from web.conftest import World
from web.views.helpers import as_


def _book(world: World, actor: str, view: str, lang: str) -> Any:
    url = reverse(view, args=[world.sheet_a.pk])
    response = as_(world, actor).get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def _row(ws: Any, code: str) -> list[Any]:
    return next([c.value for c in row] for row in ws.iter_rows(min_row=4) if row[0].value == code)


def test_the_officers_sheet_downloaded_in_english_is_in_english(world: World) -> None:
    ws = _book(world, "officer_a", "cycles:sheet-template", "en")
    assert ws.title == "Self-assessment"
    assert [c.value for c in ws[3]] == [
        "Code",
        "Criterion",
        "Maximum points",
        "How it is scored",
        "Self-assessed value",
    ]
    assert "Fill in column E" in ws["A2"].value
    row = _row(ws, "1.1")
    assert row[1] == "Annual reform plan issued"
    assert row[3] == "Choose: đúng hạn / chậm / không"  # the options are values, typed as written


def test_the_officers_sheet_in_vietnamese_is_as_before(world: World) -> None:
    ws = _book(world, "officer_a", "cycles:sheet-template", "vi")
    assert ws.title == "Tự đánh giá"
    assert [c.value for c in ws[3]][:2] == ["Mã", "Tiêu chí"]
    row = _row(ws, "1.1")
    assert row[1] == "Ban hành kế hoạch CCHC năm" and row[3] == "Chọn: đúng hạn / chậm / không"
    assert _row(ws, "1.2")[3] == "Tỷ lệ hoặc số đo (điểm theo khoảng)"


def test_a_sheet_downloaded_in_english_is_read_back_as_one_in_vietnamese(world: World) -> None:
    ws = _book(world, "officer_a", "cycles:sheet-template", "en")
    for row in ws.iter_rows(min_row=4):
        if row[0].value == "1.1":
            row[4].value = "chậm"
        if row[0].value == "1.4":
            row[4].value = 1.5
    out = io.BytesIO()
    ws.parent.save(out)
    response = as_(world, "officer_a").post(
        reverse("cycles:sheet-upload", args=[world.sheet_a.pk]),
        {"file": SimpleUploadedFile("sheet.xlsx", out.getvalue())},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    leaves = {x.code: x for x in LeafScore.objects.filter(sheet=world.sheet_a)}
    assert leaves["1.1"].self_points == 1.0 and leaves["1.4"].self_points == 1.5


def test_the_appraisers_sheet_downloaded_in_english_is_in_english(world: World) -> None:
    for node in framework_of(world.cycle).leaves():
        LeafScore.objects.filter(sheet=world.sheet_a, code=node.code).update(
            self_raw=str(node.max), self_points=node.max
        )
    world.move_to(Cycle.APPRAISAL)
    ws = _book(world, "appraiser_a", "cycles:appraisal-template", "en")
    assert ws.title == "Appraisal"
    assert [c.value for c in ws[3]][3:] == [
        "Self-assessed value",
        "Self-assessed points",
        "Appraised points",
        "Reason for the cut",
    ]
    assert ws["A1"].value == world.sheet_a.unit.code  # what names the unit is not translated
    assert "Fill in column F" in ws["A2"].value
    assert _row(ws, "1.1")[1] == "Annual reform plan issued"
