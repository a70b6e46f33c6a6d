"""The cycle from opening to publication, through the services the pages and API call."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest
from django.urls import reverse

from chiso.frameworks import get_framework
from chiso.problems import Kind, Refusal
from chiso.scoring import compile_plan, score, values_from_mapping
from chiso.web.core.models import AuditEntry
from chiso.web.cycles import explanations, scores, workflow
from chiso.web.cycles.models import Cycle, LeafScore, Publication
from web.conftest import DECISION, World

ANSWERS = {
    "1.1": "đúng hạn",
    "1.2": "95",
    "1.3": "có",
    "1.4": "2",
    "1.5": "1.5",
    "2.1": "97.5",
    "2.2": "có",
    "2.3": "0",
    "2.4": "3.5",
    "3.1": "5",
    "3.2": "4",
    "4.1": "4",
    "4.2": "3.5",
    "4.3": "1",
    "5.1": "4.5",
    "5.2": "KAD",
    "6.1": "3.75",
    "6.2": "60",
    "6.3": "4",
    "7.1": "88.2",
}


def _self_assess(world: World, sheet, answers=ANSWERS) -> None:  # type: ignore[no-untyped-def]
    officer = world.officer_a if sheet == world.sheet_a else world.officer_b
    for code, value in answers.items():
        leaf = world.leaf(sheet, code)
        scores.save_self_score(officer, leaf, value, leaf.version)


def test_a_whole_cycle_gives_the_library_results_and_a_reproducible_snapshot(world: World) -> None:
    _self_assess(world, world.sheet_a)
    _self_assess(world, world.sheet_b, {**ANSWERS, "1.4": "1", "7.1": "70"})
    scores.submit_sheet(world.officer_a, world.sheet_a)
    world.move_to(Cycle.APPRAISAL)
    leaf = world.leaf(world.sheet_a, "1.4")
    with pytest.raises(Refusal) as caught:
        scores.appraise(world.appraiser_a, leaf, 1.0, "", leaf.version)
    assert caught.value.rule == "cycle.reason_required"
    scores.appraise(world.appraiser_a, leaf, 1.0, "Thiếu biên bản kiểm tra", leaf.version)
    scores.add_message(world.appraiser_a, world.leaf(world.sheet_a, "1.4"), "Bổ sung biên bản?")
    world.move_to(Cycle.EXPLANATION)
    # the answer to a cut is an explanation (a message there is refused), reviewed before
    # the chair may finalise; keeping the cut leaves the final points as appraised
    answered = explanations.explain(
        world.officer_a, world.leaf(world.sheet_a, "1.4"), "Đã bổ sung."
    )
    explanations.review(world.appraiser_a, answered, None, "Biên bản vẫn thiếu chữ ký")
    world.move_to(Cycle.PUBLISHED)
    publication = Publication.objects.get(cycle=world.cycle)
    doc = json.loads(publication.content)
    assert hashlib.sha256(publication.content.encode()).hexdigest() == publication.sha256
    # the same final points scored by the library directly
    fw = get_framework("example-department-2024")
    plan = compile_plan(fw)
    final_a = {c: ("NA" if v == "KAD" else None) for c, v in ANSWERS.items()}
    data = {}
    for sheet in (world.sheet_a, world.sheet_b):
        points = {}
        for x in LeafScore.objects.filter(sheet=sheet):
            points[x.code] = "NA" if x.self_na and x.appraised_points is None else x.final_points
        data[sheet.unit.name] = points
    assert final_a["5.2"] == "NA"
    units, given, na = values_from_mapping(plan, data)
    expected = score(fw, units, given, na)
    by_unit = {u["unit"]: u for u in doc["units"]}
    for i, unit in enumerate(units):
        assert by_unit[unit]["total"] == pytest.approx(float(expected.total[i]))
        assert by_unit[unit]["rank"] == int(expected.rank[i])
    assert by_unit["Sở Tư pháp"]["points"]["1.4"] == 1.0  # the appraised cut counts
    assert np.isclose(by_unit["Sở Tư pháp"]["max"], 95.0)


def test_after_publication_nothing_changes_and_a_correction_is_a_new_revision(
    world: World,
) -> None:
    _self_assess(world, world.sheet_a)
    world.move_to(Cycle.PUBLISHED)
    first = Publication.objects.get(cycle=world.cycle)
    leaf = world.leaf(world.sheet_a, "1.4")
    with pytest.raises(Refusal) as caught:
        scores.save_self_score(world.officer_a, leaf, "1", leaf.version)
    assert caught.value.kind is Kind.FORBIDDEN
    with pytest.raises(Refusal) as caught:
        scores.appraise(world.appraiser_a, leaf, 0.5, "muộn", leaf.version)
    assert caught.value.kind is Kind.FORBIDDEN
    with pytest.raises(PermissionError):
        first.content = "{}"
        first.save()
    with pytest.raises(Refusal) as caught:
        workflow.publish(world.chair, world.cycle, "", DECISION)
    assert caught.value.rule == "cycle.reason_required"
    second = workflow.publish(
        world.chair,
        world.cycle,
        "Đính chính lỗi đánh máy",
        workflow.Decision("1600/QĐ-UBND", DECISION.date, DECISION.body),
    )
    # same inputs, same results; the snapshot also records its revision, reason and the
    # SHA-256 of the one it replaces, so the hashes chain
    assert second.revision == 2 and second.replaces_sha256 == first.sha256
    stored = Publication.objects.get(pk=first.pk)
    assert json.loads(second.content)["units"] == json.loads(stored.content)["units"]
    assert second.sha256 != first.sha256


def test_the_library_refuses_a_publication_without_its_decision(world: World) -> None:
    world.move_to(Cycle.FINALISED)
    for decision in (None, workflow.Decision("1551/QĐ-UBND", None, "UBND tỉnh")):
        with pytest.raises(Refusal) as caught:
            workflow.publish(world.chair, world.cycle, "", decision)
        assert caught.value.rule == "cycle.decision_required"
    assert not Publication.objects.filter(cycle=world.cycle).exists()


def test_every_change_is_in_the_append_only_audit_trail(world: World) -> None:
    leaf = world.leaf(world.sheet_a, "1.4")
    scores.save_self_score(world.officer_a, leaf, "2", leaf.version)
    entry = AuditEntry.objects.filter(field="self_raw").get()
    assert (entry.actor, entry.old, entry.new) == (world.officer_a, "", "2")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_a_stale_version_is_a_conflict_not_a_lost_update(world: World) -> None:
    leaf = world.leaf(world.sheet_a, "1.4")
    scores.save_self_score(world.officer_a, leaf, "2", leaf.version)
    with pytest.raises(Refusal) as caught:
        scores.save_self_score(world.officer_a, leaf, "1", leaf.version)  # the old version
    assert caught.value.kind is Kind.CONFLICT
    assert world.leaf(world.sheet_a, "1.4").self_raw == "2"


def test_values_are_checked_against_the_rule_and_the_maximum(world: World) -> None:
    leaf = world.leaf(world.sheet_a, "1.4")
    for value, rule in (("7", "value.above_max"), ("abc", "cycle.not_number")):
        with pytest.raises(Refusal) as caught:
            scores.save_self_score(world.officer_a, leaf, value, leaf.version)
        assert caught.value.rule == rule
    choice = world.leaf(world.sheet_a, "1.1")
    with pytest.raises(Refusal) as caught:
        scores.save_self_score(world.officer_a, choice, "sớm", choice.version)
    assert caught.value.rule == "value.bad_choice"


def test_a_window_past_its_closing_date_refuses_changes(world: World) -> None:
    import datetime

    from django.utils import timezone

    world.cycle.self_assessment_ends = timezone.localdate() - datetime.timedelta(days=1)
    world.cycle.save()
    leaf = world.leaf(world.sheet_a)
    with pytest.raises(Refusal) as caught:
        scores.save_self_score(world.officer_a, leaf, "2", leaf.version)
    assert caught.value.kind is Kind.FORBIDDEN


def test_each_leaf_shows_its_own_history(world: World) -> None:
    from django.test import Client

    leaf = world.leaf(world.sheet_a)
    scores.save_self_score(world.officer_a, leaf, "2", leaf.version)
    leaf = world.leaf(world.sheet_a)
    scores.save_self_score(world.officer_a, leaf, "1.5", leaf.version)
    client = Client()
    client.force_login(world.officer_a)
    sheet_page = client.get(reverse("cycles:sheet", args=[world.sheet_a.pk])).content.decode()
    history = reverse("cycles:leaf-history", args=[leaf.pk])
    assert f'href="{history}" aria-label="lịch sử 1.4">lịch sử</a>' in sheet_page
    page = client.get(reverse("cycles:leaf-history", args=[leaf.pk])).content.decode()
    assert page.count("Giá trị tự đánh giá") == 2 and "1,50" in page  # named, not coded
    other = Client()
    other.force_login(world.officer_b)
    assert other.get(reverse("cycles:leaf-history", args=[leaf.pk])).status_code == 404
