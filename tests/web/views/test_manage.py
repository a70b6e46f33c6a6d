"""The administrator's page and its forms: 405 to a wrong method, 403 to anyone but the
administrator, the login page for the anonymous; refused input is told, never a 500."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from chiso.web.accounts.models import Role
from chiso.web.core.models import AuditEntry
from chiso.web.cycles.models import Cycle, Unit
from web.conftest import World
from web.views.helpers import as_, sent_to_login

FORMS = ["cycles:unit-create", "cycles:cycle-create", "cycles:role-grant", "portal:map-upload"]


def test_the_page_answers_405_to_a_post(world: World) -> None:
    assert as_(world, "admin").post(reverse("cycles:manage")).status_code == 405


@pytest.mark.parametrize("actor", ["officer_a", "appraiser_a", "chair"])
def test_the_page_is_403_to_all_but_the_administrator(world: World, actor: str) -> None:
    assert as_(world, actor).get(reverse("cycles:manage")).status_code == 403


def test_the_page_sends_the_anonymous_to_log_in(world: World) -> None:
    assert sent_to_login(as_(world, "anonymous").get(reverse("cycles:manage")))


@pytest.mark.parametrize("name", FORMS)
def test_each_form_answers_405_to_a_get(world: World, name: str) -> None:
    assert as_(world, "admin").get(reverse(name)).status_code == 405


@pytest.mark.parametrize("name", FORMS)
@pytest.mark.parametrize("actor", ["officer_a", "chair"])
def test_each_form_is_403_to_all_but_the_administrator(world: World, name: str, actor: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "code": "X9",
        "name": "Sở X",
        "kind": "department",
        "year": "2025",
        "framework": "example-department-2024",
        "units": [world.sheet_a.unit_id],
        "username": "moi",
        "file": SimpleUploadedFile("m.json", b"{}"),
    }
    assert as_(world, actor).post(reverse(name), data).status_code == 403
    assert not Unit.objects.filter(code="X9").exists() and Cycle.objects.count() == 1


@pytest.mark.parametrize("name", FORMS)
def test_each_form_sends_the_anonymous_to_log_in(world: World, name: str) -> None:
    assert sent_to_login(as_(world, "anonymous").post(reverse(name)))


def _told(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"year": "2025", "framework": "example-department-2024"}, "chọn ít nhất một đơn vị"),
        ({"year": "hai", "framework": "example-department-2024"}, "'năm' không phải là số"),
        ({"year": "2025", "framework": "/etc/passwd"}, "không có khung tiêu chí '/etc/passwd'"),
        (
            {"year": "2025", "framework": "example-department-2024", "appraisal_ends": "31/12"},
            "'31/12' không phải là ngày",
        ),
    ],
)
def test_a_new_cycle_with_refused_input_is_told(
    world: World, data: dict[str, str], said: str
) -> None:
    if said != "chọn ít nhất một đơn vị":
        data = {**data, "units": world.sheet_a.unit_id}  # type: ignore[dict-item]
    response = as_(world, "admin").post(reverse("cycles:cycle-create"), data)
    assert response.status_code == 302 and response["Location"] == reverse("cycles:manage")
    assert any(said in m for m in _told(response)), _told(response)
    assert Cycle.objects.count() == 1


def test_a_new_cycle_opens_on_its_page(world: World) -> None:
    ends = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = as_(world, "admin").post(
        reverse("cycles:cycle-create"),
        {
            "units": [world.sheet_a.unit_id],
            "year": "2025",
            "framework": "example-department-2024",
            "self_assessment_ends": ends,
        },
    )
    cycle = Cycle.objects.get(year=2025)
    assert response["Location"] == reverse("cycles:cycle", args=[cycle.pk])
    assert cycle.name == "2025" and str(cycle.self_assessment_ends) == ends


def test_a_unit_of_an_unknown_kind_is_refused(world: World) -> None:
    response = as_(world, "admin").post(
        reverse("cycles:unit-create"), {"code": "X9", "name": "Sở X", "kind": "planet"}
    )
    assert any("cần mã và tên đơn vị" in m for m in _told(response))
    assert not Unit.objects.filter(code="X9").exists()


def test_a_role_for_an_unknown_unit_is_refused(world: World) -> None:
    response = as_(world, "admin").post(
        reverse("cycles:role-grant"), {"username": "moi", "kind": "officer", "unit": "999999"}
    )
    assert _told(response) == ["đơn vị: không có lựa chọn này"]


def test_an_english_page_names_the_roles_in_english(world: World) -> None:
    client = as_(world, "admin")
    client.cookies["django_language"] = "en"
    html = client.get(reverse("cycles:manage")).content.decode()
    assert "<td>Council chair</td>" in html and "<td>Unit officer</td>" in html
    assert '<option value="appraiser">Appraisal council member</option>' in html
    assert "Chủ tịch hội đồng" not in html


def test_one_post_grants_an_appraiser_many_units_and_cycles(world: World) -> None:
    """Issue #21: an appraiser of 19 departments took 19 form posts."""
    units = [
        Unit.objects.create(code=f"S{i:02}", name=f"Sở {i}", kind="department")
        for i in range(3, 22)
    ]
    response = as_(world, "admin").post(
        reverse("cycles:role-grant"),
        {
            "username": "hoi-dong-1",
            "kind": "appraiser",
            "unit": [u.pk for u in units],
            "cycle": [world.cycle.pk],
        },
    )
    assert (
        _told(response)[-1]
        == "Đã cấp vai trò Thành viên hội đồng thẩm định cho hoi-dong-1: 19 quyền"
    )
    assert Role.objects.filter(user__username="hoi-dong-1", kind="appraiser").count() == 19
    assert AuditEntry.objects.filter(field="role").count() == 19


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        (
            {"username": "", "kind": "officer", "unit": "1"},
            "tên đăng nhập: cần điền cho vai trò này",
        ),
        ({"username": "moi", "kind": "officer"}, "đơn vị: cần điền cho vai trò này"),
        (
            {"username": "moi", "kind": "appraiser", "unit": "1"},
            "kỳ đánh giá: cần điền cho vai trò này",
        ),
        ({"username": "moi", "kind": "chu-tich"}, "vai trò: không có lựa chọn này"),
    ],
)
def test_a_refused_grant_names_the_field_and_grants_nothing(
    world: World, fields: dict[str, str], said: str
) -> None:
    before = Role.objects.count()
    if fields.get("unit") == "1":
        fields["unit"] = str(world.sheet_a.unit_id)
    response = as_(world, "admin").post(reverse("cycles:role-grant"), fields)
    assert _told(response) == [said]
    assert Role.objects.count() == before


def test_a_grant_says_what_it_granted(world: World) -> None:
    response = as_(world, "admin").post(
        reverse("cycles:role-grant"),
        {"username": "chu-tich", "kind": "chair", "cycle": [world.cycle.pk]},
    )
    assert _told(response) == ["Đã cấp vai trò Chủ tịch hội đồng cho chu-tich: 1 quyền"]
