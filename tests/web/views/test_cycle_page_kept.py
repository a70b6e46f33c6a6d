"""The cycle's page is kept under what it shows (chiso.web.cycles.pages.cycle_revision): a value
saved in any unit's sheet, a file, a thread's message, an explanation leave every person's
page of the cycle as kept until the results are shown, since it shows none of them; every
change it does show (the stage, a deadline, a role, a sheet submitted, returned or set ranked,
a cancellation, a correction of the results) makes it afresh, for everyone. Whatever the
change, the page served is the page made with nothing kept."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chiso.web.accounts.roles import grant_role
from chiso.web.core.audit import audit, audit_all, entry
from chiso.web.cycles import evidence, explanations, scores, windows, workflow
from chiso.web.cycles.models import Cycle, Explanation, LeafScore, Message
from web.conftest import World
from web.views.conftest import fill
from web.views.helpers import PDF, as_

READERS = ["admin", "chair", "appraiser_a", "officer_a", "officer_b"]
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _url(world: World) -> str:
    return reverse("cycles:cycle", args=[world.cycle.pk])


def _page(client: Client, url: str, lang: str = "vi") -> str:
    """The page as ``client`` gets it in ``lang``, its form tokens blanked."""
    client.cookies["django_language"] = lang
    response = client.get(url)
    assert response.status_code == 200, url
    return _TOKEN.sub("TOKEN", response.content.decode())


def made_afresh(client: Client, url: str) -> bool:
    """Whether the page below the header was rendered for this request, not served as kept."""
    response = client.get(url)
    assert response.status_code == 200, url
    return "cycles/cycle_body.html" in [t.name for t in response.templates]


def _made_with_nothing_kept(client: Client, url: str) -> str:
    cache.clear()
    return _page(client, url)


def _revisions(world: World) -> tuple[int, int]:
    cycle = Cycle.objects.get(pk=world.cycle.pk)
    return cycle.revision, cycle.page_revision


def _uploaded() -> SimpleUploadedFile:
    return SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf")


def test_a_change_within_a_sheet_moves_the_cycle_s_revision_and_not_its_page_s(
    world: World,
) -> None:
    leaf = world.leaf(world.sheet_a)
    within = [leaf, Message(pk=1), Explanation(pk=1)]
    for obj in within:
        revision, page = _revisions(world)
        audit(world.officer_a, world.cycle, obj, "x", "", "1")
        assert _revisions(world) == (revision + 1, page), type(obj).__name__
    for obj in (world.sheet_a, world.cycle, world.sheet_a.unit):
        revision, page = _revisions(world)
        audit(world.admin, world.cycle, obj, "x", "", "1")
        assert _revisions(world) == (revision + 1, page + 1), type(obj).__name__


def test_entries_written_together_move_each_cycle_s_page_by_its_own_entries(
    world: World,
) -> None:
    other = workflow.create_cycle(world.admin, "Khác", 2024, "example-department-2024", [])
    other_before = Cycle.objects.get(pk=other.pk)
    revision, page = _revisions(world)
    leaf_b = world.leaf(world.sheet_b)
    audit_all(
        [
            entry(world.admin, world.cycle, world.leaf(world.sheet_a), "a", "", "1"),
            entry(world.admin, world.cycle, leaf_b, "b", "", "1"),
            entry(world.admin, other, other, "c", "", "1"),
        ]
    )
    assert _revisions(world) == (revision + 1, page)
    moved = Cycle.objects.get(pk=other.pk)
    assert (moved.revision, moved.page_revision) == (
        other_before.revision + 1,
        other_before.page_revision + 1,
    )
    audit_all(
        [
            entry(world.admin, world.cycle, leaf_b, "b", "", "2"),
            entry(world.admin, world.cycle, world.sheet_b, "state", "", "submitted"),
        ]
    )
    assert _revisions(world) == (revision + 2, page + 1)


def _self_assessment(world: World) -> None:
    """Both units save values (a changed value, a cleared one) and attach a file."""
    for officer, sheet in ((world.officer_a, world.sheet_a), (world.officer_b, world.sheet_b)):
        for code, value in (("1.4", "1"), ("1.2", "2"), ("1.4", "0.5")):
            leaf = world.leaf(sheet, code)
            scores.save_self_score(officer, leaf, value, leaf.version)
    evidence.add_evidence(world.officer_b, world.leaf(world.sheet_b), _uploaded())


def _appraisal(world: World) -> None:
    """The appraiser cuts a value, asks a question, and accepts the rest."""
    world.move_to(Cycle.APPRAISAL)
    leaf = world.leaf(world.sheet_a, "1.2")
    scores.appraise(world.appraiser_a, leaf, 0.0, "Thiếu văn bản", leaf.version)
    scores.add_message(world.appraiser_a, world.leaf(world.sheet_a, "1.4"), "Thiếu chữ ký")
    scores.accept_self(world.appraiser_a, world.sheet_a)


def _explanation(world: World) -> None:
    """The unit explains the cut and the appraiser restores part of it."""
    world.move_to(Cycle.EXPLANATION)
    cut = world.leaf(world.sheet_a, "1.2")
    explained = explanations.explain(world.officer_a, cut, "Văn bản đã ban hành, kèm theo")
    explanations.review(world.appraiser_a, explained, 1.0, "Đủ một phần")


STAGES: dict[str, tuple[Callable[[World], None], Callable[[World], None]]] = {
    # the stage: how the cycle gets there, the changes within the sheets made in it
    Cycle.SELF: (lambda w: None, _self_assessment),
    Cycle.APPRAISAL: (lambda w: w.move_to(Cycle.APPRAISAL), _appraisal),
    Cycle.EXPLANATION: (lambda w: (_appraisal(w), w.move_to(Cycle.EXPLANATION)), _explanation),
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_values_files_threads_and_explanations_leave_every_page_of_the_cycle_as_kept(
    world: World, stage: str
) -> None:
    """In each stage before the results, the changes of that stage within the sheets (any
    unit's, the reader's own too) make nobody's page of the cycle afresh, and what is
    served is what would be made."""
    fill(world)
    LeafScore.objects.filter(sheet__cycle=world.cycle).update(appraised_points=None)
    reach, changes = STAGES[stage]
    reach(world)
    clients = {name: as_(world, name) for name in READERS}
    url = _url(world)
    kept = {name: _page(client, url) for name, client in clients.items()}
    before = _revisions(world)
    changes(world)
    assert _revisions(world)[0] > before[0], "the changes were made (and audited)"
    for name, client in clients.items():
        assert not made_afresh(client, url), name
        assert _page(client, url) == kept[name], name
    for name, client in clients.items():
        assert _made_with_nothing_kept(client, url) == kept[name], name


def _submitted(world: World) -> None:
    scores.submit_sheet(world.officer_a, world.sheet_a)


def _returned(world: World) -> None:
    scores.withdraw_sheet(world.officer_a, world.sheet_a)


def _set_not_ranked(world: World) -> None:
    workflow.set_ranked(world.admin, world.sheet_b, False, "sáp nhập")


def _advanced(world: World) -> None:
    workflow.advance(world.admin, world.cycle, Cycle.APPRAISAL)


def _extended_for_the_cycle(world: World) -> None:
    ends = timezone.localdate() + datetime.timedelta(days=40)
    windows.extend(world.admin, world.cycle, Cycle.SELF, ends, "lịch mới")


def _extended_for_a_unit(world: World) -> None:
    ends = timezone.localdate() + datetime.timedelta(days=25)
    windows.extend(world.admin, world.cycle, Cycle.SELF, ends, "mất điện", world.sheet_a.unit)


def _role_granted(world: World) -> None:
    grant_role(world.admin, "tham-dinh-b", "appraiser", world.sheet_b.unit, world.cycle)


def _cancelled(world: World) -> None:
    workflow.cancel(world.admin, world.cycle, "sai năm đánh giá")


CHANGES: dict[str, tuple[Callable[[World], None], dict[str, str]]] = {
    # the change, and what it shows on the page of whom
    "submitted": (_submitted, {"officer_a": "Đã nộp", "chair": "Đã nộp", "admin": "Đã nộp"}),
    "returned": (_returned, {"officer_a": "Đang nhập"}),
    "set not ranked": (_set_not_ranked, {"officer_b": "Đánh giá, không xếp hạng"}),
    "stage": (_advanced, {name: "<strong>Thẩm định</strong>" for name in READERS}),
    "deadline": (_extended_for_the_cycle, {"officer_b": "lịch mới", "admin": "lịch mới"}),
    "own unit's deadline": (_extended_for_a_unit, {"officer_a": "còn 25 ngày"}),
    "role": (_role_granted, {}),
    "cancelled": (_cancelled, {"admin": "sai năm đánh giá"}),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_each_change_the_page_shows_makes_it_afresh_for_everyone(world: World, change: str) -> None:
    make, shown = CHANGES[change]
    if make is _returned:
        _submitted(world)
    clients = {name: as_(world, name) for name in READERS}
    url = _url(world)
    kept = {name: _page(client, url) for name, client in clients.items()}
    make(world)
    world.cycle.refresh_from_db()
    seen = list(clients) if world.cycle.state != Cycle.CANCELLED else ["admin"]
    for name in seen:
        assert made_afresh(clients[name], url), name
    served = {name: _page(clients[name], url) for name in seen}
    for name, text in shown.items():
        assert text in served[name] and text not in kept[name], (name, text)
    for name in seen:
        assert _made_with_nothing_kept(clients[name], url) == served[name], name


def test_the_council_s_overview_shows_a_correction_of_the_results_at_once(world: World) -> None:
    """Once the results are shown, a value corrected in one unit's sheet changes them: the
    page is kept under every change then."""
    fill(world)
    world.move_to(Cycle.PUBLISHED)
    chair, url = as_(world, "chair"), _url(world)
    kept = _page(chair, url)
    workflow.correct_leaf(world.chair, world.leaf(world.sheet_a, "1.2"), 0.0, "đính chính")
    assert made_afresh(chair, url)
    served = _page(chair, url)
    assert served != kept
    assert _made_with_nothing_kept(chair, url) == served


def test_the_page_is_kept_in_each_language_and_each_day(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer, url = as_(world, "officer_a"), _url(world)
    ends = timezone.localdate() + datetime.timedelta(days=10)
    windows.extend(world.admin, world.cycle, Cycle.SELF, ends, "lịch mới")
    vietnamese = _page(officer, url)
    english = _page(officer, url, "en")
    assert "<h2>Thời hạn</h2>" in vietnamese and "<h2>Deadlines</h2>" in english
    assert _page(officer, url) == vietnamese
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(windows, "today", lambda: tomorrow)
    assert "còn 9 ngày" in _page(officer, url) and "còn 10 ngày" in vietnamese
