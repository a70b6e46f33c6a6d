"""The loader checks a leaf's ``metric``: known conditions and words only, on leaves whose
points come from data, every problem with its line."""

from __future__ import annotations

from pathlib import Path

from chiso.frameworks import read_framework

HEAD = """format: 1
code: x-2024
index: X
subject: province
name_vi: X
name_en: X
years: {from: 2024}
legal_basis: "-"
nodes:
"""


def _problems(tmp_path: Path, nodes: str) -> set[tuple[int | None, str]]:
    path = tmp_path / "x.yaml"
    path.write_text(HEAD + nodes, encoding="utf-8")
    _, report = read_framework(path)
    return {(p.row, p.rule) for p in report}


def test_a_valid_metric_is_read_with_its_filters(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        HEAD
        + """  - code: "1"
    name_vi: A
    max: 10
    source: data
    metric:
      count: procedures
      levels: [commune]
      numerator: {received_in_period: true, channel: [online_full]}
      denominator: {any: [{received_in_period: true}, {overdue_at_end: true}]}
""",
        encoding="utf-8",
    )
    fw, report = read_framework(path)
    assert fw is not None, list(report)
    metric = fw.node("1").metric
    assert metric is not None
    assert metric.count == "procedures" and metric.levels == ("commune",)
    assert metric.numerator.channels == ("online_full",)
    assert len(metric.denominator.any_of) == 2


def test_unknown_conditions_and_words_are_reported_with_their_lines(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        """  - code: "1"
    name_vi: A
    max: 10
    source: appraised
    metric:
      count: people
      numerator: {received_in_period: yes please, colour: red}
      denominator: {channel: [fax]}
""",
    )
    assert problems == {
        (14, "framework.metric_not_data"),
        (15, "framework.bad_choice"),
        (16, "framework.bad_type"),
        (16, "framework.metric_unknown_condition"),
        (17, "framework.bad_choice"),
    }


def test_a_metric_needs_a_numerator_and_a_denominator(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        """  - code: "1"
    name_vi: A
    max: 10
    source: data
    metric:
      numerator: {synced: true}
""",
    )
    assert (15, "framework.missing_key") in problems
