"""A one-page brief (the leader's view of where every cycle stands, the published results and
the improvement plans) as Word and as PDF.

The brief is data: a title, a line under it and sections of short lines, made by whoever
knows the facts (the web application's leader view and the panels other apps add to it).
Here it is cut to fit one A4 page, then written: Word through python-docx (which escapes what
it is given; :func:`chiso.office.text.xml_text` removes what XML cannot hold) and PDF through
Typst in the Noto Sans shipped with chiso, embedded in the file (:mod:`chiso.reports.pdf`),
every text passed as a Typst string, never as markup."""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from chiso.i18n import gettext
from chiso.office.text import xml_text
from chiso.reports.pdf import FONTS, compile_pdf, typst_string

LINE_BUDGET = 44
"""What one page holds at the brief's 9.5 pt: a section's heading counts two lines, a line of
the text one, or two when it is long enough to wrap."""
WRAP = 90
"""Characters after which a line of the brief wraps to a second one."""
MAX_CHARS = 2 * WRAP
"""A line longer than two is cut, with an ellipsis."""


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Brief:
    title: str
    subtitle: str
    sections: tuple[Section, ...] = field(default=())


def _cost(line: str) -> int:
    return 1 if len(line) <= WRAP else 2


def _cut(line: str) -> str:
    return line if len(line) <= MAX_CHARS else line[: MAX_CHARS - 1].rstrip() + "…"


def fitted(brief: Brief, lang: str = "vi") -> Brief:
    """The brief cut to one page: sections in order, each line at most two lines long, and,
    where the page is full, one last line saying how many lines were left out (the web page
    shows them all)."""
    budget = LINE_BUDGET - 4  # the title and the line under it
    kept: list[Section] = []
    left_out = 0
    for section in brief.sections:
        lines = [_cut(line) for line in section.lines]
        if budget < 3:  # not even a heading and a line: the whole section is left out
            left_out += len(lines)
            continue
        budget -= 2
        taken: list[str] = []
        for i, line in enumerate(lines):
            if _cost(line) > budget - 1:  # keep a line for the note of what was left out
                left_out += len(lines) - i
                break
            taken.append(line)
            budget -= _cost(line)
        kept.append(Section(section.heading, tuple(taken)))
    if left_out:
        note = gettext("… và {count} dòng khác: xem trang Tình hình đánh giá", lang)
        kept.append(Section("", (note.format(count=left_out),)))
    return Brief(brief.title, brief.subtitle, tuple(kept))


def brief_docx(brief: Brief, lang: str = "vi") -> bytes:
    """The brief as a Word document, cut to one page."""
    from docx import Document
    from docx.shared import Cm, Pt

    brief = fitted(brief, lang)
    document = Document()
    for part in document.sections:
        part.top_margin = part.bottom_margin = Cm(1.5)
        part.left_margin = part.right_margin = Cm(1.8)
    style = document.styles["Normal"]
    style.font.size = Pt(10)
    document.add_heading(xml_text(brief.title), level=1)
    document.add_paragraph(xml_text(brief.subtitle))
    for section in brief.sections:
        if section.heading:
            document.add_heading(xml_text(section.heading), level=2)
        for line in section.lines:
            document.add_paragraph(xml_text(line), style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def typst_brief(brief: Brief, lang: str = "vi") -> str:
    """The Typst source of the brief (already :func:`fitted`)."""
    fonts = ", ".join(typst_string(f) for f in FONTS)
    lines = [
        '#set page(paper: "a4", margin: (x: 1.8cm, y: 1.5cm))',
        f'#set text(font: ({fonts}), size: 9.5pt, lang: "{lang}")',
        "#set par(spacing: 0.6em)",
        "#show heading: set block(above: 0.9em, below: 0.5em)",
        f'#text(size: 14pt, weight: "bold", {typst_string(brief.title)})',
        f"#par(text(size: 9pt, {typst_string(brief.subtitle)}))",
    ]
    for section in brief.sections:
        if section.heading:
            lines.append(f"#heading(level: 2, text(size: 11pt, {typst_string(section.heading)}))")
        if section.lines:
            items = ", ".join(f"[#{typst_string(line)}]" for line in section.lines)
            lines.append(f"#list(tight: true, {items})")
    return "\n".join(lines) + "\n"


def brief_pdf(brief: Brief, lang: str = "vi") -> bytes:
    """The brief as a one-page PDF in Noto Sans (embedded)."""
    source = typst_brief(fitted(brief, lang), lang)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "brief.pdf"
        compile_pdf(folder, source, path)
        return path.read_bytes()
