"""A report keeps at most :data:`~chiso.problems.MAX_PROBLEMS` problems and counts the rest.

Issue #19 sent a 1,475-byte framework whose 262,141 problems came back as a 45 MB answer: a
file can break one rule on every row, and nobody reads the ten-thousandth problem. A report
keeps the first problems (every reader adds them in file order, so these are the ones to fix
first), counts every other one, and is rendered with one closing line saying how many more
there are."""

from __future__ import annotations

import pytest

from chiso.frameworks.loader import framework_from_text
from chiso.problems import MAX_PROBLEMS, ProblemReport, Refusal


def report_of(count: int, file: str = "f.csv") -> ProblemReport:
    report = ProblemReport()
    for row in range(1, count + 1):
        report.add("value.not_number", file, row, "a", value=f"x{row}")
    return report


def test_a_report_keeps_the_first_problems_and_counts_every_one() -> None:
    report = report_of(MAX_PROBLEMS + 50)
    assert len(report) == MAX_PROBLEMS + 50 and report.unlisted == 50
    assert [p.row for p in report] == list(range(1, MAX_PROBLEMS + 1))


def test_a_report_within_the_limit_has_nothing_unlisted_and_no_closing_line() -> None:
    report = report_of(3)
    assert report.unlisted == 0 and len(report.lines("en")) == 3
    assert [d["row"] for d in report.as_dicts("en")] == [1, 2, 3]


@pytest.mark.parametrize(
    ("lang", "text"), [("vi", "còn 50 lỗi khác không liệt kê"), ("en", "50 more problems")]
)
def test_a_long_report_ends_with_one_line_saying_how_many_more(lang: str, text: str) -> None:
    report = report_of(MAX_PROBLEMS + 50)
    lines = report.lines(lang)
    assert len(lines) == MAX_PROBLEMS + 1 and text in lines[-1]
    dicts = report.as_dicts(lang)
    assert len(dicts) == MAX_PROBLEMS + 1
    assert dicts[-1]["rule"] == "file.too_many_problems" and text in dicts[-1]["message"]
    assert dicts[-1]["file"] == "f.csv"


def test_joining_and_renaming_reports_keep_the_count() -> None:
    joined = report_of(MAX_PROBLEMS - 10)
    joined.extend(report_of(30))
    assert len(joined) == MAX_PROBLEMS + 20 and joined.unlisted == 20
    renamed = joined.for_file("tải lên.csv")
    assert len(renamed) == MAX_PROBLEMS + 20 and {p.file for p in renamed} == {"tải lên.csv"}


def test_a_reader_that_counts_problems_without_making_them_adds_the_count() -> None:
    report = report_of(2)
    report.add_unlisted(1_000_000)
    assert len(report) == 1_000_002 and report.unlisted == 1_000_000 and report


def test_a_framework_with_thousands_of_problems_reports_at_most_the_limit() -> None:
    """Three thousand criteria each breaking two rules, without any YAML alias."""
    nodes = "".join(f"  - {{code: 'x{i}', zz: 1}}\n" for i in range(3000))
    text = "format: 1\ncode: many\nnodes:\n" + nodes
    with pytest.raises(Refusal) as caught:
        framework_from_text(text, "many.yaml")
    report = caught.value.report
    assert len(report) > 6000 and len(list(report)) == MAX_PROBLEMS
    assert len(report.as_dicts("vi")) == MAX_PROBLEMS + 1
