"""The API after publication: the chair publishes with the decision, corrects a leaf with a
reason and publishes a new revision; every revision is public with its decision, its SHA-256
and that of the one it replaces, and the changes per unit it made; "assessed, not ranked".
The same services and policy as the cycle's page, refusals with the one error body."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from chiso.web.core.models import AuditEntry
from chiso.web.cycles.models import Publication
from web.conftest import World
from web.views.helpers import MISSING, as_
from web.views.test_corrections import _complete


def _post(client: Client, url: str, **body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _publish(world: World, **body: Any) -> Any:
    decision = {
        "decision_number": "1551/QĐ-UBND",
        "decision_date": "2025-01-20",
        "decision_body": "UBND tỉnh",
    }
    url = f"/api/cycles/{world.cycle.pk}/publish"
    return _post(as_(world, "chair"), url, **{**decision, **body})


def _correct(world: World, actor: str, **body: Any) -> Any:
    fields = {"sheet": world.sheet_a.pk, "code": "1.4", "points": 2, "reason": "nhầm biên bản"}
    url = f"/api/cycles/{world.cycle.pk}/corrections"
    return _post(as_(world, actor), url, **{**fields, **body})


def test_publication_through_the_api_records_its_decision(world: World) -> None:
    _complete(world)
    answer = _publish(world)
    assert answer.status_code == 200, answer.json()
    publication = Publication.objects.get(cycle=world.cycle)
    assert (publication.decision_number, str(publication.decision_date)) == (
        "1551/QĐ-UBND",
        "2025-01-20",
    )
    revisions = as_(world, "anonymous").get(f"/api/cycles/{world.cycle.pk}/revisions").json()
    assert revisions["count"] == 1
    first = revisions["items"][0]
    assert first["decision"] == {
        "number": "1551/QĐ-UBND",
        "date": "2025-01-20",
        "body": "UBND tỉnh",
    }
    assert first["decision_line"] == "Quyết định số 1551/QĐ-UBND ngày 20/01/2025 của UBND tỉnh"
    assert first["changes"] == [] and first["replaces_sha256"] is None


def test_a_correction_and_its_revision_with_the_changes_per_unit(world: World) -> None:
    _complete(world)  # B 100 first, A 99 second
    _publish(world)
    first = Publication.objects.get(cycle=world.cycle)
    no_reason = _correct(world, "chair", reason="")
    assert no_reason.status_code == 400 and no_reason.json()["rule"] == "cycle.reason_required"
    made = _correct(world, "chair")
    assert made.status_code == 200 and made.json()["appraised_points"] == 2
    assert AuditEntry.objects.filter(field="correction", reason="nhầm biên bản").exists()
    no_reason = _publish(world, decision_number="1600/QĐ-UBND")
    assert no_reason.status_code == 400 and no_reason.json()["rule"] == "cycle.reason_required"
    second = _publish(world, reason="đính chính điểm 1.4", decision_number="1600/QĐ-UBND")
    assert second.json()["revision"] == 2
    revisions = as_(world, "anonymous").get(f"/api/cycles/{world.cycle.pk}/revisions").json()
    newest, oldest = revisions["items"]
    assert (newest["revision"], oldest["revision"]) == (2, 1)
    assert newest["replaces_sha256"] == first.sha256 and oldest["sha256"] == first.sha256
    assert newest["reason"] == "đính chính điểm 1.4"
    assert newest["decision"]["number"] == "1600/QĐ-UBND"
    # Sở Tư pháp: 99 → 100 and second → first (a tie with Sở Y tế at 100)
    assert {(c["unit"], c["field"], c["old"], c["new"]) for c in newest["changes"]} == {
        ("Sở Tư pháp", "total", 99.0, 100.0),
        ("Sở Tư pháp", "index", 99.0, 100.0),
        ("Sở Tư pháp", "rank", 2, 1),
    }


@pytest.mark.parametrize("actor", ["admin", "officer_a", "appraiser_a"])
def test_only_the_chair_corrects(world: World, actor: str) -> None:
    _complete(world)
    _publish(world)
    refused = _correct(world, actor)
    assert refused.status_code in (403, 404)
    assert refused.json()["rule"] in ("cycle.forbidden", "api.not_found")
    assert world.leaf(world.sheet_a, "1.4").appraised_points != 2


def test_a_correction_before_publication_or_of_an_unknown_leaf_is_refused(world: World) -> None:
    _complete(world)
    early = _correct(world, "chair")
    assert early.status_code == 403 and early.json()["rule"] == "cycle.forbidden"
    _publish(world)
    unknown = _correct(world, "chair", code="9.9")
    assert unknown.status_code == 400 and unknown.json()["field"] == "code"
    above = _correct(world, "chair", points=5)
    assert above.status_code == 400 and above.json()["rule"] == "value.above_max"
    missing = _post(as_(world, "chair"), f"/api/cycles/{MISSING}/corrections", sheet=1)
    assert missing.status_code == 422


def test_revisions_of_an_unpublished_cycle_are_not_found(world: World) -> None:
    answer = as_(world, "anonymous").get(f"/api/cycles/{world.cycle.pk}/revisions")
    assert answer.status_code == 404 and answer.json()["rule"] == "api.not_found"


def test_a_unit_assessed_not_ranked_takes_no_rank_and_the_others_close_up(world: World) -> None:
    url = f"/api/sheets/{world.sheet_b.pk}/ranked"
    for actor in ("officer_b", "chair"):
        refused = _post(as_(world, actor), url, ranked=False)
        assert refused.status_code in (403, 404), actor
    answer = _post(as_(world, "admin"), url, ranked=False)
    assert answer.status_code == 200 and answer.json()["ranked"] is False
    _complete(world)
    _publish(world)
    units = {u["unit"]: u for u in json.loads(Publication.objects.get().content)["units"]}
    assert units["Sở Y tế"]["rank"] is None and units["Sở Y tế"]["status"] == "not ranked"
    assert units["Sở Tư pháp"]["rank"] == 1
    again = _post(as_(world, "chair"), url, ranked=True)
    assert again.status_code == 400 and again.json()["rule"] == "cycle.reason_required"
