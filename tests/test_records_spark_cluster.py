"""The Spark path on a real standalone cluster (a master and two worker processes started
from the PySpark distribution, a ``spark://`` URL), not only local mode: the same numbers as
DuckDB from the same files, computed by executors on both workers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chiso.frameworks import get_framework
from chiso.records.engines import Run, spark_backend, spark_session
from chiso.records.index import index_values
from chiso.records.periods import parse_periods
from chiso.records.simulate import Plan, simulate
from conftest import require_tool
from spark_cluster import standalone_cluster

FW = get_framework("service-index-2022")


@pytest.fixture(scope="module")
def cluster_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    require_tool("java", "default-jre-headless")
    from pyspark.sql import SparkSession

    folder = tmp_path_factory.mktemp("spark-cluster")
    with standalone_cluster(folder) as url:
        active = SparkSession.getActiveSession()
        if active is not None:  # a local-mode session of another module
            active.stop()
        session = spark_session(url)
        session.sparkContext.setLogLevel("ERROR")
        try:
            yield session
        finally:
            session.stop()


def test_the_cluster_gives_the_same_numbers_as_duckdb(tmp_path: Path, cluster_session: Any) -> None:
    folder = tmp_path / "records"
    simulate(Plan(("Hà Nội", "Huế", "Cà Mau", "Đà Nẵng"), 20_000, months=3, seed=8), folder)
    periods = parse_periods("2024-01:2024-03")
    context = cluster_session.sparkContext
    assert context.master.startswith("spark://127.0.0.1:")
    on_duckdb = index_values(FW, periods, Run(folder))
    on_cluster = index_values(FW, periods, Run(folder, backend=spark_backend(cluster_session)))
    assert on_cluster == on_duckdb
    assert len(on_duckdb) == 3 * 4 * 10
    # the work was spread over the two workers' executors
    executors = context._jsc.sc().getExecutorMemoryStatus().size()  # driver + executors
    assert executors >= 3
