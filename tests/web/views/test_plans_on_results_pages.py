"""The plans app's parts of other pages: the gap table on a unit's sheet (every node, for those
who see the sheet, once the others' points may be shown), the domain-level gap table and the
group's probability on the public profile, and rank intervals on the public ranking where the
results carry standard errors."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from chiso.web.cycles.models import Cycle, Publication, ScoreSheet
from web.conftest import DECISION, World
from web.views.conftest import fill
from web.views.helpers import as_


def gaps_section(page: str) -> str:
    found = re.search(r'<section id="gaps".*?</section>', page, re.S)
    return found.group(0) if found else ""


def test_the_sheet_shows_every_nodes_gap_once_published(scored: World) -> None:
    page = as_(scored, "officer_a").get(reverse("cycles:sheet", args=[scored.sheet_a.pk]))
    section = gaps_section(page.content.decode())
    assert "1.2 " in section and "2.1 " in section and ">1 Công tác" in section
    # Sở Y tế, with every leaf but 1.2 at its maximum, is the best unit named
    assert "Sở Y tế" in section


def test_no_gap_table_while_the_cycle_is_open(world: World) -> None:
    fill(world)
    page = as_(world, "officer_a").get(reverse("cycles:sheet", args=[world.sheet_a.pk]))
    assert gaps_section(page.content.decode()) == ""


def test_once_final_only_those_who_see_the_results_get_the_gap_table(world: World) -> None:
    fill(world)
    world.move_to(Cycle.FINALISED)
    url = reverse("cycles:sheet", args=[world.sheet_a.pk])
    assert gaps_section(as_(world, "admin").get(url).content.decode())
    assert gaps_section(as_(world, "officer_a").get(url).content.decode()) == ""


def test_the_public_profile_shows_the_domains_gaps(scored: World) -> None:
    url = reverse("portal:profile", args=[scored.cycle.pk, "Sở Tư pháp"])
    section = gaps_section(Client().get(url).content.decode())
    assert ">1 Công tác" in section and "1.2 " not in section


def test_no_rank_interval_without_standard_errors(scored: World) -> None:
    page = Client().get(reverse("portal:published", args=[scored.cycle.pk])).content.decode()
    assert "rank-interval-note" not in page


def test_rank_intervals_and_the_groups_probability_with_standard_errors(world: World) -> None:
    fill(world)
    ScoreSheet.objects.filter(pk=world.sheet_a.pk).update(standard_errors={"total": 10.0})
    ScoreSheet.objects.filter(pk=world.sheet_b.pk).update(standard_errors={"total": 10.0})
    world.move_to(Cycle.PUBLISHED)
    page = Client().get(reverse("portal:published", args=[world.cycle.pk])).content.decode()
    assert "rank-interval-note" in page
    # 80 against 98, each ± 10: they swap places with probability Φ(−18/√200) ≈ 10 %, more
    # than the 5 % left out of each end of the interval, so both intervals are 1–2
    assert page.count('<td class="num">1–2</td>') == 2
    profile = Client().get(reverse("portal:profile", args=[world.cycle.pk, "Sở Tư pháp"]))
    assert 'id="group-probability"' in profile.content.decode()


def test_a_snapshot_that_does_not_fit_its_framework_says_why_it_has_no_rank_intervals(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Standard errors that cannot be simulated (the snapshot's totals are not its
    framework's: published under another version of it, say) are told on the page and
    logged as an error, not dropped without a word."""
    fill(world)
    ScoreSheet.objects.filter(cycle=world.cycle).update(standard_errors={"total": 10.0})
    world.move_to(Cycle.PUBLISHED)
    publication = Publication.objects.get(cycle=world.cycle)
    doc = json.loads(publication.content)
    doc["units"][0]["total"] += 5
    Publication.objects.filter(pk=publication.pk).update(content=json.dumps(doc))
    with caplog.at_level(logging.ERROR, logger="chiso.web.portal.views"):
        page = Client().get(reverse("portal:published", args=[world.cycle.pk])).content.decode()
    assert "rank-interval-note" not in page
    note = re.search(r'<p id="rank-intervals-unavailable">(.*?)</p>', page, re.S)
    assert note and "không tính được khoảng hạng" in note.group(1).casefold()
    assert doc["units"][0]["unit"] in note.group(1)
    logged = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert logged and "results.other_framework" in logged[0].getMessage()
    unit = doc["units"][1]["unit"]
    profile = Client().get(reverse("portal:profile", args=[world.cycle.pk, unit])).content
    assert 'id="rank-intervals-unavailable"' in profile.decode()


def test_the_sheets_gap_table_shows_the_change_since_the_previous_cycle(scored: World) -> None:
    from chiso.web.accounts import policy
    from chiso.web.accounts.models import Role
    from chiso.web.core.frameworks import framework_of
    from chiso.web.cycles import workflow
    from chiso.web.cycles.models import LeafScore

    earlier = workflow.create_cycle(
        scored.admin, "Chỉ số CCHC 2023", 2023, scored.cycle.framework_code,
        [scored.sheet_a.unit, scored.sheet_b.unit],
    )  # fmt: skip
    fw = framework_of(earlier)
    for leaf in fw.leaves():  # a year before, Sở Tư pháp had 1 point less on 2.1 (5,40)
        points = float(leaf.max or 0) * 0.8 - (1.0 if leaf.code == "2.1" else 0.0)
        LeafScore.objects.filter(sheet__cycle=earlier, code=leaf.code).update(
            appraised_points=points
        )
    Role.objects.create(user=scored.chair, kind=Role.CHAIR, cycle=earlier)
    policy.forget(scored.chair)
    for state in workflow.ORDER[1:-1]:
        workflow.advance(scored.chair if state == Cycle.FINALISED else scored.admin, earlier, state)
    workflow.publish(scored.chair, earlier, decision=DECISION)
    page = as_(scored, "officer_a").get(reverse("cycles:sheet", args=[scored.sheet_a.pk]))
    section = gaps_section(page.content.decode())
    row = re.search(r"<tr[^>]*><td[^>]*>2\.1 .*?</tr>", section, re.S)
    assert row is not None and '<td class="num">+1,00</td></tr>' in row.group(0)


def test_a_final_cycles_gap_table_is_kept_until_a_sheet_changes(world: World) -> None:
    """The table scores every sheet of the cycle, so it is made once per state of the sheets
    (their revisions): a change that bypasses the services (a raw update, no new revision) is
    not seen, the same change with its revision bumped is."""
    from chiso.web.cycles import scores
    from chiso.web.cycles.models import LeafScore

    fill(world)
    world.move_to(Cycle.FINALISED)
    url = reverse("cycles:sheet", args=[world.sheet_a.pk])
    first = gaps_section(as_(world, "admin").get(url).content.decode())
    assert "Sở Y tế" in first  # the best unit on every leaf but 1.2
    LeafScore.objects.filter(sheet=world.sheet_b).update(appraised_points=0)
    assert gaps_section(as_(world, "admin").get(url).content.decode()) == first
    scores.touch(world.sheet_b.pk)
    again = gaps_section(as_(world, "admin").get(url).content.decode())
    assert again != first and "Sở Tư pháp" in again


def test_a_published_gap_table_is_kept_per_snapshot(scored: World) -> None:
    """Once published the table is read from the newest snapshot and kept under its SHA-256:
    a correction changes nothing until it is published as a new revision."""
    from chiso.web.cycles import workflow

    url = reverse("cycles:sheet", args=[scored.sheet_a.pk])
    first = gaps_section(as_(scored, "officer_a").get(url).content.decode())
    leaf = scored.leaf(scored.sheet_a, "2.1")
    workflow.correct_leaf(scored.chair, leaf, 0.0, "Đính chính")
    assert gaps_section(as_(scored, "officer_a").get(url).content.decode()) == first
    workflow.publish(
        scored.chair,
        scored.cycle,
        reason="đính chính 2.1",
        decision=workflow.Decision("1600/QĐ-UBND", DECISION.date, "UBND tỉnh"),
    )
    assert gaps_section(as_(scored, "officer_a").get(url).content.decode()) != first


def test_the_profiles_gap_tables_are_computed_once_per_publication_and_match_each_units(
    scored: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Re-scoring the document for each unit's profile was half of a profile's first visit:
    every unit's domains are computed once per publication, and each unit's table is the one
    its own computation gives."""
    from chiso.web.core.frameworks import framework_of
    from chiso.web.cycles.publications import document, latest
    from chiso.web.plans import insights

    scorings: list[int] = []
    score = insights.loaded
    monkeypatch.setattr(insights, "loaded", lambda doc, fw: scorings.append(1) or score(doc, fw))
    publication = latest(scored.cycle.pk)
    doc, fw = document(publication), framework_of(scored.cycle)
    units = [u.unit for u in doc.units]
    assert len(units) >= 2
    for unit in units:
        url = reverse("portal:profile", args=[scored.cycle.pk, unit])
        section = gaps_section(Client().get(url).content.decode())
        expected = insights.render_to_string(
            "plans/gap_table.html",
            {"gap_rows": insights.unit_gap_rows(doc, fw, unit, "vi", domains_only=True)},
        )
        assert section and section in expected
    assert len(scorings) == 1 + len(units)  # once for the pages, once per expected table
