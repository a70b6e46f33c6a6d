"""The cycle's page and the sheets' pages are rendered once and kept (chiso.web.cycles.pages):
every change in the cycle shows at once, to everyone; nobody is served a page made for rights
other than their own; each person's forms carry their own token; a new day makes the
deadlines' days afresh."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chiso.tables.writing import result_rows
from chiso.web.accounts.models import Role
from chiso.web.core.audit import audit, audit_all, entry
from chiso.web.core.templatetags.chiso_tags import num
from chiso.web.cycles import windows, workflow
from chiso.web.cycles.models import Cycle, ScoreSheet
from web.conftest import PASSWORD, World
from web.views.conftest import fill
from web.views.helpers import CONFIRM, as_

PEOPLE = ["admin", "chair", "appraiser_a", "officer_a", "officer_b"]
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _cycle(world: World) -> str:
    return reverse("cycles:cycle", args=[world.cycle.pk])


def _sheet(sheet: ScoreSheet) -> str:
    return reverse("cycles:sheet", args=[sheet.pk])


def _page(client: Client, url: str) -> str:
    """The page as ``client`` gets it, its form tokens (masked afresh on every answer) blanked."""
    response = client.get(url)
    return f"{response.status_code}\n" + _TOKEN.sub("TOKEN", response.content.decode())


def _revision(world: World) -> int:
    return Cycle.objects.get(pk=world.cycle.pk).revision


def test_every_write_to_a_cycle_s_trail_moves_its_revision_on_in_that_transaction(
    world: World,
) -> None:
    before = _revision(world)
    audit(world.admin, world.cycle, world.sheet_a, "note", "", "x")
    assert _revision(world) == before + 1
    audit(world.admin, None, world.sheet_a, "note", "", "x")  # no cycle: none moves
    assert _revision(world) == before + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        audit(world.admin, world.cycle, world.sheet_a, "note", "", "x")
        raise RuntimeError("the change fails")
    assert _revision(world) == before + 1  # rolled back with the change
    other = workflow.create_cycle(world.admin, "Khác", 2024, "example-department-2024", [])
    other_before = Cycle.objects.get(pk=other.pk).revision
    audit_all(
        [
            entry(world.admin, world.cycle, world.sheet_a, "a", "", "1"),
            entry(world.admin, world.cycle, world.sheet_b, "b", "", "1"),
            entry(world.admin, other, other, "c", "", "1"),
        ]
    )
    assert _revision(world) == before + 2
    assert Cycle.objects.get(pk=other.pk).revision == other_before + 1


def test_an_older_copy_of_the_cycle_saved_whole_sets_neither_revision_back(
    world: World,
) -> None:
    def revisions() -> tuple[int, int]:
        row = Cycle.objects.values_list("revision", "page_revision").get(pk=world.cycle.pk)
        return int(row[0]), int(row[1])

    older = Cycle.objects.get(pk=world.cycle.pk)
    audit(world.admin, world.cycle, world.cycle, "note", "", "x")
    moved = revisions()
    older.name = "Chỉ số CCHC 2024 (sửa tên)"
    older.save()
    assert revisions() == moved
    assert Cycle.objects.get(pk=world.cycle.pk).name == "Chỉ số CCHC 2024 (sửa tên)"


def test_a_save_shows_at_once_on_the_sheet_and_a_submission_on_the_overview(
    world: World,
) -> None:
    officer, admin, chair = as_(world, "officer_a"), as_(world, "admin"), as_(world, "chair")
    leaf = world.leaf(world.sheet_a, "1.4")
    assert "1,00 điểm" not in _page(officer, _sheet(world.sheet_a))
    overview = _page(chair, _cycle(world))
    assert overview.count("Đã nộp") == 0
    saved = officer.post(
        reverse("cycles:leaf-save", args=[leaf.pk]),
        {"action": "self", "value": "1", "version": leaf.version},
    )
    assert saved.status_code == 302
    assert "1,00 điểm" in _page(officer, _sheet(world.sheet_a))
    submitted = officer.post(reverse("cycles:sheet-submit", args=[world.sheet_a.pk]), CONFIRM)
    assert submitted.status_code == 302
    assert _page(chair, _cycle(world)).count("Đã nộp") == 1
    assert _page(admin, _cycle(world)).count("Đã nộp") == 1


def test_a_correction_changes_the_totals_of_the_council_s_overview(world: World) -> None:
    fill(world)
    world.move_to(Cycle.PUBLISHED)
    chair = as_(world, "chair")
    before = _page(chair, _cycle(world))
    leaf = world.leaf(world.sheet_a, "1.2")
    corrected = chair.post(
        reverse("cycles:cycle-correct", args=[world.cycle.pk]),
        {"sheet": world.sheet_a.pk, "code": "1.2", "points": "0", "reason": "đính chính"} | CONFIRM,
    )
    assert corrected.status_code == 302
    assert world.leaf(world.sheet_a, "1.2").appraised_points == 0 != leaf.appraised_points
    after = _page(chair, _cycle(world))
    assert after != before
    for row in result_rows(workflow.compute_results(world.cycle).results):
        assert f'<td>{row.unit}</td><td class="num">{num(row.total)}</td>' in after


def test_an_extension_and_a_new_stage_show_at_once(world: World) -> None:
    admin, officer = as_(world, "admin"), as_(world, "officer_a")
    assert "đã gia hạn" not in _page(officer, _sheet(world.sheet_a))
    assert 'id="extensions"' not in _page(admin, _cycle(world))
    ends = timezone.localdate() + datetime.timedelta(days=20)
    extended = admin.post(
        reverse("cycles:cycle-extend", args=[world.cycle.pk]),
        {
            "stage": Cycle.SELF,
            "unit": world.sheet_a.unit_id,
            "ends": ends.isoformat(),
            "reason": "mất điện",
        },
    )
    assert extended.status_code == 302
    assert "đã gia hạn: mất điện" in _page(officer, _sheet(world.sheet_a))
    assert 'id="extensions"' in _page(admin, _cycle(world))
    advanced = admin.post(
        reverse("cycles:cycle-advance", args=[world.cycle.pk]), {"to": Cycle.APPRAISAL} | CONFIRM
    )
    assert advanced.status_code == 302
    assert "<strong>Thẩm định</strong>" in _page(as_(world, "chair"), _cycle(world))


@pytest.mark.parametrize("state", [Cycle.SELF, Cycle.APPRAISAL, Cycle.FINALISED, Cycle.PUBLISHED])
def test_each_person_is_served_the_page_made_for_their_own_rights(world: World, state: str) -> None:
    """Whoever asked first, each person's kept page is the one rendered for them alone."""
    fill(world)
    world.move_to(state)
    urls = [_cycle(world), _sheet(world.sheet_a), _sheet(world.sheet_b)]
    clients = {name: as_(world, name) for name in PEOPLE}
    alone = {}
    for name in PEOPLE:
        for url in urls:
            cache.clear()
            alone[name, url] = _page(clients[name], url)
    for order in (PEOPLE, PEOPLE[::-1]):
        cache.clear()
        for name in order:
            for url in urls:
                assert _page(clients[name], url) == alone[name, url], (name, url)
    assert alone["officer_a", _sheet(world.sheet_b)].startswith("404")
    assert alone["admin", _cycle(world)] != alone["chair", _cycle(world)]


def test_people_with_the_same_rights_share_the_kept_page(world: World) -> None:
    second = User.objects.create_user("can-bo-a-2", password=PASSWORD)
    Role.objects.create(user=second, kind=Role.OFFICER, unit=world.sheet_a.unit)
    first = _page(as_(world, "officer_a"), _cycle(world))
    client = Client()
    client.force_login(second)
    from django.db import connection

    with CaptureQueriesContext(connection) as asked:
        again = _page(client, _cycle(world))
    assert again.replace("can-bo-a-2", "can-bo-a") == first
    assert not any("cycles_scoresheet" in q["sql"] for q in asked.captured_queries)


def test_a_role_granted_shows_its_sheets_at_once(world: World) -> None:
    officer = as_(world, "officer_a")
    assert _sheet(world.sheet_b) not in _page(officer, _cycle(world))
    Role.objects.create(user=world.officer_a, kind=Role.OFFICER, unit=world.sheet_b.unit)
    assert _sheet(world.sheet_b) in _page(officer, _cycle(world))


def test_each_person_s_forms_carry_their_own_token(world: World) -> None:
    as_(world, "admin").get(_cycle(world))  # kept, with the administrator's forms
    other = User.objects.create_user("quan-tri-2", password=PASSWORD)
    Role.objects.create(user=other, kind=Role.ADMIN)
    client = Client(enforce_csrf_checks=True)
    client.force_login(other)
    page = client.get(_cycle(world)).content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', page))
    assert len(tokens) == 1 and "__CSRF_TOKEN__" not in tokens
    moved = client.post(
        reverse("cycles:cycle-advance", args=[world.cycle.pk]),
        {"to": Cycle.APPRAISAL, "csrfmiddlewaretoken": tokens.pop()} | CONFIRM,
    )
    assert moved.status_code == 302
    assert Cycle.objects.get(pk=world.cycle.pk).state == Cycle.APPRAISAL


def test_a_new_day_counts_the_days_left_afresh(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ends = timezone.localdate() + datetime.timedelta(days=10)
    windows.extend(world.admin, world.cycle, Cycle.SELF, ends, "lịch mới")
    officer = as_(world, "officer_a")
    assert "còn 10 ngày" in _page(officer, _sheet(world.sheet_a))
    assert "còn 10 ngày" in _page(officer, _cycle(world))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(windows, "today", lambda: tomorrow)
    assert "còn 9 ngày" in _page(officer, _sheet(world.sheet_a))
    assert "còn 9 ngày" in _page(officer, _cycle(world))


def test_rows_kept_one_by_one_make_the_sheet_rendered_afresh(world: World) -> None:
    """After a save, an attached file and a question, the sheet made from kept rows is the
    sheet rendered with nothing kept, for the officer and for the appraiser."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chiso.web.cycles import scores
    from web.views.helpers import PDF

    officer, appraiser = as_(world, "officer_a"), as_(world, "appraiser_a")
    url = _sheet(world.sheet_a)
    leaf = world.leaf(world.sheet_a, "1.4")
    _page(officer, url)
    scores.save_self_score(world.officer_a, leaf, "1", leaf.version)
    attached = officer.post(
        reverse("cycles:evidence-upload", args=[leaf.pk]),
        {"file": SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf")},
    )
    assert attached.status_code == 302
    assert "bien-ban.pdf" in _page(officer, url)  # with the note of what was attached
    kept = _page(officer, url)
    assert "bien-ban.pdf" in kept and "1,00 điểm" in kept
    cache.clear()
    assert kept == _page(officer, url)
    world.move_to(Cycle.APPRAISAL)
    _page(appraiser, url)
    scores.add_message(world.appraiser_a, world.leaf(world.sheet_a, "1.4"), "Thiếu chữ ký")
    kept = _page(appraiser, url)
    assert "Thiếu chữ ký" in kept
    cache.clear()
    assert kept == _page(appraiser, url)
