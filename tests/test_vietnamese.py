"""Vietnamese text: NFC, collation equal to ICU's (PostgreSQL ``vi-x-icu``), decimal comma."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.numbers import format_number, round_half_up
from chiso.units.provinces import PROVINCES_63 as OFFICIAL_63
from chiso.vietnamese import (
    fold,
    has_only_vietnamese_letters,
    identifier_key,
    nfc,
    same_identifier,
    sort_key,
    sorted_vi,
)

PROVINCES_63 = list(OFFICIAL_63)
VIETNAMESE_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]


def _icu_order(pg: object, names: list[str]) -> list[str]:
    with pg.cursor() as cur:  # type: ignore[attr-defined]
        cur.execute(
            'SELECT x FROM unnest(%s::text[]) AS t(x) ORDER BY x COLLATE "vi-x-icu", x',
            (names,),
        )
        return [row[0] for row in cur.fetchall()]


def test_province_names_sort_as_icu_vietnamese_collation(pg: object) -> None:
    assert sorted_vi(PROVINCES_63) == _icu_order(pg, PROVINCES_63)


def test_letters_with_marks_sort_after_their_base_letter_and_tones_break_ties(pg: object) -> None:
    words = ["an", "ăn", "ân", "àn", "ản", "ãn", "án", "ạn", "da", "dê", "đê", "Đà Nẵng", "dạ"]
    assert sorted_vi(words) == _icu_order(pg, words)
    assert sorted_vi(["đa", "da", "e"]) == ["da", "đa", "e"]


syllable = st.builds(
    lambda letters, tone: nfc("".join(letters[:1]) + tone + "".join(letters[1:])),
    st.lists(st.sampled_from(VIETNAMESE_LETTERS), min_size=1, max_size=4),
    st.sampled_from(TONES),
)
name = st.lists(syllable, min_size=1, max_size=3).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(name, min_size=2, max_size=25, unique=True))
def test_random_vietnamese_names_sort_as_icu(pg: object, names: list[str]) -> None:
    ours = sorted(names, key=lambda n: (sort_key(n), n))
    assert ours == _icu_order(pg, names)


def test_sort_key_is_the_same_for_nfc_and_nfd_text() -> None:
    text = "Thừa Thiên Huế"
    assert sort_key(unicodedata.normalize("NFD", text)) == sort_key(text)


def test_vietnamese_numbers_use_a_decimal_comma_and_english_a_point() -> None:
    assert format_number(91.87, "vi") == "91,87"
    assert format_number(91.87, "en") == "91.87"
    assert format_number(None, "vi") == ""


def test_rounding_is_half_up_on_the_decimal_value_people_read() -> None:
    assert round_half_up(91.865, 2) == 91.87
    assert round_half_up(0.125, 2) == 0.13
    assert format_number(2.675, "en") == "2.68"


def test_folding_drops_case_tones_and_diacritics_as_typed_without_a_vietnamese_keyboard() -> None:
    assert fold("Sở Tư pháp") == "so tu phap"
    assert fold("ĐẮK LẮK") == fold("Đắk Lắk") == "dak lak"
    assert fold("Thừa Thiên Huế") == "thua thien hue"


def test_folding_collapses_white_space_and_trims_it() -> None:
    assert fold("  Bà Rịa -\tVũng   Tàu ") == "ba ria - vung tau"


def test_folding_merges_names_that_differ_only_in_their_marks() -> None:
    assert fold("Hà") == fold("Hạ") == fold("Ha")
    assert fold("Hà Nam") != fold("Hà Nội")


@settings(max_examples=200)
@given(st.text(alphabet=VIETNAMESE_LETTERS + " " + "".join(TONES), max_size=30))
def test_folding_ignores_the_normal_form_and_is_idempotent(text: str) -> None:
    folded = fold(text)
    assert fold(unicodedata.normalize("NFD", text)) == folded
    assert fold(folded) == folded
    assert not any(unicodedata.combining(c) for c in folded)
    assert "đ" not in folded


def test_official_numbers_written_alike_are_the_same_number() -> None:
    """A decision number typed in another normal form, case, spacing, or with an invisible
    character pasted into it is the same number; one digit or letter apart is another."""
    number = "1551/QĐ-UBND"
    for variant in (
        unicodedata.normalize("NFD", number),
        "1551/qđ-ubnd",
        "  1551/QĐ-UBND\t",
        "1551/\u200bQĐ-UBND",
        "1551/QĐ-UBND\ufeff",
        "1551/Q\u00adĐ-UBND",
    ):
        assert same_identifier(number, variant), repr(variant)
    spaced = "15/2025/QĐ UBND"
    for space in ("  ", "\u00a0", "\u202f", "\u3000", "\n"):
        assert same_identifier(spaced, spaced.replace(" ", space)), repr(space)
    for other in ("1552/QĐ-UBND", "1551/QD-UBND", "1551/QĐ-UBND1", "1551 /QĐ-UBND"):
        assert not same_identifier(number, other), other


@settings(max_examples=200)
@given(st.text(alphabet=VIETNAMESE_LETTERS + "0123456789/- \u00a0\u200b" + "".join(TONES)))
def test_an_identifier_key_ignores_the_normal_form_and_is_idempotent(text: str) -> None:
    key = identifier_key(text)
    assert identifier_key(unicodedata.normalize("NFD", text)) == key
    assert identifier_key(key) == key
    assert key == key.strip() and "  " not in key and unicodedata.is_normalized("NFC", key)


def test_vietnamese_text_has_only_vietnamese_letters_in_either_normal_form() -> None:
    text = "Sở Tư pháp, Đắk Lắk – “tốt” 91,87 ₫; Quảng Ngãi, Nghệ An, Bạc Liêu, Ỷ, Hợp"
    assert has_only_vietnamese_letters(text)
    assert has_only_vietnamese_letters(unicodedata.normalize("NFD", text))
    assert has_only_vietnamese_letters("Sơ\u0309 Tư")  # a tone after a precomposed ơ


def test_letters_vietnamese_does_not_have_or_misplaced_marks_are_told_apart() -> None:
    for text in ("Müller", "Vieät", "hoµ", "ñ", "î", "Æ", "o\u0301\u0300", "k\u0301", "\u0301a"):
        assert not has_only_vietnamese_letters(text), text
