"""An administrator loads a province in one step: all its communes from the official list,
its departments and its people from CSV/XLSX files. All or nothing, every problem at once
(file, row, column, rule), one-time passwords shown once and stored only as hashes."""

from __future__ import annotations

import io

import openpyxl
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from chiso.units.communes import find_province, official_communes
from chiso.web.accounts.models import Role
from chiso.web.core.models import AuditEntry
from chiso.web.cycles.models import Unit
from web.conftest import World
from web.views.helpers import as_

THAI_NGUYEN = "19"
DEPARTMENTS = "mã,tên,loại\nTN-S01,Sở Nội vụ,sở\nTN-S02,Sở Tư pháp,department\n"


def _communes() -> list[str]:
    province = find_province(THAI_NGUYEN)
    assert province is not None
    return [c.code for c in official_communes(province)]


def _people() -> str:
    first_commune = _communes()[0]
    return (
        "tên đăng nhập,họ tên,email,mã đơn vị,vai trò\n"
        "noi-vu-1,Nguyễn Văn An,an@example.vn,TN-S01,cán bộ đơn vị\n"
        f"xa-1,Trần Thị Bình,binh@example.vn,{first_commune},officer\n"
        "quan-tri-tinh,Lê Văn Cường,,,quản trị\n"
    )


def _post(world: World, departments: bytes | None, people: bytes | None, **names: str) -> object:
    data: dict[str, object] = {"province": THAI_NGUYEN}
    if departments is not None:
        data["departments"] = SimpleUploadedFile(names.get("d", "so.csv"), departments)
    if people is not None:
        data["people"] = SimpleUploadedFile(names.get("p", "nguoi.csv"), people)
    return as_(world, "admin").post(reverse("cycles:province-load"), data)


def _said(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def test_a_province_is_loaded_in_one_step_with_its_92_communes_departments_and_people(
    world: World,
) -> None:
    response = _post(world, DEPARTMENTS.encode(), _people().encode())
    assert response.status_code == 200  # type: ignore[attr-defined]
    page = response.content.decode()  # type: ignore[attr-defined]
    communes = Unit.objects.filter(kind="commune")
    assert communes.count() == 92
    assert set(communes.values_list("code", flat=True)) == set(_communes())
    assert communes.filter(name="Xã Đại Từ").exists()
    assert Unit.objects.filter(code__in=["TN-S01", "TN-S02"], kind="department").count() == 2
    assert "92 xã, phường, đặc khu mới (0 đã có)" in page
    officer = User.objects.get(username="xa-1")
    assert (officer.first_name, officer.last_name, officer.email) == (
        "Trần Thị",
        "Bình",
        "binh@example.vn",
    )
    assert Role.objects.get(user=officer).unit == Unit.objects.get(code=_communes()[0])
    assert Role.objects.filter(user__username="quan-tri-tinh", kind=Role.ADMIN).exists()
    # the one-time password: on this page once, only its hash in the database
    for username in ("noi-vu-1", "xa-1", "quan-tri-tinh"):
        user = User.objects.get(username=username)
        start = page.index(f"<td>{username}</td>")
        password = page[start:].split("<code>", 1)[1].split("</code>", 1)[0]
        assert user.check_password(password)
        assert password not in user.password
    assert "officer" not in page and "Cán bộ đơn vị" in page  # roles by their names
    assert AuditEntry.objects.filter(object_type="Unit", field="created").count() == 94
    again = as_(world, "admin").get(reverse("cycles:manage")).content.decode()
    assert "<code>" not in again


def test_loading_again_keeps_the_communes_and_adds_only_what_is_new(world: World) -> None:
    _post(world, None, None)
    assert Unit.objects.filter(kind="commune").count() == 92
    response = _post(world, "code,name,kind\nTN-S09,Sở Y tế,department\n".encode(), None)
    assert "0 xã, phường, đặc khu mới (92 đã có)" in response.content.decode()  # type: ignore[attr-defined]
    assert Unit.objects.filter(kind="commune").count() == 92
    assert Unit.objects.filter(code="TN-S09").exists()
    same = _post(world, "code,name,kind\nTN-S09,Sở Y tế,department\n".encode(), None)
    assert "0 sở, ban, ngành mới" in same.content.decode()  # type: ignore[attr-defined]


def test_bad_files_report_every_problem_at_once_and_save_nothing(world: World) -> None:
    other_province = official_communes(find_province("01"))[0].code  # Hà Nội's
    units = (
        "mã,tên,loại\n"
        "TN-S01,Sở Nội vụ,sở\n"
        "TN-S01,Sở Tài chính,sở\n"  # duplicate code
        f"{other_province},Phường Hoàn Kiếm,phường\n"  # not one of the province's communes
        "99999,Xã Không Có,xã\n"  # not in the official list at all
        "S01,Sở Tài chính,sở\n"  # the code of another unit already there
        "TN-S05,Sở Y tế,bệnh viện\n"  # no such kind
    )
    people = (
        "username,full name,email,unit code,role\n"
        "a-1,Nguyễn An,an@@example,TN-S01,officer\n"  # malformed email
        "b-1,Trần Bình,binh@example.vn,TN-X99,officer\n"  # unknown unit
        "a-1,Lê Cường,cuong@example.vn,TN-S01,officer\n"  # duplicate username
        "c-1,Phạm Dũng,dung@example.vn,TN-S01,chủ tịch hội đồng\n"  # needs a cycle
    )
    users, units_before, audit = (
        User.objects.count(),
        Unit.objects.count(),
        AuditEntry.objects.count(),
    )
    response = _post(world, units.encode(), people.encode(), d="don-vi.csv", p="nguoi.csv")
    said = _said(response)
    expected = [
        "don-vi.csv, dòng 3, cột code: mã TN-S01 đã có ở dòng 2 [units.duplicate_code]",
        f"don-vi.csv, dòng 4, cột code: mã {other_province} không có trong danh sách chính thức "
        "các xã, phường, đặc khu của Thái Nguyên [units.not_official]",
        "don-vi.csv, dòng 5, cột code: mã 99999 không có trong danh sách chính thức "
        "các xã, phường, đặc khu của Thái Nguyên [units.not_official]",
        "don-vi.csv, dòng 7, cột kind: loại đơn vị 'bệnh viện' không có: dùng sở, ban, ngành "
        "(department), xã, phường, đặc khu (commune) [units.unknown_kind]",
        "nguoi.csv, dòng 2, cột email: 'an@@example' không phải là địa chỉ thư điện tử "
        "[people.bad_email]",
        "nguoi.csv, dòng 4, cột username: tên đăng nhập a-1 đã có ở dòng 2 "
        "[people.duplicate_username]",
        "nguoi.csv, dòng 5, cột role: vai trò 'chủ tịch hội đồng' gắn với một kỳ đánh giá: cấp "
        "ở trang quản trị sau khi mở kỳ [people.role_needs_cycle]",
        "don-vi.csv, dòng 6, cột code: đã có đơn vị mã S01 (Sở Tư pháp) [units.code_exists]",
        "nguoi.csv, dòng 3, cột unit: không có đơn vị mã TN-X99 (trong tệp đơn vị, các xã của "
        "tỉnh hay các đơn vị đã có) [people.unknown_unit]",
    ]
    assert said == expected
    assert response["Location"] == reverse("cycles:manage")  # type: ignore[index]
    assert (User.objects.count(), Unit.objects.count(), AuditEntry.objects.count()) == (
        users,
        units_before,
        audit,
    )


def test_files_without_the_columns_say_which_are_missing(world: World) -> None:
    response = _post(world, b"ma,ten\nX,Y\n", b"username,role\na,officer\n")
    assert _said(response) == [
        "so.csv: thiếu cột: code, name, kind [units.missing_columns]",
        "nguoi.csv: thiếu cột: full_name, email, unit [units.missing_columns]",
    ]
    assert not Unit.objects.filter(kind="commune").exists()


def test_excel_files_are_read_like_csv(world: World) -> None:
    def xlsx(rows: list[list[str]]) -> bytes:
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)  # type: ignore[union-attr]
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    departments = xlsx([["code", "name", "kind"], ["TN-S07", "Sở Xây dựng", "sở"]])
    people = xlsx(
        [
            ["username", "full name", "email", "unit code", "role"],
            ["xay-dung", "Đỗ Minh", "minh@example.vn", "TN-S07", "officer"],
        ]
    )
    response = _post(world, departments, people, d="so.xlsx", p="nguoi.xlsx")
    assert response.status_code == 200  # type: ignore[attr-defined]
    role = Role.objects.get(user__username="xay-dung")
    assert role.unit is not None and role.unit.name == "Sở Xây dựng"


def test_only_an_administrator_may_load_a_province(world: World) -> None:
    response = as_(world, "officer_a").post(
        reverse("cycles:province-load"), {"province": THAI_NGUYEN}
    )
    assert response.status_code == 403
    assert not Unit.objects.filter(kind="commune").exists()


def test_a_province_not_of_the_34_is_refused(world: World) -> None:
    response = as_(world, "admin").post(reverse("cycles:province-load"), {"province": "Bắc Kạn"})
    assert _said(response) == ["'Bắc Kạn' không phải là một trong 34 tỉnh, thành phố"]


@override_settings(EMAIL_HOST="smtp.example.vn")
def test_where_an_email_server_is_set_each_new_person_is_sent_their_password(
    world: World,
) -> None:
    response = _post(world, DEPARTMENTS.encode(), _people().encode())
    assert "(2 thư đã gửi)" in response.content.decode()  # type: ignore[attr-defined]
    assert sorted(m.to[0] for m in mail.outbox) == ["an@example.vn", "binh@example.vn"]
    user = User.objects.get(username="xa-1")
    sent = next(m for m in mail.outbox if m.to == ["binh@example.vn"]).body
    password = sent.split("Mật khẩu lần đầu: ", 1)[1].split("\n", 1)[0]
    assert user.check_password(password)


def test_cells_longer_than_their_columns_are_problems_not_server_errors(world: World) -> None:
    long_code, long_name = "X" * 33, "Sở " + "a" * 200
    units = f"code,name,kind\n{long_code},Sở A,sở\nTN-S03,{long_name},sở\n"
    people = (
        f"username,full name,email,unit code,role\n{'u' * 151},An,a@example.vn,TN-S03,officer\n"
    )
    said = _said(_post(world, units.encode(), people.encode()))
    assert said == [
        "so.csv, dòng 2, cột code: nội dung dài 33 ký tự, quá mức tối đa 32 ký tự [input.too_long]",
        "so.csv, dòng 3, cột name: nội dung dài 203 ký tự, quá mức tối đa 200 ký tự "
        "[input.too_long]",
        "nguoi.csv, dòng 2, cột username: nội dung dài 151 ký tự, quá mức tối đa 150 ký tự "
        "[input.too_long]",
    ]
    assert not Unit.objects.filter(kind="commune").exists()
