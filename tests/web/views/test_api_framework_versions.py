"""The API's framework versions: an administrator uploads a province's framework (YAML or a
Word/Excel criteria table) through the same service as the page, every problem of a bad file
in one answer and nothing saved; versions are listed, read and downloaded as YAML, Excel and
Word; a cycle opens with the newest uploaded version; others are refused with the one error
body."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chiso.web.accounts import tokens
from chiso.web.core.models import AuditEntry
from chiso.web.cycles.models import Cycle, FrameworkVersion
from test_criteria_tables import DOTTED, ROMAN, write_docx, write_xlsx
from web.conftest import World
from web.views.helpers import MISSING, as_

TABLE = {"code": "tinh-so-2024", "subject": ["department"], "year": "2024"}


def _upload(client: Client, path: Path, **fields: object) -> Any:
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post("/api/framework-versions", {"file": upload, **TABLE, **fields})


def test_an_excel_table_then_a_word_table_become_versions_1_and_2(
    world: World, tmp_path: Path
) -> None:
    admin = as_(world, "admin")
    first = _upload(admin, write_xlsx(tmp_path / "so.xlsx", DOTTED))
    assert first.status_code == 201, first.json()
    assert (first.json()["code"], first.json()["version"], first.json()["nodes"]) == (
        "tinh-so-2024",
        1,
        7,
    )
    second = _upload(admin, write_docx(tmp_path / "so.docx", ROMAN))
    assert (second.json()["version"], second.json()["nodes"]) == (2, 12)
    listed = admin.get("/api/framework-versions?limit=1").json()
    assert listed["count"] == 2 and listed["items"][0]["version"] == 1
    stored = FrameworkVersion.objects.get(version=2)
    read = admin.get(f"/api/framework-versions/{stored.pk}").json()
    assert read["yaml"] == stored.yaml and read["sha256"] == stored.sha256
    assert AuditEntry.objects.filter(field="framework", new__contains="tinh-so-2024 v2").exists()


def test_a_bad_table_answers_every_problem_at_once_and_saves_nothing(
    world: World, tmp_path: Path
) -> None:
    rows = [
        ["1", "Chỉ đạo", "5", "", ""],
        ["1.1", "Kế hoạch", "2", "", ""],
        ["1.1", "Kế hoạch lặp", "1", "", ""],
        ["2", "Thủ tục", "hai", "", ""],
    ]
    answer = _upload(as_(world, "admin"), write_xlsx(tmp_path / "bad.xlsx", rows))
    assert answer.status_code == 400
    body = answer.json()
    assert {p["rule"] for p in body["problems"]} == {
        "outline.duplicate",
        "table.points_not_number",
        "table.sum_mismatch",
    }
    assert body["rule"] == body["problems"][0]["rule"] and body["message"]
    assert not FrameworkVersion.objects.exists()


def test_a_yaml_file_with_problems_is_refused_with_its_problems(
    world: World, tmp_path: Path
) -> None:
    path = tmp_path / "fw.yaml"
    path.write_text("format: 1\ncode: x\nnodes: []\n", encoding="utf-8")
    answer = _upload(as_(world, "admin"), path)
    assert answer.status_code == 400 and answer.json()["problems"]
    assert not FrameworkVersion.objects.exists()


def test_a_table_without_its_code_subject_and_year_is_refused(world: World, tmp_path: Path) -> None:
    answer = _upload(as_(world, "admin"), write_xlsx(tmp_path / "so.xlsx", DOTTED), code="")
    assert answer.status_code == 400 and answer.json()["rule"] == "framework.table_needs"
    assert not FrameworkVersion.objects.exists()


def test_the_same_file_twice_and_a_built_in_code_are_refused(world: World, tmp_path: Path) -> None:
    admin = as_(world, "admin")
    path = write_xlsx(tmp_path / "so.xlsx", DOTTED)
    assert _upload(admin, path).status_code == 201
    again = _upload(admin, path)
    assert again.status_code == 400 and again.json()["rule"] == "framework.unchanged"
    built_in = _upload(admin, path, code="example-department-2024")
    assert built_in.status_code == 400 and built_in.json()["rule"] == "framework.builtin_code"
    assert FrameworkVersion.objects.count() == 1


@pytest.mark.parametrize("actor", ["officer_a", "appraiser_a", "chair"])
def test_only_the_administrator_uploads_lists_and_reads(
    world: World, tmp_path: Path, actor: str
) -> None:
    _upload(as_(world, "admin"), write_xlsx(tmp_path / "so.xlsx", DOTTED))
    version = FrameworkVersion.objects.get()
    client = as_(world, actor)
    refused = _upload(client, write_docx(tmp_path / "so.docx", ROMAN))
    assert refused.status_code == 403 and refused.json()["rule"] == "cycle.forbidden"
    for url in ("/api/framework-versions", f"/api/framework-versions/{version.pk}"):
        answer = client.get(url)
        assert answer.status_code == 403 and answer.json()["rule"] == "cycle.forbidden"
    assert FrameworkVersion.objects.count() == 1


def test_the_anonymous_and_a_read_token_are_refused(world: World, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "so.xlsx", DOTTED)
    anonymous = _upload(as_(world, "anonymous"), path)
    assert anonymous.status_code == 401 and anonymous.json()["rule"] == "api.auth_required"
    _, text = tokens.create_token(world.admin, "đọc", "read", 1)
    reader = Client(HTTP_AUTHORIZATION=f"Bearer {text}")
    refused = _upload(reader, path)
    assert refused.status_code == 403 and refused.json()["rule"] == "api.read_only"
    assert reader.get("/api/framework-versions").json()["count"] == 0
    assert not FrameworkVersion.objects.exists()


@pytest.mark.parametrize("fmt", ["yaml", "xlsx", "docx"])
def test_a_version_downloads_as_the_page_gives_it(world: World, tmp_path: Path, fmt: str) -> None:
    admin = as_(world, "admin")
    _upload(admin, write_xlsx(tmp_path / "so.xlsx", DOTTED))
    version = FrameworkVersion.objects.get()
    answer = admin.get(f"/api/framework-versions/{version.pk}/{fmt}")
    page = admin.get(reverse("cycles:framework-download", args=[version.pk, fmt]))
    assert answer.status_code == 200 and answer["Content-Type"] == page["Content-Type"]
    assert answer["Content-Disposition"] == f'attachment; filename="tinh-so-2024-v1.{fmt}"'
    if fmt == "yaml":
        assert answer.content.decode() == version.yaml
    if fmt == "xlsx":
        openpyxl.load_workbook(io.BytesIO(answer.content))
    unknown = admin.get(f"/api/framework-versions/{version.pk}/pdf")
    assert unknown.status_code == 422 and unknown.json()["field"] == "fmt"
    missing = admin.get(f"/api/framework-versions/{MISSING}/{fmt}")
    assert missing.status_code == 404 and missing.json()["rule"] == "api.not_found"


def test_a_cycle_opens_with_the_newest_uploaded_version(world: World, tmp_path: Path) -> None:
    admin = as_(world, "admin")
    _upload(admin, write_xlsx(tmp_path / "so.xlsx", DOTTED))
    _upload(admin, write_docx(tmp_path / "so.docx", ROMAN))
    units = [world.sheet_a.unit_id]
    body = {"name": "Sở 2025", "year": 2025, "framework": "tinh-so-2024", "units": units}
    made = admin.post("/api/cycles", json.dumps(body), content_type="application/json")
    assert made.status_code == 201, made.json()
    cycle = Cycle.objects.get(pk=made.json()["id"])
    assert cycle.framework_version == FrameworkVersion.objects.get(version=2)
