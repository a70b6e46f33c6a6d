"""A province's own framework in the web application: uploaded as YAML or as a Word/Excel
criteria table, every problem shown at once and nothing saved until the file is clean;
versions; a cycle keeps the version it was opened with; downloads as YAML, Excel and Word."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chiso.frameworks import framework_from_text
from chiso.web.core.frameworks import framework_of
from chiso.web.cycles.models import Cycle, FrameworkVersion, Unit
from test_criteria_tables import DOTTED, ROMAN, write_docx, write_xlsx
from web.conftest import World
from web.views.helpers import as_

TABLE = {"code": "tinh-so-2024", "subject": ["department"], "year": "2024"}


def _upload(world: World, path: Path, actor: str = "admin", **fields: object) -> object:
    with path.open("rb") as fh:
        upload = SimpleUploadedFile(path.name, fh.read())
    return as_(world, actor).post(
        reverse("cycles:framework-upload"), {"file": upload, **TABLE, **fields}
    )


def _said(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def test_an_excel_table_becomes_version_1_and_a_word_table_version_2(
    world: World, tmp_path: Path
) -> None:
    response = _upload(world, write_xlsx(tmp_path / "so.xlsx", DOTTED))
    assert _said(response) == ["Đã lưu tinh-so-2024, phiên bản 1: 7 nút"]
    response = _upload(world, write_docx(tmp_path / "so.docx", ROMAN))
    assert _said(response) == ["Đã lưu tinh-so-2024, phiên bản 2: 12 nút"]
    versions = FrameworkVersion.objects.filter(code="tinh-so-2024").order_by("version")
    assert [(v.version, v.nodes, v.complete) for v in versions] == [(1, 7, True), (2, 12, True)]


def test_a_bad_table_reports_every_problem_and_saves_nothing(world: World, tmp_path: Path) -> None:
    rows = [
        ["1", "Chỉ đạo", "5", "", ""],  # row 5: its children add up to 4
        ["1.1", "Kế hoạch", "2", "", ""],
        ["1.1", "Kế hoạch lặp", "1", "", ""],  # row 7: repeated
        ["1.2", "Báo cáo", "2", "", ""],
        ["2", "Thủ tục", "hai", "", ""],  # row 9: text where points belong
        ["3", "Bộ máy", "3", "", ""],  # row 10: its points cell merged over row 11
        ["3.1", "Sắp xếp", "", "", ""],
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    book = openpyxl.load_workbook(path)
    book["Phụ lục"].merge_cells("C10:C11")
    book.save(path)
    response = _upload(world, path)
    said = _said(response)
    assert len(said) == 4
    assert all(line.startswith("bad.xlsx, sheet 'Phụ lục', dòng ") for line in said)
    assert any("dòng 7, cột A" in line and "[outline.duplicate]" in line for line in said)
    assert any("dòng 9, cột C" in line and "[table.points_not_number]" in line for line in said)
    assert any("dòng 5, cột C" in line and "[table.sum_mismatch]" in line for line in said)
    assert any("dòng 10, cột C" in line and "[table.merged_points]" in line for line in said)
    assert not FrameworkVersion.objects.exists()


def test_a_table_without_its_code_subject_and_year_is_refused(world: World, tmp_path: Path) -> None:
    response = _upload(world, write_xlsx(tmp_path / "so.xlsx", DOTTED), code="", year="")
    assert _said(response) == [
        "bảng tiêu chí Word/Excel cần mã, đối tượng và năm áp dụng của bộ tiêu chí"
    ]
    assert not FrameworkVersion.objects.exists()


def test_a_yaml_file_with_problems_is_reported_with_its_lines(world: World, tmp_path: Path) -> None:
    path = tmp_path / "fw.yaml"
    path.write_text("format: 1\ncode: x\nnodes: []\n", encoding="utf-8")
    said = _said(_upload(world, path))
    assert said and all(line.startswith("fw.yaml") for line in said)
    assert not FrameworkVersion.objects.exists()


def test_the_same_file_twice_is_not_a_new_version(world: World, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "so.xlsx", DOTTED)
    _upload(world, path)
    assert _said(_upload(world, path)) == [
        "tệp giống hệt phiên bản 1 của 'tinh-so-2024': không tạo phiên bản mới"
    ]


def test_a_built_in_code_cannot_be_uploaded(world: World, tmp_path: Path) -> None:
    response = _upload(
        world, write_xlsx(tmp_path / "so.xlsx", DOTTED), code="example-department-2024"
    )
    assert "[" not in _said(response)[0] and "có sẵn" in _said(response)[0]
    assert not FrameworkVersion.objects.exists()


@pytest.mark.parametrize("actor", ["officer_a", "appraiser_a", "chair"])
def test_only_the_administrator_uploads(world: World, tmp_path: Path, actor: str) -> None:
    response = _upload(world, write_xlsx(tmp_path / "so.xlsx", DOTTED), actor=actor)
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert not FrameworkVersion.objects.exists()


def test_a_cycle_keeps_the_version_it_was_opened_with(world: World, tmp_path: Path) -> None:
    _upload(world, write_xlsx(tmp_path / "so.xlsx", DOTTED))
    unit = Unit.objects.get(code="S01")
    response = as_(world, "admin").post(
        reverse("cycles:cycle-create"),
        {"name": "Sở 2024", "year": "2024", "framework": "tinh-so-2024", "units": [unit.pk]},
    )
    cycle = Cycle.objects.get(name="Sở 2024")
    assert response.status_code == 302 and cycle.framework_version is not None
    assert cycle.framework_version.version == 1
    _upload(world, write_docx(tmp_path / "so.docx", ROMAN))
    cycle.refresh_from_db()
    assert cycle.framework_version.version == 1
    assert len(framework_of(cycle).codes) == 7  # still version 1's tree
    assert cycle.sheets.get().leaves.count() == 4  # 1.1, 1.2.1, 1.2.2, 2.1


@pytest.mark.parametrize("fmt", ["yaml", "xlsx", "docx"])
def test_a_version_downloads_as_yaml_excel_and_word(world: World, tmp_path: Path, fmt: str) -> None:
    _upload(world, write_xlsx(tmp_path / "so.xlsx", DOTTED))
    version = FrameworkVersion.objects.get()
    url = reverse("cycles:framework-download", args=[version.pk, fmt])
    assert as_(world, "officer_a").get(url).status_code == 403
    response = as_(world, "admin").get(url)
    assert response.status_code == 200
    if fmt == "yaml":
        assert response.content.decode() == version.yaml
        return
    path = tmp_path / f"back.{fmt}"
    path.write_bytes(response.content)
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None and sheet["A3"].value == "STT"  # the name, a blank row, the header
    from chiso.tables.criteria_tables import TableMeta, import_table

    meta = TableMeta(code="tinh-so-2024", subjects=("department",), year=2024)
    again = framework_from_text(import_table(path, meta), "again.yaml")
    first = framework_from_text(version.yaml, "v1.yaml")
    assert [(n.code, n.name_vi, n.max) for n in again.walk()] == [
        (n.code, n.name_vi, n.max) for n in first.walk()
    ]


@pytest.mark.parametrize("extra", [1, 2**20], ids=["file-just-above", "request-far-above"])
def test_a_file_above_5_mb_is_refused_and_nothing_is_saved(
    world: World, tmp_path: Path, extra: int
) -> None:
    """Refused by the file's size just above the cap, and from the request's declared length
    (before the upload is read) far above it."""
    path = tmp_path / "lon.yaml"
    path.write_bytes(b"#" * (5 * 2**20 + extra))
    response = _upload(world, path)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert any("tối đa 5 MB" in m for m in _said(response))
    assert not FrameworkVersion.objects.exists()


def test_an_annex_with_scoring_levels_is_saved_with_its_rules_and_a_bad_one_shows_its_rows(
    world: World, tmp_path: Path
) -> None:
    """Issue #20, part 4: the page reads an annex as the command line does; level lines are
    the leaves' rules, and an ambiguous level is shown with its table, row and reason."""
    from annex_tables import W2, write_word
    from test_criteria_annexes import BAD

    response = _upload(world, write_word(tmp_path / "phu-luc.docx", W2))
    assert _said(response) == ["Đã lưu tinh-so-2024, phiên bản 1: 7 nút"]
    fw = framework_from_text(FrameworkVersion.objects.get(code="tinh-so-2024").yaml, "v1")
    assert [n.rule.kind for n in fw.leaves()] == ["choice", "bands", "deduction", "choice"]
    response = _upload(world, write_word(tmp_path / "sai.docx", BAD))
    said = _said(response)
    assert len(said) == 10
    assert all(line.startswith("sai.docx, bảng 2, dòng ") for line in said)
    assert any(
        "dòng 7, cột 2" in line
        and "mức '- Chậm' không ghi điểm" in line
        and "[table.level_no_points]" in line
        for line in said
    )
    assert any("dòng 17, cột 2" in line and "'trên …%'" in line for line in said)
    assert FrameworkVersion.objects.filter(code="tinh-so-2024").count() == 1
