"""Every problem has a Vietnamese and an English text with the same placeholders."""

from __future__ import annotations

import string

from chiso.messages import CATALOGUE

RESERVED = {"rule", "file", "row", "column"}  # arguments of ProblemReport.add itself


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_vietnamese_and_english_texts_use_the_same_placeholders() -> None:
    for rule, (vi, en) in CATALOGUE.items():
        assert _fields(vi) == _fields(en), rule
        assert not (_fields(vi) & RESERVED), rule
        assert vi != en, rule
