"""`chiso serve --demo` is a real new province: Thái Nguyên after merging with Bắc Kạn, with
its 92 communes from the official list. Before the reform its departments and districts
(published 2024); from the 2025 round its departments and all its communes, in appraisal,
every answer simulated and marked so."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from chiso.units.communes import find_province, official_communes
from chiso.web.accounts.models import Role
from chiso.web.cycles.models import Cycle, LeafScore, ScoreSheet, Unit


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    from django.core.management import call_command

    from chiso.web.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()
    yield
    with django_db_blocker.unblock():
        call_command("flush", verbosity=0, interactive=False)


def _thai_nguyen_codes() -> set[str]:
    province = find_province("Thái Nguyên")
    assert province is not None
    return {c.code for c in official_communes(province)}


@pytest.mark.django_db
def test_the_demo_province_has_its_92_real_communes_with_their_official_codes() -> None:
    communes = Unit.objects.filter(kind="commune")
    assert set(communes.values_list("code", flat=True)) == _thai_nguyen_codes()
    assert communes.count() == 92
    assert communes.filter(name="Phường Phan Đình Phùng").exists()
    assert communes.filter(name="Phường Đức Xuân").exists()  # Bắc Kạn's former town


@pytest.mark.django_db
def test_2024_is_the_old_structure_published_and_2025_the_new_in_appraisal() -> None:
    published_2024 = Cycle.objects.filter(year=2024, framework_code="example-department-2024")
    assert {c.state for c in published_2024} == {Cycle.PUBLISHED}
    assert sorted({u.kind for c in published_2024 for u in c.units.all()}) == [
        "department",
        "district",
    ]
    of_2025 = Cycle.objects.filter(year=2025, framework_code__startswith="example")
    assert {c.state for c in of_2025} == {Cycle.APPRAISAL}
    assert sorted({u.kind for c in of_2025 for u in c.units.all()}) == ["commune", "department"]
    communes_cycle = Cycle.objects.get(framework_code="example-commune-2025")
    assert communes_cycle.year == 2025 and communes_cycle.state == Cycle.APPRAISAL
    assert communes_cycle.simulated and "(mô phỏng)" in communes_cycle.name
    sheets = communes_cycle.sheets.all()
    assert sheets.count() == 92
    assert {s.state for s in sheets} == {ScoreSheet.SUBMITTED}
    answered = LeafScore.objects.filter(sheet__cycle=communes_cycle)
    assert answered.filter(self_raw="").count() == 0
    assert answered.filter(self_na=True).exists()  # 6.2 where the commune has no unit of its own


@pytest.mark.django_db
def test_the_demo_commune_officer_and_the_appraiser_open_the_commune_cycle() -> None:
    cycle = Cycle.objects.get(framework_code="example-commune-2025")
    dai_tu = Unit.objects.get(name="Xã Đại Từ")
    officer = User.objects.get(username="xa-dai-tu")
    assert Role.objects.filter(user=officer, unit=dai_tu).exists()
    sheet = cycle.sheets.get(unit=dai_tu)
    for username in ("xa-dai-tu", "tham-dinh"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        page = client.get(reverse("cycles:sheet", args=[sheet.pk]))
        assert page.status_code == 200, username
        assert "Xã Đại Từ" in page.content.decode()
    chair = Client()
    chair.force_login(User.objects.get(username="chu-tich"))
    overview = chair.get(reverse("cycles:cycle", args=[cycle.pk])).content.decode()
    assert "Xã Đại Từ" in overview and "Phường Bắc Kạn" in overview


@pytest.mark.django_db
def test_the_demo_has_a_leader_and_its_accounts_are_named_by_role_not_by_code() -> None:
    from chiso.web.demo import account_lines, load_demo

    accounts = {a.username: a for a in load_demo()}
    leader = accounts["lanh-dao"]
    assert Role.objects.filter(user__username="lanh-dao", kind=Role.LEADER).exists()
    assert leader.role_name("vi") == "Lãnh đạo tỉnh"
    assert leader.scope_name("en") == "the whole province, read only"
    codes = {code for code, _ in Role.KINDS}
    for account in accounts.values():
        for lang in ("vi", "en"):
            assert account.role_name(lang) not in codes, account.username
    assert accounts["admin"].role_name("en") != accounts["admin"].role_name("vi")
    printed = "\n".join(account_lines(list(accounts.values()), "vi"))
    assert "lanh-dao" in printed and "Lãnh đạo tỉnh: toàn tỉnh, chỉ xem" in printed
    assert "Quản trị: toàn tỉnh" in printed and " admin:" not in printed
    assert " officer:" not in printed and "Cán bộ đơn vị: Xã Đại Từ" in printed
    client = Client()
    client.force_login(User.objects.get(username="lanh-dao"))
    page = client.get(reverse("cycles:leader")).content.decode()
    assert "Chỉ số CCHC UBND các xã, phường 2025 (mô phỏng)" in page


@pytest.mark.django_db
def test_the_2025_cycles_in_appraisal_show_windows_with_time_left() -> None:
    from chiso.web.cycles.windows import window_of

    cycles = Cycle.objects.filter(year=2025, state=Cycle.APPRAISAL, simulated=True)
    assert cycles.count() == 2
    for cycle in cycles:
        window = window_of(cycle)
        assert window is not None and window.open and (window.days_left or 0) >= 7, cycle.name
        assert cycle.self_assessment_ends is not None
        assert cycle.self_assessment_ends < cycle.appraisal_ends < cycle.explanation_ends  # type: ignore[operator]
    client = Client()
    client.force_login(User.objects.get(username="tham-dinh"))
    home = client.get(reverse("cycles:home")).content.decode()
    assert "Hạn thẩm định" in home and "còn " in home


@pytest.mark.django_db
def test_a_demo_started_again_after_its_windows_passed_opens_them_again() -> None:
    import datetime

    from django.utils import timezone

    from chiso.web.demo import load_demo

    cycle = Cycle.objects.get(framework_code="example-commune-2025")
    past = timezone.localdate() - datetime.timedelta(days=40)
    Cycle.objects.filter(pk=cycle.pk).update(
        self_assessment_ends=past, appraisal_ends=past, explanation_ends=past
    )
    load_demo()
    cycle.refresh_from_db()
    assert cycle.appraisal_ends is not None and cycle.appraisal_ends > timezone.localdate()
