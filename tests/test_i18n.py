"""One localisation mechanism: gettext catalogues with Vietnamese source texts.

Every string marked for translation in the code and the templates has an English translation
with the same placeholders; the compiled catalogues are the current ones; the message catalogue
of rules is translated like everything else.
"""

from __future__ import annotations

import gettext
import io
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po

from chiso.i18n import LOCALE_DIR
from chiso.messages import CATALOGUE, render

SRC = Path(__file__).resolve().parents[1] / "src" / "chiso"
KEYWORDS = {
    "gettext": None,
    "gettext_noop": None,
    "gettext_lazy": None,
    "_": None,
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "pgettext_noop": ((1, "c"), 2),
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "npgettext": ((1, "c"), 2, 3),
}
RESERVED = {"rule", "file", "row", "column"}  # arguments of ProblemReport.add itself


def catalogues() -> list[Path]:
    return sorted(SRC.glob("**/locale/*/LC_MESSAGES/django.po"))


def read(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=path.parts[-3])


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _ids(message: str | tuple[str, ...]) -> str:
    return message[0] if isinstance(message, tuple) else message


def marked_strings() -> Iterator[tuple[str, str | None, str]]:
    """(msgid, context, where) of every string marked in chiso's Python code and templates."""
    from django.utils.translation.template import templatize

    options = {"encoding": "utf-8"}
    for path in sorted(SRC.rglob("*")):
        if "migrations" in path.parts or path.suffix not in (".py", ".html"):
            continue
        text = path.read_text("utf-8")
        if path.suffix == ".html":
            text = templatize(text, origin=str(path))
        for _lineno, _func, message, _comments in extract_python(
            io.BytesIO(text.encode("utf-8")), KEYWORDS, [], options
        ):
            if message is None:
                continue
            context = None
            if isinstance(message, tuple) and _func in (
                "pgettext",
                "pgettext_lazy",
                "pgettext_noop",
                "npgettext",
            ):
                context, message = message[0], message[1:]
            msgid = _ids(message)
            if msgid:
                yield msgid, context, str(path.relative_to(SRC))


@pytest.mark.parametrize("po", catalogues(), ids=lambda p: str(p.relative_to(SRC)))
def test_every_entry_is_translated_with_the_same_placeholders(po: Path) -> None:
    for message in read(po):
        if not message.id:
            continue
        msgid = _ids(message.id)
        text = message.string if isinstance(message.string, str) else message.string[0]
        assert text, f"{po}: no translation of {msgid!r}"
        assert not message.fuzzy, f"{po}: fuzzy translation of {msgid!r}"
        assert _fields(msgid) == _fields(text), f"{po}: placeholders differ in {msgid!r}"


@pytest.mark.parametrize("po", catalogues(), ids=lambda p: str(p.relative_to(SRC)))
def test_compiled_catalogues_are_the_current_ones(po: Path) -> None:
    """The build compiles every .po (setup.py); a .mo older than its .po would show stale text."""
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: reinstall chiso (pip install -e .) to compile it"
    with mo.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for message in read(po):
        if not message.id or isinstance(message.id, tuple):
            continue
        key = f"{message.context}\x04{message.id}" if message.context else message.id
        assert compiled._catalog.get(key) == message.string, (mo, message.id)  # type: ignore[attr-defined]


def test_every_marked_string_has_an_english_translation() -> None:
    english: dict[tuple[str | None, str], Path] = {}
    for po in catalogues():
        if po.parts[-3] == "en":
            for message in read(po):
                if message.id:
                    english[(message.context, _ids(message.id))] = po
    library = {
        (m.context, _ids(m.id)) for m in read(LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po")
    }
    missing = []
    for msgid, context, where in marked_strings():
        if (context, msgid) not in english:
            missing.append(f"{where}: {msgid!r}")
        elif not where.startswith("web/") and (context, msgid) not in library:
            # the library reads only its own catalogue (chiso/locale), never the web apps'
            missing.append(f"{where}: {msgid!r} is not in chiso/locale")
    assert not missing, "\n".join(missing)


def test_rules_have_vietnamese_and_english_texts_with_the_same_placeholders() -> None:
    for rule, vi in CATALOGUE.items():
        en = render(rule, "en", **dict.fromkeys(_fields(vi), "X"))
        assert en != render(rule, "vi", **dict.fromkeys(_fields(vi), "X")), rule
        assert not (_fields(vi) & RESERVED), rule


def test_templates_choose_no_text_by_language() -> None:
    """Interface text goes through {% translate %}; the only use of the language in a template
    is to mark the current one in the language switch (and the page's lang attribute)."""
    for template in sorted((SRC / "web").rglob("*.html")):
        for line in template.read_text("utf-8").splitlines():
            if "LANGUAGE_CODE ==" in line:
                assert "aria-current" in line, f"{template}: {line.strip()[:120]}"


def test_web_views_choose_no_text_by_language() -> None:
    """The web layer translates with Django's gettext in the active language; a comparison of
    the language with a code to pick a text is the mechanism this project replaced."""
    import re

    pattern = re.compile(r"""lang(uage)?(\(\))?\s*==\s*["'](en|vi)["']""")
    for module in sorted((SRC / "web").rglob("*.py")):
        if "migrations" in module.parts:
            continue
        for number, line in enumerate(module.read_text("utf-8").splitlines(), 1):
            assert not pattern.search(line), f"{module}:{number}: {line.strip()}"


def test_catalogues_agree_where_they_share_a_text() -> None:
    """Django merges every catalogue of a language into one: a Vietnamese text translated one
    way in an app and another way elsewhere would show whichever wins. Such texts take a
    context (``{% translate "Tối đa" context "column" %}``)."""
    seen: dict[tuple[str, str | None, str], tuple[str, Path]] = {}
    clashes = []
    for po in catalogues():
        for message in read(po):
            if not message.id:
                continue
            key = (po.parts[-3], message.context, _ids(message.id))
            text = message.string if isinstance(message.string, str) else message.string[0]
            if key in seen and seen[key][0] != text:
                clashes.append(f"{key[2]!r}: {seen[key][0]!r} ({seen[key][1]}) / {text!r} ({po})")
            seen.setdefault(key, (text, po))
    assert not clashes, "\n".join(clashes)


def test_no_translation_is_hidden_inside_an_f_string() -> None:
    """Extraction does not look inside an f-string's braces: a gettext there would never reach
    the catalogue (and, unchecked, would show whatever an older entry says)."""
    import re

    hidden = re.compile(r"""\bf(["']).*\{[^}]*gettext\(""")
    for module in sorted(SRC.rglob("*.py")):
        for number, line in enumerate(module.read_text("utf-8").splitlines(), 1):
            assert not hidden.search(line), f"{module}:{number}: {line.strip()}"
