"""The score sheet as an Excel template filled offline, and survey/central points imported
for a cycle: every problem reported, nothing saved unless all is well."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chiso.frameworks import get_framework
from chiso.problems import Refusal
from chiso.simulation import simulated_survey_points
from chiso.surveys.instrument import get_instrument
from chiso.web.accounts import policy
from chiso.web.accounts.models import Role
from chiso.web.core.frameworks import framework_of, plan_of
from chiso.web.core.models import AuditEntry
from chiso.web.cycles import central_import, scores, sheets_excel, workflow
from chiso.web.cycles.models import Cycle, LeafScore, Publication, ScoreSheet, Unit
from web.conftest import DECISION, World


def _filled(world: World, values: dict[str, object]) -> bytes:
    client = Client()
    client.force_login(world.officer_a)
    response = client.get(reverse("cycles:sheet-template", args=[world.sheet_a.pk]))
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
        reverse("cycles:sheet-upload", args=[world.sheet_a.pk]),
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
    # values as the units would report them (7.1: the % satisfied), as `chiso score` reads
    good = "unit,node,value\nS01,7.1,87.5\nSở Y tế,7.1,76.25\n".encode()
    response = client.post(
        reverse("cycles:cycle-central", args=[world.cycle.pk]),
        {"file": SimpleUploadedFile("sipas.csv", good)},
        follow=True,
    )
    assert response.status_code == 200
    assert world.leaf(world.sheet_a, "7.1").appraised_points == 17.5
    assert world.leaf(world.sheet_b, "7.1").appraised_points == 15.25
    for bad, rule in (
        (b"unit,node,value\nS01,1.4,2\nS01,7.1,80\n", "cycle.not_central"),
        (b"unit,node,value\nS01,7.1,125\n", "value.above_max"),
    ):
        response = client.post(
            reverse("cycles:cycle-central", args=[world.cycle.pk]),
            {"file": SimpleUploadedFile("bad.csv", bad)},
            follow=True,
        )
        text = response.content.decode()
        assert rule in text and "bad.csv" in text and "/tmp" not in text
    assert world.leaf(world.sheet_a, "7.1").appraised_points == 17.5  # unchanged
    officer = Client()
    officer.force_login(world.officer_a)
    refused = officer.post(
        reverse("cycles:cycle-central", args=[world.cycle.pk]),
        {"file": SimpleUploadedFile("sipas.csv", good)},
    )
    assert refused.status_code in (403, 404)
    assert world.cycle.state == Cycle.SELF


def _sipas_cycle(world: World, tmp_path: Path) -> tuple[Cycle, bytes]:
    """A SIPAS cycle of three provinces and the points file of a simulated survey of them,
    made as `chiso survey estimate --points-out` makes it."""
    names = {"Hà Nội": 0.05, "Huế": 0.0, "Cần Thơ": -0.08}
    points = simulated_survey_points(
        get_instrument("sipas-2017"), get_framework("sipas-2017"), names, 5, tmp_path
    )
    units = [
        Unit.objects.create(code=f"P{i}", name=n, kind="province") for i, n in enumerate(names)
    ]
    cycle = workflow.create_cycle(world.admin, "SIPAS 2022", 2022, "sipas-2017", units)
    Role.objects.create(user=world.chair, kind=Role.CHAIR, cycle=cycle)
    policy.forget(world.chair)
    workflow.advance(world.admin, cycle, Cycle.SELF)
    cycle.refresh_from_db()
    return cycle, points.read_bytes()


def test_survey_points_bring_their_standard_errors_to_the_published_index(
    world: World, tmp_path: Path
) -> None:
    cycle, points = _sipas_cycle(world, tmp_path)
    client = Client()
    client.force_login(world.admin)
    client.post(
        reverse("cycles:cycle-central", args=[cycle.pk]),
        {"file": SimpleUploadedFile("diem.csv", points)},
    )
    rows = list(csv.DictReader(io.StringIO(points.decode("utf-8-sig"))))
    given = {(r["unit"], r["node"]): (float(r["value"]), float(r["se"])) for r in rows}
    sheet = cycle.sheets.get(unit__name="Huế")
    assert sheet.standard_errors["total"] == given[("Huế", "total")][1]
    assert sheet.standard_errors["3"] == given[("Huế", "3")][1]
    for state in (Cycle.APPRAISAL, Cycle.EXPLANATION, Cycle.FINALISED):
        workflow.advance(world.chair if state == Cycle.FINALISED else world.admin, cycle, state)
    workflow.publish(world.chair, cycle, decision=DECISION)
    doc = json.loads(Publication.objects.get(cycle=cycle).content)
    hue = next(u for u in doc["units"] if u["unit"] == "Huế")
    assert hue["total"] == pytest.approx(given[("Huế", "total")][0], abs=1e-5)
    # SIPAS's total is over 100 points: the index's standard error is the total's
    assert hue["index_se"] == pytest.approx(given[("Huế", "total")][1])
    page = Client().get(f"/results/{cycle.pk}/intervals/").content.decode()
    assert page.count("<tr>") == 4  # a header and the three provinces
    low = f"{hue['index'] - 1.959964 * hue['index_se']:.2f}".replace(".", ",")
    assert low in page
    profile = Client().get(f"/results/{cycle.pk}/units/Hu%E1%BA%BF/").content.decode()
    assert "Khoảng tin cậy 95%" in profile and low in profile
    # open data: the standard errors and the interval's bounds, described in the dictionary
    table = Client().get(f"/results/{cycle.pk}/data.csv").content.decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(table)) if r["unit"] == "Huế")
    assert float(row["index_se"]) == pytest.approx(hue["index_se"], abs=1e-6)
    assert float(row["index_ci_low"]) == pytest.approx(hue["index"] - 1.959964 * hue["index_se"])
    dictionary = json.loads(Client().get(f"/results/{cycle.pk}/dictionary.json").content)
    assert {"total_se", "index_se", "index_ci_low", "index_ci_high"} <= {
        c["name"] for c in dictionary["columns"]
    }


def test_a_point_entered_by_hand_drops_the_standard_errors_it_invalidates(
    world: World, tmp_path: Path
) -> None:
    cycle, points = _sipas_cycle(world, tmp_path)
    central_import.import_points(world.admin, cycle, points, "diem.csv")
    leaf = LeafScore.objects.get(sheet__cycle=cycle, sheet__unit__name="Huế", code="1.1")
    scores.enter_central_points(world.admin, leaf, 50.0, "phúc tra", leaf.version)
    errors = cycle.sheets.get(unit__name="Huế").standard_errors
    assert {"1.1", "1", "total"}.isdisjoint(errors)
    assert {"1.2", "2", "2.1"} <= set(errors)  # untouched parts keep theirs
    assert AuditEntry.objects.filter(field="standard_errors", reason="1.1").exists()


def test_a_node_given_without_its_parts_is_refused_by_row(world: World, tmp_path: Path) -> None:
    cycle, _points = _sipas_cycle(world, tmp_path)
    with pytest.raises(Refusal) as caught:
        central_import.import_points(
            world.admin, cycle, "unit,node,value,se\nHuế,total,80,1.2\n".encode(), "tong.csv"
        )
    [problem] = list(caught.value.report)
    assert (problem.rule, problem.file, problem.row) == ("cycle.inner_without_parts", "tong.csv", 2)


def test_an_appraisers_change_of_a_survey_point_drops_its_standard_errors(
    world: World, tmp_path: Path
) -> None:
    cycle, points = _sipas_cycle(world, tmp_path)
    central_import.import_points(world.admin, cycle, points, "diem.csv")
    sheet = cycle.sheets.get(unit__name="Huế")
    Role.objects.create(user=world.appraiser_a, kind=Role.APPRAISER, cycle=cycle, unit=sheet.unit)
    policy.forget(world.appraiser_a)
    workflow.advance(world.admin, cycle, Cycle.APPRAISAL)
    leaf = LeafScore.objects.get(sheet=sheet, code="2.1")
    scores.appraise(world.appraiser_a, leaf, 0.0, "phiếu không hợp lệ", leaf.version)
    errors = ScoreSheet.objects.get(pk=sheet.pk).standard_errors
    assert {"2.1", "2", "total"}.isdisjoint(errors) and "1.1" in errors


def test_a_new_estimate_replaces_every_error_it_bears_on(world: World, tmp_path: Path) -> None:
    cycle, points = _sipas_cycle(world, tmp_path)
    central_import.import_points(world.admin, cycle, points, "diem.csv")
    rows = list(csv.DictReader(io.StringIO(points.decode("utf-8-sig"))))
    # the same values, re-estimated with another design: leaves only, other errors
    leaves = [r for r in rows if "." in r["node"]]
    again = "unit,node,value,se\n" + "".join(
        f"{r['unit']},{r['node']},{r['value']},{2 * float(r['se'])}\n" for r in leaves
    )
    central_import.import_points(world.admin, cycle, again.encode(), "diem-2.csv")
    errors = cycle.sheets.get(unit__name="Huế").standard_errors
    hue = {r["node"]: float(r["se"]) for r in leaves if r["unit"] == "Huế"}
    assert "total" not in errors and "1" not in errors  # no longer matching their parts
    assert errors["1.1"] == pytest.approx(2 * hue["1.1"])


def test_a_sheet_upload_of_many_rows_is_refused_at_the_first_row_too_many(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probe: a 1 MB spreadsheet of 200,000 rows cost 14 s of server time; the reader now
    stops at the framework's rows and a margin, whatever follows. Counted in rows read (the
    real reader, watched), not in seconds, so a busy machine cannot fail it. (200,000 rows
    are now refused by the office layer for their XML elements before a row is read; 20,000
    stay within its bounds and reach the row count.)"""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    read: list[int] = []
    reader = ReadOnlyWorksheet.iter_rows

    def counted(self: ReadOnlyWorksheet, *args: object, **kwargs: object) -> object:
        for row in reader(self, *args, **kwargs):
            read.append(1)
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counted)
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet()
    for i in range(20_000):  # one number a row, as small as a probe can make it
        ws.append([i % 7])
    out = io.BytesIO()
    book.save(out)
    assert out.tell() < sheets_excel.MAX_BYTES
    response = _upload(world, out.getvalue())
    assert "file.too_many_rows" in response.content.decode()
    assert not LeafScore.objects.filter(sheet=world.sheet_a).exclude(self_raw="").exists()
    framework = framework_of(world.sheet_a.cycle)
    most = 3 + sum(1 for _ in framework.walk()) + sheets_excel.EXTRA_ROWS
    assert len(read) == most + 1  # the first row too many, and not one after it


def test_a_sheet_upload_above_the_size_cap_is_refused_before_it_is_read(world: World) -> None:
    response = _upload(world, b"PK\x03\x04" + b"\x00" * (sheets_excel.MAX_BYTES + 2**17))
    assert "tệp quá lớn (tối đa 2 MB)" in response.content.decode()
    with pytest.raises(Refusal) as caught:
        sheets_excel.upload(
            world.officer_a,
            world.sheet_a,
            b"\x00" * (sheets_excel.MAX_BYTES + 1),
            "phieu.xlsx",
        )
    assert caught.value.rule == "cycle.file_too_large"


def _measured(call: Callable[[], object]) -> tuple[float, float, BaseException | None]:
    """Processor seconds, peak MB of Python allocations, and what ``call`` raised. (In this
    process, not a forked copy: the web tests may hold a PostgreSQL connection.)"""
    import time
    import tracemalloc

    tracemalloc.start()
    start = time.process_time()
    raised: BaseException | None = None
    try:
        call()
    except BaseException as exc:
        raised = exc
    seconds = time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, raised


def test_a_zip_bomb_sheet_upload_is_refused_before_it_is_opened(world: World) -> None:
    """Issue #19: the filled template with shared strings that unzip to 20 MB is 60 KB (under
    the 2 MB cap on the upload) and took 17 s to open. The office layer reads the zip's
    directory first: the ratio refuses it at once, and the page says why."""
    from office_bombs import shared_strings_bomb

    bomb = shared_strings_bomb(_filled(world, {"1.4": 1}), 20)
    assert len(bomb) < sheets_excel.MAX_BYTES
    seconds, megabytes, raised = _measured(
        lambda: sheets_excel.upload(world.officer_a, world.sheet_a, bomb, "phieu.xlsx")
    )
    assert isinstance(raised, Refusal), raised
    assert raised.report.rules == {"file.compression_ratio"}
    assert seconds < 2 and megabytes < 200, (seconds, megabytes)
    text = _upload(world, bomb).content.decode()
    assert "xl/sharedStrings.xml" in text and "bom nén" in text
    assert not LeafScore.objects.filter(sheet=world.sheet_a).exclude(self_raw="").exists()


def test_a_points_file_of_500000_rows_is_refused_at_the_first_row_too_many(
    world: World,
) -> None:
    """Issue #19: 500,000 rows of points took 13 s and answered with half a million
    problems (a 119 MB error body). A cycle's points file has at most a row per unit and
    node; the reader stops at the first row past that, with one problem."""
    rows = "".join(f"Đơn vị {i},1.4,1\n" for i in range(500_000))
    data = ("unit,node,value\n" + rows).encode()
    seconds, megabytes, raised = _measured(
        lambda: central_import.import_points(world.admin, world.cycle, data, "diem.csv")
    )
    assert isinstance(raised, Refusal), raised
    problems = list(raised.report)
    assert problems[0].rule == "file.too_many_table_rows"
    nodes = len(plan_of(world.cycle).nodes)
    most = 2 * (nodes + 1) + central_import.EXTRA_ROWS
    assert problems[0].row == most + 2  # the header is row 1
    assert len(raised.report) <= most + 1
    assert seconds < 2 and megabytes < 200, (seconds, megabytes)
