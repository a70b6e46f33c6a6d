"""A province's units and people in one step: every commune of the province from the official
list (:mod:`chiso.units.communes`), its departments from a CSV/XLSX file (code, name, kind),
and its people from a CSV/XLSX file (username, full name, email, unit code, role).

All or nothing: both files are read whole and every problem of either (file, row, column,
rule) is reported at once; nothing is saved unless there is none. A new person gets a random
one-time password, stored only as its hash and returned once for the page to show (and sent
by email where an email server is set). Communes already loaded are kept as they are, so a
province can be loaded again after its departments change."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from chiso.problems import ProblemReport, Refusal
from chiso.tables.sources import Cell, open_table
from chiso.units.communes import (
    OfficialProvince,
    find_province,
    official_commune,
    official_communes,
)
from chiso.units.kinds import UNIT_KINDS
from chiso.web.accounts import policy
from chiso.web.accounts.models import Role
from chiso.web.accounts.one_time import issue_one_time_password
from chiso.web.core import limits
from chiso.web.core.audit import audit_all
from chiso.web.core.audit import entry as audit_entry
from chiso.web.core.refusals import forbidden
from chiso.web.cycles.models import Unit

MAX_ROWS = 5000  # a province has a few hundred units and people; more is not such a file

UNIT_COLUMNS = {
    "code": {"code", "mã", "mã đơn vị"},
    "name": {"name", "tên", "tên đơn vị"},
    "kind": {"kind", "loại", "loại đơn vị"},
}
PEOPLE_COLUMNS = {
    "username": {"username", "tên đăng nhập"},
    "full_name": {"full name", "full_name", "họ tên", "họ và tên"},
    "email": {"email", "e-mail", "thư điện tử"},
    "unit": {"unit code", "unit_code", "unit", "mã đơn vị"},
    "role": {"role", "vai trò"},
}
KIND_WORDS = {
    **{k: k for k in UNIT_KINDS},
    "sở": "department",
    "ban": "department",
    "ngành": "department",
    "sở, ban, ngành": "department",
    "xã": "commune",
    "phường": "commune",
    "đặc khu": "commune",
}
"""What a kind cell may say: chiso's kinds, or the words a province writes."""

USERNAME = re.compile(r"^[\w.@+-]+$")  # its length is bounded apart (limits.USERNAME)


@dataclass(frozen=True)
class Upload:
    """A file as the person sent it: its bytes and the name it had."""

    data: bytes
    name: str


@dataclass(frozen=True)
class NewPerson:
    username: str
    full_name: str
    email: str
    unit: str
    role_name: str  # as the reader's language names it
    password: str | None  # None: the account existed; it only gained the role


@dataclass
class ProvinceLoad:
    """What one load did: to show once, then forget."""

    province: OfficialProvince
    communes_added: int = 0
    communes_present: int = 0
    departments_added: int = 0
    people: list[NewPerson] = field(default_factory=list)
    emailed: int = 0


@dataclass(frozen=True)
class _UnitRow:
    row: int
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class _PersonRow:
    row: int
    username: str
    full_name: str
    email: str
    unit: str
    kind: str  # of role


def _text(cell: Cell) -> str:
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else str(cell)
    return " ".join((cell or "").split())


def table_rows(
    upload: Upload, columns: dict[str, set[str]], report: ProblemReport
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of an uploaded table as {column: text}; a missing column or an unreadable
    file is a problem of the report and no rows."""
    name = Path(upload.name).name or "file.csv"
    suffix = Path(name).suffix.lower() if Path(name).suffix.lower() == ".xlsx" else ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(upload.data)
        try:
            table = open_table(path)
            header = [" ".join(h.casefold().split()) for h in table.header]
            where = {
                key: next((i for i, h in enumerate(header) if h in names), None)
                for key, names in columns.items()
            }
            missing = [key for key, i in where.items() if i is None]
            if missing:
                report.add("units.missing_columns", name, columns=", ".join(missing))
                return
            for count, (row, cells) in enumerate(table.rows):
                if count >= MAX_ROWS:
                    report.add("file.too_many_table_rows", name, limit=MAX_ROWS)
                    return
                values = {
                    key: _text(cells[i]) if i is not None and i < len(cells) else ""
                    for key, i in where.items()
                }
                if any(values.values()):
                    yield row, values
        except Refusal as refusal:
            report.extend(refusal.report.for_file(name))


PEOPLE_BOUNDS = {
    "username": limits.USERNAME,
    "full_name": limits.Text(300),  # a first and a last name of 150 each
    "email": limits.Text(254),  # Django's column
    "unit": limits.UNIT_CODE,
}


def _bounded(
    values: dict[str, str],
    bounds: dict[str, limits.Text],
    file: str,
    row: int,
    report: ProblemReport,
) -> None:
    """A cell longer than its column holds is a problem of the file."""
    for key, bound in bounds.items():
        if len(values[key]) > bound.most:
            report.add("input.too_long", file, row, key, length=len(values[key]), most=bound.most)


def _read_units(
    upload: Upload, province: OfficialProvince, report: ProblemReport
) -> list[_UnitRow]:
    file = Path(upload.name).name
    rows: list[_UnitRow] = []
    first: dict[str, int] = {}
    for row, v in table_rows(upload, UNIT_COLUMNS, report):
        _bounded(v, {"code": limits.UNIT_CODE, "name": limits.NAME}, file, row, report)
        kind = KIND_WORDS.get(v["kind"].casefold())
        for key in ("code", "name", "kind"):
            if not v[key]:
                report.add("units.missing_value", file, row, key)
        if v["kind"] and kind is None:
            report.add("units.unknown_kind", file, row, "kind", value=v["kind"])
        code = v["code"]
        if code and code in first:
            report.add("units.duplicate_code", file, row, "code", code=code, first=first[code])
        elif code:
            first[code] = row
        if "/" in v["name"] or v["name"] in (".", ".."):
            report.add("cycle.unit_bad_name", file, row, "name", name=v["name"])
        official = official_commune(code) if code else None
        if (
            kind == "commune"
            and code
            and (official is None or official.province_code != province.code)
        ):
            report.add("units.not_official", file, row, "code", code=code, province=province.name)
        elif kind is not None and kind != "commune" and official is not None:
            # a department may not take a commune's statistics-office code
            report.add("units.code_is_commune", file, row, "code", code=code, name=official.name)
        if code and kind and v["name"]:
            rows.append(_UnitRow(row, code, v["name"], kind))
    return rows


def _read_people(upload: Upload, report: ProblemReport) -> list[_PersonRow]:
    file = Path(upload.name).name
    rows: list[_PersonRow] = []
    first: dict[str, int] = {}
    for row, v in table_rows(upload, PEOPLE_COLUMNS, report):
        _bounded(v, PEOPLE_BOUNDS, file, row, report)
        username, role_word = v["username"], v["role"].casefold()
        if not username:
            report.add("units.missing_value", file, row, "username")
        elif not USERNAME.match(username):
            report.add("people.bad_username", file, row, "username", value=username)
        elif username.casefold() in first:
            report.add(
                "people.duplicate_username",
                file,
                row,
                "username",
                value=username,
                first=first[username.casefold()],
            )
        else:
            first[username.casefold()] = row
        if v["email"]:
            try:
                validate_email(v["email"])
            except ValidationError:
                report.add("people.bad_email", file, row, "email", value=v["email"])
        kind = policy.role_named(role_word)
        scope = policy.role_scope(kind or "")
        if not role_word:
            report.add("units.missing_value", file, row, "role")
        elif kind is None or scope is None:
            report.add("people.unknown_role", file, row, "role", value=v["role"])
        elif scope[1]:
            report.add("people.role_needs_cycle", file, row, "role", value=v["role"])
        elif scope[0] and not v["unit"]:
            report.add("people.officer_needs_unit", file, row, "unit")
        rows.append(_PersonRow(row, username, v["full_name"], v["email"], v["unit"], kind or ""))
    return rows


def load_province(
    actor: Any, province: str, departments: Upload | None, people: Upload | None
) -> ProvinceLoad:
    """Add ``province``'s communes, the departments of ``departments`` and the people of
    ``people``, or nothing, with every problem at once."""
    if not policy.can_manage(actor):
        raise forbidden()
    official = find_province(province)
    if official is None:
        raise Refusal("units.unknown_province", value=province)
    report = ProblemReport()
    unit_rows = _read_units(departments, official, report) if departments else []
    person_rows = _read_people(people, report) if people else []
    communes = official_communes(official)
    present = {
        code: (name, kind) for code, name, kind in Unit.objects.values_list("code", "name", "kind")
    }
    file = Path(departments.name).name if departments else ""
    for u in unit_rows:
        if u.code in present and u.kind != "commune" and present[u.code] != (u.name, u.kind):
            # the same unit again is kept as it is; another under a code taken is refused
            name = present[u.code][0]
            report.add("units.code_exists", file, u.row, "code", code=u.code, name=name)
    known = set(present) | {c.code for c in communes} | {u.code for u in unit_rows}
    file = Path(people.name).name if people else ""
    for p in person_rows:
        if p.unit and p.unit not in known:
            report.add("people.unknown_unit", file, p.row, "unit", code=p.unit)
    if report:
        raise Refusal(report)
    with transaction.atomic():
        return _save(actor, official, communes, unit_rows, person_rows, set(present))


def _save(
    actor: Any,
    province: OfficialProvince,
    communes: tuple[Any, ...],
    unit_rows: list[_UnitRow],
    person_rows: list[_PersonRow],
    present: set[str],
) -> ProvinceLoad:
    load = ProvinceLoad(province)
    new_units = [
        Unit(code=c.code, name=c.name, kind="commune") for c in communes if c.code not in present
    ]
    load.communes_present = len(communes) - len(new_units)
    load.communes_added = len(new_units)
    listed = {u.code for u in new_units}
    new_units += [
        Unit(code=u.code, name=u.name, kind=u.kind)
        for u in unit_rows
        if u.code not in present and u.code not in listed
    ]
    load.departments_added = len(new_units) - load.communes_added
    Unit.objects.bulk_create(new_units)
    entries = [
        audit_entry(
            actor, None, unit, "created", None, f"{unit.code} {unit.name} ({province.name})"
        )
        for unit in Unit.objects.filter(code__in=[u.code for u in new_units])
    ]
    units = {u.code: u for u in Unit.objects.filter(code__in={p.unit for p in person_rows})}
    existing = {u.username.casefold(): u for u in User.objects.all().only("username")}
    roles: list[Role] = []
    for p in person_rows:
        user = existing.get(p.username.casefold())
        password = None
        if user is None:
            first, _, last = p.full_name.rpartition(" ")
            user = User.objects.create_user(
                p.username, email=p.email, first_name=first[:150], last_name=last[:150]
            )
            # changed at the first sign-in (the flag the accounts middleware checks)
            password = issue_one_time_password(user)
        for_unit = (policy.role_scope(p.kind) or (False, False))[0]
        unit = units.get(p.unit) if for_unit else None
        roles.append(Role(user=user, kind=p.kind, unit=unit))
        label = str(dict(Role.KINDS)[p.kind])
        load.people.append(
            NewPerson(p.username, p.full_name, p.email, unit.name if unit else "", label, password)
        )
        entries.append(
            audit_entry(
                actor, None, user, "role", None, f"{p.username}: {p.kind} {unit or ''}".strip()
            )
        )
    Role.objects.bulk_create(roles, ignore_conflicts=True)
    audit_all(entries)
    return load


def send_passwords(load: ProvinceLoad) -> int:
    """Send each new person with an email address their one-time password, where the settings
    name an email server (``EMAIL_HOST``); the number sent. A message that cannot be sent is not a
    failure of the load: the page shows every password once all the same."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils.translation import gettext

    if not settings.EMAIL_HOST:  # no server named in CHISO_EMAIL_HOST
        return 0
    sent = 0
    for person in load.people:
        if person.password is None or not person.email:
            continue
        subject = gettext("Tài khoản chiso của %(user)s") % {"user": person.username}
        body = gettext(
            "Tên đăng nhập: %(user)s\nMật khẩu lần đầu: %(password)s\n"
            "Hãy đổi mật khẩu sau lần đăng nhập đầu tiên."
        ) % {"user": person.username, "password": person.password}
        try:
            sent += send_mail(subject, body, None, [person.email])
        except OSError:
            continue
    return sent
