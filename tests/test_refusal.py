"""One error type: a refusal lists a file's problems or names one rule, with its kind; both
read alike to whoever tells only the first reason."""

from __future__ import annotations

import pytest

from chiso.problems import Kind, ProblemReport, Refusal


def test_a_refusal_of_a_file_lists_every_problem_and_reads_its_first() -> None:
    report = ProblemReport()
    report.add("value.not_number", "phieu.csv", 3, "1.2", value="abc")
    report.add("unit.empty", "phieu.csv", 4)
    refused = Refusal(report)
    assert refused.listed and refused.kind is Kind.INVALID
    assert [p.rule for p in refused.report] == ["value.not_number", "unit.empty"]
    assert (refused.rule, refused.field, refused.params) == (
        "value.not_number",
        "1.2",
        {"value": "abc"},
    )


def test_a_refusal_of_one_rule_is_one_problem_of_no_file() -> None:
    refused = Refusal("cycle.conflict", Kind.CONFLICT, None, current=4)
    assert not refused.listed and refused.kind is Kind.CONFLICT
    assert [(p.rule, p.file, p.params) for p in refused.report] == [
        ("cycle.conflict", "", {"current": 4})
    ]
    assert "4" in refused.message("en")


def test_a_rule_may_have_a_parameter_named_kind_or_field() -> None:
    """Kind and field are given by position, so the rule's own parameters keep any name."""
    refused = Refusal("framework.rule_unknown", kind="bands2", allowed="points")
    assert refused.kind is Kind.INVALID
    assert refused.params == {"kind": "bands2", "allowed": "points"}
    assert "bands2" in refused.message("vi")


def test_a_refusal_says_why() -> None:
    with pytest.raises(ValueError):
        Refusal(ProblemReport())


def test_a_number_in_a_message_is_written_as_the_reader_writes_it() -> None:
    from chiso.messages import render

    assert render("value.above_max", "vi", value="7", max=5.0, node="1.2").endswith(
        "điểm tối đa 5 của 1.2"
    )
    assert "điểm tối đa 2,5 " in render("value.above_max", "vi", value="7", max=2.5, node="1.2")
    assert "maximum 2.5 " in render("value.above_max", "en", value="7", max=2.5, node="1.2")
