"""Units keep a lineage across the 1 July 2025 reform: successor links (old unit → new unit,
date) are loaded from a file, all or nothing; a commune's public page starts its series in
2025 (a same-named commune of 2024 is another unit) and lists its predecessors' own results
beside it, each under its own name."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chiso.frameworks import get_framework
from chiso.web.cycles.models import Cycle, Unit, UnitSuccession
from chiso.web.demo import _publish_scores
from web.conftest import World
from web.views.helpers import as_

COMMUNES = "example-commune-2025"


def _said(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def _published(world: World, name: str, year: int, units: list[Unit], value: str) -> Cycle:
    leaves = [leaf.code for leaf in get_framework(COMMUNES).leaves()]
    rows = {u.name: dict.fromkeys(leaves, value) for u in units}
    return _publish_scores(world.admin, world.chair, name, year, COMMUNES, units, rows)


def _reform(world: World) -> tuple[Cycle, Cycle]:
    """2024: the old Xã Tân Cương and Huyện Đại Từ; 2025: the new Xã Tân Cương (formed from
    three communes) and Xã Đại Từ, under the same criteria."""
    old_commune = Unit.objects.create(code="TC-CU", name="Xã Tân Cương", kind="commune")
    district = Unit.objects.create(code="H08", name="Huyện Đại Từ", kind="district")
    new_commune = Unit.objects.create(code="05503", name="Xã Tân Cương", kind="commune")
    dai_tu = Unit.objects.create(code="05830", name="Xã Đại Từ", kind="commune")
    before = _published(world, "Cấp xã 2024", 2024, [old_commune, district], "1")
    after = _published(world, "Cấp xã 2025", 2025, [new_commune, dai_tu], "1.5")
    return before, after


def _load(world: World, text: str, name: str = "ke-thua.csv") -> object:
    upload = SimpleUploadedFile(name, text.encode())
    return as_(world, "admin").post(reverse("cycles:lineage-load"), {"file": upload})


def test_a_communes_series_starts_in_2025_even_beside_a_same_named_commune_of_2024(
    world: World,
) -> None:
    before, after = _reform(world)
    page = Client().get(reverse("portal:profile", args=[after.pk, "Xã Tân Cương"])).content
    history = page.decode().split('id="history"', 1)[1].split("</table>", 1)[0]
    assert "Cấp xã 2025" in history and "Cấp xã 2024" not in history
    assert "chuỗi số liệu của đơn vị bắt đầu từ năm 2025" in page.decode()
    assert "Chưa có liên kết kế thừa với đơn vị nào trước đó." in page.decode()
    # the old commune's own page keeps its own series
    old = Client().get(reverse("portal:profile", args=[before.pk, "Xã Tân Cương"])).content
    assert 'id="lineage"' not in old.decode()


def test_successor_links_list_the_predecessors_results_apart_from_the_series(
    world: World,
) -> None:
    before, after = _reform(world)
    first = Client().get(reverse("portal:profile", args=[after.pk, "Xã Đại Từ"])).content
    assert "Chưa có liên kết" in first.decode()
    response = _load(world, "mã cũ,mã mới,ngày\nH08,05830,01/07/2025\nTC-CU,05503,2025-07-01\n")
    assert _said(response) == ["Đã thêm 2 liên kết kế thừa"]
    assert UnitSuccession.objects.count() == 2
    page = Client().get(reverse("portal:profile", args=[after.pk, "Xã Đại Từ"])).content.decode()
    section = page.split('id="lineage"', 1)[1].split("</section>", 1)[0]
    assert "Huyện Đại Từ (kế thừa từ 01/07/2025)" in section
    assert "Cấp xã 2024" in section  # the district's own result, under its own name
    assert reverse("portal:profile", args=[before.pk, "Huyện Đại Từ"]) in section
    history = page.split('id="history"', 1)[1].split("</table>", 1)[0]
    assert "Cấp xã 2024" not in history  # never drawn as the commune's value
    again = _load(world, "old,new,date\nH08,05830,01/07/2025\n")
    assert _said(again) == ["Đã thêm 0 liên kết kế thừa"]


def test_a_bad_links_file_reports_every_problem_and_saves_nothing(world: World) -> None:
    _reform(world)
    text = (
        "old,new,date\n"
        "H08,05830,01/07/2025\n"
        "H99,05830,01/07/2025\n"  # unknown old unit
        "H08,05830,1/7/25x\n"  # not a date; the same link again
        "05830,05830,01/07/2025\n"  # a unit succeeding itself
    )
    response = _load(world, text)
    assert _said(response) == [
        "ke-thua.csv, dòng 3, cột predecessor: không có đơn vị mã H99: nạp đơn vị trước rồi mới "
        "nạp liên kết [lineage.unknown_unit]",
        "ke-thua.csv, dòng 4, cột date: '1/7/25x' không phải là ngày (dd/mm/yyyy) "
        "[lineage.bad_date]",
        "ke-thua.csv, dòng 4: liên kết này đã có ở dòng 2 [lineage.duplicate]",
        "ke-thua.csv, dòng 5, cột successor: đơn vị 05830 không thể kế thừa chính nó "
        "[lineage.same_unit]",
    ]
    assert not UnitSuccession.objects.exists()


def test_only_an_administrator_loads_links(world: World) -> None:
    _reform(world)
    client = Client()
    client.force_login(User.objects.get(username="can-bo-a"))
    upload = SimpleUploadedFile("k.csv", b"old,new,date\nH08,05830,01/07/2025\n")
    response = client.post(reverse("cycles:lineage-load"), {"file": upload})
    assert response.status_code == 403
    assert not UnitSuccession.objects.exists()
