"""The pages an officer and the province's leader work in, in a real headless Chromium: the
home page's task list, a score sheet, a cycle, the leader's view and the manage page pass the
axe-core audit (WCAG 2.1 A and AA) at desktop width and fit a 375 px screen without sideways
scrolling; screenshots of each in artifacts/browser/ (signed-in-*.png, narrow-signed-in-*.png)."""

from __future__ import annotations

from typing import Any

from chiso.web.cycles.models import Cycle
from web import browser_steps as steps
from web.test_browser import SHOTS
from web.test_browser_public import NARROW, browser, demo, demo_made  # noqa: F401

DEMO_PASSWORD = "chiso-demo-2024"


def _pages(demo: dict[str, Cycle]) -> dict[str, str]:  # noqa: F811
    from chiso.web.cycles.models import ScoreSheet

    open_cycle = Cycle.objects.filter(state=Cycle.APPRAISAL).order_by("pk").first()
    assert open_cycle is not None
    sheet = ScoreSheet.objects.filter(cycle=open_cycle).order_by("unit__code").first()
    assert sheet is not None
    return {
        "home": "/",
        "leader": "/leader/",
        "cycle": f"/cycles/{open_cycle.pk}/",
        "sheet": f"/sheets/{sheet.pk}/",
        "manage": "/manage/",
        "heads": f"/results/{demo['departments'].pk}/heads/",
    }


def test_the_signed_in_pages_pass_the_audit_and_fit_a_small_screen(
    live_server: Any,
    demo: dict[str, Cycle],  # noqa: F811
    browser: Any,  # noqa: F811
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    pages = _pages(demo)
    for width, viewport in (("wide", {"width": 1280, "height": 900}), ("narrow", NARROW)):
        context = browser.new_context(locale="vi-VN", viewport=viewport)
        page = context.new_page()
        steps.sign_in(page, str(live_server), "admin", DEMO_PASSWORD)
        for name, path in pages.items():
            response = page.goto(f"{live_server}{path}")
            assert response is not None and response.ok, (name, path)
            prefix = "signed-in" if width == "wide" else "narrow-signed-in"
            page.screenshot(path=str(SHOTS / f"{prefix}-{name}.png"), full_page=True)
            if width == "wide":
                problems += steps.audited(page, name)
            else:
                scroll = page.evaluate("() => document.scrollingElement.scrollWidth")
                if scroll > NARROW["width"]:
                    problems.append(f"{name} {path}: {scroll} px wide at 375 px")
        context.close()
    assert not problems, "\n\n".join(problems)
