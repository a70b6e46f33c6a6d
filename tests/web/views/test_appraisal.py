"""Appraisal at speed (issue #21): a leaf's row saves in place, the unit's own scores are
accepted for a domain or the whole sheet in one action (audited leaf by leaf), 'not applicable'
is the appraiser's to confirm, and typing nothing new records nothing; the stages, submitting
and publishing ask first and say what they did."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from chiso.web.core.frameworks import framework_of
from chiso.web.core.models import AuditEntry
from chiso.web.cycles import scores, workflow
from chiso.web.cycles.models import Cycle, LeafScore, ScoreSheet
from web.conftest import World
from web.views.helpers import CONFIRM, as_

HTMX = {"HTTP_HX_REQUEST": "true"}


def _told(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def _scored(world: World) -> None:
    """Unit A claims every leaf's maximum, 1.5 'not applicable' and 2.4 nothing; the cycle
    moves to appraisal."""
    for node in framework_of(world.cycle).leaves():
        LeafScore.objects.filter(sheet=world.sheet_a, code=node.code).update(
            self_raw=str(node.max), self_points=node.max
        )
    LeafScore.objects.filter(sheet=world.sheet_a, code="1.5").update(
        self_raw="KAD", self_points=None, self_na=True
    )
    LeafScore.objects.filter(sheet=world.sheet_a, code="2.4").update(self_raw="", self_points=None)
    world.move_to(Cycle.APPRAISAL)


def _save(world: World, leaf: LeafScore, points: str, reason: str = "", **extra: str) -> object:
    return as_(world, "appraiser_a").post(
        reverse("cycles:leaf-save", args=[leaf.pk]),
        {"action": "appraise", "version": leaf.version, "points": points, "reason": reason},
        **extra,
    )


def test_an_appraisal_from_htmx_answers_with_the_leaf_s_row_alone(world: World) -> None:
    _scored(world)
    leaf = world.leaf(world.sheet_a, "1.4")
    response = _save(world, leaf, "1,5", "thiếu biên bản", **HTMX)
    assert response.status_code == 200  # type: ignore[attr-defined]
    html = response.content.decode()  # type: ignore[attr-defined]
    assert html.strip().startswith(f'<tr id="leaf-{leaf.pk}"')
    assert html.count("<tr") == 1 and "<html" not in html
    assert "Đã lưu tiêu chí 1.4" in html
    assert 'value="1,50"' in html and "__CSRF_TOKEN__" not in html
    leaf.refresh_from_db()
    assert leaf.appraised_points == 1.5


def test_without_script_the_same_save_comes_back_to_the_sheet_and_says_so(world: World) -> None:
    _scored(world)
    leaf = world.leaf(world.sheet_a, "1.4")
    response = _save(world, leaf, "1", "thiếu biên bản")
    assert response["Location"].endswith(f"#leaf-{leaf.pk}")  # type: ignore[index]
    assert _told(response) == ["Đã lưu tiêu chí 1.4"]


def test_a_refused_value_comes_back_in_its_row_and_nothing_is_saved(world: World) -> None:
    _scored(world)
    leaf = world.leaf(world.sheet_a, "1.4")
    response = _save(world, leaf, "7", "quá", **HTMX)
    html = response.content.decode()  # type: ignore[attr-defined]
    assert 'role="alert"' in html and "vượt điểm tối đa 2" in html
    leaf.refresh_from_db()
    assert leaf.appraised_points is None and leaf.version == 0


def test_the_sheet_page_loads_htmx_from_the_site_itself(world: World) -> None:
    _scored(world)
    page = as_(world, "appraiser_a").get(reverse("cycles:sheet", args=[world.sheet_a.pk]))
    html = page.content.decode()
    assert 'src="/static/django_htmx/htmx-2.min.js"' in html
    assert 'hx-post="/leaves/' in html
    script = as_(world, "appraiser_a").get("/static/django_htmx/htmx-2.min.js")
    assert script.status_code == 200
    assert "script-src 'self'" in page["Content-Security-Policy"]


def test_the_appraiser_confirms_not_applicable_with_kad(world: World) -> None:
    _scored(world)
    leaf = world.leaf(world.sheet_a, "1.5")
    response = _save(world, leaf, "KAD")
    assert _told(response) == ["Đã lưu tiêu chí 1.5"]
    leaf.refresh_from_db()
    assert leaf.appraised_na and leaf.final_na and leaf.final_points is None


def test_not_applicable_where_the_unit_claimed_points_needs_a_reason(world: World) -> None:
    _scored(world)
    leaf = world.leaf(world.sheet_a, "1.4")
    assert _told(_save(world, leaf, "kad")) == [
        "cần nêu lý do khi trừ điểm hoặc sửa kết quả đã công bố"
    ]
    _save(world, leaf, "kad", "đơn vị không có nhiệm vụ này")
    leaf.refresh_from_db()
    assert leaf.appraised_na
    world.move_to(Cycle.FINALISED)
    results = workflow.compute_results(world.cycle).results
    # 1.4 and 1.5 not applicable: the unit's maximum drops by their 4 points
    assert results.total_max[0] == pytest.approx(100 - 4)


def test_an_empty_value_is_no_change(world: World) -> None:
    _scored(world)
    leaf = world.leaf(world.sheet_a, "1.4")
    _save(world, leaf, "", "")
    leaf.refresh_from_db()
    assert leaf.version == 0
    assert not AuditEntry.objects.filter(field="appraised_points").exists()


def test_the_same_self_value_again_is_no_change(world: World) -> None:
    leaf = world.leaf(world.sheet_a, "1.4")
    scores.save_self_score(world.officer_a, leaf, "2", leaf.version)
    leaf.refresh_from_db()
    scores.save_self_score(world.officer_a, leaf, " 2 ", leaf.version)
    leaf.refresh_from_db()
    assert leaf.version == 1
    assert AuditEntry.objects.filter(field="self_raw").count() == 1


def test_accepting_a_domain_takes_the_unit_s_scores_leaf_by_leaf(world: World) -> None:
    _scored(world)
    kept = world.leaf(world.sheet_a, "1.2")
    scores.appraise(world.appraiser_a, kept, 1.0, "thiếu số liệu", kept.version)
    response = as_(world, "appraiser_a").post(
        reverse("cycles:sheet-accept", args=[world.sheet_a.pk]), {"node": "1"}
    )
    # 1.1, 1.3, 1.4 take their points, 1.5 its 'not applicable'; 1.2 keeps the cut
    assert _told(response) == ["Đã chấp nhận điểm tự đánh giá của 4 tiêu chí"]
    leaves = {x.code: x for x in LeafScore.objects.filter(sheet=world.sheet_a)}
    assert leaves["1.2"].appraised_points == 1.0
    assert leaves["1.4"].appraised_points == 2.0 and leaves["1.5"].appraised_na
    assert leaves["2.1"].appraised_points is None  # another domain
    accepted = AuditEntry.objects.filter(field="appraised_points", reason=scores.ACCEPTED)
    assert accepted.count() == 4


def test_accepting_the_whole_sheet_leaves_empty_leaves_empty(world: World) -> None:
    _scored(world)
    as_(world, "appraiser_a").post(reverse("cycles:sheet-accept", args=[world.sheet_a.pk]))
    leaves = {x.code: x for x in LeafScore.objects.filter(sheet=world.sheet_a)}
    assert leaves["2.4"].appraised_points is None and not leaves["2.4"].appraised_na
    waiting = [c for c, x in leaves.items() if x.appraised_points is None and not x.appraised_na]
    assert waiting == ["2.4"]


def test_only_the_sheet_s_appraiser_accepts(world: World) -> None:
    _scored(world)
    url = reverse("cycles:sheet-accept", args=[world.sheet_a.pk])
    assert as_(world, "officer_a").post(url).status_code == 403
    assert as_(world, "chair").post(url).status_code == 403
    assert not AuditEntry.objects.filter(field="appraised_points").exists()


def test_advancing_asks_first_and_lists_the_units_not_ready(world: World) -> None:
    url = reverse("cycles:cycle-advance", args=[world.cycle.pk])
    response = as_(world, "admin").post(url, {"to": Cycle.APPRAISAL})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="confirm"' in html
    assert "Sở Tư pháp: chưa nộp phiếu" in html and "Sở Y tế: chưa nộp phiếu" in html
    world.cycle.refresh_from_db()
    assert world.cycle.state == Cycle.SELF
    done = as_(world, "admin").post(url, {"to": Cycle.APPRAISAL, **CONFIRM})
    assert _told(done) == ["Kỳ đánh giá đã chuyển sang giai đoạn: Thẩm định"]
    world.cycle.refresh_from_db()
    assert world.cycle.state == Cycle.APPRAISAL


def test_a_refused_advance_is_told_at_once_without_asking(world: World) -> None:
    url = reverse("cycles:cycle-advance", args=[world.cycle.pk])
    response = as_(world, "admin").post(url, {"to": Cycle.FINALISED})
    assert response.status_code == 403
    response = as_(world, "admin").post(url, {"to": Cycle.EXPLANATION})
    assert response.status_code == 302 and _told(response)


def test_submitting_asks_first_and_then_says_so(world: World) -> None:
    url = reverse("cycles:sheet-submit", args=[world.sheet_a.pk])
    asked = as_(world, "officer_a").post(url)
    assert 'id="confirm"' in asked.content.decode()
    assert "tiêu chí chưa nhập" in asked.content.decode()
    world.sheet_a.refresh_from_db()
    assert world.sheet_a.state == ScoreSheet.DRAFT
    done = as_(world, "officer_a").post(url, CONFIRM)
    assert _told(done) == ["Đã nộp phiếu của Sở Tư pháp"]


def test_publishing_asks_first_and_the_chair_s_page_then_links_the_results(world: World) -> None:
    world.move_to(Cycle.FINALISED)
    url = reverse("cycles:cycle-publish", args=[world.cycle.pk])
    data = {
        "decision_number": "1551/QĐ-UBND",
        "decision_date": "2025-01-20",
        "decision_body": "UBND tỉnh",
    }
    asked = as_(world, "chair").post(url, data)
    assert "Quyết định số 1551/QĐ-UBND" in asked.content.decode()
    assert not world.cycle.publications.exists()
    done = as_(world, "chair").post(url, {**data, **CONFIRM})
    assert _told(done) == ["Đã công bố kết quả, lần 1"]
    page = as_(world, "chair").get(reverse("cycles:cycle", args=[world.cycle.pk]))
    assert reverse("portal:published", args=[world.cycle.pk]) in page.content.decode()


def test_a_correction_asks_first_and_then_says_what_changed(world: World) -> None:
    world.move_to(Cycle.PUBLISHED)
    url = reverse("cycles:cycle-correct", args=[world.cycle.pk])
    data = {"sheet": world.sheet_a.pk, "code": "1.4", "points": "1", "reason": "nhầm"}
    asked = as_(world, "chair").post(url, data)
    assert "Đính chính tiêu chí 1.4 của Sở Tư pháp: — → 1,00" in asked.content.decode()
    assert world.leaf(world.sheet_a).appraised_points is None
    done = as_(world, "chair").post(url, {**data, **CONFIRM})
    assert _told(done)[0].startswith("Đã đính chính tiêu chí 1.4 của Sở Tư pháp: — → 1,00")


def test_adding_a_unit_opening_a_cycle_and_not_ranking_each_say_so(world: World) -> None:
    import datetime

    from django.utils import timezone

    admin = as_(world, "admin")
    added = admin.post(
        reverse("cycles:unit-create"), {"code": "S09", "name": "Sở Xây dựng", "kind": "department"}
    )
    assert _told(added) == ["Đã thêm đơn vị Sở Xây dựng"]
    opened = admin.post(
        reverse("cycles:cycle-create"),
        {
            "units": [world.sheet_a.unit_id],
            "name": "Chỉ số 2026",
            "year": "2026",
            "framework": "example-department-2024",
            "self_assessment_ends": (
                timezone.localdate() + datetime.timedelta(days=30)
            ).isoformat(),
        },
    )
    assert _told(opened)[-1] == "Đã mở kỳ đánh giá Chỉ số 2026"
    ranked = admin.post(reverse("cycles:sheet-ranked", args=[world.sheet_b.pk]), {"ranked": ""})
    assert _told(ranked)[-1] == "Sở Y tế: đánh giá, không xếp hạng"


def test_a_message_on_a_leaf_says_it_was_sent(world: World) -> None:
    _scored(world)
    leaf = world.leaf(world.sheet_a, "1.4")
    response = as_(world, "appraiser_a").post(
        reverse("cycles:leaf-message", args=[leaf.pk]), {"text": "Đề nghị bổ sung"}
    )
    assert _told(response) == ["Đã gửi ý kiến về tiêu chí 1.4"]


def test_a_save_in_place_after_the_window_closed_sends_the_page_back_to_say_why(
    world: World,
) -> None:
    import datetime

    from django.utils import timezone

    _scored(world)
    leaf = world.leaf(world.sheet_a, "1.4")
    Cycle.objects.filter(pk=world.cycle.pk).update(
        appraisal_ends=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = _save(world, leaf, "1", "thiếu", **HTMX)
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert response["HX-Redirect"] == reverse("cycles:sheet", args=[world.sheet_a.pk])  # type: ignore[index]
    page = as_(world, "appraiser_a").get(response["HX-Redirect"])  # type: ignore[index]
    assert "Hạn thẩm định đã hết vào ngày" in page.content.decode()


def test_a_conflicting_save_in_place_reloads_the_sheet(world: World) -> None:
    _scored(world)
    leaf = world.leaf(world.sheet_a, "1.4")
    _save(world, leaf, "1", "thiếu")
    response = _save(world, leaf, "1,5", "thiếu", **HTMX)  # made from the old version
    assert response.status_code == 204  # type: ignore[attr-defined]
    assert response["HX-Redirect"] == reverse("cycles:sheet", args=[world.sheet_a.pk])  # type: ignore[index]


def test_the_api_appraiser_finds_a_criterion_not_applicable(world: World) -> None:
    import json

    _scored(world)
    leaf = world.leaf(world.sheet_a, "1.5")
    response = as_(world, "appraiser_a").post(
        reverse("api:appraisal", args=[leaf.pk]),
        json.dumps({"not_applicable": True, "reason": "", "version": leaf.version}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["appraised_not_applicable"] is True
    leaf.refresh_from_db()
    assert leaf.appraised_na
