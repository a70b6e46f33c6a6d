"""The pictures of the user guides (docs/guide/), taken by a walk in a real headless Chromium
through the demo, one role after another, each picture in Vietnamese and in English.

The guides never show a page as it no longer is: the walk writes every picture they use.
With CHISO_GUIDE_SHOTS=1 it writes them into docs/guide/img/{vi,en}/ (the committed ones);
without it, into artifacts/guide/, and the test fails when a guide uses a picture the walk
does not take, or the walk takes one no guide uses.

The round it walks: the administrator opens a cycle with its deadlines, grants an appraiser
many units at once, moves the cycle to self-assessment, extends one unit's deadline and makes
an improvement plan from a published cycle; the unit's officer scores, attaches evidence,
submits and withdraws; in the demo's 2025 cycle the appraiser cuts a criterion in place with a
reason, asks for an explanation and accepts the rest; the unit explains, the appraiser
answers; the chair finalises, publishes under a decision and corrects; the leader reads the
progress; the public reads the results.
"""

from __future__ import annotations

import datetime
import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings

from chiso.web.cycles.models import Cycle
from web import browser_steps
from web.test_browser import CHROMIUM
from web.test_browser_public import browser, demo, demo_made  # noqa: F401
from web.test_browser_signed_in import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
GUIDES = ROOT / "docs" / "guide"
LANGUAGES = ("vi", "en")
WIDTH = 1280
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SCROLL_TO = "e => { e.scrollIntoView({block: 'start'}); window.scrollBy(0, -24); }"
"""An element at the top of the picture, with a line of what is above it."""
PICTURE = re.compile(r"\]\(img/(vi|en)/([a-z0-9-]+)\.png\)")


def shots_folder() -> Path:
    """Where the walk writes: the committed pictures only when asked to refresh them."""
    if os.environ.get("CHISO_GUIDE_SHOTS") == "1":
        return GUIDES / "img"
    return ROOT / "artifacts" / "guide"


def pictures_used() -> dict[str, set[str]]:
    """The pictures each language's guides show, by name."""
    used: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
    for guide in GUIDES.glob("*.md"):
        for lang, name in PICTURE.findall(guide.read_text(encoding="utf-8")):
            used[lang].add(name)
    return used


def small_png(png: bytes) -> bytes:
    """A screenshot as a palette PNG at most WIDTH wide (a tenth of the size, text intact),
    or as taken where Pillow is not installed."""
    try:
        from PIL import Image
    except ImportError:
        return png
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.width > WIDTH:
        image = image.resize((WIDTH, round(image.height * WIDTH / image.width)))
    out = io.BytesIO()
    image.quantize(colors=64, dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return out.getvalue()


class Camera:
    """Takes one picture in both languages: the page as it is in Vietnamese, then the same
    address (a confirmation page posted again: it only asks) in English, then back."""

    def __init__(self, page: Any, base: str, folder: Path) -> None:
        self.page, self.base, self.folder = page, base, folder
        self.taken: set[str] = set()
        for lang in LANGUAGES:
            (folder / lang).mkdir(parents=True, exist_ok=True)

    def use(self, page: Any) -> None:
        self.page = page

    def _language(self, lang: str) -> None:
        self.page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": self.base}]
        )

    def take(
        self,
        name: str,
        part: Callable[[], Any] | None = None,
        top: str | None = None,
        fill: Callable[[], None] | None = None,
    ) -> None:
        """``part``: only that element; ``top``: the page scrolled to that element; ``fill``:
        what the person typed, typed again after each reload (a reload empties a form)."""
        assert name not in self.taken, name
        for lang in LANGUAGES:
            if lang != "vi":
                self._language(lang)
                self.page.reload()
            if fill is not None:
                fill()
            if top is not None:
                self.page.locator(top).first.evaluate(SCROLL_TO)
            else:
                self.page.evaluate("() => window.scrollTo(0, 0)")
            png = part().screenshot() if part is not None else self.page.screenshot()
            (self.folder / lang / f"{name}.png").write_bytes(small_png(png))
        self._language("vi")
        self.page.reload()
        if fill is not None:
            fill()
        self.taken.add(name)


@pytest.fixture
def guide_browser(browser: Any) -> Iterator[Any]:  # noqa: F811
    """Chromium in Vietnamese, so a date field shows dd/mm/yyyy as on an officer's computer:
    the page's language does not change how the browser draws a date field, its own does, and
    on Linux it takes it from LANGUAGE (Debian's chromium-l10n holds the Vietnamese; without
    it the fields show mm/dd/yyyy)."""
    instance = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        env={**os.environ, "LANGUAGE": "vi"},
    )
    yield instance
    instance.close()


def test_the_guides_pictures_are_taken_by_a_walk_through_every_role(
    live_server: Any,
    demo: dict[str, Cycle],  # noqa: F811
    guide_browser: Any,
    tmp_path: Path,
) -> None:
    from django.contrib.auth.models import User

    from chiso.web.accounts.models import Role
    from chiso.web.cycles.models import LeafScore, ScoreSheet, Unit

    base = str(live_server)
    folder = shots_folder()
    today = datetime.date.today()
    evidence = tmp_path / "bien-ban-kiem-tra.pdf"
    evidence.write_bytes(PDF)

    # people the demo has not: a second appraiser (the province's leader is the demo's own)
    User.objects.create_user(
        "tham-dinh-2", password=DEMO_PASSWORD, email="tham-dinh-2@demo.invalid"
    )
    assert Role.objects.filter(user__username="lanh-dao", kind=Role.LEADER).exists()
    officer_unit = Role.objects.get(user__username="so-tu-phap", kind=Role.OFFICER).unit
    assert officer_unit is not None
    units_2025 = list(Unit.objects.filter(code__startswith="TN-S").order_by("code"))
    in_appraisal = Cycle.objects.get(name__startswith="Chỉ số CCHC các sở, ban, ngành 2025")

    errors: list[str] = []
    contexts: list[Any] = []

    def sign_in(name: str) -> Any:
        context = guide_browser.new_context(
            locale="vi-VN", viewport={"width": WIDTH, "height": 800}
        )
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        if name:
            browser_steps.sign_in(page, base, name, DEMO_PASSWORD)
        camera.use(page)
        return page

    def click(page: Any, selector: str) -> None:
        browser_steps.click_and_wait(page, selector)

    def day(days: int) -> str:
        return (today + datetime.timedelta(days=days)).isoformat()

    camera = Camera(None, base, folder)

    # ---- the administrator: a cycle with its deadlines, roles in bulk, a stage, an extension
    page = sign_in("admin")
    camera.take("admin-home")
    click(page, "#manage-link")

    def open_cycle() -> None:
        page.fill("#cycle-name", "Chỉ số CCHC các sở, ban, ngành 2026 (hướng dẫn)")
        page.fill("#cycle-year", "2026")
        page.select_option("#cycle-framework", "example-department-2024")
        page.fill("input[name=self_assessment_ends]", day(30))
        page.fill("input[name=appraisal_ends]", day(60))
        page.fill("input[name=explanation_ends]", day(75))
        for unit in units_2025:
            page.check(f"input[name=units][value='{unit.pk}']")

    camera.take("admin-open-cycle", top="h2", fill=open_cycle)
    click(page, "#cycle-create")
    new_cycle = Cycle.objects.get(name="Chỉ số CCHC các sở, ban, ngành 2026 (hướng dẫn)")
    camera.take("admin-cycle-draft")
    click(page, "#advance")
    camera.take("admin-advance-confirm")
    click(page, "#confirm")
    assert Cycle.objects.get(pk=new_cycle.pk).state == Cycle.SELF

    page.goto(f"{base}/manage/")

    def grant() -> None:
        page.fill("#role-username", "tham-dinh-2")
        page.select_option("#role-kind", "appraiser")
        page.select_option("#role-cycle", [str(new_cycle.pk)])
        for unit in units_2025[:4]:
            page.check(f"#role-units input[name=unit][value='{unit.pk}']")
        page.fill("#role-units-filter", "Sở")  # the picture shows the departments found

    camera.take(
        "admin-grant-roles", part=lambda: page.locator("#role-grant").locator(".."), fill=grant
    )
    click(page, "#role-grant")
    assert Role.objects.filter(user__username="tham-dinh-2", kind=Role.APPRAISER).count() == 4
    camera.take("admin-province-load", top="#province")

    page.goto(f"{base}/cycles/{new_cycle.pk}/")
    form = page.locator("#extend")

    def extend() -> None:
        form.locator("select[name=unit]").select_option(str(officer_unit.pk))
        form.locator("input[name=ends]").fill(day(40))
        form.locator("input[name=reason]").fill("Đơn vị thay đổi người phụ trách (công văn số 12)")

    camera.take("admin-extend", part=lambda: form, fill=extend)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("#extensions li").count() == 1
    camera.take("admin-cycle-deadlines", top="h1")

    # an improvement plan from a published cycle
    page.goto(f"{base}/plans/")
    click(page, f"a[href='/plans/new/{demo['departments'].pk}/']")

    def plan() -> None:
        page.select_option("#new-plan select[name=unit]", label="Sở Tư pháp")
        page.fill("#new-plan input[name=index]", "85,5")

    camera.take("admin-plan-new", fill=plan)
    click(page, "#new-plan button[type=submit]")
    assert "85,5" in page.inner_text("#targets")
    camera.take("admin-plan")

    # ---- the unit's officer: score, evidence, submit, withdraw
    page = sign_in("so-tu-phap")
    camera.take("officer-home")
    sheet = ScoreSheet.objects.get(cycle=new_cycle, unit=officer_unit)
    page.goto(f"{base}/sheets/{sheet.pk}/")
    row = page.locator("tr", has=page.locator("select[aria-label='1.1']"))
    row.locator("select[aria-label='1.1']").select_option("đúng hạn")
    browser_steps.saved_in_place(page, row, "button:has-text('Lưu')", "1.1")
    for code, value in (("1.2", "95"), ("1.4", "1,5")):
        row = page.locator("tr", has=page.locator(f"input[aria-label='{code}']"))
        row.locator(f"input[aria-label='{code}']").fill(value)
        browser_steps.saved_in_place(page, row, "button:has-text('Lưu')", code)
    row = page.locator("tr", has=page.locator("input[aria-label='tài liệu cho 1.4']"))
    row.locator("input[type=file]").set_input_files(str(evidence))
    with page.expect_navigation():
        row.locator("button:has-text('Đính kèm')").click()
    camera.take("officer-sheet")
    camera.take(
        "officer-row", part=lambda: page.locator("tr", has=page.locator("text=bien-ban-kiem-tra"))
    )
    click(page, "#submit-sheet")
    camera.take("officer-submit-confirm")
    click(page, "#confirm")
    assert ScoreSheet.objects.get(pk=sheet.pk).state == ScoreSheet.SUBMITTED
    camera.take("officer-submitted")
    click(page, "#withdraw-sheet")
    assert ScoreSheet.objects.get(pk=sheet.pk).state != ScoreSheet.SUBMITTED

    # ---- the appraiser, in the demo's 2025 cycle: a cut with its reason, a question, the rest
    page = sign_in("tham-dinh")
    appraised = ScoreSheet.objects.get(cycle=in_appraisal, unit=officer_unit)
    cut = (
        LeafScore.objects.filter(sheet=appraised, self_points__gt=0, self_raw__regex=r"^[0-9]")
        .order_by("code")
        .first()
    )
    assert cut is not None
    page.goto(f"{base}/sheets/{appraised.pk}/")
    camera.take("appraiser-sheet")
    row = page.locator("tr", has=page.locator(f"input[aria-label='điểm thẩm định {cut.code}']"))
    row.locator(f"input[aria-label='điểm thẩm định {cut.code}']").fill("0")
    row.locator(f"input[aria-label='lý do {cut.code}']").fill("Thiếu biên bản kiểm tra quý IV")
    browser_steps.saved_in_place(page, row, "button:has-text('Thẩm định')", cut.code)
    row = page.locator("tr", has=page.locator(f"input[aria-label='nội dung {cut.code}']"))
    row.locator(f"input[aria-label='nội dung {cut.code}']").fill("Đề nghị bổ sung biên bản")
    with page.expect_navigation():
        row.locator("button:has-text('Yêu cầu giải trình')").click()
    camera.take(
        "appraiser-cut",
        part=lambda: page.locator(f"tr#leaf-{cut.pk}"),
    )
    click(page, "#accept-sheet")
    camera.take("appraiser-accepted")

    page = sign_in("admin")
    page.goto(f"{base}/cycles/{in_appraisal.pk}/")
    click(page, "#advance")
    camera.take("admin-not-ready")
    click(page, "#confirm")
    assert Cycle.objects.get(pk=in_appraisal.pk).state == Cycle.EXPLANATION

    # ---- the unit explains; the appraiser answers
    page = sign_in("so-tu-phap")
    page.goto(f"{base}/sheets/{appraised.pk}/explanations/")

    def explain() -> None:
        page.fill("#cuts textarea", "Đã bổ sung biên bản kiểm tra quý IV (đính kèm)")
        page.set_input_files("#cuts input[type=file]", str(evidence))

    camera.take("officer-explain", fill=explain)
    click(page, "#cuts button[type=submit]")
    page = sign_in("tham-dinh")
    page.goto(f"{base}/sheets/{appraised.pk}/explanations/")

    def review() -> None:
        page.fill("#cuts input[name=points]", str(cut.self_points).replace(".", ","))
        page.fill("#cuts input[name=reason]", "Biên bản bổ sung hợp lệ")

    camera.take("appraiser-review", fill=review)
    click(page, "#cuts button[type=submit]")
    camera.take("appraiser-reviewed")

    # ---- the chair: finalise, publish under a decision, correct
    page = sign_in("chu-tich")
    page.goto(f"{base}/cycles/{in_appraisal.pk}/")
    click(page, "#advance")
    camera.take("chair-finalise-confirm")
    click(page, "#confirm")

    def decision() -> None:
        page.fill("input[name=decision_number]", "125/QĐ-UBND")
        page.fill("input[name=decision_date]", today.isoformat())
        page.fill("input[name=decision_body]", "UBND tỉnh Thái Nguyên")

    camera.take("chair-publish", part=lambda: page.locator("#publish").locator(".."), fill=decision)
    click(page, "#publish")
    camera.take("chair-publish-confirm")
    click(page, "#confirm")
    assert Cycle.objects.get(pk=in_appraisal.pk).state == Cycle.PUBLISHED
    camera.take("chair-published")
    form = page.locator("#correction")

    def correction() -> None:
        form.locator("select[name=sheet]").select_option(str(appraised.pk))
        form.locator("input[name=code]").fill("1.2")
        form.locator("input[name=points]").fill("3")
        form.locator("input[name=reason]").fill("Nhập nhầm số liệu của biên bản")

    camera.take("chair-correct", part=lambda: form, fill=correction)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    click(page, "#confirm")
    page.fill("input[name=reason]", "Đính chính điểm tiêu chí 1.2 của Sở Tư pháp")
    page.fill("input[name=decision_number]", "131/QĐ-UBND")
    page.fill("input[name=decision_date]", today.isoformat())
    page.fill("input[name=decision_body]", "UBND tỉnh Thái Nguyên")
    click(page, "#publish")
    click(page, "#confirm")
    page.goto(f"{base}/results/{in_appraisal.pk}/revisions/")
    camera.take("chair-revisions")

    # ---- the province's leader: read only
    page = sign_in("lanh-dao")
    click(page, "#leader-link")
    camera.take("leader-view")

    # ---- the public
    page = sign_in("")
    page.goto(base)
    camera.take("public-home")
    departments = demo["departments"].pk
    page.goto(f"{base}/results/{departments}/")
    camera.take("public-ranking")
    camera.take("public-ranking-table", top="#search")
    page.goto(f"{base}/results/{departments}/units/{quote('Sở Tư pháp')}/")
    camera.take("public-profile")
    three = "&".join(f"u={quote(n)}" for n in ("Hà Nội", "Hải Phòng", "Đà Nẵng"))
    page.goto(f"{base}/results/{demo['par'].pk}/compare/?{three}")
    camera.take("public-compare")
    page.goto(f"{base}/archive/")
    camera.take("public-archive")
    page.goto(f"{base}/archive/provinces/{quote('Quảng Ninh')}/")
    camera.take("public-archive-province")
    page.goto(f"{base}/services/")
    camera.take("public-services")

    for context in contexts:
        context.close()
    assert errors == []
    used = pictures_used()
    for lang in LANGUAGES:
        assert used[lang] - camera.taken == set(), f"{lang}: guides use pictures no walk takes"
        assert camera.taken - used[lang] == set(), f"{lang}: pictures no guide uses"
