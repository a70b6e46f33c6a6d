"""plans:import — a responsibility map from Excel or CSV: every problem reported with its row
and column, all or nothing."""

from __future__ import annotations

import io

import openpyxl
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chiso.web.plans.models import Responsibility
from web.conftest import World
from web.views.helpers import as_


def _upload(world: World, actor: str, name: str, content: bytes) -> object:
    file = SimpleUploadedFile(name, content)
    return as_(world, actor).post(reverse("plans:import"), {"file": file})


def test_an_excel_map_is_imported(world: World) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["framework", "unit", "node", "responsible"])
    sheet.append([world.cycle.framework_code, "S01", "1", "Sở Y tế"])
    sheet.append([world.cycle.framework_code, "Sở Tư pháp", 2.1, "S02"])
    data = io.BytesIO()
    book.save(data)
    response = _upload(world, "admin", "ban-do.xlsx", data.getvalue())
    assert response.status_code == 302
    assert set(Responsibility.objects.values_list("node_code", flat=True)) == {"1", "2.1"}


def test_every_problem_is_reported_and_nothing_is_imported(world: World) -> None:
    code = world.cycle.framework_code
    text = (
        "framework,unit,node,responsible\n"
        f"{code},S01,1,S02\n"
        f"{code},S99,9.9,S02\n"
        "khong-co,S01,1,S02\n"
    )
    response = _upload(world, "admin", "ban-do.csv", text.encode("utf-8"))
    assert not Responsibility.objects.exists()
    messages = [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]
    joined = " ".join(messages)
    assert "node.unknown" in joined and "unit.unknown" in joined
    assert "plans.unknown_framework" in joined and "dòng 3" in joined and "dòng 4" in joined


def test_a_file_without_the_columns_is_refused(world: World) -> None:
    response = _upload(world, "admin", "x.csv", b"a,b\n1,2\n")
    joined = " ".join(str(m) for m in get_messages(response.wsgi_request))  # type: ignore[attr-defined]
    assert "plans.import_column" in joined and not Responsibility.objects.exists()


def test_refused_to_anyone_else(world: World) -> None:
    response = _upload(world, "officer_a", "x.csv", b"framework,unit,node,responsible\n")
    assert response.status_code == 403


def test_a_map_above_2_mb_is_refused(world: World) -> None:
    response = _upload(world, "admin", "ban-do.csv", b"#" * (2 * 2**20 + 1))
    joined = " ".join(str(m) for m in get_messages(response.wsgi_request))  # type: ignore[attr-defined]
    assert "tối đa 2 MB" in joined and not Responsibility.objects.exists()


def test_a_map_with_more_rows_than_any_map_has_is_refused_before_its_rows_are_checked(
    world: World,
) -> None:
    code = world.cycle.framework_code
    text = "framework,unit,node,responsible\n" + f"{code},S01,1,S02\n" * 50_001
    response = _upload(world, "admin", "ban-do.csv", text.encode("utf-8"))
    joined = " ".join(str(m) for m in get_messages(response.wsgi_request))  # type: ignore[attr-defined]
    assert "plans.import_too_many_rows" in joined and "50000" in joined
    assert "dòng 50002" in joined and not Responsibility.objects.exists()
