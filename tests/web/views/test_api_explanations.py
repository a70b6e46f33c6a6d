"""The API's explanation loop: the unit reads its cuts with the appraiser's reasons and
explains one with an evidence file (both saved, or neither); the appraiser restores wholly or
partly or keeps the cut with a reason; the score before and after; every refusal the page
makes, with the one error body."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chiso.web.accounts import tokens
from chiso.web.core.models import AuditEntry
from chiso.web.cycles import explanations
from chiso.web.cycles.models import Cycle, Evidence, Explanation
from web.conftest import World
from web.views.helpers import MISSING, PDF, as_
from web.views.test_explanations import _cut


def _explain(client: Client, leaf_id: int, text: str, file: Any = None) -> Any:
    data: dict[str, Any] = {"text": text}
    if file is not None:
        data["file"] = file
    return client.post(f"/api/leaves/{leaf_id}/explanation", data)


def _review(client: Client, explanation_id: int, **body: Any) -> Any:
    return client.post(
        f"/api/explanations/{explanation_id}/review",
        json.dumps(body),
        content_type="application/json",
    )


def test_the_unit_reads_its_cuts_with_the_appraisers_reason(world: World) -> None:
    leaf = _cut(world)  # claimed 2, appraised 0.5
    page = as_(world, "officer_a").get(f"/api/sheets/{world.sheet_a.pk}/explanations").json()
    assert page["count"] == 1
    cut = page["items"][0]
    assert (cut["leaf"], cut["code"], cut["claimed"], cut["appraised"], cut["now"]) == (
        leaf.pk,
        "1.4",
        2.0,
        0.5,
        0.5,
    )
    assert cut["reason"] == "biên bản thiếu chữ ký" and cut["explanation"] is None
    scores = as_(world, "officer_a").get(f"/api/sheets/{world.sheet_a.pk}/explanation-scores")
    assert scores.json()["can_explain"] is True and scores.json()["can_review"] is False


def test_the_unit_explains_with_a_file_and_both_are_saved_and_audited(world: World) -> None:
    leaf = _cut(world)
    answer = _explain(
        as_(world, "officer_a"),
        leaf.pk,
        "Biên bản đã ký, xem tệp",
        SimpleUploadedFile("bien-ban.pdf", PDF),
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["text"], body["points_before"], body["outcome"]) == (
        "Biên bản đã ký, xem tệp",
        0.5,
        "pending",
    )
    assert Evidence.objects.filter(leaf=leaf, original_name="bien-ban.pdf").exists()
    assert AuditEntry.objects.filter(object_type="Explanation", field="explanation").exists()
    cut = as_(world, "officer_a").get(f"/api/sheets/{world.sheet_a.pk}/explanations").json()
    assert cut["items"][0]["explanation"]["id"] == body["id"]
    assert [e["name"] for e in cut["items"][0]["evidence"]] == ["bien-ban.pdf"]


def test_a_bad_file_saves_neither_the_explanation_nor_the_file(world: World) -> None:
    leaf = _cut(world)
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf at all")
    answer = _explain(as_(world, "officer_a"), leaf.pk, "Xem tệp", bad)
    assert answer.status_code == 400 and answer.json()["rule"] == "cycle.file_type"
    assert not Explanation.objects.exists() and not Evidence.objects.exists()


def test_refusals_are_the_pages_with_the_one_error_body(world: World) -> None:
    leaf = _cut(world)
    officer = as_(world, "officer_a")
    untouched = world.leaf(world.sheet_a, "1.5")
    not_cut = _explain(officer, untouched.pk, "Giải trình")
    assert not_cut.status_code == 400 and not_cut.json()["rule"] == "explanation.not_cut"
    other = _explain(as_(world, "officer_b"), leaf.pk, "Giải trình")
    assert other.status_code == 404 and other.json()["field"] == "leaf_id"
    appraiser = _explain(as_(world, "appraiser_a"), leaf.pk, "Giải trình")
    assert appraiser.status_code == 403 and appraiser.json()["rule"] == "cycle.forbidden"
    empty = _explain(officer, leaf.pk, "")
    assert empty.status_code == 422 and empty.json()["field"] == "text"
    Cycle.objects.filter(pk=world.cycle.pk).update(
        explanation_ends=datetime.date.today() - datetime.timedelta(days=1)
    )
    late = _explain(officer, leaf.pk, "Muộn")
    assert late.status_code == 400 and late.json()["rule"] == "explanation.closed"
    assert not Explanation.objects.exists()


def test_the_appraiser_restores_part_and_the_scores_show_before_and_after(world: World) -> None:
    leaf = _cut(world)
    explanation = explanations.explain(world.officer_a, leaf, "Đã bổ sung")
    answer = _review(
        as_(world, "appraiser_a"), explanation.pk, points=1.5, reason="bổ sung một phần"
    )
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["outcome"], answer.json()["points_after"]) == ("partly", 1.5)
    leaf.refresh_from_db()
    assert leaf.appraised_points == 1.5
    scores = as_(world, "officer_a").get(f"/api/sheets/{world.sheet_a.pk}/explanation-scores")
    # every leaf at its maximum (the total's, 100) but 1.4: 0.5 of 2 when explained, now 1.5
    assert scores.json()["total_before"] == pytest.approx(98.5)
    assert scores.json()["total_after"] == pytest.approx(99.5)
    again = _review(as_(world, "appraiser_a"), explanation.pk, points=2)
    assert again.status_code == 400 and again.json()["rule"] == "explanation.answered"


def test_keeping_a_cut_needs_a_reason_and_restoring_is_bounded_by_the_claim(
    world: World,
) -> None:
    leaf = _cut(world)
    explanation = explanations.explain(world.officer_a, leaf, "Đề nghị xem lại")
    appraiser = as_(world, "appraiser_a")
    no_reason = _review(appraiser, explanation.pk, points=None, reason="")
    assert no_reason.status_code == 400 and no_reason.json()["rule"] == "cycle.reason_required"
    beyond = _review(appraiser, explanation.pk, points=3)
    assert beyond.status_code == 400 and beyond.json()["rule"] == "explanation.bad_points"
    assert beyond.json()["message"] == "điểm khôi phục 3 phải nằm trong khoảng từ 0.5 đến 2"
    kept = _review(appraiser, explanation.pk, reason="không có tài liệu mới")
    assert kept.json()["outcome"] == "kept"
    leaf.refresh_from_db()
    assert leaf.appraised_points == 0.5


def test_only_the_sheets_appraiser_answers_and_a_read_token_changes_nothing(
    world: World,
) -> None:
    leaf = _cut(world)
    explanation = explanations.explain(world.officer_a, leaf, "Đề nghị xem lại")
    officer = _review(as_(world, "officer_a"), explanation.pk, points=2)
    assert officer.status_code == 403 and officer.json()["rule"] == "cycle.forbidden"
    unseen = _review(as_(world, "officer_b"), explanation.pk, points=2)
    assert unseen.status_code == 404 and unseen.json()["field"] == "explanation_id"
    assert as_(world, "officer_b").get(f"/api/explanations/{explanation.pk}").status_code == 404
    missing = as_(world, "appraiser_a").get(f"/api/explanations/{MISSING}")
    assert missing.status_code == 404 and missing.json()["rule"] == "api.not_found"
    _, text = tokens.create_token(world.appraiser_a, "đọc", "read", 1)
    reader = _review(Client(HTTP_AUTHORIZATION=f"Bearer {text}"), explanation.pk, points=2)
    assert reader.status_code == 403 and reader.json()["rule"] == "api.read_only"
    explanation.refresh_from_db()
    assert explanation.outcome == Explanation.PENDING
