"""``chiso verify`` checks the chain of a cycle's revisions, not only each one's hash: every
revision's SHA-256 is recomputed from its content, and every revision names (in its row and in
its hashed content) the SHA-256 of the one it replaces. Rewriting an earlier revision and its
stored hash together is therefore found, as is a revision dropped from the chain."""

from __future__ import annotations

import datetime
import hashlib
import json

from chiso.web.backup import verify_installation
from chiso.web.cycles import workflow
from chiso.web.cycles.models import Publication
from web.conftest import World


def _two_revisions(world: World) -> tuple[Publication, Publication]:
    world.move_to("published")
    leaf = world.leaf(world.sheet_a)
    workflow.correct_leaf(world.chair, leaf, 0.5, "nhầm biên bản")
    decision = workflow.Decision("1600/QĐ-UBND", datetime.date(2025, 2, 1), "UBND tỉnh")
    workflow.publish(world.chair, world.cycle, "đính chính", decision)
    first, second = world.cycle.publications.order_by("revision")
    return first, second


def _rules(report: object) -> list[str]:
    return [p.rule for p in report]  # type: ignore[attr-defined]


def test_an_untouched_chain_verifies(world: World) -> None:
    _two_revisions(world)
    report, snapshots, _ = verify_installation()
    assert not report and snapshots == 2


def test_an_earlier_revision_rewritten_with_its_hash_is_found(world: World) -> None:
    first, _ = _two_revisions(world)
    doc = json.loads(first.content)
    doc["cycle"]["name"] = "Chỉ số CCHC 2024 (đã sửa)"
    content = json.dumps(doc, ensure_ascii=False, sort_keys=True)
    Publication.objects.filter(pk=first.pk).update(
        content=content, sha256=hashlib.sha256(content.encode("utf-8")).hexdigest()
    )
    report, _, _ = verify_installation()
    assert _rules(report) == ["verify.chain_broken"]
    assert "revision 2 " in next(iter(report)).message("en")  # the one naming the rewritten


def test_a_revision_whose_row_and_content_disagree_on_what_it_replaces_is_found(
    world: World,
) -> None:
    _, second = _two_revisions(world)
    Publication.objects.filter(pk=second.pk).update(replaces_sha256="0" * 64)
    report, _, _ = verify_installation()
    assert "verify.chain_broken" in _rules(report)


def test_a_missing_revision_is_found(world: World) -> None:
    _, second = _two_revisions(world)
    Publication.objects.filter(pk=second.pk).update(revision=3)
    report, _, _ = verify_installation()
    assert "verify.revision_missing" in _rules(report)
