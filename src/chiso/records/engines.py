"""Where the compiled expression runs: DuckDB (default; embedded, reads Parquet and CSV from
disk, spills to disk beyond memory) or Apache Spark through PySpark (local mode or a cluster
given by its master URL). Both receive the same Ibis expression from
:mod:`chiso.records.compile`.

Records are read from a canonical dataset: one Parquet file, or a folder of Parquet files (any
depth, as ``chiso dossiers simulate`` and ``chiso dossiers import`` write them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chiso.frameworks.dossier_schema import INDICATOR_COLUMNS

if TYPE_CHECKING:
    import ibis.expr.types as ir
    from ibis.backends import BaseBackend

    from chiso.frameworks.model import Framework
    from chiso.records.compile import IndicatorValue
    from chiso.records.periods import Period

ENGINES = ("duckdb", "spark")
COLUMNS = INDICATOR_COLUMNS
"""The columns the indicators read (the schema's others — the dossier id, the events — are
not read at all: Parquet is read by column)."""


def is_remote(path: str | Path) -> bool:
    """A location for Spark's executors (``hdfs://``, ``s3a://``, ``file://``…), not a path
    on this machine."""
    return "://" in str(path)


def parquet_files(path: Path) -> list[str]:
    if path.is_dir():
        return sorted(str(p) for p in path.rglob("*.parquet"))
    return [str(path)]


def duckdb_backend(memory_limit: str | None = None, threads: int | None = None) -> BaseBackend:
    import ibis

    config: dict[str, Any] = {}
    if memory_limit:
        config["memory_limit"] = memory_limit
    if threads:
        config["threads"] = threads
    return ibis.duckdb.connect(**config)


def spark_session(master: str | None = None) -> Any:
    """A SparkSession: local mode on every core by default, or the cluster at ``master``.
    Timestamps are read and compared as written (no time zone shift): the session's zone is
    UTC and the records carry local times without a zone."""
    import tempfile

    from chiso import environment

    try:
        from pyspark.sql import SparkSession
    except ModuleNotFoundError:
        raise spark_missing() from None

    url = master or environment.value("CHISO_SPARK_MASTER")
    builder = (
        SparkSession.builder.appName("chiso-dossiers")
        .master(url)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    if url.startswith("local"):
        # chiso only reads files: nothing is kept in a warehouse beside the user's files
        warehouse = Path(tempfile.gettempdir()) / "chiso-spark-warehouse"
        builder = builder.config("spark.sql.warehouse.dir", str(warehouse))
    return builder.getOrCreate()


def spark_missing() -> Exception:
    """``--engine spark`` where PySpark is not installed: which extra to install, not a
    ModuleNotFoundError."""
    from chiso.problems import ProblemReport, Refusal

    report = ProblemReport()
    report.add("engine.spark_missing", "--engine spark")
    return Refusal(report)


def spark_backend(session: Any) -> BaseBackend:
    import ibis

    try:
        return ibis.pyspark.connect(session)
    except ModuleNotFoundError:  # ibis's PySpark backend needs its own extra packages
        raise spark_missing() from None


def read_records(backend: BaseBackend, path: str | Path) -> ir.Table:
    """The records at ``path`` as a table of the backend, with the columns indicators use.
    Spark reads any location its executors reach (``hdfs://…``, ``s3a://…``, a shared disk)."""
    name = getattr(backend, "name", "")
    if name == "pyspark":
        location = str(path) if is_remote(path) else str(Path(path).resolve())
        session = backend._session
        frame = session.read.option("recursiveFileLookup", "true").parquet(location)
        view = f"chiso_records_{abs(hash(location))}"
        frame.createOrReplaceTempView(view)
        table = backend.table(view)
    else:
        files = parquet_files(Path(path))
        table = backend.read_parquet(files, hive_partitioning=False)
    result: ir.Table = table.select(*COLUMNS)
    return result


@dataclass
class Run:
    """One computation: where the records are, which engine, what to group by."""

    records: str | Path
    engine: str = "duckdb"
    by: str = "unit"
    spark_master: str | None = None
    memory_limit: str | None = None
    backend: BaseBackend | None = None


def compute(framework: Framework, periods: list[Period], run: Run) -> list[IndicatorValue]:
    """Every data indicator of ``framework`` for every period, computed on the chosen engine."""
    from chiso.records.compile import (
        compile_indicators,
        data_leaves,
        values_from,
    )

    leaves = data_leaves(framework)
    backend = run.backend
    if backend is None:
        if run.engine == "spark":
            backend = spark_backend(spark_session(run.spark_master))
        else:
            backend = duckdb_backend(run.memory_limit)
    records = read_records(backend, run.records)
    expr = compile_indicators(records, leaves, periods, run.by)
    return values_from(backend.to_pyarrow(expr), leaves, run.by)
