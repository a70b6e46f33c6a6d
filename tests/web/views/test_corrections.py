"""Publication with its decision, a correction after it (a new revision with its reason, its
own decision and the SHA-256 of the one it replaces; ranks recomputed), every revision public
with the changes per unit, and "assessed, not ranked"."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from chiso.web.core.frameworks import framework_of
from chiso.web.core.models import AuditEntry
from chiso.web.cycles.models import Cycle, LeafScore, Publication
from web.conftest import World
from web.views.helpers import CONFIRM, as_


def _complete(world: World) -> None:
    """Both units claim every leaf's maximum but 1.4, where A claims 1 and B 2: B ranks first
    (100 against 99), A second."""
    fw = framework_of(world.cycle)
    for sheet, claim in ((world.sheet_a, 1.0), (world.sheet_b, 2.0)):
        for node in fw.leaves():
            points = claim if node.code == "1.4" else node.max
            LeafScore.objects.filter(sheet=sheet, code=node.code).update(
                self_raw=str(points), self_points=points
            )
    world.move_to(Cycle.FINALISED)


def _publish(world: World, **extra: str) -> object:
    data = {
        "decision_number": "1551/QĐ-UBND",
        "decision_date": "2025-01-20",
        "decision_body": "UBND tỉnh",
        **CONFIRM,
        **extra,
    }
    return as_(world, "chair").post(reverse("cycles:cycle-publish", args=[world.cycle.pk]), data)


def _said(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def test_the_publication_records_its_decision_on_the_portal_and_in_open_data(
    world: World,
) -> None:
    _complete(world)
    _publish(world)
    publication = Publication.objects.get(cycle=world.cycle)
    assert publication.decision_number == "1551/QĐ-UBND"
    assert str(publication.decision_date) == "2025-01-20"
    doc = json.loads(publication.content)
    assert doc["publication"]["decision"] == {
        "number": "1551/QĐ-UBND",
        "date": "2025-01-20",
        "body": "UBND tỉnh",
    }
    page = as_(world, "anonymous").get(reverse("portal:published", args=[world.cycle.pk]))
    line = "Quyết định số 1551/QĐ-UBND ngày 20/01/2025 của UBND tỉnh"
    assert line in page.content.decode()
    data = as_(world, "anonymous").get(reverse("portal:data-json", args=[world.cycle.pk]))
    assert line in data.content.decode()
    annex = as_(world, "anonymous").get(reverse("portal:annex-xlsx", args=[world.cycle.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(annex.content)).active
    assert sheet is not None and sheet["A2"].value == line


def test_every_open_data_form_carries_the_decision_in_columns_the_dictionary_explains(
    world: World,
) -> None:
    _complete(world)
    _publish(world)
    client = as_(world, "anonymous")
    pk = world.cycle.pk
    expected = {
        "revision": "1",
        "decision_number": "1551/QĐ-UBND",
        "decision_date": "2025-01-20",
        "decision_body": "UBND tỉnh",
    }
    text = client.get(reverse("portal:data-csv", args=[pk])).content.decode("utf-8-sig")
    csv_rows = list(csv.DictReader(io.StringIO(text)))
    assert len(csv_rows) == 2
    assert all({k: r[k] for k in expected} == expected for r in csv_rows)
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("portal:data-xlsx", args=[pk])).content)
    ).active
    assert sheet is not None
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    for row in table[1:]:
        cells = dict(zip(table[0], row, strict=True))
        assert {k: str(cells[k]) for k in expected} == expected
    data = json.loads(client.get(reverse("portal:data-json", args=[pk])).content)
    assert all({k: str(r[k]) for k in expected} == expected for r in data["rows"])
    dictionary = json.loads(client.get(reverse("portal:dictionary", args=[pk])).content)
    meanings = {c["name"]: c for c in dictionary["columns"]}
    assert meanings["decision_number"]["vi"] == "Số quyết định công bố kết quả"
    assert meanings["decision_date"]["en"] == (
        "Date of the decision publishing the results (YYYY-MM-DD)"
    )
    assert [c["name"] for c in dictionary["columns"]] == list(data["rows"][0])


def test_the_word_annex_prints_the_decision_under_its_title(world: World) -> None:
    from docx import Document

    _complete(world)
    _publish(world)
    word = as_(world, "anonymous").get(reverse("portal:annex-docx", args=[world.cycle.pk]))
    paragraphs = [p.text for p in Document(io.BytesIO(word.content)).paragraphs]
    assert "Quyết định số 1551/QĐ-UBND ngày 20/01/2025 của UBND tỉnh" in paragraphs[:3]


def test_the_report_pdf_prints_the_decision_under_its_title(world: World, tmp_path: Path) -> None:
    _complete(world)
    _publish(world)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(
        as_(world, "anonymous").get(reverse("portal:report-pdf", args=[world.cycle.pk])).content
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    head = " ".join(text.split()[:40])
    assert "Quyết định số 1551/QĐ-UBND ngày 20/01/2025 của UBND tỉnh" in head


def test_a_bad_decision_date_is_refused_and_nothing_is_published(world: World) -> None:
    _complete(world)
    response = _publish(world, decision_date="20/01/2025")
    assert _said(response) == ["'20/01/2025' không phải là ngày (YYYY-MM-DD)"]
    assert not Publication.objects.filter(cycle=world.cycle).exists()


@pytest.mark.parametrize("missing", ["decision_number", "decision_date", "decision_body"])
def test_a_publication_without_its_whole_decision_is_refused(world: World, missing: str) -> None:
    _complete(world)
    response = _publish(world, **{missing: ""})
    assert _said(response) == [
        "công bố cần quyết định ban hành kết quả: ghi đủ số, ngày và cơ quan ban hành"
    ]
    assert not Publication.objects.filter(cycle=world.cycle).exists()
    world.cycle.refresh_from_db()
    assert world.cycle.state == Cycle.FINALISED


def test_the_refusal_of_a_missing_decision_speaks_english_to_an_english_reader(
    world: World,
) -> None:
    _complete(world)
    client = as_(world, "chair")
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("cycles:cycle-publish", args=[world.cycle.pk]), {"decision_number": "1/QĐ"}
    )
    assert _said(response) == [
        "a publication needs the decision that issues the results: "
        "give its number, date and issuing body"
    ]


def test_a_correction_needs_its_own_decision(world: World) -> None:
    _complete(world)
    _publish(world)
    response = _publish(world, reason="đính chính")
    assert _said(response) == [
        "bản đính chính cần quyết định riêng: quyết định số 1551/QĐ-UBND đã công bố lần 1"
    ]
    assert Publication.objects.filter(cycle=world.cycle).count() == 1
    _publish(world, reason="đính chính", decision_number="1600/QĐ-UBND")
    assert Publication.objects.filter(cycle=world.cycle).count() == 2


@pytest.mark.parametrize(
    "written",
    [
        unicodedata.normalize("NFD", "1551/QĐ-UBND"),  # decomposed, as some keyboards type
        "1551/qđ-ubnd",
        "1551/Qđ-Ubnd",
        " 1551/QĐ-UBND ",
        "1551/QĐ-\u200bUBND",  # a zero-width space
        "1551/QĐ\u2060-UBND",  # a word joiner
        "\ufeff1551/QĐ-UBND",  # a byte-order mark pasted from a file
        "1551/QĐ-UBND\u00ad",  # a soft hyphen
    ],
)
def test_a_correction_cannot_reuse_a_decision_number_written_another_way(
    world: World, written: str
) -> None:
    _complete(world)
    _publish(world)
    response = _publish(world, reason="đính chính", decision_number=written)
    assert len(_said(response)) == 1 and "đã công bố lần 1" in _said(response)[0]
    assert Publication.objects.filter(cycle=world.cycle).count() == 1


@pytest.mark.parametrize("space", ["  ", "\u00a0", "\u202f", "\t"])
def test_a_correction_cannot_reuse_a_number_with_other_spaces_in_it(
    world: World, space: str
) -> None:
    _complete(world)
    _publish(world, decision_number="15/2025/QĐ UBND")
    response = _publish(world, reason="đính chính", decision_number=f"15/2025/QĐ{space}UBND")
    assert len(_said(response)) == 1 and "đã công bố lần 1" in _said(response)[0]
    assert Publication.objects.filter(cycle=world.cycle).count() == 1


def test_a_number_stored_before_numbers_were_compared_loosely_still_blocks_its_variants(
    world: World,
) -> None:
    """Numbers already published stay as they were written (a revision is hashed and never
    rewritten): the comparison reads both sides the same way, so an old NFD number with a
    no-break space blocks its tidy form too."""
    _complete(world)
    _publish(world, decision_number=unicodedata.normalize("NFD", "1551/QĐ-UBND tỉnh\u00a0X"))
    stored = Publication.objects.get(cycle=world.cycle).decision_number
    assert unicodedata.is_normalized("NFD", stored) and "\u00a0" in stored
    response = _publish(world, reason="đính chính", decision_number="1551/qđ-ubnd TỈNH x")
    assert "đã công bố lần 1" in _said(response)[0]
    _publish(world, reason="đính chính", decision_number="1552/QĐ-UBND tỉnh X")
    assert Publication.objects.filter(cycle=world.cycle).count() == 2


def test_a_correction_changes_one_unit_and_every_revision_stays_public(world: World) -> None:
    _complete(world)
    _publish(world)
    first = Publication.objects.get(cycle=world.cycle)
    assert [
        u["rank"] for u in sorted(json.loads(first.content)["units"], key=lambda u: u["unit"])
    ] == [2, 1]
    leaf = world.leaf(world.sheet_a, "1.4")
    correct = reverse("cycles:cycle-correct", args=[world.cycle.pk])
    no_reason = as_(world, "chair").post(
        correct, {"sheet": world.sheet_a.pk, "code": "1.4", "points": "2", "reason": ""}
    )
    assert _said(no_reason) == ["cần nêu lý do khi trừ điểm hoặc sửa kết quả đã công bố"]
    assert (
        as_(world, "admin")
        .post(correct, {"sheet": world.sheet_a.pk, "code": "1.4", "points": "2", "reason": "x"})
        .status_code
        == 403
    )
    as_(world, "chair").post(
        correct,
        {
            "sheet": world.sheet_a.pk,
            "code": "1.4",
            "points": "2",
            "reason": "nhầm biên bản",
            **CONFIRM,
        },
    )
    leaf.refresh_from_db()
    assert leaf.appraised_points == 2
    _publish(world, reason="đính chính điểm 1.4 của Sở Tư pháp", decision_number="1600/QĐ-UBND")
    second = Publication.objects.get(cycle=world.cycle, revision=2)
    assert second.replaces_sha256 == first.sha256
    assert json.loads(second.content)["publication"]["replaces_sha256"] == first.sha256
    units = {u["unit"]: u for u in json.loads(second.content)["units"]}
    assert units["Sở Tư pháp"]["total"] == 100 and units["Sở Tư pháp"]["rank"] == 1
    assert units["Sở Y tế"]["rank"] == 1  # a tie now: both at 100
    page = as_(world, "anonymous").get(reverse("portal:revisions", args=[world.cycle.pk]))
    html = page.content.decode()
    assert first.sha256 in html and second.sha256 in html
    assert "Quyết định số 1600/QĐ-UBND" in html and "nhầm biên bản" not in html
    assert "đính chính điểm 1.4 của Sở Tư pháp" in html
    assert (
        '<td>Sở Tư pháp</td><td>Tổng điểm</td><td class="num">99,00</td><td class="num">100,00</td>'
        in html
    )
    old = as_(world, "anonymous").get(reverse("portal:revision-data", args=[world.cycle.pk, 1]))
    assert json.loads(old.content)["units"] == json.loads(first.content)["units"]


@pytest.mark.parametrize(
    ("code", "points", "said"),
    [
        ("1.4", "3", "giá trị 3 vượt điểm tối đa 2 của 1.4"),
        ("1.4", "-1", "giá trị -1 nhỏ hơn mức thấp nhất 0 của 1.4"),
        ("1.4", "hai", "'hai' không phải là số"),
        ("9.9", "1", "không có tiêu chí 9.9"),
        ("", "1", "không có tiêu chí ''"),
    ],
)
def test_a_bad_correction_is_refused_with_a_message_and_changes_nothing(
    world: World, code: str, points: str, said: str
) -> None:
    _complete(world)
    _publish(world)
    response = as_(world, "chair").post(
        reverse("cycles:cycle-correct", args=[world.cycle.pk]),
        {"sheet": world.sheet_a.pk, "code": code, "points": points, "reason": "nhầm"},
    )
    assert _said(response) == [said]
    assert world.leaf(world.sheet_a, "1.4").final_points == 1
    assert not AuditEntry.objects.filter(field="correction").exists()


def test_revisions_of_an_unpublished_cycle_are_not_found(world: World) -> None:
    url = reverse("portal:revisions", args=[world.cycle.pk])
    assert as_(world, "anonymous").get(url).status_code == 404


@pytest.mark.parametrize("actor", ["officer_a", "appraiser_a", "chair"])
def test_only_the_administrator_marks_a_unit_not_ranked_before_publication(
    world: World, actor: str
) -> None:
    url = reverse("cycles:sheet-ranked", args=[world.sheet_a.pk])
    assert as_(world, actor).post(url, {"ranked": ""}).status_code in (403, 404)
    world.sheet_a.refresh_from_db()
    assert world.sheet_a.ranked


def test_a_unit_assessed_not_ranked_has_no_rank_and_the_others_close_up(world: World) -> None:
    url = reverse("cycles:sheet-ranked", args=[world.sheet_b.pk])
    as_(world, "admin").post(url, {"ranked": ""})
    world.sheet_b.refresh_from_db()
    assert not world.sheet_b.ranked
    _complete(world)
    _publish(world)
    units = {u["unit"]: u for u in json.loads(Publication.objects.get().content)["units"]}
    assert units["Sở Y tế"]["rank"] is None and units["Sở Y tế"]["status"] == "not ranked"
    assert units["Sở Tư pháp"]["rank"] == 1
