"""Groups known only in part (``groups.ungraded``): the service index's grades have a source
for their two ends only (xuất sắc from 90, yếu below 50). The framework declares those two
bands and says what lies between; a unit there has no group — in scoring, ranking, the
group probabilities of the analysis and the framework's export — never an invented band and
never an error. A gap nobody declared is still refused."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from analysis_data import results_file
from chiso.analysis.loaded import load_results
from chiso.analysis.rank_uncertainty import rank_uncertainty
from chiso.cli.app import app
from chiso.frameworks import get_framework, read_framework
from chiso.frameworks.grades import grade_of
from chiso.frameworks.model import Band, Groups, Ungraded
from chiso.reports.tilemap import (
    PALETTE,
    UNGRADED,
    group_colours,
    group_legend,
    group_palette,
)
from chiso.scoring.document import from_json
from chiso.scoring.ranking import group_name
from frameworks_for_tests import branch, framework, leaf

PARTIAL = Groups(
    "bands",
    "index",
    (Band("top", "Xuất sắc", "Excellent", min=90), Band("weak", "Yếu", "Weak", below=50)),
    Ungraded("Chưa xếp loại", "Not graded"),
    "a source",
)
FW = framework(branch("1", 60, leaf("1.1", 60)), branch("2", 40, leaf("2.1", 40)), groups=PARTIAL)

YAML = """\
format: 1
code: partial
index: TEST
subject: [province]
name_vi: thử
name_en: test
years: {{from: 2022, to: null}}
legal_basis: "-"
scoring:
  total: {{aggregation: sum, max: 100}}
  groups:
    method: bands
    on: index
    bands:
{bands}
{ungraded}
nodes:
  - {{code: "1", name_vi: "Một", max: 100}}
"""
TWO_ENDS = (
    '      - {code: top, name_vi: "Xuất sắc", min: 90}\n'
    '      - {code: weak, name_vi: "Yếu", below: 50}'
)
DECLARED = '    ungraded: {name_vi: "Chưa xếp loại"}'


def rules_of(tmp_path: Path, bands: str, ungraded: str) -> set[str]:
    path = tmp_path / "f.yaml"
    path.write_text(YAML.format(bands=bands, ungraded=ungraded), encoding="utf-8")
    fw, report = read_framework(path)
    assert (fw is None) == bool(report)
    return {p.rule for p in report}


def test_a_gap_is_accepted_only_when_it_is_declared(tmp_path: Path) -> None:
    assert rules_of(tmp_path, TWO_ENDS, DECLARED) == set()
    assert rules_of(tmp_path, TWO_ENDS, "") == {"framework.band_gap"}


def test_declaring_a_gap_where_the_bands_leave_none_is_refused(tmp_path: Path) -> None:
    full = TWO_ENDS + '\n      - {code: mid, name_vi: "Giữa", min: 50, below: 90}'
    assert rules_of(tmp_path, full, DECLARED) == {"framework.ungraded_without_gap"}


def test_overlapping_bands_are_refused_even_with_a_declared_gap(tmp_path: Path) -> None:
    overlap = TWO_ENDS + '\n      - {code: x, name_vi: "X", min: 40, below: 60}'
    assert "framework.band_overlap" in rules_of(tmp_path, overlap, DECLARED)


def test_the_service_index_declares_the_two_sourced_bands_and_the_gap() -> None:
    fw = get_framework("service-index-2022")
    assert fw.groups is not None and fw.groups.ungraded is not None
    assert [(b.name_vi, b.min, b.below) for b in fw.groups.bands] == [
        ("Xuất sắc", 90, None),
        ("Yếu", None, 50),
    ]
    assert "Tốt, Khá, Trung bình" in fw.groups.ungraded.name_vi
    assert "vneconomy" in fw.groups.source
    sources = " ".join(fw.sources)
    assert "vneconomy" in sources and "baolamdong" in sources and "sonoivu.namdinh" in sources


def test_the_service_index_group_maxima_are_those_the_nam_dinh_source_gives() -> None:
    """Công khai, minh bạch 18; tiến độ, kết quả 20; số hóa hồ sơ 22; dịch vụ trực tuyến 22;
    mức độ hài lòng 18 (sonoivu.namdinh.gov.vn)."""
    fw = get_framework("service-index-2022")
    maxima = {n.name_vi: n.max for n in fw.nodes}
    assert maxima == {
        "Công khai, minh bạch": 18,
        "Tiến độ, kết quả giải quyết": 20,
        "Cung cấp dịch vụ trực tuyến": 22,
        "Số hóa hồ sơ": 22,
        "Mức độ hài lòng": 18,
    }


@pytest.mark.parametrize(
    ("value", "state", "band"),
    [
        (100.0, "graded", "top"),
        (90.0, "graded", "top"),
        (89.996, "graded", "top"),  # published at two decimals: 90,00
        (89.99, "ungraded", None),
        (70.0, "ungraded", None),
        (50.0, "ungraded", None),
        (49.99, "graded", "weak"),
        (0.0, "graded", "weak"),
    ],
)
def test_a_value_is_graded_by_the_bands_that_hold_it_or_not_at_all(
    value: float, state: str, band: str | None
) -> None:
    grade = grade_of(FW, value)
    assert grade.state == state
    assert (grade.band.code if grade.band else None) == band


def test_an_incomplete_value_or_none_is_not_graded() -> None:
    assert grade_of(FW, 95.0, complete=False).state == "incomplete"
    assert grade_of(FW, None).state == "none"


def test_scoring_and_ranking_give_a_unit_in_the_gap_no_group(tmp_path: Path) -> None:
    data: dict[str, dict[str, float | str | None]] = {
        "A": {"1.1": 58, "2.1": 37},  # 95
        "B": {"1.1": 40, "2.1": 30},  # 70
        "C": {"1.1": 20, "2.1": 10},  # 30
    }
    results = load_results(results_file(tmp_path / "r.json", FW, data), FW).results
    groups = dict(zip(results.units, results.groups, strict=True))
    assert {u: g.code if g else None for u, g in groups.items()} == {
        "A": "top",
        "B": None,
        "C": "weak",
    }
    assert list(results.rank) == [1, 2, 3]
    summary = results.summary()
    assert summary.per_group == {"top": 1, "weak": 1}
    assert group_name(FW, None, "vi") == ""


def test_group_probabilities_leave_the_gap_out(tmp_path: Path) -> None:
    """Index 70 with a standard error of 10: P(≥ 90) and P(< 50) are each 1 − Φ(2); the rest
    is the gap, in no group."""
    data: dict[str, dict[str, float | str | None]] = {"B": {"1.1": 40, "2.1": 30}}
    path = results_file(tmp_path / "r.json", FW, data, {"B": 10.0})
    unit = rank_uncertainty(load_results(path, FW), 100_000, seed=5).units[0]
    tail = 1 - 0.5 * (1 + math.erf(2 / math.sqrt(2)))
    assert set(unit.p_group) == {"top", "weak"}
    assert unit.p_group["top"] == pytest.approx(tail, abs=0.004)
    assert unit.p_group["weak"] == pytest.approx(tail, abs=0.004)
    assert sum(unit.p_group.values()) < 1 - 0.9


def test_show_json_exports_the_gap_and_the_source() -> None:
    out = CliRunner().invoke(app, ["frameworks", "show", "service-index-2022", "--format", "json"])
    assert out.exit_code == 0, out.output
    groups = json.loads(out.output)["groups"]
    assert [b["code"] for b in groups["bands"]] == ["xuat-sac", "yeu"]
    assert groups["ungraded"]["name_en"].startswith("Not graded")
    assert "vneconomy" in groups["source"]


def test_a_full_banding_still_has_no_gap_and_no_ungraded() -> None:
    fw = get_framework("par-province-2019")
    assert fw.groups is not None and fw.groups.ungraded is None
    values = np.linspace(0, 100, 201)
    assert all(fw.groups.band_for(float(v)) is not None for v in values)


def test_maps_colour_the_two_known_grades_apart_and_the_gap_as_not_graded(
    tmp_path: Path,
) -> None:
    """Two bands take the two ends of the scale (yếu is red, not the second green of four);
    a unit in the gap is "not graded" on the map, not "no data"."""
    data: dict[str, dict[str, float | str | None]] = {
        "A": {"1.1": 58, "2.1": 37},
        "B": {"1.1": 40, "2.1": 30},
        "C": {"1.1": 20, "2.1": 10},
        "D": {"1.1": 20},  # incomplete
    }
    path = results_file(tmp_path / "r.json", FW, data)
    doc = from_json(json.loads(path.read_text(encoding="utf-8")))
    palette = group_palette(FW)
    assert palette == {"top": PALETTE[0], "weak": PALETTE[3]}
    colours = group_colours(doc, FW)
    assert colours == {"A": PALETTE[0], "B": UNGRADED, "C": PALETTE[3]}
    assert [name for _, name in group_legend(FW, "en")] == [
        "Excellent",
        "Weak",
        "Not graded",
        "no data",
    ]
    four = framework(branch("1", 100, leaf("1.1", 100)))
    assert list(group_palette(four).values()) == PALETTE[:4]
