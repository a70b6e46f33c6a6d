"""The appraiser's Excel sheet (issue #21): downloaded with the unit's values, filled offline,
uploaded back; values over the maximum, cuts without a reason and a file of another unit are
refused with their row and column, and nothing is half-saved."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chiso.web.core.frameworks import framework_of
from chiso.web.core.models import AuditEntry
from chiso.web.cycles.models import Cycle, LeafScore
from web.conftest import World
from web.views.helpers import as_


def _told(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def _ready(world: World) -> None:
    for node in framework_of(world.cycle).leaves():
        for sheet in (world.sheet_a, world.sheet_b):
            LeafScore.objects.filter(sheet=sheet, code=node.code).update(
                self_raw=str(node.max), self_points=node.max
            )
    world.move_to(Cycle.APPRAISAL)


def _download(world: World, sheet_pk: int) -> Any:
    response = as_(world, "appraiser_a").get(reverse("cycles:appraisal-template", args=[sheet_pk]))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _fill(book: Any, values: dict[str, tuple[Any, str]]) -> bytes:
    ws = book.active
    for row in ws.iter_rows(min_row=4):
        code = row[0].value
        if code in values:
            row[5].value, row[6].value = values[code]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(world: World, data: bytes, sheet_pk: int | None = None) -> object:
    pk = sheet_pk or world.sheet_a.pk
    return as_(world, "appraiser_a").post(
        reverse("cycles:appraisal-upload", args=[pk]),
        {"file": SimpleUploadedFile("tham-dinh.xlsx", data)},
    )


def test_the_appraiser_fills_the_sheet_offline_and_uploads_it(world: World) -> None:
    _ready(world)
    book = _download(world, world.sheet_a.pk)
    assert book.active["A1"].value == "S01"
    data = _fill(book, {"1.4": (1.5, "thiếu biên bản"), "1.5": ("KAD", "không có nhiệm vụ")})
    response = _upload(world, data)
    assert _told(response) == ["Đã đọc 2 tiêu chí; 2 tiêu chí thay đổi"]
    leaves = {x.code: x for x in LeafScore.objects.filter(sheet=world.sheet_a)}
    assert leaves["1.4"].appraised_points == 1.5
    assert leaves["1.4"].appraisal_reason == "thiếu biên bản"
    assert leaves["1.5"].appraised_na
    # the same file again changes nothing and records nothing
    again = _upload(world, _fill(_download(world, world.sheet_a.pk), {}))
    assert _told(again) == ["Đã đọc 2 tiêu chí; 0 tiêu chí thay đổi"]
    assert AuditEntry.objects.filter(field="appraised_points").count() == 2


def test_a_bad_file_is_refused_row_by_row_and_nothing_is_saved(world: World) -> None:
    _ready(world)
    data = _fill(
        _download(world, world.sheet_a.pk),
        {"1.4": (7, "quá"), "1.5": (1, ""), "2.4": ("hai", "x"), "3.1": (2, "đủ")},
    )
    told = _told(_upload(world, data))
    assert len(told) == 3, told
    assert told[0].startswith("tham-dinh.xlsx, dòng 8, cột F: giá trị 7 vượt điểm tối đa 2,00")
    assert "cần nêu lý do" in told[1]
    assert "'hai' không phải là số" in told[2]
    assert all("tham-dinh.xlsx" in t for t in told)
    assert not LeafScore.objects.filter(sheet=world.sheet_a, appraised_points__isnull=False)
    assert not AuditEntry.objects.filter(field="appraised_points").exists()


def test_the_file_of_another_unit_is_refused(world: World) -> None:
    from chiso.web.accounts.models import Role

    _ready(world)
    Role.objects.create(
        user=world.appraiser_a, kind=Role.APPRAISER, unit=world.sheet_b.unit, cycle=world.cycle
    )
    other = _fill(_download(world, world.sheet_b.pk), {"1.4": (1, "thiếu")})
    told = _told(_upload(world, other))
    assert len(told) == 1 and "S02" in told[0] and "không phải của phiếu này" in told[0]
    assert not LeafScore.objects.filter(appraised_points__isnull=False).exists()


def test_only_the_sheet_s_appraiser_downloads_and_uploads(world: World) -> None:
    _ready(world)
    url = reverse("cycles:appraisal-template", args=[world.sheet_a.pk])
    assert as_(world, "officer_a").get(url).status_code == 403
    data = _fill(_download(world, world.sheet_a.pk), {"1.4": (1, "thiếu")})
    response = as_(world, "officer_a").post(
        reverse("cycles:appraisal-upload", args=[world.sheet_a.pk]),
        {"file": SimpleUploadedFile("tham-dinh.xlsx", data)},
    )
    assert response.status_code == 403
