"""A small province for the web tests: two departments, one person per role."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from chiso.web.accounts import policy
from chiso.web.accounts.models import Role
from chiso.web.cycles import workflow
from chiso.web.cycles.models import Cycle, LeafScore, ScoreSheet, Unit

PASSWORD = "mat-khau-thu-nghiem"
DECISION = workflow.Decision("1551/QĐ-UBND", datetime.date(2025, 1, 20), "UBND tỉnh")
"""The decision the tests publish with (a publication requires one)."""


@dataclass
class World:
    cycle: Cycle
    sheet_a: ScoreSheet
    sheet_b: ScoreSheet
    admin: User
    officer_a: User
    officer_b: User
    appraiser_a: User
    chair: User

    def leaf(self, sheet: ScoreSheet, code: str = "1.4") -> LeafScore:
        return LeafScore.objects.get(sheet=sheet, code=code)

    def move_to(self, state: str) -> None:
        order = workflow.ORDER
        while order.index(self.cycle.state) < order.index(state):
            target = order[order.index(self.cycle.state) + 1]
            actor = self.chair if target in (Cycle.FINALISED, Cycle.PUBLISHED) else self.admin
            if target == Cycle.PUBLISHED:
                workflow.publish(actor, self.cycle, decision=DECISION)
            else:
                workflow.advance(actor, self.cycle, target)
            self.cycle.refresh_from_db()


def _user(name: str) -> User:
    return User.objects.create_user(name, password=PASSWORD)


@pytest.fixture
def world(db: None) -> World:
    admin = _user("admin")
    Role.objects.create(user=admin, kind=Role.ADMIN)
    a = Unit.objects.create(code="S01", name="Sở Tư pháp", kind="department")
    b = Unit.objects.create(code="S02", name="Sở Y tế", kind="department")
    cycle = workflow.create_cycle(
        admin, "Chỉ số CCHC 2024", 2024, "example-department-2024", [a, b]
    )
    officer_a, officer_b = _user("can-bo-a"), _user("can-bo-b")
    Role.objects.create(user=officer_a, kind=Role.OFFICER, unit=a)
    Role.objects.create(user=officer_b, kind=Role.OFFICER, unit=b)
    appraiser = _user("tham-dinh-a")
    Role.objects.create(user=appraiser, kind=Role.APPRAISER, unit=a, cycle=cycle)
    chair = _user("chu-tich")
    Role.objects.create(user=chair, kind=Role.CHAIR, cycle=cycle)
    workflow.advance(admin, cycle, Cycle.SELF)
    cycle.refresh_from_db()
    for user in (admin,):
        policy.forget(user)
    return World(
        cycle,
        cycle.sheets.get(unit=a),
        cycle.sheets.get(unit=b),
        admin,
        officer_a,
        officer_b,
        appraiser,
        chair,
    )


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rendered fragments are cached by id and revision; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
