"""One localisation mechanism: GNU gettext catalogues, Vietnamese source text.

chiso is Vietnamese first, so the source strings (msgids) are Vietnamese and each other
language has a catalogue ``locale/<lang>/LC_MESSAGES/django.po`` beside the code that uses it:
``chiso/locale`` for the library and the command line (messages, reports, labels), and the web
apps' own ``locale`` folders for their templates and views. The ``.po`` files are compiled to
``.mo`` when chiso is built or installed (``setup.py``), never committed.

Django reads these catalogues for the web (``LOCALE_PATHS`` and the apps' folders). The library
and the command line read the same files through the standard library's :mod:`gettext`, so a
report or an error message is translated without importing Django; a language is always passed
explicitly (``lang``), because a report rendered for an English page in a Vietnamese process
must not depend on a global.

Strings are marked so that ``makemessages`` finds them: :func:`gettext`, :func:`pgettext` (a
context where one Vietnamese word has several English ones: *Đơn vị* is "Unit" on a page and
"unit" as a column name) and :func:`gettext_noop` / :func:`pgettext_noop` for texts kept in
tables and translated when shown (``chiso-admin makemessages`` knows the last one).
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("vi", "en")
SOURCE_LANGUAGE = "vi"
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "django"


@lru_cache(maxsize=8)
def translator(lang: str) -> _gettext.NullTranslations:
    """The library's catalogue for ``lang``: Vietnamese is the source (no catalogue needed);
    an unknown language falls back to it rather than failing a report."""
    if lang == SOURCE_LANGUAGE or lang not in LANGUAGES:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def gettext(message: str, lang: str) -> str:
    """``message`` (Vietnamese) in ``lang``."""
    return translator(lang).gettext(message)


def pgettext(context: str, message: str, lang: str) -> str:
    """``message`` in ``lang``, where ``context`` tells apart two uses of the same words."""
    return translator(lang).pgettext(context, message)


def ngettext(singular: str, plural: str, n: int, lang: str) -> str:
    """The form of a message that counts ``n`` things (Vietnamese has one form)."""
    return translator(lang).ngettext(singular, plural, n)


def gettext_noop(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now: a text stored in a table
    of labels, translated by :func:`gettext` when it is shown."""
    return message


def pgettext_noop(context: str, message: str) -> str:
    """:func:`gettext_noop` with a context, kept the way gettext stores it (``context\x04id``)
    so that :func:`translated` can look it up; shown without the context when untranslated."""
    return f"{context}{_CONTEXT}{message}"


_CONTEXT = "\x04"


def _lookup(tr: _gettext.NullTranslations, text: str) -> str:
    if _CONTEXT in text:
        context, message = text.split(_CONTEXT, 1)
        return tr.pgettext(context, message)
    return tr.gettext(text)


def translated(table: Mapping[str, str], lang: str) -> dict[str, str]:
    """A table of labels (key → Vietnamese text marked with :func:`gettext_noop`) in ``lang``:
    the labels of a report or a table header, looked up by key where they are used."""
    tr = translator(lang)
    return {key: _lookup(tr, text) for key, text in table.items()}
