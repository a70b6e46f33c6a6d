"""The archive holds the published figures as their sources print them.

The PAPI part is compared cell by cell with the published tables carried in
tests/fixtures/published/papi; the PAR INDEX and SIPAS figures with the announcements of each
year (addresses in chiso/archive/data/sources.yaml), and PAPI's totals with what the press
quoted from PAPI's own reports.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from chiso.archive import Archive, load_archive
from chiso.archive.model import HEADLINE, Figure
from papi_tables import official_sheet, subdimension_scores


@functools.cache
def _province(name: str) -> str:
    """The archive's name of a province as a PAPI file spells it ("Thừa Thiên-Huế", "Hanoi",
    "TP. Hồ Chí Minh"): matched without marks, hyphens or prefixes."""
    from chiso.units.provinces import PROVINCES_63
    from chiso.vietnamese import fold

    def key(text: str) -> str:
        text = fold(text).replace("-", " ").removeprefix("tp. ").removesuffix(" city")
        return " ".join(text.replace("hanoi", "ha noi").split())

    [match] = [p for p in PROVINCES_63 if key(p) == key(name)]
    return match


@pytest.fixture(scope="module")
def archive() -> Archive:
    return load_archive()


def _one(archive: Archive, index: str, year: int, unit: str, node: str = HEADLINE) -> list:
    return [f for f in archive.of(unit) if (f.index, f.year, f.node) == (index, year, node)]


def _table(archive: Archive, year: int, unit: str) -> Figure:
    """A province's PAPI total in the whole table of the year (not a press quote beside it)."""
    [figure] = [
        f
        for f in _one(archive, "PAPI", year, unit)
        if f.source in archive.whole_sources("PAPI", year)
    ]
    return figure


def test_papi_2024_quang_ninh_first_with_47_82(archive: Archive) -> None:
    qn = _table(archive, 2024, "Quảng Ninh")
    assert qn.value is not None and round(qn.value, 2) == 47.82
    assert qn.rank == 1 and qn.group == "1"
    # the 2024 total is the sum of published sub-dimensions: derived, and says so
    assert (qn.basis, qn.rank_basis) == ("derived", "derived")


def test_papi_2022_first_and_last_as_the_press_quoted_them(archive: Archive) -> None:
    """thoidai.com.vn, "Quảng Ninh trở thành quán quân trên cả 4 bảng xếp hạng năm 2022":
    Quảng Ninh first with 47,8763; Cao Bằng last with 38,8037. The table's totals (sums of
    the published sub-dimensions) give the same, and the quotes, kept beside them, agree."""
    qn, cb = _table(archive, 2022, "Quảng Ninh"), _table(archive, 2022, "Cao Bằng")
    ranked = [f.rank for f in archive.headline("PAPI", 2022) if f.rank]
    assert (round(qn.value or 0, 4), qn.rank) == (47.8763, 1)
    assert (round(cb.value or 0, 4), cb.rank) == (38.8037, max(ranked))
    for unit in ("Quảng Ninh", "Cao Bằng"):
        assert len(_one(archive, "PAPI", 2022, unit)) == 2
        assert ("PAPI", 2022, "province", unit, HEADLINE) not in archive.disputes


def test_papi_2017_quang_ninh_32nd_in_the_upper_middle_group(archive: Archive) -> None:
    """enternews.vn, "Quảng Ninh tăng 21 bậc trong Chỉ số PAPI 2017": 36,72 points, 32nd of
    63, in the group of 16 with upper-middle scores (PAPI's second quartile)."""
    qn = _table(archive, 2017, "Quảng Ninh")
    assert (round(qn.value or 0, 2), qn.rank, qn.group) == (36.72, 32, "2")


@pytest.mark.parametrize("year", range(2011, 2017))
def test_papi_2011_to_2016_equal_the_official_sheets_cell_for_cell(
    archive: Archive, year: int
) -> None:
    codes, rows, _ = official_sheet(year)
    held = {(f.unit, f.node): f for f in archive.figures if (f.index, f.year) == ("PAPI", year)}
    compared = 0
    for row in rows:
        for code in [*codes, "total"]:
            if not row[code] or not any(row[c] for c in codes):
                continue
            figure = held.pop((_province(row["unit"]), code))
            assert figure.text == row[code] and figure.basis == "published"
            compared += 1
    assert compared > 63 * 20 and not held  # nothing the sheets do not print


@pytest.mark.parametrize("year", range(2017, 2025))
def test_papi_sub_dimensions_2017_to_2024_equal_the_published_file(
    archive: Archive, year: int
) -> None:
    leaves, rows = subdimension_scores(year)
    held = {
        (f.unit, f.node): f
        for f in archive.figures
        if (f.index, f.year) == ("PAPI", year) and "." in f.node
    }
    for row in rows:
        unit = _province(row["unit"])
        for code in leaves:
            if row[code]:
                figure = held[(unit, code)]
                assert figure.text == row[code] and figure.basis == "published"


def test_papi_dimensions_from_2017_are_marked_derived(archive: Archive) -> None:
    dims = [
        f
        for f in archive.figures
        if f.index == "PAPI"
        and f.year >= 2017
        and "." not in f.node
        and f.source.startswith("papi-")
    ]
    assert dims and {f.basis for f in dims} == {"derived"}


def test_par_index_2023_as_announced(archive: Archive) -> None:
    """Seed 003 (18 April 2024): Quảng Ninh 92,18; Hải Phòng 91,87; Hà Nội 91,43;
    Bắc Giang 91,16; national mean 86,98."""
    expected = {"Quảng Ninh": (92.18, 1), "Hà Nội": (91.43, 3), "Bắc Giang": (91.16, 4)}
    for unit, (value, rank) in expected.items():
        held = _one(archive, "PAR INDEX", 2023, unit)
        assert {(f.value, f.rank) for f in held if f.value is not None} == {(value, rank)}
        assert {f.rank for f in held} == {rank}  # VIETJO's order gives the same ranks
    means = [f for f in archive.of("Cả nước", "nation") if (f.index, f.year) == ("PAR INDEX", 2023)]
    assert {(m.node, m.value) for m in means} == {("mean", 86.98)}  # seed 003 and Báo Mới


def test_disagreeing_sources_are_both_kept_and_reported(archive: Archive) -> None:
    """Hải Phòng 2023: 91,87 in the announcement (seed 003, the Government's English news and
    Nhà Đầu Tư), 91,81 in the city's own news."""
    versions = _one(archive, "PAR INDEX", 2023, "Hải Phòng")
    assert sorted((f.value, f.source) for f in versions if f.value is not None) == [
        (91.81, "doanhnghiephoinhap-2024-04-26"),
        (91.87, "baochinhphu-en-par-2023"),
        (91.87, "nhadautu-par-sipas-2023"),
        (91.87, "seed003-par-sipas-2023"),
    ]
    assert ("PAR INDEX", 2023, "province", "Hải Phòng", HEADLINE) in archive.disputes


def test_every_disagreement_in_the_archive_is_known(archive: Archive) -> None:
    """The places where sources print different figures, each kept with its source:
    PAR INDEX 2018 Quảng Ninh (VietnamPlus 89,6, VIETJO 89,06); PAR INDEX 2023 Hải Phòng
    (91,87 / 91,81); PAPI 2019 Quảng Ninh (VietNamNet 44,66 against
    the table's 46,66); PAPI 2021 Bà Rịa - Vũng Tàu (Báo Bà Rịa - Vũng Tàu 40,62 against 40,61);
    PAPI 2023 Thừa Thiên Huế (TTXVN 46,0415 as the table, VnEconomy 46,0414);
    three regions' PAR INDEX 2023 means (TTXVN 2024: 88,33, 87,79, 86,82; VietnamPlus 2025:
    88,32, 87,45, 87,72); six of Quảng Ninh's PAPI 2024 dimension scores (Vietnam.vn 5,43,
    6,52, 5,09, 7,36, 7,66, 4,08 against the table's sums 5,87, 5,83, 4,34, 7,99, 7,39, 3,94;
    its 8,42 for public service delivery agrees)."""
    assert sorted(archive.disputes) == [
        ("PAPI", 2019, "province", "Quảng Ninh", HEADLINE),
        ("PAPI", 2021, "province", "Bà Rịa - Vũng Tàu", HEADLINE),
        ("PAPI", 2023, "province", "Thừa Thiên Huế", HEADLINE),
        *[("PAPI", 2024, "province", "Quảng Ninh", d) for d in ("1", "2", "3", "4", "5", "8")],
        ("PAR INDEX", 2018, "province", "Quảng Ninh", HEADLINE),
        ("PAR INDEX", 2023, "province", "Hải Phòng", HEADLINE),
        ("PAR INDEX", 2023, "region", "Bắc Trung Bộ và duyên hải miền Trung", "mean"),
        ("PAR INDEX", 2023, "region", "Đông Nam Bộ", "mean"),
        ("PAR INDEX", 2023, "region", "Đồng bằng sông Hồng", "mean"),
    ]


def test_a_region_rank_is_computed_on_the_table_not_on_a_press_quote(archive: Archive) -> None:
    from chiso.archive.year_by_year import series

    [entry] = [e for e in series(archive, "PAPI", "Quảng Ninh") if e.year == 2019]
    assert entry.disputed and entry.value is None and entry.rank == 3
    table = archive.whole_table("PAPI", 2019)
    assert table["Quảng Ninh"] == pytest.approx(46.662792)  # not VietNamNet's 44,66
    assert entry.region_rank == 1


def test_sources_that_agree_are_not_a_dispute(archive: Archive) -> None:
    # Hà Nội 2023 is printed by four sources with the same 91,43 (and ranked third by VIETJO)
    assert len(_one(archive, "PAR INDEX", 2023, "Hà Nội")) == 5
    assert ("PAR INDEX", 2023, "province", "Hà Nội", HEADLINE) not in archive.disputes


def test_sipas_2023_first_three(archive: Archive) -> None:
    expected = {"Quảng Ninh": 90.61, "Thái Nguyên": 90.29, "Hải Dương": 90.23}
    for rank, (unit, value) in enumerate(expected.items(), start=1):
        held = _one(archive, "SIPAS", 2023, unit)
        assert {(f.value, f.rank) for f in held if f.value is not None} == {(value, rank)}
        assert {f.rank for f in held} == {rank}  # VIETJO's order agrees


def test_par_index_2020_first_second_and_last(archive: Archive) -> None:
    got = {
        f.unit: (f.value, f.rank)
        for f in archive.headline("PAR INDEX", 2020)
        if f.value is not None
    }
    assert got["Quảng Ninh"] == (91.04, 1)
    assert got["Hải Phòng"] == (90.51, 2)
    assert got["Quảng Ngãi"] == (73.25, 63)


def test_every_figure_names_a_listed_source_and_nothing_is_simulated(archive: Archive) -> None:
    assert {f.source for f in archive.figures} <= set(archive.sources)
    assert {f.basis for f in archive.figures} <= {"published", "derived"}
    for source in archive.sources.values():
        assert source.address and source.title and source.date


def test_only_papi_tables_are_whole_and_partial_years_say_so(archive: Archive) -> None:
    assert all(archive.whole("PAPI", y) for y in range(2011, 2025))
    assert not any(archive.whole("PAR INDEX", y) for y in range(2012, 2025))
    assert not any(archive.whole("SIPAS", y) for y in range(2017, 2025))
    partial = {(t.index, t.years) for t in archive.tables if t.coverage == "partial"}
    assert ("PAR INDEX", "2023") in partial


def test_the_papi_file_is_rebuilt_byte_for_byte_from_the_published_tables(tmp_path: Path) -> None:
    """src/chiso/archive/data/papi.csv is nothing but the published tables of
    tests/fixtures/published/papi in long form: the script that made it makes it again."""
    import subprocess
    import sys

    from chiso.archive.loading import DATA_DIR

    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "papi.csv"
    script = root / "scripts" / "build_archive_papi.py"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, timeout=300)
    assert out.read_bytes() == (DATA_DIR / "papi.csv").read_bytes()


def test_every_table_note_is_written_in_vietnamese_and_english(archive: Archive) -> None:
    for table in archive.tables:
        assert table.note_in("vi") and table.note_in("en"), (table.index, table.years)
        assert table.note_in("vi") != table.note_in("en")


@pytest.mark.parametrize(
    ("year", "printed", "source"),
    [(2023, "42.3265", "chatluongvacuocsong-papi-2023"), (2024, "41.43", "vietnamvn-papi-2024")],
)
def test_papi_national_average_is_kept_beside_the_unweighted_mean_of_the_table(
    archive: Archive, year: int, printed: str, source: str
) -> None:
    """The press prints PAPI's national average (42,3265 for 2023, 41,43 for 2024); the
    unweighted mean of the 61 provinces of the whole table (the 61 PAPI scored those years) is
    another figure, computed by chiso. Both are named in the coverage note, each for what it
    is, and the note's figure for chiso's mean is the mean of the table."""
    [mean] = [f for f in archive.of("Cả nước", "nation") if (f.index, f.year) == ("PAPI", year)]
    assert (mean.node, mean.text, mean.source, mean.basis) == ("mean", printed, source, "published")
    table = archive.whole_table("PAPI", year)
    assert len(table) == 61
    unweighted = sum(table.values()) / len(table)
    assert round(unweighted, 2) != round(mean.value or 0, 2)
    [note] = [
        t
        for t in archive.tables
        if (t.index, t.years, t.coverage) == ("PAPI", "2017-2024", "whole")
    ]
    for lang in ("vi", "en"):
        text = note.note_in(lang)
        assert f"{unweighted:.2f}".replace(".", ",") in text, lang  # decimal comma, as written
        assert printed.replace(".", ",") in text, lang


def test_quang_ninh_papi_2024_dimensions_as_the_press_printed_them_beside_the_table(
    archive: Archive,
) -> None:
    """Vietnam.vn prints Quảng Ninh's 2024 total as the table has it (47,82) but six of its
    dimension scores differently; public service delivery (8,42) agrees. Each disagreement is
    kept with both sources and named in the press note with both values."""
    press = {
        f.node: f
        for f in archive.of("Quảng Ninh")
        if (f.index, f.year, f.source) == ("PAPI", 2024, "vietnamvn-papi-2024")
    }
    assert set(press) == {"total", "1", "2", "3", "4", "5", "6", "8"}
    [note] = [
        t
        for t in archive.tables
        if (t.index, t.years, t.coverage) == ("PAPI", "2017-2024", "partial")
    ]
    for node, figure in press.items():
        key = ("PAPI", 2024, "province", "Quảng Ninh", node)
        [table] = [
            f for f in archive.by_key[key] if f.source in archive.whole_sources("PAPI", 2024)
        ]
        if node in ("total", "6"):
            assert key not in archive.disputes
            continue
        assert key in archive.disputes
        # "5,43 (bảng 5,87)": the printed value, then the table's to two decimals
        side_by_side = f"{figure.text} ({table.value or 0:.2f})".replace(".", ",")
        for lang, table_word in (("vi", "bảng "), ("en", "table ")):
            text = note.note_in(lang).replace(table_word, "")
            assert side_by_side in text, (lang, side_by_side)


def test_the_seeds_name_the_originals_they_were_copied_from(archive: Archive) -> None:
    """Seed 003 is stitched from four articles, each now a source with its address; seed 004
    is the Hải Phòng city portal's page (its address not found), with PetroTimes' copy. Seed
    003's own inconsistency (Hải Phòng 91,87 and 91,81) is said beside them."""
    seed3 = archive.sources["seed003-par-sipas-2023"]
    assert set(seed3.related) == {
        "nhadautu-par-sipas-2023",
        "baogialai-par-sipas-2023",
        "doanhnghiephoinhap-2024-04-26",
        "baochinhphu-en-par-2023",
    }
    seed4 = archive.sources["haiphong-par-sipas-2024"]
    assert seed4.related == ("petrotimes-par-sipas-2024",)
    assert "haiphong.gov.vn" in seed4.publisher and seed4.date == "2025-04-06"
    used = {f.source for f in archive.figures}
    for original in (*seed3.related, *seed4.related):
        source = archive.sources[original]
        assert source.address.startswith("https://") and source.title and source.publisher
        assert source.date[:4] in ("2024", "2025") and original in used  # listed on the page
    for original in seed3.related:  # named in the words the pages and the open data show
        assert original in seed3.address
    assert "91,87" in seed3.address and "91,81" in seed3.address
    assert "petrotimes-par-sipas-2024" in seed4.address and "10:45" in seed4.address


def test_par_index_2013_ministries_and_provinces_are_no_longer_missing(archive: Archive) -> None:
    """2013 (announced 5/9/2014): Bộ Giao thông vận tải first with 81,06, the State Bank 80,38
    and Foreign Affairs 80,31 next, the Committee for Ethnic Minority Affairs last with 66,71;
    Đà Nẵng first with 87,02, Hải Phòng 86,93, Bình Dương 86,86, national mean 77,56."""
    ministries = {
        (f.unit, f.value, f.rank)
        for f in archive.headline("PAR INDEX", 2013, "ministry")
        if f.value is not None and f.rank is not None
    }
    assert ministries == {
        ("Bộ Giao thông vận tải", 81.06, 1),
        ("Ngân hàng Nhà nước Việt Nam", 80.38, 2),
        ("Bộ Ngoại giao", 80.31, 3),
        ("Ủy ban Dân tộc", 66.71, 19),
    }
    provinces = {
        f.unit: (f.value, f.rank)
        for f in archive.headline("PAR INDEX", 2013)
        if f.value is not None and f.rank is not None and f.rank <= 3
    }
    assert provinces == {
        "Đà Nẵng": (87.02, 1),
        "Hải Phòng": (86.93, 2),
        "Bình Dương": (86.86, 3),
    }
    assert not [k for k in archive.disputes if k[:2] == ("PAR INDEX", 2013)]
    for table in archive.tables:
        assert "2013 not found" not in table.note_in("en")
        assert "chưa tìm thấy 2013" not in table.note_in("vi")
