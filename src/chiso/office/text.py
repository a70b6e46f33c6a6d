"""Text as an Office file's XML can hold it, for every writer of Word and Excel files.

XML 1.0 cannot hold NUL, the C0 controls other than tab, line feed and carriage return,
U+FFFE/U+FFFF or lone surrogates: a strict reader refuses a document holding one, and
python-docx refuses to write one. (Escaping ``<``, ``&`` and quotes is the writers' own job:
python-docx and openpyxl escape what they are given, and Word templates are filled through
:func:`chiso.reports.word.render_template`, which escapes.) Kept here, below the frameworks
and the tables, so that every package that writes an Office file can use it."""

from __future__ import annotations

import re

_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """``text`` without the characters an XML 1.0 document cannot hold."""
    return _NOT_IN_XML.sub("", text)
