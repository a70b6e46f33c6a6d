"""A whole round of a province's assessment in a real headless Chromium, every role working
only through the pages (issue #21). The database starts empty but for the administrator; the
administrator uploads the province's framework, loads Lai Châu's communes from the official
list with its departments and its people from files, opens a cycle of 30 units (12
departments, 18 communes) with its deadlines, grants the council of three its units in one
post each, opens the stage and extends one commune's deadline with a reason. ``chiso remind``
runs as cron runs it, and the real SMTP server (aiosmtpd) receives the notices. Thirty
officers sign in with their one-time passwords and assess themselves: the first in place and
through the Excel sheet, the others through the Excel sheet; one withdraws and submits again.
The council appraises: a cut in place with its reason, a domain and whole sheets accepted at
once. The unit explains the cut, the appraiser restores part of it, the leader follows the
round, the chair finalises and publishes under a decision, and the public reads the ranking
and the classification of each unit's head. axe-core audits the main pages; the browser
reports no error. Screenshots go to artifacts/browser/round-*.png."""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from chiso.frameworks import get_framework
from chiso.frameworks.model import Node
from chiso.units.communes import find_province, official_communes
from chiso.web.accounts.models import Role
from chiso.web.cycles.models import Cycle, LeafScore
from web import browser_steps as steps
from web.smtp_server import SmtpServer, smtp  # noqa: F401  (the fixture)
from web.test_browser import SHOTS, chromium  # noqa: F401  (the autouse fixture)

ADMIN_PASSWORD = "quan-tri-tinh-lai-chau"
FRAMEWORK = "lai-chau-2025"
NAME = "Chỉ số CCHC các sở và UBND xã, phường năm 2025 (mô phỏng)"
DEPARTMENTS = [
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Nông nghiệp và Môi trường",
    "Sở Công Thương",
    "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Dân tộc và Tôn giáo",
    "Thanh tra tỉnh",
]
COMMUNES = 18
UNITS = len(DEPARTMENTS) + COMMUNES
COUNCIL = 3


@pytest.fixture
def administrator(transactional_db: None) -> None:
    """The empty database of a new installation and its administrator; nothing else."""
    admin = User.objects.create_user("admin", password=ADMIN_PASSWORD)
    Role.objects.create(user=admin, kind=Role.ADMIN)


def province_framework() -> str:
    """The province's own framework file: the example of the departments' framework taken
    as Lai Châu's for its departments and communes (simulated: no province's legal text)."""
    text = (Path(__file__).resolve().parents[2] / "src/chiso/frameworks/data").joinpath(
        "example-department-2024.yaml"
    )
    yaml = text.read_text(encoding="utf-8")
    yaml = yaml.replace("code: example-department-2024", f"code: {FRAMEWORK}", 1)
    yaml = yaml.replace("subject: [department, district]", "subject: [department, commune]", 1)
    yaml = yaml.replace("years: {from: 2024, to: null}", "years: {from: 2025, to: null}", 1)
    return yaml.replace("name_vi: Bộ chỉ số", "name_vi: (Mô phỏng) Bộ chỉ số", 1)


def claimed(node: Node, quality: float) -> str | float:
    """What a unit of ``quality`` (1: best) writes for a leaf in its Excel sheet."""
    rule = node.rule
    top = float(node.max or 0)
    if rule.kind == "choice":
        options = sorted(rule.options, key=lambda o: -o.points)
        return options[0 if quality >= 0.8 else 1 if quality >= 0.5 else -1].value
    if rule.kind == "yes_no":
        return "có" if quality >= 0.55 else "không"
    if rule.kind == "bands":
        return round(100 * quality)
    if rule.kind == "proportional":
        return round(rule.full * quality, 1)
    if rule.kind == "deduction":
        return round((1 - quality) * top / rule.per_item)
    return round(top * quality * 4) / 4


def best(node: Node) -> str:
    """What the best unit types for a leaf: the points of its maximum."""
    value = claimed(node, 1.0)
    return value if isinstance(value, str) else f"{value:g}"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A CSV file as a spreadsheet saves it (names with commas quoted)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return out.getvalue()


def fill_sheet(data: bytes, values: dict[str, str | float]) -> bytes:
    """The officer's work in Excel: column E of each leaf left empty gets its value."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet is not None
    for row in sheet.iter_rows(min_row=4):
        code = str(row[0].value or "")
        if code in values and row[4].value in (None, ""):
            row[4].value = values[code]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class Round:
    """The walk's browser page, its server, and what the people were handed."""

    def __init__(self, page: Any, base: str, tmp: Path) -> None:
        self.page = page
        self.base = base
        self.tmp = tmp
        self.passwords: dict[str, str] = {}  # one-time, as handed out
        self.chosen: dict[str, str] = {}  # chosen at the first sign-in
        self.problems: list[str] = []  # axe-core's findings

    def sign_in(self, username: str) -> None:
        if username in self.chosen:
            steps.sign_in(self.page, self.base, username, self.chosen[username])
            return
        self.chosen[username] = f"{username}-rieng-2025"
        steps.sign_in(
            self.page, self.base, username, self.passwords[username], self.chosen[username]
        )

    def go(self, path: str) -> None:
        response = self.page.goto(f"{self.base}{path}")
        assert response is not None and response.ok, path

    def audit(self, name: str) -> None:
        self.problems += steps.audited(self.page, name)

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(SHOTS / f"round-{name}.png"), full_page=True)

    def main(self) -> str:
        return str(self.page.inner_text("main"))

    def open_sheet(self, unit: str) -> str:
        """From the person's home page, the unit's sheet; what the home page's task list
        said of it."""
        self.go("/")
        link = self.page.get_by_role("link", name=unit, exact=True)
        task = str(self.page.locator(".task-list li", has=link).inner_text())
        steps.click_and_wait(self.page, link)
        return task

    def upload(self, selector: str, name: str, data: bytes, button: str) -> None:
        path = self.tmp / name
        path.write_bytes(data)
        self.page.set_input_files(selector, str(path))
        steps.click_and_wait(self.page, button)


def chiso_remind() -> tuple[int, int]:
    """``chiso remind`` as cron runs it each morning: (notices recorded, mails sent)."""
    from typer.testing import CliRunner

    from chiso.cli.app import build

    result = CliRunner().invoke(build("remind"), ["remind"])
    assert result.exit_code == 0, result.output
    found = re.search(r"Thông báo mới: (\d+); đã gửi thư: (\d+)", " ".join(result.output.split()))
    assert found, result.output
    return int(found.group(1)), int(found.group(2))


def _mails(smtp: SmtpServer, address: str, words: str) -> list[str]:  # noqa: F811
    """The bodies of the mails ``address`` received whose subject says ``words``."""
    return [str(m.get_content()) for m in smtp.inbox.to(address) if words in str(m["subject"])]


@pytest.fixture
def walk(live_server: Any, tmp_path: Path) -> Iterator[tuple[Round, list[str]]]:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is used between pages only
    SHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with sync_playwright() as p:
        browser = steps.launch(p)
        context = browser.new_context(
            locale="vi-VN", viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        page = context.new_page()
        steps.watch_console(page, errors)
        yield Round(page, str(live_server), tmp_path), errors
        browser.close()


def test_a_round_of_30_units_through_the_pages_in_chromium(
    administrator: None,
    smtp: SmtpServer,  # noqa: F811
    walk: tuple[Round, list[str]],
) -> None:
    r, errors = walk
    page = r.page
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    lai_chau = find_province("Lai Châu")
    assert lai_chau is not None
    communes = [c for c in official_communes(lai_chau)][:COMMUNES]
    codes = [f"LC-S{i:02d}" for i in range(1, len(DEPARTMENTS) + 1)] + [c.code for c in communes]
    names = DEPARTMENTS + [c.name for c in communes]
    officers = [f"cb-{code.lower()}" for code in codes]
    mail = {u: f"{u}@laichau.example" for u in officers}
    fw = get_framework("example-department-2024")  # the province's differs in its header only
    leaves = list(fw.leaves())

    # -- the administrator: the province's framework, its units and its people ----------------
    r.chosen["admin"] = ADMIN_PASSWORD
    steps.sign_in(page, r.base, "admin", ADMIN_PASSWORD)
    steps.click_and_wait(page, "#manage-link")
    r.audit("manage")
    r.upload(
        "#framework-file",
        f"{FRAMEWORK}.yaml",
        province_framework().encode(),
        "#framework-upload",
    )
    assert f"Đã lưu {FRAMEWORK}, phiên bản 1" in r.main()
    departments = table(
        ["mã", "tên", "loại"],
        [[code, name, "sở"] for code, name in zip(codes, DEPARTMENTS, strict=False)],
    )
    people = table(
        ["tên đăng nhập", "họ tên", "email", "mã đơn vị", "vai trò"],
        [
            [u, f"Cán bộ {name}", mail[u], code, "cán bộ đơn vị"]
            for u, name, code in zip(officers, names, codes, strict=True)
        ],
    )
    page.select_option("#province-code", lai_chau.code)
    (r.tmp / "so-ban-nganh.csv").write_text(departments, encoding="utf-8")
    page.set_input_files("#province-departments", str(r.tmp / "so-ban-nganh.csv"))
    r.upload("#province-people", "nguoi-dung.csv", people.encode(), "#province-load")
    summary = page.inner_text("#province-summary")
    assert "38 xã, phường, đặc khu mới" in summary and "12 sở, ban, ngành mới" in summary
    assert f"{UNITS} người dùng ({UNITS} thư đã gửi)" in summary
    for row in page.locator("#one-time-passwords tbody tr").all():
        cells = row.locator("td")
        r.passwords[cells.nth(0).inner_text()] = cells.nth(4).inner_text()
    assert set(officers) <= set(r.passwords)
    for u in officers:  # each was mailed their own, too
        [account] = _mails(smtp, mail[u], f"Tài khoản chiso của {u}")
        assert f"Mật khẩu lần đầu: {r.passwords[u]}" in account
    r.shot("01-province-loaded")

    # -- the cycle, with its deadlines, for the 12 departments and 18 communes -----------------
    ends = {"self": today + 3 * day, "appraisal": today + 10 * day, "explanation": today + 15 * day}
    r.go("/manage/")
    page.fill("#cycle-name", NAME)
    page.fill("#cycle-year", "2025")
    page.select_option("#cycle-framework", FRAMEWORK)
    page.fill("input[name=self_assessment_ends]", ends["self"].isoformat())
    page.fill("input[name=appraisal_ends]", ends["appraisal"].isoformat())
    page.fill("input[name=explanation_ends]", ends["explanation"].isoformat())
    for name in names:
        page.locator("#cycle-units").get_by_role("checkbox", name=name, exact=True).check()
    steps.click_and_wait(page, "#cycle-create")
    assert f"Đã mở kỳ đánh giá {NAME}" in r.main()
    cycle_url = page.url.removeprefix(r.base)
    shown = page.inner_text("#deadlines")
    for stage, when in (("tự đánh giá", "self"), ("thẩm định", "appraisal")):
        assert f"Hạn {stage}: {ends[when].strftime('%d/%m/%Y')}" in shown

    # -- the council in bulk: one post per member for ten units; the chair; the leader ---------
    council = [f"tham-dinh-{k + 1}" for k in range(COUNCIL)]
    share = UNITS // COUNCIL
    grants = [(u, "appraiser", names[k * share : (k + 1) * share]) for k, u in enumerate(council)]
    for username, kind, units in [*grants, ("chu-tich", "chair", []), ("lanh-dao", "leader", [])]:
        r.go("/manage/")
        page.fill("#role-username", username)
        page.select_option("#role-kind", kind)
        for unit in units:
            page.locator("#role-units").get_by_role("checkbox", name=unit, exact=True).check()
        if kind != "leader":
            page.select_option("#role-cycle", label=NAME)
        steps.click_and_wait(page, "#role-grant")
        text = r.main()
        assert f"cho {username}: {len(units) or 1} quyền" in text, text
        found = re.search(rf"Tài khoản mới {username}: mật khẩu lần đầu (\S+)", text)
        assert found, text
        r.passwords[username] = found.group(1)

    # -- self-assessment opens (confirmed); one commune's deadline is extended ------------------
    r.go(cycle_url)
    steps.click_and_wait(page, "#advance")
    r.audit("confirm-advance")
    steps.click_and_wait(page, "#confirm")
    assert "Kỳ đánh giá đã chuyển sang giai đoạn: Tự đánh giá" in r.main()
    late, late_officer, extended = names[-1], officers[-1], today + 7 * day
    page.select_option("#extend select[name=stage]", "self_assessment")
    page.select_option("#extend select[name=unit]", label=late)
    page.fill("#extend input[name=ends]", extended.isoformat())
    page.fill("#extend input[name=reason]", "xã mới sáp nhập, chưa bàn giao hồ sơ")
    steps.click_and_wait(page, "#extend button")
    assert f"Đã gia hạn cho {late}" in r.main()
    assert "xã mới sáp nhập, chưa bàn giao hồ sơ" in page.inner_text("#extensions")
    r.audit("cycle")
    r.shot("02-cycle-open")

    # -- cron runs `chiso remind`: the stage opened, three days left (not for the extended) ----
    assert chiso_remind() == (2 * UNITS - 1, 2 * UNITS - 1)
    opened = "bắt đầu giai đoạn Tự đánh giá"
    assert all(len(_mails(smtp, mail[u], opened)) == 1 for u in officers)
    [told] = _mails(smtp, mail[late_officer], opened)  # its own last day
    assert f"Hạn: {extended.strftime('%d/%m/%Y')}." in told
    three_days = f"hết hạn ngày {ends['self'].strftime('%d/%m/%Y')}"
    assert all(len(_mails(smtp, mail[u], three_days)) == 1 for u in officers[:-1])
    assert _mails(smtp, mail[late_officer], "hết hạn ngày") == []
    received = len(smtp.inbox.messages)
    assert chiso_remind() == (0, 0)  # the next run finds nothing new
    assert len(smtp.inbox.messages) == received

    # -- the officers: the first types in place and fills the rest in Excel ---------------------
    qualities = [1.0] + [0.97 - 0.6 * k / (UNITS - 2) for k in range(UNITS - 1)]
    for k, (officer, unit, quality) in enumerate(zip(officers, names, qualities, strict=True)):
        r.sign_in(officer)
        task = r.open_sheet(unit)  # the home page's task list, then the sheet: its deadline
        deadline = page.inner_text("#deadline")
        days = "(còn 7 ngày) · đã gia hạn: xã mới sáp nhập" if k == UNITS - 1 else "(còn 3 ngày)"
        assert days in task and days in deadline, (task, deadline)
        if k == 0:
            r.audit("sheet-officer")
            for node in leaves[:6]:
                field = page.locator(f"[aria-label='{node.code}']")
                row = page.locator("tr", has=field)
                if node.rule.kind in ("choice", "yes_no"):
                    field.select_option(best(node))
                else:
                    field.fill(best(node))
                steps.saved_in_place(page, row, "button:has-text('Lưu')", node.code)
            r.shot("03-self-assessment")
        values = {n.code: (best(n) if k == 0 else claimed(n, quality)) for n in leaves}
        with page.expect_download() as download:
            page.click("#template-link")
        filled = fill_sheet(Path(download.value.path()).read_bytes(), values)
        r.upload("form:has(#upload-sheet) input[type=file]", "phieu.xlsx", filled, "#upload-sheet")
        assert f"{len(leaves)} tiêu chí đã lưu" in r.main()
        steps.click_and_wait(page, "#submit-sheet")
        if k == 0:
            r.audit("confirm-submit")
        steps.click_and_wait(page, "#confirm")
        assert f"Đã nộp phiếu của {unit}" in r.main()
        if k == 1:  # a second look: withdrawn before the deadline, corrected, submitted again
            steps.click_and_wait(page, "#withdraw-sheet")
            assert "Đã rút lại phiếu" in r.main()
            field = page.locator("input[aria-label='1.4']")
            field.fill("1")
            row = page.locator("tr", has=field)
            steps.saved_in_place(page, row, "button:has-text('Lưu')", "1.4")
            steps.confirmed(page, "#submit-sheet")
            assert f"Đã nộp phiếu của {unit}" in r.main()
    r.audit("home-officer")

    # -- appraisal opens: every unit submitted, nothing is listed as not ready ------------------
    r.sign_in("admin")
    r.go(cycle_url)
    steps.click_and_wait(page, "#advance")
    assert page.locator("#not-ready").count() == 0
    steps.click_and_wait(page, "#confirm")

    # -- the council: a cut in place with its reason, a domain and whole sheets accepted -------
    first = None
    for k, member in enumerate(council):
        r.sign_in(member)
        for j, unit in enumerate(names[k * share : (k + 1) * share]):
            r.open_sheet(unit)
            if k == 0 and j == 0:
                first = page.url.removeprefix(r.base)
                assert "Hạn thẩm định" in page.inner_text("#deadline")
                r.audit("sheet-appraiser")
                row = page.locator("tr", has=page.locator("[aria-label='điểm thẩm định 1.4']"))
                row.locator("[aria-label='điểm thẩm định 1.4']").fill("0,5")
                row.locator("[aria-label='lý do 1.4']").fill("thiếu biên bản kiểm tra quý IV")
                steps.saved_in_place(page, row, "button:has-text('Thẩm định')", "1.4")
                steps.click_and_wait(page, "#node-1 button")
                assert "Đã chấp nhận điểm tự đánh giá của 4 tiêu chí" in r.main()
                r.shot("04-appraisal")
            steps.click_and_wait(page, "#accept-sheet")
            assert "Đã chấp nhận điểm tự đánh giá của" in r.main()
    assert first is not None
    assert not LeafScore.objects.filter(
        sheet__cycle__name=NAME, appraised_points__isnull=True, appraised_na=False
    ).exists()

    # -- explanation opens; cron tells the unit of its cut ---------------------------------------
    r.sign_in("admin")
    r.go(cycle_url)
    steps.advance(page)
    # the explanation stage opened for the 30 units, and one of them has a cut to explain
    assert chiso_remind() == (UNITS + 1, UNITS + 1)
    cut = "Sở Nội vụ có 1 tiêu chí bị trừ điểm chờ giải trình"
    assert len(_mails(smtp, mail[officers[0]], cut)) == 1

    # -- the leader follows the round -------------------------------------------------------------
    r.sign_in("lanh-dao")
    r.go("/")
    steps.click_and_wait(page, "#leader-link")
    assert f"{UNITS}/{UNITS}" in page.inner_text("main")  # every sheet submitted
    row = page.locator("tr", has=page.get_by_role("rowheader", name="Sở Nội vụ", exact=True))
    # submitted; one criterion cut, its explanation not yet given, none waiting for review
    assert [c.inner_text() for c in row.locator("td").all()] == ["Đã nộp", "1", "1", "0"]
    r.audit("leader")
    r.shot("05-leader")

    # -- the unit explains, the appraiser restores part of the cut ------------------------------
    r.sign_in(officers[0])
    r.go("/notifications/")
    assert cut in page.inner_text("#notices")
    r.audit("notifications")
    r.go(first)
    steps.click_and_wait(page, "#explanations-link")
    assert "thiếu biên bản kiểm tra quý IV" in page.inner_text("#cuts")
    page.fill("textarea[name=text]", "Biên bản kiểm tra quý IV đã ký ngày 20/12, gửi kèm")
    steps.click_and_wait(page, "button:has-text('Gửi giải trình')")
    r.audit("explanations-officer")
    r.sign_in(council[0])
    r.go(first)
    steps.click_and_wait(page, "#explanations-link")
    page.fill("input[name=points]", "1,5")
    page.fill("input[name=reason]", "biên bản ký sau kỳ kiểm tra")
    steps.click_and_wait(page, "button:has-text('Trả lời giải trình')")
    assert page.inner_text("#total-before") == "98,50"
    assert page.inner_text("#total-after") == "99,50"
    assert chiso_remind() == (1, 1)
    assert len(_mails(smtp, mail[officers[0]], "giải trình tiêu chí 1.4 đã được trả lời")) == 1

    # -- the chair finalises and publishes under the decision ------------------------------------
    r.sign_in("chu-tich")
    r.go(cycle_url)
    steps.advance(page)
    page.fill("input[name=decision_number]", "125/QĐ-UBND (mô phỏng)")
    page.fill("input[name=decision_date]", today.isoformat())
    page.fill("input[name=decision_body]", "UBND tỉnh Lai Châu (mô phỏng)")
    steps.click_and_wait(page, "#publish")
    r.audit("confirm-publish")
    steps.click_and_wait(page, "#confirm")
    assert "Đã công bố kết quả, lần 1" in r.main()
    r.shot("06-published")

    # -- the leader: the results and the heads' classification ----------------------------------
    r.sign_in("lanh-dao")
    steps.click_and_wait(page, "#leader-link")
    steps.click_and_wait(page, "a:has-text('xếp loại người đứng đầu')")
    assert page.locator("#heads tbody tr").count() == UNITS

    # -- the public: the ranking and the heads' classification -----------------------------------
    page.context.clear_cookies()
    r.go("/")
    steps.click_and_wait(page, f"a:has-text('{NAME}')")
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == UNITS
    top = rows.first.inner_text()
    assert "Sở Nội vụ" in top and "99,50" in top, top  # 100 claimed, cut 1,5, restored 1
    decision = f"Quyết định số 125/QĐ-UBND (mô phỏng) ngày {today.strftime('%d/%m/%Y')}"
    assert decision in page.inner_text("#decision")
    r.audit("public-ranking")
    r.shot("07-public-ranking")
    steps.click_and_wait(page, "#heads-link")
    heads = [
        [c.inner_text() for c in row.locator("td, th").all()]
        for row in page.locator("#heads tbody tr").all()
    ]
    assert len(heads) == UNITS
    proposals = {"Tốt": "Đề nghị khen thưởng", "Yếu": "Đề nghị xem xét trách nhiệm người đứng đầu"}
    classes = {
        "Tốt": "Hoàn thành xuất sắc nhiệm vụ",
        "Khá": "Hoàn thành tốt nhiệm vụ",
        "Trung bình": "Hoàn thành nhiệm vụ",
        "Yếu": "Không hoàn thành nhiệm vụ",
    }
    assert {row[3] for row in heads} == set(classes), heads
    for _rank, _unit, _index, group, head, proposal in heads:
        assert head == classes[group] and proposal == proposals.get(group, "")
    r.audit("public-heads")
    r.shot("08-heads")

    assert not r.problems, "\n\n".join(r.problems)
    assert errors == []
    cycle = Cycle.objects.get(name=NAME)
    assert cycle.state == Cycle.PUBLISHED and cycle.sheets.count() == UNITS
    corrected = LeafScore.objects.get(
        sheet__cycle=cycle, sheet__unit__name="Sở Tư pháp", code="1.4"
    )
    assert corrected.self_points == 1  # as typed after the withdrawal
