"""Corrections and the decision in the library: what a correction changed per unit, ranks
within a region beside the national rank, and the decision line printed on every output."""

from __future__ import annotations

from pathlib import Path

from chiso.reports.decision import decision_line
from chiso.scoring.document import DecisionInfo, from_json
from chiso.scoring.ranking import ranks_within
from chiso.scoring.revisions import Change, changes


def _unit(name: str, total: float | None, rank: int | None, group: str | None = "B") -> dict:  # type: ignore[type-arg]
    return {
        "unit": name,
        "total": total,
        "index": total,
        "rank": rank,
        "group": group,
        "status": "complete" if rank else "not ranked",
    }


def test_a_correction_lists_every_changed_figure_of_every_unit() -> None:
    old = from_json(
        {"units": [_unit("Sở A", 90.0, 1, "A"), _unit("Sở B", 85.0, 2), _unit("Sở C", 80.0, 3)]}
    )
    new = from_json(
        {
            "units": [
                _unit("Sở B", 91.0, 1, "A"),
                _unit("Sở A", 90.0, 2, "A"),
                _unit("Sở C", 80.0, 3),
            ]
        }
    )
    assert changes(old, new) == [
        Change("Sở B", "total", 85.0, 91.0),
        Change("Sở B", "index", 85.0, 91.0),
        Change("Sở B", "rank", 2, 1),
        Change("Sở B", "group", "B", "A"),
        Change("Sở A", "rank", 1, 2),
    ]


def test_differences_below_the_published_precision_are_no_change() -> None:
    old = from_json({"units": [_unit("Sở A", 90.001, 1)]})
    new = from_json({"units": [_unit("Sở A", 90.004, 1)]})
    assert changes(old, new, precision=2) == []


def test_ranks_within_a_region_keep_ties_and_skip_unranked_units() -> None:
    ranks = {"Hà Nội": 1, "Hải Phòng": 3, "Nam Định": 3, "Lào Cai": 2, "Thái Bình": None, "X": 5}
    regions = {
        "Hà Nội": "ĐBSH",
        "Hải Phòng": "ĐBSH",
        "Nam Định": "ĐBSH",
        "Thái Bình": "ĐBSH",
        "Lào Cai": "TDMNPB",
    }
    assert ranks_within(ranks, regions) == {
        "Hà Nội": 1,
        "Hải Phòng": 2,
        "Nam Định": 2,
        "Lào Cai": 1,
    }


def test_the_decision_is_printed_with_its_number_date_and_body() -> None:
    decision = DecisionInfo("1551/QĐ-UBND", "2025-01-20", "UBND tỉnh Nam Định")
    assert decision_line(decision, "vi") == (
        "Quyết định số 1551/QĐ-UBND ngày 20/01/2025 của UBND tỉnh Nam Định"
    )
    assert decision_line(decision, "en") == (
        "Decision No. 1551/QĐ-UBND of 2025-01-20 by UBND tỉnh Nam Định"
    )
    assert decision_line(None) == ""


def test_the_annex_shows_each_provinces_rank_in_its_region(tmp_path: Path) -> None:
    import openpyxl

    from chiso.frameworks import get_framework
    from chiso.reports.annex import write_annex_xlsx

    doc = from_json(
        {
            "units": [
                {**_unit("Hà Nội", 90.0, 1), "points": {}},
                {**_unit("Lào Cai", 88.0, 2), "points": {}},
                {**_unit("Hải Phòng", 85.0, 3), "points": {}},
            ],
            "summary": {},
        }
    )
    out = tmp_path / "annex.xlsx"
    write_annex_xlsx(doc, get_framework("par-province-2019"), out, "PAR INDEX", "vi")
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3, max_row=6)]
    assert rows[0][6:8] == ["Xếp hạng", "Xếp hạng trong vùng"]
    # Hà Nội and Hải Phòng: Đồng bằng sông Hồng; Lào Cai: Trung du và miền núi phía Bắc
    assert [(r[1], r[6], r[7]) for r in rows[1:]] == [
        ("Hà Nội", 1, 1),
        ("Lào Cai", 2, 1),
        ("Hải Phòng", 3, 2),
    ]


def test_the_word_annex_has_the_rank_in_region_only_for_provinces(tmp_path: Path) -> None:
    import docx

    from chiso.frameworks import get_framework
    from chiso.reports.annex import write_annex_docx

    def table(units: list[str], code: str) -> list[list[str]]:
        doc = from_json(
            {
                "units": [{**_unit(u, 90.0 - i, i + 1), "points": {}} for i, u in enumerate(units)],
                "summary": {},
            }
        )
        out = tmp_path / f"{code}.docx"
        write_annex_docx(doc, get_framework(code), out, "Phụ lục", "vi")
        return [[c.text for c in row.cells] for row in docx.Document(str(out)).tables[0].rows]

    provinces = table(["Hà Nội", "Lào Cai", "Hải Phòng"], "par-province-2019")
    assert provinces[0][6:8] == ["Xếp hạng", "Xếp hạng trong vùng"]
    assert [(r[1], r[6], r[7]) for r in provinces[1:]] == [
        ("Hà Nội", "1", "1"),
        ("Lào Cai", "2", "1"),
        ("Hải Phòng", "3", "2"),
    ]
    departments = table(["Sở Tư pháp", "Sở Y tế"], "example-department-2024")
    assert "Xếp hạng trong vùng" not in departments[0]
    assert len(departments[0]) == 8
