"""Vietnamese text as data: NFC normalisation, collation, and folding for loose matching.

Why our own collation key instead of PyICU: ICU needs a compiled extension and the system
library; the rules for Vietnamese are small and fixed (letters ă, â, đ, ê, ô, ơ, ư are letters
of their own; the five tones are secondary differences; case is tertiary), and the test suite
checks this key against PostgreSQL's ICU collation ``vi-x-icu`` on real and random names.
"""

from __future__ import annotations

import re
import unicodedata

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}

# Combining marks that make a new letter (part of the primary weight).
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# Tone marks, in the order Vietnamese dictionaries and ICU put them: ngang, huyền, hỏi, ngã,
# sắc, nặng.
_TONE = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_SPACE, _PUNCT, _DIGIT, _LETTER = 1, 2, 3, 4


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the one form chiso stores and compares."""
    return unicodedata.normalize("NFC", text)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def fold(text: str) -> str:
    """``text`` as a person types it without a Vietnamese keyboard: lower case, tone marks and
    diacritics removed (``đ`` becomes ``d``), runs of white space as one space, no space at
    the ends. ``fold("Sở  Tư pháp") == fold("so tu phap")``.

    Only for finding what someone meant (suggesting close names): folding merges names that
    differ only in their marks (``Hà`` and ``Hạ`` fold alike), so an exact match is always
    compared in NFC, never folded.
    """
    decomposed = unicodedata.normalize("NFD", nfc(text).casefold().replace("đ", "d"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", bare).strip()


def identifier_key(text: str) -> str:
    """An official number (a decision's ``1551/QĐ-UBND``) in the one form two of them are
    compared in: invisible characters removed (Unicode's format characters: zero-width
    space and joiners, the byte-order mark, the soft hyphen, direction marks), NFC, case
    folded, every run of white space (the no-break spaces too) one space, none at the ends.

    Why: the same decision typed twice is not always the same string: another keyboard
    writes NFD, a copy from a PDF or a web page brings a no-break or zero-width space, and
    people write ``QĐ`` or ``qđ``. A number is refused as already used when it has the same
    key as one used before. Unlike :func:`fold`, marks and letters are kept: ``QĐ`` and
    ``QD`` are different numbers.
    """
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    folded = nfc(nfc(visible).casefold())
    return " ".join(folded.split())


def same_identifier(a: str, b: str) -> bool:
    """Whether two official numbers are the same number (:func:`identifier_key`)."""
    return identifier_key(a) == identifier_key(b)


_VOWELS = set("aăâeêioôơuưy")
_MARKED = re.compile(r".?[\u0300-\u036f]+|[^\x00-\x7f]", re.DOTALL)


def _is_vietnamese_letter(base: str, marks: list[str]) -> bool:
    """Whether a base character with its combining marks spells a letter of Vietnamese: an
    ASCII letter or đ, a letter mark only where it makes ă, â, ê, ô, ơ or ư, and at most one
    tone, on a vowel."""
    letter = base.lower()
    if not (letter.isascii() and letter.isalpha()) and letter != "đ":
        return False
    tones = 0
    for mark in marks:
        combined = _LETTER_MARKS.get((letter, mark))
        if combined is not None:
            letter = combined
        elif mark in _TONE and letter in _VOWELS and not tones:
            tones += 1
        else:
            return False
    return True


def has_only_vietnamese_letters(text: str) -> bool:
    """Whether every letter of ``text`` outside ASCII is a letter of Vietnamese, and every
    combining mark sits on a letter that takes it (ASCII, digits, punctuation and symbols
    pass as they are).

    Why: a file in no encoding chiso reads still decodes as Windows-1258, which maps almost
    every byte to some character; text in another code page (VNI, TCVN3) or damaged UTF-8
    then shows letters Vietnamese does not have (ä, ø, µ, Æ, ñ) or tone marks on consonants,
    and this tells it from real Vietnamese (:func:`chiso.tables.sources.decode`).
    """
    for cluster in set(_MARKED.findall(text)):  # a long text repeats few letters
        for base, marks in _graphemes(cluster):
            if unicodedata.combining(base):  # a mark on nothing: at the start of the text
                return False
            if (marks or base.isalpha()) and not _is_vietnamese_letter(base, marks):
                return False
    return True


def _graphemes(text: str) -> list[tuple[str, list[str]]]:
    """Split NFD text into (base character, combining marks) pairs."""
    out: list[tuple[str, list[str]]] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out:
            out[-1][1].append(ch)
        else:
            out.append((ch, []))
    return out


def sort_key(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...], tuple[int, ...]]:
    """A key that sorts strings in Vietnamese order (as ICU's ``vi`` collation does).

    Three levels compared in turn: letters (with ă â đ ê ô ơ ư as letters of their own),
    then tones, then case (lower case first).
    """
    primary: list[tuple[int, int]] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for base, marks in _graphemes(text):
        lower = base.lower()
        tone = 0
        other_marks = 0
        for mark in marks:
            combined = _LETTER_MARKS.get((lower, mark))
            if combined is not None:
                lower = combined
            elif mark in _TONE:
                tone = _TONE[mark]
            else:
                other_marks = other_marks * 0x10000 + ord(mark)
        if lower in _LETTER_RANK:
            primary.append((_LETTER, _LETTER_RANK[lower]))
        elif lower.isspace():
            primary.append((_SPACE, 0))
        elif lower.isdigit():
            primary.append((_DIGIT, unicodedata.digit(lower, 0)))
        elif lower.isalpha():
            primary.append((_LETTER, 100 + ord(lower)))
        else:
            primary.append((_PUNCT, ord(lower)))
        secondary.append(tone * 0x100000 + other_marks if other_marks else tone)
        tertiary.append(1 if base != base.lower() else 0)
    return tuple(primary), tuple(secondary), tuple(tertiary)


def sorted_vi(names: list[str]) -> list[str]:
    """Names sorted in Vietnamese order."""
    return sorted(names, key=sort_key)
