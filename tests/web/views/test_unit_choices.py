"""Choosing many units on the administrator's page (opening a cycle, granting a role): the
units grouped in fieldsets whose legends are the groups' names (departments first, then the
communes by type: phường, xã, đặc khu), in Vietnamese order inside a group, each checkbox
labelled by the unit's name; without JavaScript the form is plain checkboxes the server reads
as before."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest
from django.urls import reverse
from django.utils import translation

from chiso.web.accounts.models import Role
from chiso.web.cycles.models import Cycle, Unit
from web.conftest import World
from web.views.helpers import as_

UNITS = [
    ("X01", "Xã Yên Bình", "commune"),
    ("X02", "Xã Đại Từ", "commune"),
    ("X03", "Xã Dân Tiến", "commune"),
    ("X04", "Xã Ân Thi", "commune"),
    ("X05", "Xã An Khánh", "commune"),
    ("P01", "Phường Phan Đình Phùng", "commune"),
    ("P02", "Phường Bách Quang", "commune"),
    ("D01", "Đặc khu Côn Đảo", "commune"),
    ("S03", "Ban Quản lý các khu công nghiệp", "department"),
    ("S04", "Văn phòng UBND tỉnh", "department"),
    ("H01", "Huyện Đại Từ (cũ)", "district"),
]
"""Units whose codes (communes first) and code-point order are not the order a reader wants:
Python's plain sort puts "Xã Yên" before "Xã Ân" and "Xã Đại" after both."""


@pytest.fixture
def many(world: World) -> World:
    for code, name, kind in UNITS:
        Unit.objects.create(code=code, name=name, kind=kind)
    return world


def _groups(page: str, container: str) -> list[tuple[str, list[str]]]:
    """(legend, the checkboxes' labels) of each group inside ``container``."""
    tree = lxml.html.fromstring(page)
    box = tree.get_element_by_id(container)
    groups = []
    for fieldset in box.findall(".//fieldset"):
        legend = " ".join(fieldset.find("legend").text_content().split())
        labels = [
            " ".join(label.text_content().split())
            for label in fieldset.findall(".//li/label")
            if label.find("input").get("type") == "checkbox"
        ]
        groups.append((legend, labels))
    return groups


EXPECTED_VI = [
    (
        "Sở, ban, ngành (4)",
        ["Ban Quản lý các khu công nghiệp", "Sở Tư pháp", "Sở Y tế", "Văn phòng UBND tỉnh"],
    ),
    ("Huyện, thị xã, thành phố thuộc tỉnh (1)", ["Huyện Đại Từ (cũ)"]),
    ("Phường (2)", ["Phường Bách Quang", "Phường Phan Đình Phùng"]),
    ("Xã (5)", ["Xã An Khánh", "Xã Ân Thi", "Xã Dân Tiến", "Xã Đại Từ", "Xã Yên Bình"]),
    ("Đặc khu (1)", ["Đặc khu Côn Đảo"]),
]


@pytest.mark.parametrize("container", ["cycle-units", "role-units"])
def test_units_are_grouped_by_kind_departments_first_in_vietnamese_order(
    many: World, container: str
) -> None:
    page = as_(many, "admin").get(reverse("cycles:manage")).content.decode()
    groups = _groups(page, container)
    assert groups == EXPECTED_VI
    # the groups' names are read from the catalogue, never a kind's code
    for code in ("commune", "department", "district", "kind-"):
        assert all(code not in legend for legend, _ in groups)


def test_the_groups_names_are_translated(many: World) -> None:
    client = as_(many, "admin")
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        page = client.get(reverse("cycles:manage"), headers={"accept-language": "en"})
    legends = [legend for legend, _ in _groups(page.content.decode(), "cycle-units")]
    assert legends[2:] == ["Wards (2)", "Communes (5)", "Special zones (1)"]


def test_each_unit_is_a_checkbox_labelled_by_its_name_in_both_forms(many: World) -> None:
    """What a browser walk checks by name (``get_by_role("checkbox", name=…)``), once in each
    form; the "choose all" boxes and the filter have no name, so they are never sent."""
    page = as_(many, "admin").get(reverse("cycles:manage")).content.decode()
    tree = lxml.html.fromstring(page)
    for container, field in (("cycle-units", "units"), ("role-units", "unit")):
        box = tree.get_element_by_id(container)
        named = {
            " ".join(i.getparent().text_content().split()): i.get("value")
            for i in box.iter("input")
            if i.get("name") == field
        }
        assert named == {u.name: str(u.pk) for u in Unit.objects.all()}
        unnamed = [i for i in box.iter("input") if i.get("name") is None]
        assert {i.get("type") for i in unnamed} == {"checkbox", "search"}


def test_the_choose_all_boxes_and_the_filter_wait_for_the_script(many: World) -> None:
    """Without JavaScript they would do nothing: hidden until chiso/units.js shows them."""
    page = as_(many, "admin").get(reverse("cycles:manage")).content.decode()
    tree = lxml.html.fromstring(page)
    for tools in tree.find_class("unit-all") + tree.find_class("unit-tools"):
        assert tools.get("hidden") is not None
    scripts = [s.get("src") for s in tree.iter("script")]
    assert "/static/chiso/units.js" in scripts


def test_a_group_sent_without_the_script_opens_a_cycle_and_grants_in_bulk(many: World) -> None:
    client = as_(many, "admin")
    departments = list(Unit.objects.filter(kind="department").values_list("pk", flat=True))
    response = client.post(
        reverse("cycles:cycle-create"),
        {
            "name": "Sở, ban, ngành 2025",
            "year": "2025",
            "framework": "example-department-2024",
            "units": departments,
        },
    )
    cycle = Cycle.objects.get(name="Sở, ban, ngành 2025")
    assert response.status_code == 302
    assert set(cycle.units.values_list("pk", flat=True)) == set(departments)
    client.post(
        reverse("cycles:role-grant"),
        {"username": "tham-dinh-moi", "kind": "appraiser", "unit": departments, "cycle": cycle.pk},
    )
    granted: Any = Role.objects.filter(user__username="tham-dinh-moi", kind=Role.APPRAISER)
    assert set(granted.values_list("unit_id", flat=True)) == set(departments)


def test_two_units_of_one_name_are_told_apart_by_their_codes(many: World) -> None:
    """A department of the old structure and its namesake of the new: the code beside each,
    and only beside those two."""
    Unit.objects.create(code="STP-2025", name="Sở Tư pháp", kind="department")
    page = as_(many, "admin").get(reverse("cycles:manage")).content.decode()
    departments = _groups(page, "cycle-units")[0][1]
    assert departments == [
        "Ban Quản lý các khu công nghiệp",
        "Sở Tư pháp (S01)",
        "Sở Tư pháp (STP-2025)",
        "Sở Y tế",
        "Văn phòng UBND tỉnh",
    ]
