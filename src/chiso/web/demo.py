"""The demo: Thái Nguyên, the province formed on 1 July 2025 from Thái Nguyên and Bắc Kạn.
Before the reform, its 19 departments and 9 districts under the example framework (2023 and
2024 published with a simulated decision, the 2023 districts corrected by a second revision);
from the 2025 round, its departments and its 92 real communes (the official list,
:mod:`chiso.units.communes`) under the example department and commune frameworks, both in
appraisal. Every answer is simulated and says so; a demo account for every role."""

from __future__ import annotations

import datetime
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from chiso.archive import load_archive
from chiso.frameworks import get_framework
from chiso.records.simulate import Plan, simulate, simulate_central
from chiso.records.unit_lists import unit_names
from chiso.simulation import (
    DEMO_DEPARTMENTS,
    DEMO_DEPARTMENTS_2025,
    DEMO_DISTRICTS,
    province_effects,
    simulate_inputs,
    simulate_leaf_shares,
    simulate_scores,
    simulated_survey_points,
)
from chiso.surveys.instrument import get_instrument
from chiso.units.communes import find_province, official_communes
from chiso.units.provinces import MERGED_34, PROVINCES_63
from chiso.web.accounts import policy
from chiso.web.accounts.models import Role
from chiso.web.archive import store as archive
from chiso.web.core.frameworks import framework_of
from chiso.web.cycles import scores, workflow
from chiso.web.cycles.central_import import import_points
from chiso.web.cycles.models import Cycle, LeafScore, ScoreSheet, Unit
from chiso.web.service_index.importing import add_month

DEMO_PASSWORD = "chiso-demo-2024"  # demo mode only: printed at start, never used otherwise
FRAMEWORK = "example-department-2024"
COMMUNE_FRAMEWORK = "example-commune-2025"
PROVINCE = "19"  # Thái Nguyên (with Bắc Kạn since 1 July 2025), in the statistics office's codes


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    """The role's code (:attr:`Role.KINDS`); people read :meth:`role_name`."""
    scope: str
    """Untranslated (a unit's name, or a phrase marked for translation): :meth:`scope_name`."""

    def role_name(self, lang: str = "vi") -> str:
        """The role as people call it, in ``lang`` (never the role's code)."""
        with translation.override(lang):
            return str(dict(Role.KINDS)[self.role])

    def scope_name(self, lang: str = "vi") -> str:
        with translation.override(lang):
            return gettext(self.scope)


def account_lines(accounts: list[DemoAccount], lang: str = "vi") -> list[str]:
    """What ``chiso serve --demo`` prints: each account, its password, its role by name and
    its scope, in ``lang``."""
    return [
        f"  {a.username:<14} {DEMO_PASSWORD}   {a.role_name(lang)}: {a.scope_name(lang)}"
        for a in accounts
    ]


DEMO_SCOPES = (
    gettext_noop("toàn tỉnh"),
    gettext_noop("Hội đồng thẩm định"),
    gettext_noop("mọi sở, ngành, huyện và xã"),
    gettext_noop("toàn tỉnh, chỉ xem"),
)
"""The demo accounts' scopes that are phrases (the others are units' names)."""

DEMO_WINDOWS = {"self_assessment_ends": -7, "appraisal_ends": 14, "explanation_ends": 35}
"""The 2025 cycles' deadlines in days from the day the demo starts: self-assessment closed a
week ago, two weeks left for the appraisal, five for the explanations."""


def _user(username: str) -> User:
    user, _ = User.objects.get_or_create(username=username)
    user.set_password(DEMO_PASSWORD)
    # an address nobody receives mail at (.invalid): the demo prints its mail on the console,
    # so a password reset or a notice can be followed there
    user.email = f"{username}@demo.invalid"
    user.save()
    return user


def _units(names: tuple[str, ...], kind: str, prefix: str) -> list[Unit]:
    return [
        Unit.objects.get_or_create(code=f"{prefix}{i:02d}", defaults={"name": n, "kind": kind})[0]
        for i, n in enumerate(names, start=1)
    ]


def _communes() -> list[Unit]:
    """The province's communes from the official list, with their official codes."""
    province = find_province(PROVINCE)
    assert province is not None
    communes = official_communes(province)
    present = set(
        Unit.objects.filter(code__in=[c.code for c in communes]).values_list("code", flat=True)
    )
    Unit.objects.bulk_create(
        [Unit(code=c.code, name=c.name, kind="commune") for c in communes if c.code not in present]
    )
    return list(Unit.objects.filter(code__in=[c.code for c in communes]).order_by("code"))


_DEMO_DECISION = workflow.Decision(
    "0000/QĐ-UBND (mô phỏng)", datetime.date(2024, 2, 1), "UBND tỉnh (mô phỏng)"
)
"""The decision printed on the demo's publications: simulated, and says so."""


def _correction(chair: User, cycle: Cycle) -> None:
    """A correction (đính chính) of a published demo cycle: one district's 1.4 raised to its
    maximum, published as revision 2 with its own (simulated) decision."""
    sheet = cycle.sheets.select_related("unit").order_by("unit__code").first()
    assert sheet is not None
    leaf = LeafScore.objects.get(sheet=sheet, code="1.4")
    node = framework_of(cycle).node("1.4")
    workflow.correct_leaf(chair, leaf, node.max or 0.0, "biên bản kiểm tra bị bỏ sót (mô phỏng)")
    workflow.publish(
        chair,
        cycle,
        f"đính chính điểm tiêu chí 1.4 của {sheet.unit.name} (mô phỏng)",
        workflow.Decision(
            "0001/QĐ-UBND (mô phỏng)", datetime.date(2024, 3, 1), "UBND tỉnh (mô phỏng)"
        ),
    )


@transaction.atomic
def load_demo() -> list[DemoAccount]:
    """Create the demo once (a second call changes nothing) and return its accounts."""
    accounts = [
        DemoAccount("admin", Role.ADMIN, DEMO_SCOPES[0]),
        DemoAccount("lanh-dao", Role.LEADER, DEMO_SCOPES[3]),
        DemoAccount("chu-tich", Role.CHAIR, DEMO_SCOPES[1]),
        DemoAccount("tham-dinh", Role.APPRAISER, DEMO_SCOPES[2]),
        DemoAccount("so-tu-phap", Role.OFFICER, "Sở Tư pháp (2025)"),
        DemoAccount("xa-dai-tu", Role.OFFICER, "Xã Đại Từ"),
    ]
    archive.load(load_archive())  # the real published results beside the simulated cycles
    if not User.objects.filter(username="lanh-dao").exists():  # also in a demo made before it
        Role.objects.get_or_create(user=_user("lanh-dao"), kind=Role.LEADER)
    if Cycle.objects.filter(simulated=True).exists():
        _open_windows()
        return accounts
    admin = _user("admin")
    Role.objects.get_or_create(user=admin, kind=Role.ADMIN)
    chair, appraiser = _user("chu-tich"), _user("tham-dinh")
    departments = _units(DEMO_DEPARTMENTS, "department", "S")
    districts = _units(DEMO_DISTRICTS, "district", "H")
    departments_2025 = _units(DEMO_DEPARTMENTS_2025, "department", "TN-S")
    communes = _communes()
    plan_cycles = [
        ("Chỉ số CCHC các sở, ban, ngành 2023 (mô phỏng)", 2023, FRAMEWORK, departments, 7),
        ("Chỉ số CCHC UBND cấp huyện 2023 (mô phỏng)", 2023, FRAMEWORK, districts, 8),
        ("Chỉ số CCHC các sở, ban, ngành 2024 (mô phỏng)", 2024, FRAMEWORK, departments, 9),
        ("Chỉ số CCHC UBND cấp huyện 2024 (mô phỏng)", 2024, FRAMEWORK, districts, 10),
        (
            "Chỉ số CCHC các sở, ban, ngành 2025 — tỉnh Thái Nguyên mới (mô phỏng)",
            2025,
            FRAMEWORK,
            departments_2025,
            11,
        ),
        ("Chỉ số CCHC UBND các xã, phường 2025 (mô phỏng)", 2025, COMMUNE_FRAMEWORK, communes, 12),
    ]
    for name, year, code, units, seed in plan_cycles:
        cycle = workflow.create_cycle(admin, name, year, code, units, simulated=True)
        Role.objects.get_or_create(user=chair, kind=Role.CHAIR, cycle=cycle)
        Role.objects.bulk_create(
            [Role(user=appraiser, kind=Role.APPRAISER, cycle=cycle, unit=u) for u in units],
            ignore_conflicts=True,
        )
        policy.forget(chair)
        policy.forget(appraiser)
        workflow.advance(admin, cycle, Cycle.SELF)
        _self_assess(cycle, get_framework(code), units, seed)
        workflow.advance(admin, cycle, Cycle.APPRAISAL)
        if year >= 2025:  # the first round of the two-level government: in appraisal
            continue
        workflow.advance(admin, cycle, Cycle.EXPLANATION)
        workflow.advance(chair, cycle, Cycle.FINALISED)
        workflow.publish(chair, cycle, decision=_DEMO_DECISION)
        if units is districts and year == 2023:
            _correction(chair, cycle)
    _open_windows()
    _provinces(admin, chair, appraiser)
    _papi_across_2025(admin, chair)
    _sipas_from_a_survey(admin, chair)
    _service_index_months()
    dai_tu = next(u for u in communes if u.name == "Xã Đại Từ")
    for username, unit in (("so-tu-phap", departments_2025[2]), ("xa-dai-tu", dai_tu)):
        Role.objects.get_or_create(user=_user(username), kind=Role.OFFICER, unit=unit)
    return accounts


def _open_windows() -> None:
    """The 2025 cycles in appraisal get deadlines counted from today (:data:`DEMO_WINDOWS`),
    and again at every start once their appraisal window has passed, so the demo always shows
    windows with time left rather than everything closed. Set after the stages were opened
    (opening a stage whose date has passed is refused)."""
    today = timezone.localdate()
    cycles = Cycle.objects.filter(simulated=True, state=Cycle.APPRAISAL, year__gte=2025)
    for cycle in cycles:
        if cycle.appraisal_ends is not None and cycle.appraisal_ends >= today:
            continue
        for name, days in DEMO_WINDOWS.items():
            setattr(cycle, name, today + datetime.timedelta(days=days))
        cycle.save(update_fields=list(DEMO_WINDOWS))


def _self_assess(cycle: Cycle, fw: Any, units: list[Unit], seed: int) -> None:
    """Every unit's simulated answers, parsed as a sheet's would be, and its sheet submitted
    (one bulk write: the communes' cycle has some three thousand leaves)."""
    rows = simulate_inputs(fw, tuple(u.name for u in units), seed=seed, not_applicable=_NA)
    by_name = {r["unit"]: r for r in rows}
    leaves = list(LeafScore.objects.filter(sheet__cycle=cycle).select_related("sheet__unit"))
    for leaf in leaves:
        raw = by_name[leaf.sheet.unit.name][leaf.code]
        leaf.self_points, leaf.self_na = scores.parse_self_value(cycle, leaf.code, raw)
        leaf.self_raw = raw
    LeafScore.objects.bulk_update(leaves, ["self_raw", "self_points", "self_na"], batch_size=500)
    cycle.sheets.update(state=ScoreSheet.SUBMITTED)


_NA = {"5.2": 0.3, "6.2": 0.4}
"""Leaves a unit may not have (an own public service unit): 5.2 of the departments' example,
6.2 of the communes'."""


def _service_index_months() -> None:
    """Three months of the service index (766/QĐ-TTg) for the 34 provinces, computed from
    simulated dossier records (30,000, written by chiso's own simulator under the data folder
    and marked simulated), with simulated points for the centrally assessed leaves, so the
    portal's monthly series, ranking and drill-down have complete months."""
    records = Path(settings.DATA_DIR) / "demo-dossiers"
    plan = Plan(unit_names("provinces-34"), 30_000, 3, 2025, 7, seed=766)
    made = simulate(plan, records)
    fw = get_framework("service-index-2022")
    for k, period in enumerate(made["months"]):
        central = simulate_central(fw, plan.units, seed=766 + k)
        add_month(str(records), "service-index-2022", period, central)


def _provinces(admin: User, chair: User, appraiser: User) -> None:
    """The 63 provinces under the PAR INDEX framework of 1150/QĐ-BNV, two published years.

    The framework's domain maxima are not public, so the simulated points are a total per
    province split over the eight domains; the index is over the published 100 points."""
    provinces = _units(PROVINCES_63, "province", "T")
    fw = get_framework("par-province-2019")
    for year, seed, mean in ((2020, 20, 84.0), (2021, 21, 86.0)):
        rows = {r["unit"]: r for r in simulate_leaf_shares(fw, PROVINCES_63, seed, mean, 4.0)}
        _publish_scores(
            admin,
            chair,
            f"Chỉ số CCHC cấp tỉnh {year} (mô phỏng)",
            year,
            "par-province-2019",
            provinces,
            rows,
        )


def _publish_scores(
    admin: User,
    chair: User,
    name: str,
    year: int,
    framework: str,
    units: list[Unit],
    rows: dict[str, dict[str, str]],
) -> Cycle:
    """A cycle whose (centrally supplied) leaf values are entered as they are, then published."""
    cycle = workflow.create_cycle(admin, name, year, framework, units, simulated=True)
    Role.objects.get_or_create(user=chair, kind=Role.CHAIR, cycle=cycle)
    policy.forget(chair)
    workflow.advance(admin, cycle, Cycle.SELF)
    for sheet in cycle.sheets.select_related("unit"):
        for leaf in LeafScore.objects.filter(sheet=sheet):
            value = rows[sheet.unit.name][leaf.code]
            LeafScore.objects.filter(pk=leaf.pk).update(self_raw=value, self_points=float(value))
    for state in (Cycle.APPRAISAL, Cycle.EXPLANATION):
        workflow.advance(admin, cycle, state)
    workflow.advance(chair, cycle, Cycle.FINALISED)
    workflow.publish(chair, cycle, decision=_DEMO_DECISION)
    return cycle


def _papi_across_2025(admin: User, chair: User) -> None:
    """PAPI for the 63 provinces in 2024 and for the 34 formed on 1 July 2025 in 2025, so the
    portal shows a series across the reorganisation (old provinces as they were, re-based
    figures marked). The 34 are units of their own: a new Phú Thọ is not the old one."""
    old = _units(PROVINCES_63, "province", "T")
    new = _units(tuple(MERGED_34), "province", "N")
    fw = get_framework("papi-2021")
    effects = province_effects(2025)
    rows_2024 = simulate_scores(fw, {p: effects[p] for p in PROVINCES_63}, seed=24)
    rows_2025 = simulate_scores(fw, {n: effects[f"new:{n}"] for n in MERGED_34}, 25, 0.57)
    for name, year, units, rows in (
        ("PAPI 2024 (mô phỏng)", 2024, old, rows_2024),
        ("PAPI 2025 — 34 tỉnh, thành phố (mô phỏng)", 2025, new, rows_2025),
    ):
        _publish_scores(admin, chair, name, year, "papi-2021", units, {r["unit"]: r for r in rows})


def _sipas_from_a_survey(admin: User, chair: User) -> None:
    """SIPAS 2022 of the 63 provinces from a simulated survey export, through the same steps
    an office takes: the design-based estimates (strata = provinces, clusters = districts,
    weights), the points with their standard errors (`chiso survey estimate --points-out`),
    and their import into the cycle; the portal then shows each index with its interval."""
    effects = province_effects(2022)
    with tempfile.TemporaryDirectory() as folder:
        points = simulated_survey_points(
            get_instrument("sipas-2017"),
            get_framework("sipas-2017"),
            {p: effects[p] for p in PROVINCES_63},
            22,
            folder,
        )
        provinces = _units(PROVINCES_63, "province", "T")
        cycle = workflow.create_cycle(
            admin, "SIPAS 2022 (mô phỏng)", 2022, "sipas-2017", provinces, simulated=True
        )
        Role.objects.get_or_create(user=chair, kind=Role.CHAIR, cycle=cycle)
        policy.forget(chair)
        workflow.advance(admin, cycle, Cycle.SELF)
        cycle.refresh_from_db()
        import_points(admin, cycle, points.read_bytes(), points.name)
    for state in (Cycle.APPRAISAL, Cycle.EXPLANATION):
        workflow.advance(admin, cycle, state)
    workflow.advance(chair, cycle, Cycle.FINALISED)
    workflow.publish(chair, cycle, decision=_DEMO_DECISION)
