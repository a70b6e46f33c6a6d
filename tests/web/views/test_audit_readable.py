"""The audit trail as a person reads it: the history page and the CSV download name each
object by its unit and criterion and each field and stage in the reader's language, with the
province's local time and the reader's decimal mark; the trail itself keeps its codes."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from django.urls import reverse

from chiso.web.core.models import AuditEntry
from chiso.web.cycles import scores
from web.conftest import World
from web.views.helpers import as_


def _audit_rows(world: World, lang: str) -> list[list[str]]:
    client = as_(world, "admin")
    client.cookies["django_language"] = lang
    response = client.get(reverse("cycles:cycle-audit", args=[world.cycle.pk]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _score_one_leaf(world: World) -> None:
    leaf = world.leaf(world.sheet_a, "1.4")
    scores.save_self_score(world.officer_a, leaf, "1.5", leaf.version)


def test_the_audit_csv_speaks_vietnamese_with_local_time_and_named_objects(world: World) -> None:
    _score_one_leaf(world)
    rows = _audit_rows(world, "vi")
    assert rows[0] == [
        "Thời điểm",
        "Người thực hiện",
        "Đối tượng",
        "Nội dung",
        "Trước",
        "Sau",
        "Lý do",
    ]
    stage = next(r for r in rows if r[3] == "Giai đoạn")
    assert (stage[4], stage[5]) == ("Chuẩn bị", "Tự đánh giá")
    typed = next(r for r in rows if r[3] == "Giá trị tự đánh giá")
    assert typed[2] == "Sở Tư pháp · tiêu chí 1.4"
    assert typed[5] == "1,50"
    entry = AuditEntry.objects.filter(field="self_raw").get()
    assert (entry.object_type, entry.new) == ("LeafScore", "1.5")  # the trail keeps its codes
    local = entry.at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert typed[0] == local.strftime("%d/%m/%Y %H:%M:%S")


def test_the_audit_csv_speaks_english_to_an_english_reader(world: World) -> None:
    _score_one_leaf(world)
    rows = _audit_rows(world, "en")
    assert rows[0] == ["When", "Who", "Object", "What", "Before", "After", "Reason"]
    typed = next(r for r in rows if r[3] == "Self-assessed value")
    assert (typed[2], typed[5]) == ("Sở Tư pháp · criterion 1.4", "1.50")
    stage = next(r for r in rows if r[3] == "Stage")
    assert stage[5] == "Self-assessment"


def test_the_history_page_names_the_field_not_its_code(world: World) -> None:
    _score_one_leaf(world)
    leaf = world.leaf(world.sheet_a, "1.4")
    page = as_(world, "officer_a").get(reverse("cycles:leaf-history", args=[leaf.pk]))
    text = page.content.decode()
    assert "Giá trị tự đánh giá" in text and "self_raw" not in text
    assert "1,50" in text
