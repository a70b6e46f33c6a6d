"""Make the default Word template of the ranking annex (src/chiso/reports/templates/annex.docx).

An office edits the result in Word (letterhead, fonts, signatures); the Jinja tags that
docxtpl fills are kept: {{ title }}, {{ subtitle }}, the {%tr for r in rows %} row and the
summary lines. Rerun after changing this script:

    .venv/bin/python scripts/make_annex_template.py
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

OUT = Path(__file__).resolve().parents[1] / "src/chiso/reports/templates/annex.docx"

document = Document()
style = document.styles["Normal"]
style.font.name = "Times New Roman"
style.font.size = Pt(12)
heading = document.add_paragraph()
heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
run = heading.add_run("{{ title }}")
run.bold = True
sub = document.add_paragraph("{{ subtitle }}")
sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
table = document.add_table(rows=4, cols=8)
table.style = "Table Grid"
header = [
    "{{ h[0] }}",
    "{{ h[1] }}",
    "{{ h[2] }}",
    "{{ h[3] }}",
    "{{ h[4] }}",
    "{{ h[5] }}",
    "{{ h[6] }}",
    "{{ h[7] }}",
]
for cell, text in zip(table.rows[0].cells, header, strict=True):
    cell.text = text
    cell.paragraphs[0].runs[0].bold = True
table.rows[1].cells[0].text = "{%tr for r in rows %}"
values = [
    "{{ r.number }}",
    "{{ r.unit }}",
    "{{ r.appraised }}",
    "{{ r.survey }}",
    "{{ r.total }}",
    "{{ r.index }}",
    "{{ r.rank }}",
    "{{ r.group }}",
]
for cell, text in zip(table.rows[2].cells, values, strict=True):
    cell.text = text
table.rows[3].cells[0].text = "{%tr endfor %}"
document.add_paragraph("{% for line in summary %}{{ line }}\n{% endfor %}")
OUT.parent.mkdir(parents=True, exist_ok=True)
document.save(OUT)
print(OUT)
