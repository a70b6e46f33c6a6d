"""Every object a person works with on a page is reachable by the API with the same
authorisation: frameworks, units, cycles, sheets and leaves, self-scores, appraisals, central
points, explanation messages, evidence, the audit trail and every revision of a published
result. Lists are paginated (``items``, ``count``); refusals carry ``rule``, ``message`` and
``field``."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chiso.web.cycles import scores
from chiso.web.cycles.models import Cycle, Unit
from web.conftest import World
from web.views.helpers import MISSING, PDF, as_


def _json(client: Client, method: str, url: str, body: Any = None) -> Any:
    if method == "get":
        return client.get(url)
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_frameworks_are_listed_and_read_with_their_tree(world: World) -> None:
    client = as_(world, "anonymous")
    codes = [f["code"] for f in client.get("/api/frameworks").json()]
    assert "papi-2021" in codes and "example-department-2024" in codes
    tree = client.get("/api/frameworks/example-department-2024").json()
    leaves = [n for n in tree["nodes"] if n["leaf"]]
    assert {"1.4", "2.1"} <= {n["code"] for n in leaves}
    assert all(
        n["parent"] is None or any(m["code"] == n["parent"] for m in tree["nodes"])
        for n in tree["nodes"]
    )
    missing = client.get("/api/frameworks/khong-co")
    assert missing.status_code == 404 and missing.json()["rule"] == "api.not_found"


def test_a_framework_file_is_checked_with_every_problem(world: World) -> None:
    client = as_(world, "admin")
    bad = SimpleUploadedFile("khung.yaml", b"code: x\nnodes: 3\n")
    answer = client.post("/api/frameworks/check", {"file": bad}).json()
    assert answer["valid"] is False and answer["problems"]
    assert all({"rule", "message"} <= set(p) for p in answer["problems"])


def test_units_are_listed_to_people_and_made_by_administrators(world: World) -> None:
    page = as_(world, "officer_a").get("/api/units?limit=1").json()
    assert page["count"] == 2 and len(page["items"]) == 1
    body = {"code": "S03", "name": "Sở Xây dựng", "kind": "department"}
    refused = _json(as_(world, "officer_a"), "post", "/api/units", body)
    assert refused.status_code == 403 and refused.json()["rule"] == "cycle.forbidden"
    made = _json(as_(world, "admin"), "post", "/api/units", body)
    assert made.status_code == 201 and Unit.objects.filter(code="S03").exists()
    again = _json(as_(world, "admin"), "post", "/api/units", body)
    assert again.status_code == 400 and again.json()["rule"] == "cycle.unit_exists"


def test_cycles_are_opened_by_administrators_with_a_built_in_framework_only(world: World) -> None:
    units = [world.sheet_a.unit_id]
    body = {"name": "2025", "year": 2025, "framework": "example-department-2024", "units": units}
    assert _json(as_(world, "officer_a"), "post", "/api/cycles", body).status_code == 403
    for framework in ("/etc/passwd", "khong-co"):
        bad = _json(as_(world, "admin"), "post", "/api/cycles", {**body, "framework": framework})
        assert bad.status_code == 400 and bad.json()["field"] == "framework"
    bad_year = _json(as_(world, "admin"), "post", "/api/cycles", {**body, "year": -1})
    assert bad_year.status_code == 422 and bad_year.json()["field"] == "year"
    made = _json(as_(world, "admin"), "post", "/api/cycles", body)
    assert made.status_code == 201 and made.json()["units"] == 1
    listed = as_(world, "admin").get("/api/cycles").json()
    assert listed["count"] == 2 and {c["name"] for c in listed["items"]} >= {"2025"}


def test_a_whole_cycle_through_the_api(world: World) -> None:
    leaf = world.leaf(world.sheet_a)
    officer, appraiser, chair = (as_(world, who) for who in ("officer_a", "appraiser_a", "chair"))
    saved = _json(
        officer,
        "post",
        f"/api/leaves/{leaf.pk}/self-score",
        {"value": "2", "version": leaf.version},
    )
    assert saved.status_code == 200 and saved.json()["self_points"] == 2.0
    evidence = officer.post(
        f"/api/leaves/{leaf.pk}/evidence", {"file": SimpleUploadedFile("bien-ban.pdf", PDF)}
    )
    assert evidence.status_code == 201, evidence.content
    listed = officer.get(f"/api/leaves/{leaf.pk}/evidence").json()
    assert listed["count"] == 1 and listed["items"][0]["name"] == "bien-ban.pdf"
    download = officer.get(f"/api/evidence/{listed['items'][0]['id']}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "no-store" in download["Cache-Control"]
    assert (
        as_(world, "officer_b").get(f"/api/evidence/{listed['items'][0]['id']}").status_code == 404
    )
    submitted = _json(officer, "post", f"/api/sheets/{world.sheet_a.pk}/submit")
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"

    advanced = _json(
        as_(world, "admin"),
        "post",
        f"/api/cycles/{world.cycle.pk}/advance",
        {"to": Cycle.APPRAISAL},
    )
    assert advanced.status_code == 200 and advanced.json()["state"] == Cycle.APPRAISAL
    leaf.refresh_from_db()
    cut = _json(
        appraiser,
        "post",
        f"/api/leaves/{leaf.pk}/appraisal",
        {"points": 1.0, "reason": "biên bản thiếu chữ ký", "version": leaf.version},
    )
    assert cut.status_code == 200 and cut.json()["appraised_points"] == 1.0
    no_reason = _json(
        appraiser,
        "post",
        f"/api/leaves/{leaf.pk}/appraisal",
        {"points": 0.5, "reason": "", "version": cut.json()["version"]},
    )
    assert no_reason.status_code == 400 and no_reason.json()["message"]
    asked = _json(appraiser, "post", f"/api/leaves/{leaf.pk}/messages", {"text": "Vì sao?"})
    assert asked.status_code == 201 and asked.json()["kind"] == "request"
    thread = officer.get(f"/api/leaves/{leaf.pk}/messages").json()
    assert [m["text"] for m in thread["items"]] == ["Vì sao?"]

    world.cycle.refresh_from_db()
    world.move_to(Cycle.FINALISED)
    undecided = _json(chair, "post", f"/api/cycles/{world.cycle.pk}/publish", {})
    assert undecided.status_code == 400
    assert undecided.json()["rule"] == "cycle.decision_required"
    decision = {
        "decision_number": "1551/QĐ-UBND",
        "decision_date": "2025-01-20",
        "decision_body": "UBND tỉnh",
    }
    published = _json(chair, "post", f"/api/cycles/{world.cycle.pk}/publish", decision)
    assert published.status_code == 200 and published.json()["revision"] == 1
    assert published.json()["decision_number"] == "1551/QĐ-UBND"
    correction = {**decision, "reason": "sửa lỗi nhập"}
    reused = _json(chair, "post", f"/api/cycles/{world.cycle.pk}/publish", correction)
    assert reused.status_code == 400 and reused.json()["rule"] == "cycle.decision_reused"
    correction["decision_number"] = "1600/QĐ-UBND"
    corrected = _json(chair, "post", f"/api/cycles/{world.cycle.pk}/publish", correction)
    assert corrected.status_code == 200 and corrected.json()["revision"] == 2
    public = as_(world, "anonymous")
    revisions = public.get(f"/api/cycles/{world.cycle.pk}/publications").json()
    assert [r["revision"] for r in revisions["items"]] == [1, 2]
    first = public.get(f"/api/cycles/{world.cycle.pk}/publications/1").json()
    assert first["publication"]["sha256"] == revisions["items"][0]["sha256"]
    assert public.get(f"/api/cycles/{world.cycle.pk}/publications/3").status_code == 404
    latest = public.get(f"/api/cycles/{world.cycle.pk}/results").json()
    assert latest["publication"]["revision"] == 2


def test_the_audit_trail_is_read_by_administrators_and_the_chair_only(world: World) -> None:
    leaf = world.leaf(world.sheet_a)
    scores.save_self_score(world.officer_a, leaf, "2", leaf.version)
    url = f"/api/cycles/{world.cycle.pk}/audit?limit=500"
    for who in ("admin", "chair"):
        entries = as_(world, who).get(url).json()
        assert any(e["field"] == "self_raw" and e["new"] == "2" for e in entries["items"])
    refused = as_(world, "officer_a").get(url)
    assert refused.status_code == 403 and set(refused.json()) >= {"rule", "message", "field"}
    assert as_(world, "officer_b").get(url).status_code == 403  # sees the cycle, not its trail
    assert as_(world, "anonymous").get(url).status_code == 401


def test_lists_refuse_a_page_beyond_what_they_allow(world: World) -> None:
    client = as_(world, "admin")
    for query in ("limit=0", "limit=501", "offset=-1", f"offset={2**63}"):
        answer = client.get(f"/api/cycles?{query}")
        assert answer.status_code == 422 and answer.json()["rule"] == "api.invalid", query


def test_unknown_objects_are_404_with_the_one_error_body(world: World) -> None:
    client = as_(world, "admin")
    for url in (
        f"/api/cycles/{MISSING}",
        f"/api/sheets/{MISSING}",
        f"/api/leaves/{MISSING}",
        f"/api/evidence/{MISSING}",
        f"/api/cycles/{MISSING}/publications",
    ):
        answer = client.get(url)
        assert answer.status_code == 404, url
        assert set(answer.json()) >= {"rule", "message", "field"}


def test_points_files_are_imported_all_or_nothing(world: World) -> None:
    world.move_to(Cycle.APPRAISAL)
    bad = SimpleUploadedFile(
        "points.csv", "unit,node,value\nSở Tư pháp,9.9,1\nSở Y tế,1.4,x\n".encode()
    )
    answer = as_(world, "admin").post(f"/api/cycles/{world.cycle.pk}/points", {"file": bad})
    assert answer.status_code == 400
    assert len(answer.json()["problems"]) >= 1 and answer.json()["rule"]
    assert reverse("api:cycle_points", kwargs={"cycle_id": world.cycle.pk})


def test_a_wrong_method_or_address_answers_with_the_one_error_body(world: World) -> None:
    client = as_(world, "admin")
    wrong_method = client.delete("/api/cycles")
    assert wrong_method.status_code == 405 and "GET" in wrong_method["Allow"]
    assert wrong_method.json()["rule"] == "api.method"
    assert "DELETE" in wrong_method.json()["message"]
    nowhere = client.get("/api/khong-co")
    assert nowhere.status_code == 404 and nowhere.json()["rule"] == "api.not_found"
