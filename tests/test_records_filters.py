"""Any filter a framework may write counts the same whether the records are counted once at
their own grain and then spread over the periods (what periods that follow each other use:
each filter split by the values of the period flags it tests) or joined to every period they
matter to, with every condition tested on the joined rows (what periods with gaps use): the
second evaluates the filter as written, so the first's split cannot lose or add a case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import chiso.records.compile as compile_module
from chiso.frameworks.dossier_schema import CHANNELS, FLAGS, LEVELS, OPEN, OUTCOMES
from chiso.frameworks.metric import Filter, Metric
from chiso.frameworks.model import Node
from chiso.records.engines import duckdb_backend, read_records
from chiso.records.periods import parse_periods
from records_for_tests import random_records, write_parquet


def _some(words: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...] | None]:
    return st.none() | st.lists(st.sampled_from(words), min_size=1, unique=True).map(tuple)


def _filters(depth: int) -> st.SearchStrategy[Filter]:
    flags = st.lists(
        st.tuples(st.sampled_from(FLAGS), st.booleans()),
        max_size=3,
        unique_by=lambda pair: pair[0],
    ).map(tuple)
    options = st.just(()) if depth == 0 else st.lists(_filters(depth - 1), max_size=3).map(tuple)
    return st.builds(
        Filter,
        flags=flags,
        channels=_some(CHANNELS),
        outcomes=_some((*OUTCOMES, OPEN)),
        rating_at_least=st.none() | st.integers(1, 5),
        rating_at_most=st.none() | st.integers(1, 5),
        any_of=options,
    )


_metrics = st.builds(
    Metric,
    numerator=_filters(2),
    denominator=_filters(2),
    count=st.sampled_from(("dossiers", "procedures")),
    levels=st.just(LEVELS) | st.lists(st.sampled_from(LEVELS), min_size=1, unique=True).map(tuple),
)


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_parquet(random_records(600, 21), tmp_path_factory.mktemp("r") / "r.parquet")


def _rows(records: Path, leaves: list[Node], spread: bool) -> list[tuple[Any, ...]]:
    backend = duckdb_backend()
    table = read_records(backend, records)
    periods = parse_periods("2024-04:2024-07")  # records reach before and after the range
    original = compile_module.contiguous
    compile_module.contiguous = lambda periods: spread and original(periods)
    try:
        expr = compile_module.procedure_counts(table, leaves, periods, with_rows=True)
    finally:
        compile_module.contiguous = original
    got = backend.to_pyarrow(expr).to_pylist()
    return sorted(tuple(row.values()) for row in got)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(metrics=st.lists(_metrics, min_size=1, max_size=3))
def test_counting_at_the_records_grain_equals_testing_every_period(
    records: Path, metrics: list[Metric]
) -> None:
    leaves = [
        Node(code=f"L{i}", name_vi="", name_en="", max=1.0, metric=m) for i, m in enumerate(metrics)
    ]
    assert _rows(records, leaves, spread=True) == _rows(records, leaves, spread=False)
