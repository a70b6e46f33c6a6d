"""The policy's scoped querysets hold exactly what its answers about single objects allow,
for every role, so lists, look-ups and actions follow one rule."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from chiso.web.cycles import policy
from chiso.web.cycles.models import Cycle, ScoreSheet
from web.conftest import World

ACTORS = ["anonymous", "admin", "officer_a", "officer_b", "appraiser_a", "chair"]


def _user(world: World, actor: str):  # type: ignore[no-untyped-def]
    return AnonymousUser() if actor == "anonymous" else getattr(world, actor)


@pytest.mark.parametrize("actor", ACTORS)
def test_visible_sheets_are_the_sheets_one_may_view(world: World, actor: str) -> None:
    user = _user(world, actor)
    expected = {s.pk for s in ScoreSheet.objects.all() if policy.can_view_sheet(user, s)}
    assert set(policy.visible_sheets(user).values_list("pk", flat=True)) == expected
    leaves = set(policy.visible_leaves(user).values_list("sheet_id", flat=True))
    assert leaves == expected


@pytest.mark.parametrize("actor", ACTORS)
def test_visible_cycles_are_the_cycles_one_may_see(world: World, actor: str) -> None:
    user = _user(world, actor)
    other = Cycle.objects.create(name="khác", year=2023, framework_code="x", framework_yaml="")
    expected = {c.pk for c in Cycle.objects.all() if policy.can_see_cycle(user, c)}
    assert set(policy.visible_cycles(user).values_list("pk", flat=True)) == expected
    assert other.pk not in expected or actor == "admin"
    other.state = Cycle.PUBLISHED
    other.save()
    public = set(policy.visible_cycles(user, published=True).values_list("pk", flat=True))
    assert public == expected | {other.pk}


def test_the_expected_people_see_sheet_a(world: World) -> None:
    """Written from the rules, not from the policy: admin, chair, A's appraiser, A's officer."""
    seeing = {
        actor
        for actor in ACTORS
        if policy.visible_sheets(_user(world, actor)).filter(pk=world.sheet_a.pk).exists()
    }
    assert seeing == {"admin", "chair", "appraiser_a", "officer_a"}
