"""No internal code reaches a reader: every page the golden-pages test renders, plus the
signed-in pages of the demo (home, cycles, sheets, histories, plans, audit CSV), is read as a
person reads it (the visible text, not the markup) and searched for the catalogue of codes the
code base stores: workflow states, unit kinds, field names, class names, coverage codes, and,
in Vietnamese, ISO dates and numbers written with a decimal point.

Stored results keep their codes; only what is shown is checked. The catalogue is data (the
lists below); a new code that can reach a page belongs here."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from chiso.frameworks.registry import builtin_frameworks
from chiso.web.cycles.models import Cycle, LeafScore

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from record_golden_pages import public_pages  # noqa: E402

ANY_LANGUAGE = (
    "self_assessment",
    "self_raw",
    "self_points",
    "appraised_points",
    "central_points",
    "standard_errors",
    "framework_code",
    "LeafScore",
    "ScoreSheet",
    "not_applicable",
)
"""Codes no reader in any language should see (snake_case fields, class names as objects)."""

VIETNAMESE_WORDS = (
    "draft",
    "appraisal",
    "explanation",
    "finalised",
    "published",
    "submitted",
    "province",
    "department",
    "district",
    "commune",
    "whole",
    "partial",
    "pending",
    "restored",
    "partly",
    "kept",
    "officer",
    "appraiser",
    "chair",
    "todo",
    "doing",
    "done",
)
"""English codes that are internal when they stand as words in a Vietnamese page."""

CLASS_AS_OBJECT = re.compile(r"\b(?:Cycle|Explanation|Publication|Message|Evidence|Role|Unit),\d+,")
"""An object named by its class and id (``Cycle,1,``) as the old audit CSV did."""

ISO_DATE = re.compile(r"(?<![\d/.-])\d{4}-\d{2}(?:-\d{2})?(?![\d-])")
POINT_DECIMAL = re.compile(r"(?<![\w.,/])(?:\d+\.\d*0|\d{2,}\.\d{1,2}|\d+\.\d{4,})(?![\d.])")
"""A number written with a decimal point (5.0, 66.6, 50.5712), told apart from a criterion's
code (1.4, 7.1, 2.3.1) and from a group of thousands (1.234)."""

OPEN_DATA = ("data.csv", "sources.csv", "dictionary.csv", "rebased.csv")
"""Downloads for machines: their codes and decimal points are documented in their
dictionaries, as open data keeps them."""

FRAMEWORK_CODES = tuple(f.code for f in builtin_frameworks())
"""A criteria set is shown by its name: its code (``example-department-2024``) identifies it in
files and addresses, and a reader should not have to decode it."""

ENGLISH_VALIDATION = ("List should have", "Field required", "Input should be", "This field")


class _Text(HTMLParser):
    """The text a reader sees: character data outside script and style, plus the values of
    title, alt, aria-label and placeholder (read aloud or shown on hover).

    A citation of a source (``<li id="source-…">``) is left out: it quotes the source's title
    and publisher as published, in the source's language."""

    SHOWN_ATTRIBUTES = frozenset({"title", "alt", "aria-label", "placeholder"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        quoted = tag == "li" and (dict(attrs).get("id") or "").startswith("source-")
        if tag in ("script", "style") or quoted or (tag == "li" and self._hidden):
            self._hidden += 1
        for name, value in attrs:
            if name in self.SHOWN_ATTRIBUTES and value:
                self.parts.append(value)
        if tag == "option":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") or (tag == "li" and self._hidden):
            self._hidden = max(0, self._hidden - 1)
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    reader = _Text()
    reader.feed(html)
    return " ".join("".join(reader.parts).split())


def codes_in(text: str, language: str) -> list[str]:
    """The internal codes found in ``text`` shown in ``language``, each with its context."""
    found: list[str] = []

    def note(match_start: int, match_end: int) -> None:
        found.append(text[max(0, match_start - 40) : match_end + 40])

    for code in ANY_LANGUAGE + ENGLISH_VALIDATION:
        for m in re.finditer(re.escape(code), text):
            note(m.start(), m.end())
    for code in FRAMEWORK_CODES:  # a code as a word, not the tail of a source's name
        for m in re.finditer(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text):
            note(m.start(), m.end())
    for m in CLASS_AS_OBJECT.finditer(text):
        note(m.start(), m.end())
    if language == "vi":
        for word in VIETNAMESE_WORDS:
            for m in re.finditer(rf"(?<![\w/.-]){word}(?![\w/.-])", text):
                note(m.start(), m.end())
        for pattern in (ISO_DATE, POINT_DECIMAL):
            for m in pattern.finditer(text):
                note(m.start(), m.end())
    return found


def test_the_catalogue_finds_the_codes_it_lists() -> None:
    shown = "Chuyển sang: self_assessment · điểm tối đa 5.0 · hạn 2026-06-30 · tỉnh province"
    assert len(codes_in(shown, "vi")) == 4
    assert codes_in("Tỷ lệ 66.6 và 50.571250", "vi") != []
    ordinary = "1.234 đơn vị, 5,0 điểm, hạn 30/06/2026, tiêu chí 1.4 và 2.3.1, Chỉ số CCHC"
    assert codes_in(ordinary, "vi") == []
    assert codes_in("List should have at least 1 item", "en") != []
    assert codes_in("2025-10-01T09:30:00+00:00,admin,Cycle,1,state", "en") != []
    assert codes_in("Stage,Appraisal,Explanation,", "en") == []
    assert codes_in("<script>var s='self_raw'</script>", "vi") != []  # raw text, not a page
    assert codes_in(visible_text("<script>var s='self_raw'</script><p>x</p>"), "vi") == []


@pytest.fixture(scope="module")
def pages(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The demo made once; every page the golden test renders and the signed-in pages, as
    (language, name) → response."""
    from django.core.management import call_command

    from chiso.web.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()
        published = Cycle.objects.filter(state=Cycle.PUBLISHED)
        par = published.filter(framework_code="par-province-2019").order_by("year").last()
        built = {
            "cycles": {
                "departments": published.get(
                    name__startswith="Chỉ số CCHC các sở, ban, ngành 2023"
                ),
                "districts": published.get(name__startswith="Chỉ số CCHC UBND cấp huyện 2023"),
                "par": par,
                "papi-63": published.get(name__startswith="PAPI 2024"),
                "papi-34": published.get(name__startswith="PAPI 2025"),
                "sipas": published.get(name__startswith="SIPAS 2022"),
            }
        }
        addresses = {f"public {k}": v for k, v in public_pages(built).items()}
        addresses.update(_signed_in_pages())
        rendered: dict[str, Any] = {}
        for lang in ("vi", "en"):
            client = Client(headers={"accept-language": lang})
            client.cookies["django_language"] = lang
            client.force_login(User.objects.get(username="admin"))
            for name, address in addresses.items():
                response = client.get(address)
                body = (
                    b"".join(response.streaming_content)
                    if response.streaming
                    else (response.content)
                )
                rendered[f"{lang} {name}"] = (address, response["Content-Type"], body)
    yield rendered
    with django_db_blocker.unblock():
        call_command("flush", verbosity=0, interactive=False)


def _signed_in_pages() -> dict[str, str]:
    """The pages an officer, appraiser, chair or admin works in, one of each kind per cycle."""
    pages = {"home": "/", "manage": "/manage/", "plans": "/plans/", "map": "/plans/map/"}
    pages["tokens"] = "/accounts/tokens/"
    pages["leader"] = "/leader/"
    for cycle in Cycle.objects.filter(framework_code="example-department-2024"):
        pages[f"cycle {cycle.pk}"] = f"/cycles/{cycle.pk}/"
        pages[f"audit {cycle.pk}"] = f"/cycles/{cycle.pk}/audit.csv"
        sheet = cycle.sheets.order_by("unit__code").first()
        if sheet is None:
            continue
        pages[f"sheet {cycle.pk}"] = f"/sheets/{sheet.pk}/"
        leaf = LeafScore.objects.filter(sheet=sheet).order_by("code").first()
        if leaf is not None:
            pages[f"history {cycle.pk}"] = f"/leaves/{leaf.pk}/history/"
        if cycle.state == Cycle.PUBLISHED:
            pages[f"report {cycle.pk}"] = f"/plans/report/{cycle.pk}/"
    return pages


def _shown(content_type: str, body: bytes) -> str | None:
    """The text a reader sees in a page or a CSV; None for other downloads."""
    text = body.decode("utf-8", errors="replace")
    if "html" in content_type:
        return visible_text(text)
    if "csv" in content_type:
        return text
    return None


@pytest.mark.django_db
def test_no_page_shows_an_internal_code(pages: dict[str, Any]) -> None:
    found: dict[str, list[str]] = {}
    for key, (address, content_type, body) in sorted(pages.items()):
        text = _shown(content_type, body)
        if text is None or address.endswith(OPEN_DATA):
            continue  # open data keeps its documented codes (its dictionary explains them)
        codes = codes_in(text, key.split(" ", 1)[0])
        if codes:
            found[f"{key} ({address})"] = codes[:5]
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())


@pytest.mark.django_db
def test_the_signed_in_pages_were_rendered(pages: dict[str, Any]) -> None:
    statuses = {k: body for k, (_, _, body) in pages.items() if k.startswith("vi ")}
    assert any(k.startswith("vi sheet") for k in statuses)
    assert any(k.startswith("vi audit") for k in statuses)
