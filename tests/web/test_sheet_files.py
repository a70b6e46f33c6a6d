"""The score sheet as an Excel template filled offline, and survey/central points imported
for a cycle: every problem reported, nothing saved unless all is well."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chiso.web.cycles.models import AuditEntry, Cycle, LeafScore
from web.conftest import World


def _filled(world: World, values: dict[str, object]) -> bytes:
    client = Client()
    client.force_login(world.officer_a)
    response = client.get(f"/sheets/{world.sheet_a.pk}/template.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = book.active
    for row in ws.iter_rows(min_row=4):
        if row[0].value in values:
            row[4].value = values[row[0].value]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(world: World, data: bytes):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(world.officer_a)
    return client.post(
        f"/sheets/{world.sheet_a.pk}/upload/",
        {"file": SimpleUploadedFile("phieu.xlsx", data)},
        follow=True,
    )


def test_a_template_filled_offline_is_read_back_with_every_rule(world: World) -> None:
    response = _upload(
        world, _filled(world, {"1.1": "chậm", "1.4": 1.5, "5.2": "KAD", "2.1": "97,5"})
    )
    assert response.status_code == 200
    leaves = {x.code: x for x in LeafScore.objects.filter(sheet=world.sheet_a)}
    assert leaves["1.1"].self_points == 1.0 and leaves["1.4"].self_points == 1.5
    assert leaves["5.2"].self_na and leaves["2.1"].self_points == 7.8
    assert AuditEntry.objects.filter(field="self_raw").count() == 4


def test_a_template_with_errors_saves_nothing_and_names_each_row(world: World) -> None:
    response = _upload(world, _filled(world, {"1.1": "sớm", "1.4": 9, "1.5": 1}))
    text = response.content.decode()
    assert "dòng 7" in text or "dòng 8" in text  # the rows of 1.1 and 1.4 in the template
    assert "value.bad_choice" in text and "value.above_max" in text
    assert not LeafScore.objects.filter(sheet=world.sheet_a).exclude(self_raw="").exists()


def test_survey_points_are_imported_for_survey_sourced_items_only(world: World) -> None:
    client = Client()
    client.force_login(world.admin)
    good = "unit,node,value\nS01,7.1,17.5\nSở Y tế,7.1,15.25\n".encode()
    response = client.post(
        f"/cycles/{world.cycle.pk}/central/",
        {"file": SimpleUploadedFile("sipas.csv", good)},
        follow=True,
    )
    assert response.status_code == 200
    assert world.leaf(world.sheet_a, "7.1").appraised_points == 17.5
    assert world.leaf(world.sheet_b, "7.1").appraised_points == 15.25
    bad = b"unit,node,value\nS01,1.4,2\nS01,7.1,25\n"
    response = client.post(
        f"/cycles/{world.cycle.pk}/central/",
        {"file": SimpleUploadedFile("bad.csv", bad)},
        follow=True,
    )
    text = response.content.decode()
    assert "cycle.not_central" in text and "value.above_max" in text
    assert world.leaf(world.sheet_a, "7.1").appraised_points == 17.5  # unchanged
    officer = Client()
    officer.force_login(world.officer_a)
    refused = officer.post(
        f"/cycles/{world.cycle.pk}/central/", {"file": SimpleUploadedFile("sipas.csv", good)}
    )
    assert refused.status_code in (403, 404)
    assert world.cycle.state == Cycle.SELF
