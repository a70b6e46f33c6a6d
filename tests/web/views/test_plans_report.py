"""plans:report and plans:report-xlsx — points lost per responsible unit and criterion, with the
appraisers' reasons, for the administrator and the chair once the results are final."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from chiso.web.cycles.models import Unit
from web.conftest import World
from web.views.conftest import REASON
from web.views.helpers import as_


def test_points_lost_per_responsible_unit_with_reasons(scored: World, home_affairs: Unit) -> None:
    response = as_(scored, "chair").get(reverse("plans:report", args=[scored.cycle.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and REASON in page
    # Sở Nội vụ answers for domain 1 of Sở Tư pháp, which lost a fifth of 12: 2,40
    assert '<tr><td>Sở Nội vụ</td><td class="num">2,40</td></tr>' in page
    book = openpyxl.load_workbook(
        io.BytesIO(
            as_(scored, "admin").get(reverse("plans:report-xlsx", args=[scored.cycle.pk])).content
        )
    )
    rows = list(book.active.iter_rows(min_row=2, values_only=True))
    assert sum(r[4] for r in rows if r[0] == "Sở Nội vụ") == pytest.approx(2.4)
    # Sở Y tế lost 2 points on 1.2, for which nobody is named in its map
    assert any(r[1] == "Sở Y tế" and r[2] == "1.2" and r[4] == pytest.approx(2.0) for r in rows)


@pytest.mark.parametrize("actor", ["officer_a", "appraiser_a"])
def test_refused_to_others(scored: World, actor: str) -> None:
    for name in ("plans:report", "plans:report-xlsx"):
        assert as_(scored, actor).get(reverse(name, args=[scored.cycle.pk])).status_code in (
            403,
            404,
        )


def test_refused_before_the_results_are_final(world: World) -> None:
    assert (
        as_(world, "admin").get(reverse("plans:report", args=[world.cycle.pk])).status_code == 403
    )


def test_a_published_cycle_is_reported_from_its_snapshot_until_a_correction_is_published(
    scored: World, home_affairs: Unit
) -> None:
    """After a correction the report keeps the published numbers and reasons; once the
    correction is published it shows the new ones. The expected losses are worked from the
    conftest's fill: Sở Tư pháp has 0.8 of each maximum, so 1.1 lost a fifth of its max."""
    from chiso.web.core.frameworks import framework_of
    from chiso.web.cycles import workflow
    from chiso.web.plans.services import responsibility_report

    max_11 = framework_of(scored.cycle).node("1.1").max
    assert max_11
    leaf = scored.leaf(scored.sheet_a, "1.1")
    workflow.correct_leaf(scored.chair, leaf, 0.0, "Đính chính: không có văn bản")

    def row() -> tuple[float, str]:
        found = [
            r
            for r in responsibility_report(scored.cycle, "vi")
            if r.unit == "Sở Tư pháp" and r.code == "1.1"
        ]
        assert len(found) == 1
        return found[0].lost, found[0].reason

    assert row() == (pytest.approx(0.2 * max_11), REASON)
    workflow.publish(
        scored.chair,
        scored.cycle,
        reason="đính chính tiêu chí 1.1",
        decision=workflow.Decision("1600/QĐ-UBND", datetime.date(2025, 2, 3), "UBND tỉnh"),
    )
    assert row() == (pytest.approx(max_11), "Đính chính: không có văn bản")
