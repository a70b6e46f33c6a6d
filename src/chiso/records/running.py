"""The running index: record files folded in as they land, the months' counts updated without
reading again what was already counted.

The state is a DuckDB file and a folder beside it (``<state>.records``): the records of each
file taken, as it was taken (one Arrow file per file taken, named by its sequence number), and
in the DuckDB file which of them holds each dossier's latest state (table ``latest``: dossier,
sequence number), the first-stage counts of the indicators per month, unit and procedure (table
``counts``, the integers of :func:`chiso.records.compile.procedure_counts` with the number of
records ``k``), the months kept (``periods``) and the files taken (``files``). Writing a day's
records into DuckDB's own storage took half of a fold's time; an Arrow file is written as the
records are in memory, and read back without decoding them (memory-mapped). A state written
before kept the records in the table ``records``: they are read from there, as a file taken.
Folding a file:

1. the file is read and checked whole (chiso's CSV/Parquet schema, or the national portal's
   standard with a profile); a file with any problem is refused whole, nothing counted;
2. the stored state of the dossiers it names is the *old* contribution, the file's records
   the *new* one; both are counted by the same expression as a batch run, and the counts
   become ``counts − old + new`` — integers, so the result is exactly that of a batch over
   the same records (a group whose records all left is removed);
3. a month the records reach for the first time is counted from the stored records;
4. all of it in one transaction: a crash leaves the state as it was before the file.

Order: files are taken in the order of their names; a dossier named again replaces its
earlier state (latest wins), so a dossier counted as pending and finished late in a later
file is counted once, at its finished state. Within one file a dossier appears once (or as
identical copies): two different states of one dossier in one file refuse the file.

The values (second stage: added per unit, procedures counted) are computed from ``counts``
alone, which is small (months × units × procedures).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chiso.frameworks.dossier_schema import DATASET_COLUMNS
from chiso.problems import ProblemReport, Refusal

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa
    from ibis.backends import BaseBackend

    from chiso.frameworks.model import Framework, Node
    from chiso.records.compile import IndicatorValue
    from chiso.records.periods import Period
    from chiso.records.standard import Profile

SUFFIXES = (".csv", ".parquet", ".json")
"""The files a watched folder may receive (``.json`` and a CSV with the standard's header
need a profile)."""


@dataclass(frozen=True)
class Folded:
    """One file taken: its name, how many dossiers it brought, how many were already known
    (their earlier state replaced)."""

    name: str
    rows: int
    replaced: int


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def month_periods(first: tuple[int, int], last: tuple[int, int]) -> list[Period]:
    from chiso.records.periods import parse_periods

    return parse_periods(f"{first[0]:04d}-{first[1]:02d}:{last[0]:04d}-{last[1]:02d}")


class RunningIndex:
    """The running months of one framework, kept in the DuckDB file ``state``."""

    def __init__(self, state: str | Path, framework: Framework) -> None:
        import duckdb
        import ibis

        from chiso.records.compile import data_leaves

        self.path = Path(state)
        self.framework = framework
        self.leaves: list[Node] = data_leaves(framework)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con: duckdb.DuckDBPyConnection = duckdb.connect(str(self.path))
        # a day's records are written as they come, not compressed: compressing 300,000
        # records as they are inserted took three quarters of a fold's time (the state file
        # is about twice as large)
        self.con.execute("PRAGMA force_compression = 'uncompressed'")
        self.backend: BaseBackend = ibis.duckdb.from_connection(self.con)
        self.folder = self.path.with_name(self.path.name + ".records")
        self._counting: dict[tuple[str, ...], str] = {}
        self._segments: dict[int, pa.Table] = {}
        self._prepare()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> RunningIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the state's tables ---------------------------------------------------------------

    def _prepare(self) -> None:
        leaves = json.dumps([leaf.code for leaf in self.leaves])
        self.con.execute("CREATE TABLE IF NOT EXISTS meta(key VARCHAR PRIMARY KEY, value VARCHAR)")
        stored = dict(self.con.execute("SELECT key, value FROM meta").fetchall())
        if stored and (stored.get("framework"), stored.get("leaves")) != (
            self.framework.code,
            leaves,
        ):
            report = ProblemReport()
            report.add(
                "running.other_framework",
                str(self.path),
                framework=stored.get("framework", "?"),
            )
            self.close()
            raise Refusal(report)
        counts = ", ".join(f"n{i} BIGINT, d{i} BIGINT" for i in range(len(self.leaves)))
        self.con.execute(
            f"""
            CREATE TABLE IF NOT EXISTS periods(period VARCHAR PRIMARY KEY, p_start TIMESTAMP,
                p_end TIMESTAMP);
            CREATE TABLE IF NOT EXISTS records(dossier_id VARCHAR, unit VARCHAR, level VARCHAR,
                procedure VARCHAR, field VARCHAR, channel VARCHAR, received TIMESTAMP,
                due TIMESTAMP, finished TIMESTAMP, outcome VARCHAR, paid_online BOOLEAN,
                inputs_digitised BOOLEAN, results_digitised BOOLEAN, synced BOOLEAN,
                reused BOOLEAN, rating TINYINT, events VARCHAR, seq BIGINT);
            CREATE TABLE IF NOT EXISTS counts(period VARCHAR, unit VARCHAR, procedure VARCHAR,
                k BIGINT, {counts});
            CREATE TABLE IF NOT EXISTS files(name VARCHAR, sha256 VARCHAR, rows BIGINT,
                seq BIGINT, taken_at TIMESTAMP DEFAULT current_timestamp);
            INSERT OR REPLACE INTO meta VALUES ('framework', ?), ('leaves', ?);
            """,
            [self.framework.code, leaves],
        )
        has_latest = self.con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'latest'"
            " AND database_name = current_database()"
        ).fetchone()
        if not has_latest or not has_latest[0]:
            # a new state, or one that kept every record in the table ``records``
            self.con.execute("CREATE TABLE latest AS SELECT DISTINCT dossier_id, seq FROM records")

    def taken(self) -> dict[str, str]:
        """The files already folded in: name → SHA-256."""
        return dict(self.con.execute("SELECT name, sha256 FROM files").fetchall())

    def periods(self) -> list[Period]:
        from chiso.records.periods import Period

        rows = self.con.execute("SELECT period, p_start, p_end FROM periods ORDER BY 1").fetchall()
        return [Period(label, start, end) for label, start, end in rows]

    # -- folding a file in ----------------------------------------------------------------

    def fold_file(
        self,
        path: str | Path,
        profile: Profile | None = None,
        units: tuple[str, ...] | None = None,
        through: tuple[int, int] | None = None,
    ) -> Folded:
        """Read and check ``path`` whole, then fold its records in (one transaction).
        Refuse it (:class:`Refusal`, every problem) and count nothing when it has a problem.
        ``through``: keep months up to this one (year, month) even with no record in it
        (the current month)."""
        source = Path(path)
        digest = file_digest(source)
        records = read_checked(source, profile, units)
        return self.fold(records, source.name, digest, through)

    def fold(
        self,
        records: pa.Table,
        name: str,
        digest: str = "",
        through: tuple[int, int] | None = None,
    ) -> Folded:
        """Fold checked records (chiso's dataset columns) in, as the file ``name``."""
        import numpy as np
        import pyarrow as pa

        con = self.con
        incoming = records.select(list(DATASET_COLUMNS))
        row = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM files").fetchone()
        seq = int(row[0]) if row else 1
        incoming = incoming.append_column(
            "seq", pa.array(np.full(incoming.num_rows, seq, dtype=np.int64))
        ).combine_chunks()  # one chunk: DuckDB reads it twice as fast as many small ones
        con.register("incoming", incoming)
        segment = self._segment_path(seq)
        try:
            old = self._stored(
                "SELECT dossier_id, seq FROM latest SEMI JOIN incoming USING (dossier_id)"
            )
            known = self.periods()
            delta: list[pa.Table] = []
            if known:
                for table, sign in ((incoming, 1), (old, -1)):
                    if table.num_rows == 0:
                        continue
                    con.register("counting_input", table)
                    try:
                        counted = con.execute(self._counting_sql(known)).to_arrow_table()
                    finally:
                        con.unregister("counting_input")
                    delta.append(_signed(counted, sign))
            self._write_segment(incoming, segment)
            con.execute("BEGIN TRANSACTION")
            try:
                if old.num_rows:
                    con.register("replaced", old.select(["dossier_id"]))
                    con.execute(
                        "DELETE FROM latest WHERE dossier_id IN (SELECT dossier_id FROM replaced)"
                    )
                    con.unregister("replaced")
                con.execute("INSERT INTO latest SELECT dossier_id, seq FROM incoming")
                for i, table in enumerate(delta):
                    con.register(f"delta{i}", table)
                if delta:
                    self._merge([f"delta{i}" for i in range(len(delta))])
                self._new_months(known, through, incoming)
                con.execute(
                    "INSERT INTO files(name, sha256, rows, seq) VALUES (?, ?, ?, ?)",
                    [name, digest, incoming.num_rows, seq],
                )
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                self._segments.pop(seq, None)
                segment.unlink(missing_ok=True)
                raise
            finally:
                for i in range(len(delta)):
                    con.unregister(f"delta{i}")
        finally:
            con.unregister("incoming")
        return Folded(name, incoming.num_rows, old.num_rows)

    def _counting_sql(self, periods: list[Period]) -> str:
        """The first-stage counts (:func:`chiso.records.compile.procedure_counts`) of the
        records in the table ``counting_input`` as DuckDB SQL for the months kept: a fold
        runs it as it is, on the file's records and on their earlier states, without building
        the expression again (building and compiling it took longer than counting a day's
        records). Compiled when a month is first kept and saved in the state with the small
        tables it joins, so that a restarted watcher does not compile it again; it is compiled
        again when the months, the leaves' metrics or the code that compiles it change."""
        key = tuple(p.label for p in periods)
        sql = self._counting.get(key)
        if sql is not None:
            return sql
        stamp = self._counting_stamp(key)
        row = self.con.execute("SELECT value FROM meta WHERE key = 'counting'").fetchone()
        saved = json.loads(row[0]) if row else {}
        if saved.get("stamp") == stamp:
            sql = str(saved["sql"])
            tables = {name: _from_hex(data) for name, data in saved["tables"].items()}
        else:
            sql, tables = self._compile_counting(periods)
            saved = {
                "stamp": stamp,
                "sql": sql,
                "tables": {name: _to_hex(table) for name, table in tables.items()},
            }
            self.con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('counting', ?)", [json.dumps(saved)]
            )
        for name, table in tables.items():
            self.con.register(name, table)
        self._counting[key] = sql
        return sql

    def _counting_stamp(self, labels: tuple[str, ...]) -> str:
        """What the counting SQL depends on: the months, the leaves' metrics, the code that
        compiles them (chiso's compile module, ibis and DuckDB's versions)."""
        h = hashlib.sha256(_code_digest())
        parts = list(labels)
        parts += [f"{leaf.code}={leaf.metric!r}" for leaf in self.leaves]
        h.update("\n".join(parts).encode())
        return h.hexdigest()

    def _compile_counting(self, periods: list[Period]) -> tuple[str, dict[str, pa.Table]]:
        import ibis
        import ibis.expr.operations as ops

        from chiso.frameworks.dossier_schema import DATASET_COLUMNS as COLUMNS
        from chiso.records.compile import procedure_counts

        types = _STATE_TYPES
        table = ibis.table({c: types.get(c, "string") for c in COLUMNS}, name="counting_input")
        expr = procedure_counts(table, self.leaves, periods, with_rows=True)
        sql = ibis.to_sql(expr, dialect="duckdb")
        tables = {  # the small tables it joins
            op.name: op.data.to_pyarrow(op.schema) for op in expr.op().find(ops.InMemoryTable)
        }
        return sql, tables

    # -- the stored records ---------------------------------------------------------------

    def _segment_path(self, seq: int) -> Path:
        return self.folder / f"{seq:08d}.arrow"

    def _write_segment(self, records: pa.Table, path: Path) -> None:
        """The records of one file taken, as an Arrow file (uncompressed: written and read
        back as they are in memory), complete on disk before the fold commits."""
        import os

        import pyarrow as pa

        self.folder.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        with pa.OSFile(str(part), "wb") as sink, pa.ipc.new_file(sink, records.schema) as out:
            out.write_table(records)
        with open(part, "rb") as f:
            os.fsync(f.fileno())
        part.replace(path)

    def _segment(self, seq: int) -> pa.Table | None:
        """The records of the file taken as ``seq`` (memory-mapped), None when they were kept
        in the table ``records`` (a state written before)."""
        import pyarrow as pa

        if seq not in self._segments:
            path = self._segment_path(seq)
            if not path.is_file():
                return None
            self._segments[seq] = pa.ipc.open_file(pa.memory_map(str(path))).read_all()
        return self._segments[seq]

    def _stored(self, keys_sql: str) -> pa.Table:
        """The stored records whose (dossier_id, seq) the query ``keys_sql`` gives: each
        read from the Arrow file of the fold that brought it, or from the table ``records``
        of a state written before."""
        con = self.con
        keys = con.execute(keys_sql).to_arrow_table()
        con.register("wanted", keys)
        try:
            seqs = [int(r[0]) for r in con.execute("SELECT DISTINCT seq FROM wanted").fetchall()]
            parts: list[str] = []
            names: list[str] = []
            for seq in seqs:
                table = self._segment(seq)
                if table is None:
                    continue
                name = f"segment_{seq}"
                con.register(name, table)
                names.append(name)
                parts.append(f"SELECT * FROM {name} WHERE seq = {seq}")
            parts.append("SELECT * FROM records")
            union = " UNION ALL ".join(parts)
            cols = ", ".join([*DATASET_COLUMNS, "seq"])
            try:
                result: pa.Table = con.execute(
                    f"SELECT {cols} FROM ({union}) r SEMI JOIN wanted USING (dossier_id, seq)"
                ).to_arrow_table()
            finally:
                for name in names:
                    con.unregister(name)
        finally:
            con.unregister("wanted")
        return _as_stored(result)

    def _merge(self, deltas: list[str]) -> None:
        """``counts`` + the deltas, for the groups the deltas touch; a group left with no
        record is removed."""
        cols = ["k"] + [f"{p}{i}" for i in range(len(self.leaves)) for p in ("n", "d")]
        sums = ", ".join(f"sum({c})::BIGINT AS {c}" for c in cols)
        union = " UNION ALL BY NAME ".join(f"SELECT * FROM {d}" for d in deltas)
        self.con.execute(
            f"""CREATE OR REPLACE TEMP TABLE touched AS
            SELECT period, unit, procedure, {sums} FROM (
                SELECT * FROM ({union})
                UNION ALL BY NAME
                SELECT c.* FROM counts c SEMI JOIN ({union}) d
                    USING (period, unit, procedure)
            ) GROUP BY period, unit, procedure"""
        )
        self.con.execute(
            "DELETE FROM counts c USING touched t WHERE c.period = t.period"
            " AND c.unit = t.unit AND c.procedure = t.procedure"
        )
        self.con.execute(
            f"INSERT INTO counts SELECT period, unit, procedure, {', '.join(cols)}"
            " FROM touched WHERE k > 0"
        )

    def _new_months(
        self, known: list[Period], through: tuple[int, int] | None, incoming: pa.Table
    ) -> None:
        """Months the records now reach (from the first month received to the last time any
        record names, or ``through``) that were not kept yet: counted from the stored
        records. The months already kept cover the records stored before, so only the
        incoming records' times are looked at."""
        from chiso.records.compile import procedure_counts

        row = self.con.execute(
            "SELECT min(received), max(greatest(received, coalesce(finished, received)))"
            " FROM incoming"
        ).fetchone()
        if not row or row[0] is None:
            return
        first = (row[0].year, row[0].month)
        last = max((row[1].year, row[1].month), through or (0, 0))
        if known:
            first = min(first, (known[0].start.year, known[0].start.month))
            end = known[-1].start
            last = max(last, (end.year, end.month))
        have = {p.label for p in known}
        new = [p for p in month_periods(first, last) if p.label not in have]
        if not new:
            return
        stored = self._stored("SELECT dossier_id, seq FROM latest")
        self.con.register("stored_records", stored)
        try:
            expr = procedure_counts(
                self.backend.table("stored_records"), self.leaves, new, with_rows=True
            )
            counted = self.backend.to_pyarrow(expr)
        finally:
            self.con.unregister("stored_records")
        self.con.register("new_counts", counted)
        try:
            self.con.execute("INSERT INTO counts BY NAME SELECT * FROM new_counts")
        finally:
            self.con.unregister("new_counts")
        self.con.executemany(
            "INSERT INTO periods VALUES (?, ?, ?)", [[p.label, p.start, p.end] for p in new]
        )
        # compiled now, with the month's first file, rather than with its first day's
        self._counting_sql(self.periods())

    # -- reading the months ---------------------------------------------------------------

    def values(self) -> list[IndicatorValue]:
        """Every data indicator of every month kept, per unit: the same numbers as a batch
        run (:func:`chiso.records.engines.compute`) over the same records."""
        from chiso.records.compile import unit_counts, values_from

        expr = unit_counts(self.backend.table("counts"), self.leaves)
        return values_from(self.backend.to_pyarrow(expr), self.leaves)

    def records(self) -> pa.Table:
        """Every dossier at its latest state (the columns of chiso's dataset)."""
        stored = self._stored("SELECT dossier_id, seq FROM latest")
        self.con.register("stored_records", stored)
        try:
            cols = ", ".join(DATASET_COLUMNS)
            result: pa.Table = self.con.execute(
                f"SELECT {cols} FROM stored_records ORDER BY dossier_id"
            ).to_arrow_table()
        finally:
            self.con.unregister("stored_records")
        return result


_STATE_TYPES = {
    "received": "timestamp",
    "due": "timestamp",
    "finished": "timestamp",
    "paid_online": "boolean",
    "inputs_digitised": "boolean",
    "results_digitised": "boolean",
    "synced": "boolean",
    "reused": "boolean",
    "rating": "int8",
}
"""The types of the state's record columns (the others are text)."""


def _as_stored(table: pa.Table) -> pa.Table:
    """Stored records in the state's column types (the Arrow files' and the table's)."""
    import pyarrow as pa

    return canonical_types(table.drop_columns(["seq"])).append_column(
        "seq", table["seq"].cast(pa.int64())
    )


def _to_hex(table: pa.Table) -> str:
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as out:
        out.write_table(table)
    return str(sink.getvalue().to_pybytes().hex())


def _from_hex(data: str) -> pa.Table:
    import pyarrow as pa

    table: pa.Table = pa.ipc.open_stream(pa.py_buffer(bytes.fromhex(data))).read_all()
    return table


def _signed(counted: pa.Table, sign: int) -> pa.Table:
    if sign == 1:
        return counted
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = {}
    for name in counted.column_names:
        col = counted[name]
        columns[name] = col if name in ("period", "unit", "procedure") else pc.negate(col)
    return pa.table(columns)


def read_checked(source: Path, profile: Profile | None, units: tuple[str, ...] | None) -> pa.Table:
    """The records of one file, checked whole: chiso's columns (CSV or Parquet), or the
    national standard (JSON, or CSV when a profile is given). :class:`Refusal` otherwise."""
    con: duckdb.DuckDBPyConnection
    if profile is not None and source.suffix.lower() in (".json", ".csv"):
        from chiso.records.standard import check_standard

        con, report = check_standard(source, profile, units)
    elif source.suffix.lower() == ".json":
        report = ProblemReport()
        report.add("running.needs_profile", str(source))
        raise Refusal(report)
    else:
        from chiso.records.dossier_import import check_records

        con, report = check_records(source, units)
    try:
        if report:
            raise Refusal(report)
        cols = ", ".join(DATASET_COLUMNS)
        table: pa.Table = con.execute(f"SELECT {cols} FROM typed ORDER BY _row").to_arrow_table()
        return canonical_types(table)
    finally:
        con.close()


def canonical_types(table: pa.Table) -> pa.Table:
    """The state's column types, whichever reader made the table."""
    import pyarrow as pa

    types: dict[str, Any] = {
        "received": pa.timestamp("us"),
        "due": pa.timestamp("us"),
        "finished": pa.timestamp("us"),
        "rating": pa.int8(),
    }
    for flag in ("paid_online", "inputs_digitised", "results_digitised", "synced", "reused"):
        types[flag] = pa.bool_()
    fields = [pa.field(name, types.get(name, pa.string())) for name in table.column_names]
    return table.cast(pa.schema(fields))


def pending_files(folder: Path, taken: dict[str, str]) -> list[Path]:
    """Record files in ``folder`` not taken yet, in name order. Hidden files and files still
    being written under a temporary name (``.part``, ``.tmp``) are left for later: a sender
    writes a file and then renames it into the folder."""
    out = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix.lower() not in SUFFIXES or path.name in taken:
            continue
        out.append(path)
    return out


@cache
def _code_digest() -> bytes:
    """The digest of the code the counting SQL comes from (chiso's compile and running modules,
    ibis's and DuckDB's versions): read once per process, not on every fold."""
    import duckdb
    import ibis

    from chiso.records import compile as compile_module

    h = hashlib.sha256()
    h.update(Path(compile_module.__file__).read_bytes())
    h.update(Path(__file__).read_bytes())
    h.update(f"{ibis.__version__}\n{duckdb.__version__}".encode())
    return h.digest()
