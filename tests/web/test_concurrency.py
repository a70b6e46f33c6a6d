"""Two appraisers saving the same leaf at the same moment, on the real PostgreSQL: no lost
update, the second gets a conflict."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections

from chiso.problems import Refusal
from chiso.web.accounts.models import Role
from chiso.web.cycles import scores, workflow
from chiso.web.cycles.models import Cycle, LeafScore, Unit


@pytest.mark.django_db(transaction=True)
def test_two_appraisers_saving_one_leaf_at_once_lose_no_update() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections are tested on PostgreSQL (scripts/test.sh runs it)")
    admin = User.objects.create_user("admin")
    Role.objects.create(user=admin, kind=Role.ADMIN)
    unit = Unit.objects.create(code="S01", name="Sở Tư pháp", kind="department")
    cycle = workflow.create_cycle(admin, "2024", 2024, "example-department-2024", [unit])
    officer = User.objects.create_user("officer")
    Role.objects.create(user=officer, kind=Role.OFFICER, unit=unit)
    appraisers = [User.objects.create_user(f"appraiser{i}") for i in (1, 2)]
    for user in appraisers:
        Role.objects.create(user=user, kind=Role.APPRAISER, unit=unit, cycle=cycle)
    workflow.advance(admin, cycle, Cycle.SELF)
    leaf = LeafScore.objects.get(sheet__cycle=cycle, code="1.4")
    scores.save_self_score(officer, leaf, "2", leaf.version)
    workflow.advance(admin, cycle, Cycle.APPRAISAL)
    start = LeafScore.objects.get(pk=leaf.pk)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user: User, points: float) -> None:
        try:
            barrier.wait()
            scores.appraise(
                user,
                LeafScore.objects.select_related("sheet__cycle").get(pk=leaf.pk),
                points,
                f"cắt điểm {points}",
                start.version,
            )
            outcomes.append("saved")
        except Refusal as refusal:
            outcomes.append(refusal.kind)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(u, p))
        for u, p in zip(appraisers, (1.0, 0.5), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    final = LeafScore.objects.get(pk=leaf.pk)
    assert final.version == start.version + 1
    assert final.appraisal_reason == f"cắt điểm {final.appraised_points}"
