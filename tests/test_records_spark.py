"""DuckDB and Apache Spark (local mode) give identical counts from the same files: the same
Ibis expression on both. CI installs a Java runtime (.ci/run), so this runs there, never
skipped; one SparkSession for the module (a JVM start costs seconds)."""

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
from records_for_tests import random_records, reference_values, write_parquet

FW = get_framework("service-index-2022")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    require_tool("java", "default-jre-headless")
    session = spark_session("local[2]")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.mark.parametrize("by", ["unit", "field"])  # by procedure: the CLI test below
def test_spark_and_duckdb_give_the_same_numbers_on_simulated_records(
    tmp_path_factory: pytest.TempPathFactory, spark: Any, by: str
) -> None:
    folder = tmp_path_factory.getbasetemp() / "spark-sim"
    if not folder.exists():
        simulate(Plan(("Hà Nội", "Huế", "Cà Mau", "Đà Nẵng"), 20_000, months=3, seed=5), folder)
    periods = parse_periods("2024-01:2024-03")
    on_duckdb = index_values(FW, periods, Run(folder, by=by))
    on_spark = index_values(FW, periods, Run(folder, by=by, backend=spark_backend(spark)))
    assert on_spark == on_duckdb
    assert len(on_duckdb) > 100


def test_spark_equals_the_plain_python_computation(tmp_path: Path, spark: Any) -> None:
    import datetime as dt

    records = random_records(1500, seed=21)
    path = write_parquet(records, tmp_path / "records.parquet")
    backend = spark_backend(spark)
    # a Parquet file that is not a canonical dataset is checked first (in DuckDB), then the
    # checked copy is read by Spark
    values = index_values(FW, parse_periods("2024-06"), Run(path, backend=backend))
    got = {(v.unit, v.key, v.node): (v.numerator, v.denominator) for v in values}
    assert got == reference_values(records, dt.datetime(2024, 6, 1), dt.datetime(2024, 7, 1))


def test_the_cli_runs_on_spark_with_the_same_output_as_on_duckdb(
    tmp_path_factory: pytest.TempPathFactory, spark: Any
) -> None:
    from typer.testing import CliRunner

    from chiso.cli.app import app

    folder = tmp_path_factory.getbasetemp() / "spark-sim"
    if not folder.exists():
        simulate(Plan(("Hà Nội", "Huế", "Cà Mau", "Đà Nẵng"), 20_000, months=3, seed=5), folder)
    outputs = {}
    for engine in ("duckdb", "spark"):
        out = tmp_path_factory.getbasetemp() / f"cli-{engine}.csv"
        result = CliRunner().invoke(
            app,
            [
                "dossiers",
                "index",
                str(folder),
                "-f",
                "service-index-2022",
                "--period",
                "2024-02",
                "--by",
                "procedure",
                "--engine",
                engine,
                "--spark-master",
                "local[2]",
                "--out",
                str(out),
            ],
        )
        assert result.exit_code == 0, result.output
        outputs[engine] = out.read_bytes()
    assert outputs["spark"] == outputs["duckdb"]
