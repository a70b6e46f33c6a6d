"""The explanation loop's pages: the unit sees its cuts with the appraiser's reasons and
answers leaf by leaf with evidence; the appraiser restores wholly, partly, or keeps the cut
with a reason; the chair finalises only when every explanation has its answer; the unit's
score before and after; refusals as messages (a leaf that was not cut, after the deadline)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chiso.numbers import format_number
from chiso.web.core.frameworks import framework_of
from chiso.web.core.models import AuditEntry
from chiso.web.cycles import explanations, scores
from chiso.web.cycles.models import Cycle, Evidence, Explanation, LeafScore
from web.conftest import World
from web.views.helpers import CONFIRM, MISSING, PDF, as_, sent_to_login


def _cut(world: World, code: str = "1.4", claimed: str = "2", given: float = 0.5) -> LeafScore:
    """Unit A claims every leaf's maximum (``claimed`` on ``code``); the appraiser cuts
    ``code`` to ``given``."""
    fw = framework_of(world.cycle)
    for node in fw.leaves():
        LeafScore.objects.filter(sheet=world.sheet_a, code=node.code).update(
            self_raw=str(node.max), self_points=node.max
        )
    leaf = world.leaf(world.sheet_a, code)
    scores.save_self_score(world.officer_a, leaf, claimed, leaf.version)
    world.move_to(Cycle.APPRAISAL)
    leaf.refresh_from_db()
    scores.appraise(world.appraiser_a, leaf, given, "biên bản thiếu chữ ký", leaf.version)
    world.move_to(Cycle.EXPLANATION)
    leaf.refresh_from_db()
    return leaf


def _page(client: Client, world: World) -> str:
    url = reverse("cycles:sheet-explanations", args=[world.sheet_a.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _said(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def test_the_unit_sees_each_cut_with_the_appraisers_reason(world: World) -> None:
    _cut(world)
    html = _page(as_(world, "officer_a"), world)
    assert "biên bản thiếu chữ ký" in html
    assert 'id="leaf-' in html and "Gửi giải trình" in html


def test_someone_without_a_part_gets_404_and_the_anonymous_log_in(world: World) -> None:
    _cut(world)
    url = reverse("cycles:sheet-explanations", args=[world.sheet_a.pk])
    assert as_(world, "officer_b").get(url).status_code == 404
    assert sent_to_login(as_(world, "anonymous").get(url))
    missing = reverse("cycles:sheet-explanations", args=[MISSING])
    assert as_(world, "admin").get(missing).status_code == 404


def test_the_officer_explains_with_a_file_and_it_is_audited(world: World) -> None:
    leaf = _cut(world)
    response = as_(world, "officer_a").post(
        reverse("cycles:leaf-explain", args=[leaf.pk]),
        {"text": "Biên bản đã ký, xem tệp", "file": SimpleUploadedFile("bien-ban.pdf", PDF)},
    )
    assert response.status_code == 302
    explanation = Explanation.objects.get(leaf=leaf)
    assert explanation.text == "Biên bản đã ký, xem tệp"
    assert explanation.points_before == 0.5
    assert Evidence.objects.filter(leaf=leaf, original_name="bien-ban.pdf").exists()
    assert AuditEntry.objects.filter(object_type="Explanation", field="explanation").exists()


def test_an_explanation_with_a_file_of_a_refused_type_saves_neither(world: World) -> None:
    leaf = _cut(world)
    response = as_(world, "officer_a").post(
        reverse("cycles:leaf-explain", args=[leaf.pk]),
        {"text": "Xem tệp", "file": SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 not a pdf")},
    )
    assert _said(response) == [
        "chỉ nhận PDF, DOCX, XLSX, PNG hoặc JPEG (kiểm tra theo nội dung tệp)"
    ]
    assert not Explanation.objects.filter(leaf=leaf).exists()
    assert not Evidence.objects.filter(leaf=leaf, original_name="bien-ban.pdf").exists()
    assert not AuditEntry.objects.filter(object_type="Explanation").exists()


def test_an_explanation_of_a_leaf_that_was_not_cut_is_refused_with_a_message(
    world: World,
) -> None:
    _cut(world)
    untouched = world.leaf(world.sheet_a, "1.5")
    response = as_(world, "officer_a").post(
        reverse("cycles:leaf-explain", args=[untouched.pk]), {"text": "Giải trình"}
    )
    assert not Explanation.objects.filter(leaf=untouched).exists()
    assert _said(response) == [
        "tiêu chí 1.5 không bị trừ điểm khi thẩm định: không có gì để giải trình"
    ]


def test_an_explanation_after_the_deadline_is_refused_with_a_message(world: World) -> None:
    leaf = _cut(world)
    Cycle.objects.filter(pk=world.cycle.pk).update(
        explanation_ends=datetime.date.today() - datetime.timedelta(days=1)
    )
    response = as_(world, "officer_a").post(
        reverse("cycles:leaf-explain", args=[leaf.pk]), {"text": "Muộn"}
    )
    assert not Explanation.objects.filter(leaf=leaf).exists()
    assert len(_said(response)) == 1 and "đã hết hạn giải trình" in _said(response)[0]
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    assert f"(ngày {yesterday.strftime('%d/%m/%Y')})" in _said(response)[0]  # not ISO


def test_the_appraiser_restores_part_and_the_unit_sees_before_and_after(world: World) -> None:
    leaf = _cut(world)  # claimed 2, appraised 0.5
    explanation = explanations.explain(world.officer_a, leaf, "Đã bổ sung")
    response = as_(world, "appraiser_a").post(
        reverse("cycles:explanation-review", args=[explanation.pk]),
        {"points": "1,5", "reason": "bổ sung một phần"},
    )
    assert response.status_code == 302
    explanation.refresh_from_db()
    leaf.refresh_from_db()
    assert explanation.outcome == Explanation.PARTLY and explanation.points_after == 1.5
    assert leaf.appraised_points == 1.5
    scores = explanations.before_and_after(world.sheet_a)
    # every leaf at its maximum (the total's, 100) but 1.4: 0.5 of 2 when explained, now 1.5
    assert scores.total_before == pytest.approx(98.5)
    assert scores.total_after == pytest.approx(99.5)
    html = _page(as_(world, "officer_a"), world)
    assert "Khôi phục một phần" in html and "bổ sung một phần" in html
    assert "biên bản thiếu chữ ký" in html  # the cut's own reason stays beside the answer


def test_keeping_a_cut_needs_a_reason(world: World) -> None:
    leaf = _cut(world)
    explanation = explanations.explain(world.officer_a, leaf, "Đề nghị xem lại")
    url = reverse("cycles:explanation-review", args=[explanation.pk])
    response = as_(world, "appraiser_a").post(url, {"points": "", "reason": ""})
    assert _said(response) == ["cần nêu lý do khi trừ điểm hoặc sửa kết quả đã công bố"]
    as_(world, "appraiser_a").post(url, {"points": "", "reason": "không có tài liệu mới"})
    explanation.refresh_from_db()
    assert explanation.outcome == Explanation.KEPT
    leaf.refresh_from_db()
    assert leaf.appraised_points == 0.5


def test_restoring_beyond_what_was_claimed_is_refused(world: World) -> None:
    leaf = _cut(world)
    explanation = explanations.explain(world.officer_a, leaf, "Đề nghị xem lại")
    response = as_(world, "appraiser_a").post(
        reverse("cycles:explanation-review", args=[explanation.pk]), {"points": "3"}
    )
    assert _said(response) == ["điểm khôi phục 3 phải nằm trong khoảng từ 0.5 đến 2"]


def test_only_the_sheets_appraiser_answers(world: World) -> None:
    leaf = _cut(world)
    explanation = explanations.explain(world.officer_a, leaf, "Đề nghị xem lại")
    url = reverse("cycles:explanation-review", args=[explanation.pk])
    assert as_(world, "officer_a").post(url, {"points": "2"}).status_code == 403
    assert as_(world, "officer_b").post(url, {"points": "2"}).status_code == 404
    assert as_(world, "appraiser_a").get(url).status_code == 405
    explanation.refresh_from_db()
    assert explanation.outcome == Explanation.PENDING


def test_the_chair_finalises_only_when_every_explanation_has_its_answer(world: World) -> None:
    leaf = _cut(world)
    explanation = explanations.explain(world.officer_a, leaf, "Đề nghị xem lại")
    url = reverse("cycles:cycle-advance", args=[world.cycle.pk])
    response = as_(world, "chair").post(url, {"to": Cycle.FINALISED})
    assert _said(response) == ["còn 1 giải trình chưa được trả lời: chưa thể chốt kết quả"]
    world.cycle.refresh_from_db()
    assert world.cycle.state == Cycle.EXPLANATION
    explanations.review(world.appraiser_a, explanation, 2.0, "")
    as_(world, "chair").post(url, {"to": Cycle.FINALISED, **CONFIRM})
    world.cycle.refresh_from_db()
    assert world.cycle.state == Cycle.FINALISED


def test_an_answer_to_a_cut_on_the_sheet_page_is_sent_to_the_explanations_page(
    world: World,
) -> None:
    """One channel: during the explanation stage the sheet page's message form does not take
    the officer's answer to a cut leaf (it would escape review and the finalising check)."""
    leaf = _cut(world)
    response = as_(world, "officer_a").post(
        reverse("cycles:leaf-message", args=[leaf.pk]), {"text": "Đã bổ sung biên bản"}
    )
    assert response.status_code == 302
    said = " ".join(_said(response))
    assert "hãy trả lời bằng giải trình" in said
    assert reverse("cycles:sheet-explanations", args=[world.sheet_a.pk]) in said
    assert not leaf.messages.exists()
    assert not Explanation.objects.filter(leaf=leaf).exists()


def test_the_api_refuses_an_answer_to_a_cut_as_the_page_does(world: World) -> None:
    leaf = _cut(world)
    answer = as_(world, "officer_a").post(
        f"/api/leaves/{leaf.pk}/messages",
        json.dumps({"text": "Đã bổ sung biên bản"}),
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["rule"] == "explanation.use_page"
    assert not leaf.messages.exists()


def test_a_message_on_a_leaf_that_was_not_cut_is_still_a_message(world: World) -> None:
    _cut(world)
    other = world.leaf(world.sheet_a, "1.1")
    response = as_(world, "officer_a").post(
        reverse("cycles:leaf-message", args=[other.pk]), {"text": "Xin hỏi thêm"}
    )
    assert response.status_code == 302 and other.messages.filter(text="Xin hỏi thêm").exists()


def test_a_correction_after_publication_leaves_the_total_before_explanations_alone(
    world: World,
) -> None:
    """Issue #21: after a correction of a leaf nobody explained, the page showed the
    corrected points in the total 'before explanations' too (24,50 instead of 23,50)."""
    from chiso.web.cycles import workflow
    from web.conftest import DECISION

    leaf = _cut(world)  # 1.4 claimed 2, cut to 0.5
    explanation = explanations.explain(world.officer_a, leaf, "Đề nghị xem lại")
    explanations.review(world.appraiser_a, explanation, 1.5, "bổ sung biên bản")
    world.move_to(Cycle.FINALISED)
    workflow.publish(world.chair, world.cycle, decision=DECISION)
    before = explanations.before_and_after(world.sheet_a)
    other = world.leaf(world.sheet_a, "1.5")
    workflow.correct_leaf(world.chair, other, 1.0, "nhầm biên bản")
    after = explanations.before_and_after(world.sheet_a)
    assert after.total_before == pytest.approx(before.total_before)
    assert after.total_after == pytest.approx(before.total_after - 1.0)
    page = _page(as_(world, "chair"), world)
    total_before = format_number(before.total_before, "vi", 2)
    assert total_before in page
