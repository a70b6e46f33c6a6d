"""Make the default Word template of an improvement plan (src/chiso/reports/templates/plan.docx).

An office edits the result in Word (letterhead, fonts, signatures, the narrative); the Jinja
tags that docxtpl fills are kept: {{ title }}, {{ unit }}, the target lines, the task table
({%tr for t in tasks %}, seven cells t[0]…t[6] under task_header) and the gap table
({%tr for g in gaps %}, six cells under gap_header): the command line's plan and the web
application's plan (with responsible units, deadlines and statuses) fill the same template.
Rerun after changing this script:

    .venv/bin/python scripts/make_plan_template.py
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

OUT = Path(__file__).resolve().parents[1] / "src/chiso/reports/templates/plan.docx"


def table(document, header_count: int, header: str, loop: str, cells: list[str]) -> None:  # type: ignore[no-untyped-def]
    grid = document.add_table(rows=4, cols=header_count)
    grid.style = "Table Grid"
    for i, cell in enumerate(grid.rows[0].cells):
        cell.text = "{{ " + header + "[" + str(i) + "] }}"
        cell.paragraphs[0].runs[0].bold = True
    grid.rows[1].cells[0].text = "{%tr for " + loop + " %}"
    for cell, text in zip(grid.rows[2].cells, cells, strict=True):
        cell.text = text
    grid.rows[3].cells[0].text = "{%tr endfor %}"


document = Document()
style = document.styles["Normal"]
style.font.name = "Times New Roman"
style.font.size = Pt(13)
heading = document.add_paragraph()
heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
heading.add_run("{{ title }}").bold = True
sub = document.add_paragraph("{{ unit }} — {{ framework }}")
sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
document.add_paragraph().add_run("{{ targets_heading }}").bold = True
document.add_paragraph("{% for line in targets %}{{ line }}\n{% endfor %}")
document.add_paragraph().add_run("{{ tasks_heading }}").bold = True
table(
    document,
    7,
    "task_header",
    "t in tasks",
    ["{{ t[" + str(i) + "] }}" for i in range(7)],
)
document.add_paragraph().add_run("{{ gaps_heading }}").bold = True
table(
    document,
    6,
    "gap_header",
    "g in gaps",
    ["{{ g[" + str(i) + "] }}" for i in range(6)],
)
document.add_paragraph("{{ method }}")
OUT.parent.mkdir(parents=True, exist_ok=True)
document.save(OUT)
print(OUT)
