"""Dates and times on the pages follow the project's one rule (:func:`chiso.numbers.
format_date`): dd/mm/yyyy in Vietnamese, ISO in English, a 24-hour clock, in the local time
the settings name; never Django's own "Dec. 6, 2026, 11:12 p.m." or "Ngày 06 tháng 12 năm
2026" beside them. Each page is rendered with a known moment in both languages.

The templates are read too: a ``|date`` filter uses one of the language's formats (none named,
``DATE_FORMAT``, ``DATETIME_FORMAT``…, see chiso.web.core.formats), never a pattern of its own,
except ISO for the value of a date field, which browsers require."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import lxml.html
import pytest
from django.urls import reverse

from chiso.web.accounts.models import ApiToken
from chiso.web.cycles.models import Cycle, Publication
from chiso.web.notifications import kinds
from chiso.web.notifications.models import Notification
from web.conftest import World
from web.views.helpers import as_

MOMENT = datetime.datetime(2026, 12, 6, 16, 12, tzinfo=datetime.UTC)
"""23:12 on 6 December 2026 in Hà Nội (UTC+7): the day and the time both move."""
SHOWN = {"vi": "06/12/2026 23:12", "en": "2026-12-06 23:12"}
DAY = {"vi": "06/12/2026", "en": "2026-12-06"}

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan\\.|Feb\\.|Aug\\.|Sept\\.|Oct\\.|Nov\\.|Dec\\."
)
DJANGO_DEFAULTS = re.compile(
    rf"\b(?:a\.m\.|p\.m\.|midnight|noon|{MONTHS})|tháng \d+ năm|Ngày \d+ tháng", re.IGNORECASE
)
"""What Django's own formats print: a 12-hour clock, month names, a Vietnamese date in words."""


def _text(world: World, actor: str, lang: str, address: str) -> str:
    client = as_(world, actor)
    client.cookies["django_language"] = lang
    html = client.get(address, headers={"accept-language": lang}).content.decode()
    return " ".join(lxml.html.fromstring(html).get_element_by_id("main").text_content().split())


@pytest.fixture
def moment(world: World) -> World:
    """A published cycle, a notice, a token used and a boundary file, all at MOMENT."""
    world.move_to(Cycle.PUBLISHED)
    Publication.objects.filter(cycle=world.cycle).update(created_at=MOMENT)
    notice = Notification.objects.create(
        recipient=world.officer_a,
        kind=kinds.STAGE_OPENED,
        key="stage:test",
        object_type="cycle",
        object_id=world.cycle.pk,
        params={"cycle": world.cycle.name, "stage": Cycle.SELF, "until": ""},
        link="/",
    )
    Notification.objects.filter(pk=notice.pk).update(created_at=MOMENT)
    ApiToken.objects.create(
        user=world.officer_a,
        name="hệ thống một cửa",
        prefix="abc123",
        digest="0" * 64,
        expires_at=MOMENT,
        last_used_at=MOMENT,
    )
    return world


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_page_writes_the_moment_as_the_reader_writes_dates(moment: World, lang: str) -> None:
    cycle = moment.cycle.pk
    pages = {
        ("admin", reverse("cycles:cycle", args=[cycle])): SHOWN[lang],
        ("anonymous", reverse("portal:published", args=[cycle])): SHOWN[lang],
        ("anonymous", reverse("portal:revisions", args=[cycle])): SHOWN[lang],
        ("officer_a", reverse("notifications:inbox")): SHOWN[lang],
        ("officer_a", reverse("accounts:tokens")): SHOWN[lang],
    }
    for (actor, address), expected in pages.items():
        text = _text(moment, actor, lang, address)
        assert expected in text, (address, text)
        assert not DJANGO_DEFAULTS.search(text), (address, DJANGO_DEFAULTS.search(text))
    tokens = _text(moment, "officer_a", lang, reverse("accounts:tokens"))
    assert DAY[lang] in tokens  # the day it expires, as a date


def test_the_patterns_find_django_s_own_formats() -> None:
    for shown in ("Dec. 6, 2026, 11:12 p.m.", "23:12 Ngày 06 tháng 12 năm 2026", "noon"):
        assert DJANGO_DEFAULTS.search(shown), shown
    for shown in SHOWN.values():
        assert not DJANGO_DEFAULTS.search(shown)


TEMPLATES = Path(__file__).resolve().parents[3] / "src" / "chiso" / "web"
DATE_FILTER = re.compile(r"\|date(?::(\"[^\"]*\"|'[^']*'))?")
FORMAT_NAMES = {"", "DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT"}
"""A format of the reader's language (none named: DATE_FORMAT)."""


def test_a_template_s_date_filter_names_a_format_of_the_language() -> None:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for match in DATE_FILTER.finditer(line):
                pattern = (match.group(1) or '""')[1:-1]
                value_of_a_date_field = pattern == "Y-m-d" and 'type="date"' in line
                if pattern not in FORMAT_NAMES and not value_of_a_date_field:
                    found.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
    assert not found, found
