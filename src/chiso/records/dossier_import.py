"""Import dossier records from a CSV or Parquet export, or from a PostgreSQL table, check every
row, and write the canonical Parquet dataset the engines read.

The checks run as SQL in DuckDB over the file as text, so that a national export of millions of
rows is checked at the speed of a scan: every problem is reported with the file, the row (the
line of a CSV, the position in a Parquet file or in the table ordered by dossier id), the
column and the rule; nothing is written unless there is none (all or nothing). Problems
reported: a required column absent; an empty required cell; a time that is no time; a unit not
in the list of units; a level, channel, outcome, flag or rating outside the schema; a limit in
working days that is no positive whole number; finished before received; due before received;
no due time and no limit to compute it from; an outcome without a finishing time and the
reverse; a dossier id seen twice; status events not written as ``status@time``.

Names are stored in Unicode NFC (an export in decomposed form, NFD, names the same units).
A missing due time with a limit in working days (``limit_days``) is computed with the
working-day calendar (:mod:`chiso.records.calendar`).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chiso.frameworks.dossier_schema import (
    CHANNELS,
    DATASET_COLUMNS,
    EVENT_STATUSES,
    FLAG_COLUMNS,
    LEVELS,
    OPTIONAL_COLUMNS,
    OUTCOMES,
    REQUIRED_COLUMNS,
    TIME_COLUMNS,
)
from chiso.problems import MAX_PROBLEMS, ProblemReport, Refusal

if TYPE_CHECKING:
    import duckdb

REQUIRED = REQUIRED_COLUMNS
OPTIONAL = OPTIONAL_COLUMNS
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y",
)
_YES = ("1", "true", "t", "yes", "có", "x")
_NO = ("0", "false", "f", "no", "không")


def _sql_list(values: Any) -> str:
    return "[" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + "]"


def _parse_time(col: str) -> str:
    """ISO times through DuckDB's own cast (fast), the others through their formats."""
    return (
        f"coalesce(try_cast(trim({col}) AS TIMESTAMP),"
        f" try_strptime(trim({col}), {_sql_list(_TIME_FORMATS)}))"
    )


def _time(col: str) -> str:
    """The time parsed once, when the rows were read (column ``<col>_t``)."""
    return f"{col}_t"


def _blank(col: str) -> str:
    """Empty: the rows were trimmed when read, and an empty cell made NULL."""
    return f"({col} IS NULL)"


def _flag(col: str) -> str:
    v = f"lower(trim({col}))"
    return (
        f"CASE WHEN {_blank(col)} THEN NULL WHEN {v} IN {tuple(_YES)} THEN TRUE "
        f"WHEN {v} IN {tuple(_NO)} THEN FALSE END"
    )


class _Checker:
    def __init__(self, con: duckdb.DuckDBPyConnection, label: str, units: tuple[str, ...] | None):
        self.con = con
        self.label = label
        self.units = units
        self.report = ProblemReport()

    def columns(self) -> list[str]:
        return [row[0] for row in self.con.execute("DESCRIBE raw").fetchall()]

    def check(self) -> bool:
        present = set(self.columns())
        for name in REQUIRED:
            if name not in present:
                self.report.add("record.no_column", self.label, None, name, name=name)
        if "due" not in present and "limit_days" not in present:
            self.report.add("record.no_column", self.label, None, "due", name="due")
        if self.report:
            return False
        select = ["_row"]
        for name in (*REQUIRED, *OPTIONAL):
            select.append(
                f"nullif(trim({name}), '') AS {name}"
                if name in present
                else f"NULL::VARCHAR AS {name}"
            )
        # read (and parse the times) once; every check below reads this table
        times = ", ".join(f"{_parse_time(c)} AS {c}_t" for c in TIME_COLUMNS)
        names = ", ".join(["_row", *REQUIRED, *OPTIONAL])
        self.con.execute(
            f"CREATE TEMP TABLE src AS SELECT {names}, {times}"
            f" FROM (SELECT {', '.join(select)} FROM raw)"
        )
        problems = self.problem_queries()
        union = " UNION ALL ".join(problems)
        total = self.con.execute(f"SELECT count(*) FROM ({union})").fetchone()
        count = int(total[0]) if total else 0
        if count:
            rows = self.con.execute(
                f"SELECT * FROM ({union}) ORDER BY _row, col LIMIT {MAX_PROBLEMS}"
            ).fetchall()
            for row, col, rule, value, extra in rows:
                params = {"value": value, "name": col}
                params.update(json.loads(extra) if extra else {})
                self.report.add(rule, self.label, int(row), col, **params)
            self.report.add_unlisted(count - len(rows))  # the report says how many more
        return not self.report

    def problem_queries(self) -> list[str]:
        q: list[str] = []

        def add(col: str, rule: str, where: str, value: str = "NULL", extra: str = "NULL") -> None:
            q.append(
                f"SELECT _row, '{col}' AS col, '{rule}' AS rule, CAST({value} AS VARCHAR) AS value,"
                f" CAST({extra} AS VARCHAR) AS extra FROM src WHERE {where}"
            )

        for col in REQUIRED:
            add(col, "record.missing", _blank(col))
        for col in TIME_COLUMNS:
            add(col, "record.bad_time", f"NOT {_blank(col)} AND {_time(col)} IS NULL", col)
        if self.units is not None:
            self.con.execute("CREATE TEMP TABLE known_units(name VARCHAR)")
            self.con.executemany("INSERT INTO known_units VALUES (?)", [[u] for u in self.units])
            add(
                "unit",
                "record.unknown_unit",
                f"NOT {_blank('unit')} AND nfc_normalize(trim(unit))"
                " NOT IN (SELECT name FROM known_units)",
                "unit",
            )
        for col, allowed in (("level", LEVELS), ("channel", CHANNELS), ("outcome", OUTCOMES)):
            extra = json.dumps({"allowed": ", ".join(allowed)}, ensure_ascii=False)
            add(
                col,
                "record.bad_choice",
                f"NOT {_blank(col)} AND lower(trim({col})) NOT IN {tuple(allowed)}",
                col,
                "'" + extra.replace("'", "''") + "'",
            )
        for col in FLAG_COLUMNS:
            add(col, "record.bad_flag", f"NOT {_blank(col)} AND {_flag(col)} IS NULL", col)
        add(
            "rating",
            "record.bad_rating",
            f"NOT {_blank('rating')} AND trim(rating) NOT IN ('1', '2', '3')",
            "rating",
        )
        add(
            "limit_days",
            "record.bad_limit",
            f"NOT {_blank('limit_days')}"
            " AND coalesce(try_cast(trim(limit_days) AS INTEGER), 0) <= 0",
            "limit_days",
        )
        add("due", "record.missing_due", f"{_blank('due')} AND {_blank('limit_days')}")
        add(
            "finished",
            "record.finished_before_received",
            f"{_time('finished')} < {_time('received')}",
            extra="json_object('finished', trim(finished), 'received', trim(received))",
        )
        add(
            "due",
            "record.due_before_received",
            f"{_time('due')} < {_time('received')}",
            extra="json_object('due', trim(due), 'received', trim(received))",
        )
        add(
            "finished",
            "record.outcome_without_finish",
            f"{_blank('finished')} AND NOT {_blank('outcome')}",
            "outcome",
        )
        add(
            "outcome",
            "record.finish_without_outcome",
            f"NOT {_blank('finished')} AND {_blank('outcome')}",
        )
        q.append(
            "SELECT s._row, 'dossier_id', 'record.duplicate_id', trim(s.dossier_id),"
            " json_object('first_row', f.first_row)::VARCHAR FROM src s JOIN"
            " (SELECT trim(dossier_id) AS id, min(_row) AS first_row FROM src"
            f" WHERE NOT {_blank('dossier_id')} GROUP BY 1 HAVING count(*) > 1) f"
            " ON trim(s.dossier_id) = f.id WHERE s._row > f.first_row"
        )
        pattern = "^(" + "|".join(EVENT_STATUSES) + r")@\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$"
        add(
            "events",
            "record.bad_events",
            f"NOT {_blank('events')} AND len(list_filter(string_split(trim(events), ';'),"
            f" x -> NOT regexp_full_match(trim(x), '{pattern}'))) > 0",
            "events",
        )
        return q

    def typed(self) -> None:
        flags = ", ".join(f"{_flag(c)} AS {c}" for c in FLAG_COLUMNS)
        self.con.execute(
            f"""CREATE TEMP TABLE typed AS SELECT _row, trim(dossier_id) AS dossier_id,
            nfc_normalize(trim(unit)) AS unit, lower(trim(level)) AS level,
            nfc_normalize(trim(procedure)) AS procedure, nfc_normalize(trim(field)) AS field,
            lower(trim(channel)) AS channel,
            {_time("received")} AS received, {_time("due")} AS due,
            try_cast(trim(limit_days) AS INTEGER) AS limit_days,
            {_time("finished")} AS finished,
            CASE WHEN {_blank("outcome")} THEN NULL ELSE lower(trim(outcome)) END AS outcome,
            {flags}, try_cast(trim(rating) AS TINYINT) AS rating,
            CASE WHEN {_blank("events")} THEN NULL ELSE trim(events) END AS events
            FROM src"""
        )

    def fill_due(self) -> None:
        """Due times from limits in working days, where the export gave a limit and no time."""
        import numpy as np
        import pyarrow as pa

        from chiso.records.calendar import working_calendar

        result = self.con.execute("SELECT _row, received, limit_days FROM typed WHERE due IS NULL")
        fetch = getattr(result, "to_arrow_table", None) or result.fetch_arrow_table
        missing = fetch()
        if missing.num_rows == 0:
            return
        received = missing["received"].to_numpy().astype("datetime64[us]")
        limits = missing["limit_days"].to_numpy().astype(np.int64)
        due = working_calendar().due_times(received, limits)
        computed = pa.table({"_row": missing["_row"], "due": pa.array(due, pa.timestamp("us"))})
        self.con.register("computed_due", computed)
        self.con.execute(
            "UPDATE typed SET due = c.due FROM computed_due c WHERE typed._row = c._row"
        )


def _open_raw(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    suffix = path.suffix.lower()
    if path.is_dir() or suffix == ".parquet":
        files = sorted(str(p) for p in path.rglob("*.parquet")) if path.is_dir() else [str(path)]
        con.execute(
            f"CREATE TEMP VIEW raw0 AS SELECT * FROM read_parquet({_sql_list(files)},"
            " hive_partitioning = false)"
        )
        columns = [r[0] for r in con.execute("DESCRIBE raw0").fetchall()]
        casts = ", ".join(f'CAST("{c}" AS VARCHAR) AS "{c}"' for c in columns)
        con.execute(
            f"CREATE TEMP VIEW raw AS SELECT row_number() OVER () AS _row, {casts} FROM raw0"
        )
    else:
        quoted = "'" + str(path).replace("'", "''") + "'"
        con.execute(
            "CREATE TEMP VIEW raw AS SELECT row_number() OVER () + 1 AS _row, * FROM "
            f"read_csv({quoted}, all_varchar = true, header = true)"
        )


def check_records(
    source: str | Path, units: tuple[str, ...] | None = None, label: str | None = None
) -> tuple[duckdb.DuckDBPyConnection, ProblemReport]:
    """Read and check the records at ``source``: a DuckDB connection holding the typed
    records (table ``typed``), and the report of every problem (empty when they are valid)."""
    import duckdb

    path = Path(source)
    name = label or str(source)
    con = duckdb.connect()
    spill = (Path(tempfile.gettempdir()) / "chiso-duckdb").as_posix().replace("'", "''")
    con.execute(f"SET temp_directory = '{spill}'")  # a national export may not fit in memory
    report = ProblemReport()
    if not path.exists():
        report.add("file.not_found", name)
        return con, report
    try:
        _open_raw(con, path)
    except duckdb.Error as exc:
        report.add("record.unreadable", name, reason=str(exc).splitlines()[0])
        return con, report
    checker = _Checker(con, name, units)
    if checker.check():
        checker.typed()
        checker.fill_due()
    return con, checker.report


def write_dataset(
    con: duckdb.DuckDBPyConnection, out_dir: str | Path, manifest: dict[str, Any]
) -> int:
    """Write the checked records as Parquet, one folder per month received, through a
    temporary folder renamed at the end, so that a failure leaves nothing half-written."""
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".chiso-import-", dir=out.parent))
    try:
        con.execute(
            f"""COPY (SELECT {", ".join(DATASET_COLUMNS)},
            strftime(received, '%Y-%m') AS month FROM typed ORDER BY received)
            TO '{(tmp / "data").as_posix()}' (FORMAT parquet, PARTITION_BY (month),
            COMPRESSION zstd)"""
        )
        row = con.execute("SELECT count(*) FROM typed").fetchone()
        rows = int(row[0]) if row else 0
        from chiso.records.simulate import MANIFEST

        (tmp / "data" / MANIFEST).write_text(
            json.dumps({**manifest, "rows": rows}, ensure_ascii=False, indent=1), "utf-8"
        )
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp / "data", out)
        return rows
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def import_records(
    source: str | Path,
    out_dir: str | Path,
    units: tuple[str, ...] | None = None,
    label: str | None = None,
) -> int:
    """Check the records at ``source`` and write them to ``out_dir``; raise
    :class:`Refusal` with every problem (nothing written) when there is any."""
    con, report = check_records(source, units, label)
    try:
        if report:
            raise Refusal(report)
        return write_dataset(con, out_dir, {"simulated": False, "source": label or str(source)})
    finally:
        con.close()


def export_postgres_table(dsn: str, table: str, to_csv: str | Path) -> None:
    """Copy a PostgreSQL table (``schema.table`` or ``table``) to a CSV file, ordered by dossier
    id so that a problem's row number finds the row again."""
    import psycopg
    from psycopg import sql

    parts = [sql.Identifier(p) for p in table.split(".")]
    query = sql.SQL("COPY (SELECT * FROM {} ORDER BY dossier_id) TO STDOUT WITH CSV HEADER").format(
        sql.SQL(".").join(parts)
    )
    with (
        psycopg.connect(dsn) as conn,
        conn.cursor() as cur,
        open(to_csv, "wb") as out,
        cur.copy(query) as copy,
    ):
        for data in copy:
            out.write(bytes(data))


def import_postgres(
    dsn: str, table: str, out_dir: str | Path, units: tuple[str, ...] | None = None
) -> int:
    """:func:`import_records` for a PostgreSQL table; problems name ``postgresql:TABLE``."""
    label = f"postgresql:{table}"
    with tempfile.TemporaryDirectory(prefix="chiso-pg-") as tmp:
        csv_path = Path(tmp) / "records.csv"
        try:
            export_postgres_table(dsn, table, csv_path)
        except Exception as exc:  # psycopg's errors: no such table, no connection
            report = ProblemReport()
            report.add("record.unreadable", label, reason=str(exc).splitlines()[0])
            raise Refusal(report) from None
        return import_records(csv_path, out_dir, units, label)
