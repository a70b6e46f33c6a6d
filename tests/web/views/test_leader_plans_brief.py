"""After publication the leader's view shows the results and the improvement plans (the
plans app adds them as a panel: the leader's page, in the cycles app, does not import plans),
and its one-page brief comes as Word and as PDF: one page, Vietnamese text, Noto Sans
embedded, text escaped rather than read as markup."""

from __future__ import annotations

import datetime
import io
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from chiso.reports.brief import LINE_BUDGET, Brief, Section, brief_pdf, fitted
from chiso.web.accounts.models import Role
from chiso.web.cycles.models import Cycle, Unit
from chiso.web.plans import services
from chiso.web.plans.models import Task
from chiso.web.plans.services import TargetWanted
from conftest import require_tool
from web.conftest import PASSWORD, World

MARKUP = 'Kỳ <2024> & "CCHC" #set [x] *đậm* $1$'
"""A cycle's name holding what Word's XML and Typst's markup would read as theirs."""


@pytest.fixture
def leader(scored: World, home_affairs: Unit) -> Client:
    plan = services.create_plan(
        scored.admin, scored.cycle, scored.sheet_a.unit, 2025, [TargetWanted("index", "90")]
    )
    tasks = list(plan.tasks.all())
    Task.objects.filter(pk=tasks[0].pk).update(status=Task.DONE)
    Task.objects.filter(pk__in=[t.pk for t in tasks[1:]]).update(
        deadline=datetime.date(2025, 1, 31)
    )
    user = User.objects.create_user("lanh-dao", password=PASSWORD)
    Role.objects.create(user=user, kind=Role.LEADER)
    client = Client()
    client.force_login(user)
    return client


def test_after_publication_the_leader_sees_the_results_and_the_plans(
    scored: World, leader: Client
) -> None:
    html = leader.get(reverse("cycles:leader")).content.decode()
    assert 'id="published-results"' in html and scored.cycle.name in html
    assert "Sở Y tế" in html  # leads: Sở Tư pháp lost a fifth of every leaf
    assert 'id="plans-progress"' in html and "Kế hoạch nâng cao chỉ số" in html
    assert "Sở Nội vụ" in html  # responsible for domain 1's tasks, named with what is open
    tasks = Task.objects.filter(plan__cycle=scored.cycle)
    done = tasks.filter(status=Task.DONE).count()
    assert f"<strong>{done}/{tasks.count()}</strong>" in html


def _docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def test_the_word_brief_has_the_results_and_the_plans(scored: World, leader: Client) -> None:
    response = leader.get(reverse("cycles:leader-brief"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _docx_text(response.content)
    assert "Kết quả đã công bố" in text and scored.cycle.name in text
    assert "Kế hoạch nâng cao chỉ số" in text and "Sở Nội vụ" in text


def test_the_pdf_brief_is_one_page_of_vietnamese_in_noto_sans(
    scored: World, leader: Client, tmp_path: Path
) -> None:
    require_tool("pdftoppm", "poppler-utils")
    Cycle.objects.filter(pk=scored.cycle.pk).update(name=MARKUP)  # a name, not markup
    response = leader.get(reverse("cycles:leader-brief-pdf"))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page*.png"))) == 1
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Tình hình đánh giá chỉ số cải cách hành chính" in text
    assert "Kế hoạch nâng cao chỉ số" in text and "Sở Nội vụ" in text
    assert MARKUP in " ".join(text.split())  # set as written
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "NotoSans" in fonts and all(
        line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip()
    )  # every font embedded


@pytest.mark.parametrize("length", [50, 89, 100, 200, 400])
def test_a_long_brief_is_cut_to_one_page_and_says_what_was_left_out(
    tmp_path: Path, length: int
) -> None:
    require_tool("pdftoppm", "poppler-utils")
    many = tuple(f"Đơn vị số {i}: " + "đã nộp phiếu, chờ thẩm định " * 20 for i in range(200))
    many = tuple(line[:length] for line in many)
    sections = (Section("Kỳ đánh giá 2025", many[:5]), Section("Kỳ đánh giá 2026", many))
    long = Brief("Tình hình đánh giá", "Ngày 06/12/2026", sections)
    cut = fitted(long)
    kept = sum(len(s.lines) for s in cut.sections[:2])
    assert 10 < kept < LINE_BUDGET
    assert cut.sections[-1].lines == (f"… và {205 - kept} dòng khác: xem trang Tình hình đánh giá",)
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(brief_pdf(long))
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "p")], check=True)
    assert len(list(tmp_path.glob("p*.png"))) == 1


def test_the_word_brief_keeps_markup_as_text(scored: World, leader: Client) -> None:
    Cycle.objects.filter(pk=scored.cycle.pk).update(name=MARKUP + "\x01")
    text = _docx_text(leader.get(reverse("cycles:leader-brief")).content)
    assert MARKUP in text and "\x01" not in text
