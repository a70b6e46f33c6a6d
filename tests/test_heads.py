"""The head's classification in a framework: validated as data (every group in exactly one
class, bands without gaps, proposals that exist) and applied to each unit's results."""

from __future__ import annotations

from pathlib import Path

import pytest

from chiso.frameworks.loader import load_framework
from chiso.frameworks.registry import get_framework
from chiso.problems import Refusal
from chiso.scoring.document import UnitEntry
from chiso.scoring.heads import classify

EXAMPLE = Path(get_framework("example-department-2024").path)


def _entry(group: str | None, index: float | None, rank: int | None = 1) -> UnitEntry:
    return UnitEntry("Sở A", {}, index, 100.0, index, rank, group, "complete")


def _with_heads(tmp_path: Path, heads: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index("head_classification:")
    end = text.index("\nnodes:")
    path = tmp_path / "fw.yaml"
    path.write_text(text[:start] + heads + text[end:], encoding="utf-8")
    return path


def test_the_example_classifies_a_units_head_by_its_group() -> None:
    rule = get_framework("example-department-2024").head_classification
    assert rule is not None and rule.on == "group"
    best = classify(rule, _entry("tốt", 85.0))
    assert best is not None and best.name_vi == "Hoàn thành xuất sắc nhiệm vụ"
    assert rule.proposal(best.proposal) is not None
    worst = classify(rule, _entry("yếu", 40.0))
    assert worst is not None and worst.proposal == "xem xét"


def test_a_unit_not_ranked_gets_no_classification() -> None:
    rule = get_framework("example-department-2024").head_classification
    assert rule is not None
    assert classify(rule, _entry("tốt", 85.0, rank=None)) is None


def test_a_group_left_out_is_refused_with_its_line(tmp_path: Path) -> None:
    heads = """head_classification:
  by: group
  classes:
    - {code: a, name_vi: Hoàn thành, groups: [tốt, khá, trung bình]}
"""
    with pytest.raises(Refusal) as refused:
        load_framework(_with_heads(tmp_path, heads))
    assert "nhóm 'yếu' không thuộc xếp loại nào" in "\n".join(refused.value.report.lines("vi"))


def test_an_unknown_proposal_and_group_are_refused(tmp_path: Path) -> None:
    heads = """head_classification:
  by: group
  classes:
    - {code: a, name_vi: A, groups: [tốt, khá, trung bình, yếu, xuất sắc], proposal: thưởng}
"""
    with pytest.raises(Refusal) as refused:
        load_framework(_with_heads(tmp_path, heads))
    text = "\n".join(refused.value.report.lines("en"))
    assert "proposal 'thưởng'" in text and "'xuất sắc'" in text
    assert "fw.yaml" in text  # each reason names its file and line


def test_bands_of_the_index_must_leave_no_gap(tmp_path: Path) -> None:
    heads = """head_classification:
  by: index
  classes:
    - {code: a, name_vi: A, min: 80}
    - {code: b, name_vi: B, below: 70}
"""
    with pytest.raises(Refusal) as refused:
        load_framework(_with_heads(tmp_path, heads))
    assert "gap between 70 and 80" in "\n".join(refused.value.report.lines("en"))
    fine = _with_heads(tmp_path, heads.replace("below: 70", "below: 80"))
    rule = load_framework(fine).head_classification
    assert rule is not None
    found = classify(rule, _entry(None, 75.0))
    assert found is not None and found.code == "b"
