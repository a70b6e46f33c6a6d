"""One localisation mechanism (issue #9): the library chooses no text by comparing the language.

Every user-facing string goes through the gettext catalogue (:mod:`chiso.i18n`), so no module
under ``src/chiso`` (the web app, which translates with Django, is checked in test_i18n) compares
``lang`` with "vi" or "en" to pick between two texts, or keeps a ``{"vi": ..., "en": ...}`` table
of labels. A simple scan: every comparison of a language with "vi" or "en" is a finding, unless
it is one of the few that choose data, not words, listed in ALLOWED with the reason.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "chiso"
ELSEWHERE = ("web",)  # the web layer translates with Django: tests/test_i18n.py checks it
LANGUAGE_CODES = {"vi", "en"}

# (module, the source of the expression that compares the language): why it is not a text
ALLOWED = {
    # the one home of a framework's own names in a language: data read from a framework file
    ("frameworks/model.py", 'self.name_en if lang == "en" and self.name_en else self.name_vi'),
    # the notation of numbers (a decimal comma in Vietnamese), not words
    ("numbers.py", 'text.replace(".", ",") if lang == "vi" else text'),
    ("tables/results_reading.py", 'lang == "vi"'),
    # the notation of dates (dd/mm/yyyy in Vietnamese, ISO in English), not words
    ("numbers.py", 'lang != "vi"'),
    # column keys, not words: a Vietnamese column keeps the group's name, an English one a key
    ("analysis/rank_table.py", 'lang == "vi"'),
}


def modules() -> Iterator[tuple[str, ast.Module, str]]:
    for path in sorted(SRC.rglob("*.py")):
        where = path.relative_to(SRC).as_posix()
        if where.split("/")[0] in ELSEWHERE:
            continue
        text = path.read_text("utf-8")
        yield where, ast.parse(text), text


def _is_language(node: ast.expr) -> bool:
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
    return isinstance(name, str) and name.lower().endswith("lang")


def _is_code(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value in LANGUAGE_CODES


def _compares_language(node: ast.AST) -> bool:
    if not isinstance(node, ast.Compare) or len(node.ops) != 1:
        return False
    if not isinstance(node.ops[0], ast.Eq | ast.NotEq):
        return False
    left, right = node.left, node.comparators[0]
    return (_is_language(left) and _is_code(right)) or (_is_code(left) and _is_language(right))


def _is_text(node: ast.expr | None) -> bool:
    """A literal text, or a table or list of them: what a label table holds."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    return isinstance(node, ast.JoinedStr | ast.Dict | ast.List | ast.Tuple)


def scan() -> tuple[list[str], set[tuple[str, str]]]:
    """The choices of a text by language found, and the entries of ALLOWED met on the way."""
    found, allowed = [], set()
    for where, tree, text in modules():
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if _compares_language(node):
                outer = node
                while isinstance(parents.get(outer), ast.IfExp | ast.BoolOp | ast.Compare):
                    outer = parents[outer]
                source = ast.get_source_segment(text, outer) or ""
                if (where, source) in ALLOWED:
                    allowed.add((where, source))
                else:
                    found.append(f"{where}:{node.lineno}: {source}")
            elif isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                values = dict(zip(node.keys, node.values, strict=True))
                texts = [
                    v for k, v in values.items() if isinstance(k, ast.Constant) and _is_text(v)
                ]
                if keys >= LANGUAGE_CODES and texts:
                    found.append(f"{where}:{node.lineno}: a table of labels per language")
    return found, allowed


def test_no_module_chooses_a_text_by_comparing_the_language() -> None:
    found, _ = scan()
    assert not found, "translate with chiso.i18n instead:\n" + "\n".join(found)


def test_the_allowed_comparisons_are_still_there() -> None:
    """An entry of ALLOWED that matches nothing any more is removed, so the list stays honest."""
    _, seen = scan()
    assert seen == ALLOWED, ALLOWED - seen


def test_the_scan_finds_what_it_forbids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scan itself: ternaries between two texts and tables of labels are found, data
    choices outside ALLOWED too."""
    (tmp_path / "bad.py").write_text(
        'def f(lang):\n    return "Nhóm" if lang == "vi" else "Group"\n'
        'LABELS = {"vi": {"a": "Nhóm"}, "en": {"a": "Group"}}\n'
        'def g(lang):\n    return {"vi": "Có", "en": "Yes"}[lang]\n'
        'def h(lang):\n    return name_en if lang == "en" else name_vi\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "SRC", tmp_path)
    found, _ = scan()
    assert sorted(int(f.split(":")[1]) for f in found) == [2, 3, 5, 7], found


def test_contexts_are_literals_so_that_extractors_see_them() -> None:
    """``pgettext("column", ...)``, never ``pgettext(COLUMN, ...)``: Babel and makemessages
    read only literal contexts, and would file the text without its context."""
    contextual = {"pgettext", "pgettext_noop", "pgettext_lazy", "npgettext", "npgettext_lazy"}
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "i18n.py":  # the mechanism itself passes contexts on
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            context = node.args[0]
            if name in contextual and not (
                isinstance(context, ast.Constant) and isinstance(context.value, str)
            ):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not found, found
