"""A sheet's page is made again after each change from what was kept of it: its frame (what the
rows sit in) and each row's HTML, kept under what they read (chiso.web.cycles.views,
chiso.web.cycles.sheet_rows). Whatever changed (a value, however it was written, the sheet's
state, the reader, the language, the day, a name), the page made from kept parts is the page
rendered with nothing kept, and a save renders its one row again, not the sheet's hundred."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chiso.web.core.frameworks import framework_of
from chiso.web.cycles import scores, windows
from chiso.web.cycles.models import Cycle, LeafScore, ScoreSheet, Unit
from web.conftest import World
from web.views.helpers import CONFIRM, as_

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
ROW = "cycles/sheet_row.html"


def _url(world: World) -> str:
    return reverse("cycles:sheet", args=[world.sheet_a.pk])


def _page(client: Client, url: str, lang: str = "vi") -> str:
    """The page as ``client`` gets it in ``lang``, its form tokens blanked (masked afresh on
    every answer)."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200, url
    return _TOKEN.sub("TOKEN", response.content.decode())


def _after(
    client: Client, url: str, change: Callable[[], object], lang: str = "vi"
) -> tuple[str, str]:
    """The page before ``change`` (everything kept on the way), and after it: made from what
    was kept, checked against the page rendered with nothing kept."""
    before = _page(client, url, lang)
    change()
    after = _page(client, url, lang)
    cache.clear()
    assert after == _page(client, url, lang), "the page made from kept parts is not afresh"
    return before, after


def _save(world: World, value: str, code: str = "1.4") -> Callable[[], object]:
    def save() -> object:
        leaf = world.leaf(world.sheet_a, code)
        return scores.save_self_score(world.officer_a, leaf, value, leaf.version)

    return save


def test_a_saved_value_shows_in_its_row_made_again(world: World) -> None:
    officer = as_(world, "officer_a")
    before, after = _after(officer, _url(world), _save(world, "1"))
    assert "1,00 điểm" not in before and "1,00 điểm" in after
    before, after = _after(officer, _url(world), _save(world, "0,5"))
    assert 'value="0,5"' in after and "1,00 điểm" not in after


def test_a_value_written_without_moving_the_leaf_s_version_on_still_shows(world: World) -> None:
    """A row is kept under every field it shows, not under the leaf's version alone."""
    officer = as_(world, "officer_a")

    def written() -> None:
        LeafScore.objects.filter(sheet=world.sheet_a, code="1.4").update(
            self_raw="1", self_points=1.0
        )
        scores.touch(world.sheet_a.pk)

    before, after = _after(officer, _url(world), written)
    assert "1,00 điểm" in after and "1,00 điểm" not in before


def test_a_submitted_sheet_loses_every_row_s_form_and_gets_them_back_when_withdrawn(
    world: World,
) -> None:
    officer = as_(world, "officer_a")
    typing = 'name="action" value="self"'

    def submit() -> None:
        # followed: the page it leads to tells of the submission (once)
        sent = officer.post(
            reverse("cycles:sheet-submit", args=[world.sheet_a.pk]), CONFIRM, follow=True
        )
        assert sent.redirect_chain

    before, after = _after(officer, _url(world), submit)
    assert typing in before and typing not in after

    def withdraw() -> None:
        taken = officer.post(reverse("cycles:sheet-withdraw", args=[world.sheet_a.pk]), follow=True)
        assert taken.redirect_chain

    before, after = _after(officer, _url(world), withdraw)
    assert typing not in before and typing in after
    assert ScoreSheet.objects.get(pk=world.sheet_a.pk).state == ScoreSheet.DRAFT


@pytest.mark.parametrize("first", ["officer_a", "appraiser_a", "admin", "chair"])
def test_rows_kept_for_one_person_are_never_served_to_another_with_other_rights(
    world: World, first: str
) -> None:
    """Whoever opened the sheet first, after a change each person gets the rows rendered for
    their own rights: the appraiser's forms to the appraiser alone."""
    save = _save(world, "1")
    save()
    world.move_to(Cycle.APPRAISAL)
    url = _url(world)
    people = [first, *(p for p in ("officer_a", "appraiser_a", "admin", "chair") if p != first)]
    clients = {name: as_(world, name) for name in people}
    for name in people:
        _page(clients[name], url)  # each person's rows kept
    leaf = world.leaf(world.sheet_a, "1.4")
    scores.appraise(world.appraiser_a, leaf, 0.5, "thiếu biên bản", leaf.version)
    made = {name: _page(clients[name], url) for name in people}
    cache.clear()
    for name in reversed(people):
        assert made[name] == _page(clients[name], url), name
    appraising = 'name="action" value="appraise"'
    assert appraising in made["appraiser_a"]
    assert all(appraising not in made[name] for name in people if name != "appraiser_a")
    assert "thiếu biên bản" in made["officer_a"]


def test_rows_kept_in_one_language_are_not_served_in_the_other(world: World) -> None:
    officer = as_(world, "officer_a")
    url = _url(world)
    _page(officer, url, "vi")
    _, after = _after(officer, url, _save(world, "1"), "en")
    assert "1.00 pts" in after and "1,00 điểm" not in after
    vietnamese = _page(officer, url, "vi")
    assert "1,00 điểm" in vietnamese and "1.00 pts" not in vietnamese
    cache.clear()
    assert vietnamese == _page(officer, url, "vi")


def test_a_new_day_after_a_save_counts_the_days_left_afresh(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ends = timezone.localdate() + datetime.timedelta(days=10)
    windows.extend(world.admin, world.cycle, Cycle.SELF, ends, "lịch mới")
    officer = as_(world, "officer_a")
    assert "còn 10 ngày" in _page(officer, _url(world))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    def next_day_and_save() -> None:
        monkeypatch.setattr(windows, "today", lambda: tomorrow)
        _save(world, "1")()

    before, after = _after(officer, _url(world), next_day_and_save)
    assert "còn 10 ngày" in before and "còn 9 ngày" in after and "còn 10 ngày" not in after


def test_a_unit_renamed_shows_on_the_sheet_made_again(world: World) -> None:
    officer = as_(world, "officer_a")

    def rename_and_save() -> None:
        Unit.objects.filter(pk=world.sheet_a.unit_id).update(name="Sở Tư pháp (tên mới)")
        _save(world, "1")()

    before, after = _after(officer, _url(world), rename_and_save)
    assert "Sở Tư pháp (tên mới)" in after and "Sở Tư pháp (tên mới)" not in before


def test_a_question_in_one_row_shows_and_the_other_rows_stay_as_kept(world: World) -> None:
    world.move_to(Cycle.APPRAISAL)
    appraiser = as_(world, "appraiser_a")
    leaf = world.leaf(world.sheet_a, "1.2")
    before, after = _after(
        appraiser,
        _url(world),
        lambda: scores.add_message(world.appraiser_a, leaf, "Thiếu <chữ ký>"),
    )
    assert "Thiếu &lt;chữ ký&gt;" not in before
    assert "Thiếu &lt;chữ ký&gt;" in after and "Thiếu <chữ ký>" not in after


def test_a_save_renders_its_one_row_again(world: World) -> None:
    officer = as_(world, "officer_a")
    url = _url(world)
    first = officer.get(url)
    rows = [t.name for t in first.templates].count(ROW)
    assert rows == sum(1 for top in framework_of(world.cycle).nodes for _ in top.walk())
    _save(world, "1")()
    again = officer.get(url)
    assert [t.name for t in again.templates].count(ROW) == 1
    assert "1,00 điểm" in again.content.decode()
    leaves = LeafScore.objects.filter(sheet=world.sheet_a)
    leaves.update(version=F("version") + 1)  # which every leaf's row shows (its forms send it)
    scores.touch(world.sheet_a.pk)
    assert [t.name for t in officer.get(url).templates].count(ROW) == leaves.count() < rows
