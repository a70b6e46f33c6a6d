"""Word documents filled with people's text, which never becomes part of the document's XML.

docxtpl renders a template's ``word/document.xml`` as Jinja text and, unless told, writes each
value into the XML as it is: a decision's issuing body holding
``</w:t></w:r><w:fldSimple w:instr='DDEAUTO …'>`` became a live field in the public annex, and
a unit named with ``<w:r>`` cut the annex table (docxtpl then parses the result with a
*recovering* parser, which drops what it cannot place). Every Word template is filled through
:func:`render_template`, which

- escapes every value (``autoescape``), so ``<``, ``&`` and quotes are text;
- leaves out the characters XML 1.0 cannot hold (NUL, the C0 controls other than tab, line
  feed and carriage return, U+FFFE/U+FFFF, lone surrogates): a strict reader refuses a
  document holding one, and docxtpl turns a bell into a new paragraph and a form feed into a
  page break;
- fills the template's document properties (title, subject…) without escaping, because
  python-docx escapes those itself and escaping twice would show ``R&amp;D``.

python-docx escapes the text it is given but refuses those characters;
:func:`xml_text` is what its writers pass each text through.

docxtpl is imported only when a document is made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chiso.office.text import xml_text  # with the office layer: the tables write Word too

__all__ = ["render_template", "xml_text"]


def _finalize(value: Any) -> Any:
    """Applied by Jinja to every value before it is escaped and written."""
    return xml_text(value) if isinstance(value, str) else value


def render_template(template: str | Path, context: dict[str, Any]) -> Any:
    """The docxtpl document of ``template`` filled with ``context``, every value escaped."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    class Template(DocxTemplate):  # type: ignore[misc]
        def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
            # the properties are set through python-docx, which escapes them
            super().render_properties(context, Environment(finalize=_finalize))

    document = Template(str(template))
    document.render(context, Environment(autoescape=True, finalize=_finalize), autoescape=True)
    return document
