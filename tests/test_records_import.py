"""Importing dossier records: every bad row reported at once with its file, row, column and rule,
nothing written; due times from working days; the same import from a real PostgreSQL table."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chiso.cli.app import app
from chiso.problems import Refusal
from chiso.records.dossier_import import check_records, import_postgres, import_records
from chiso.units.provinces import PROVINCES_63
from records_for_tests import random_records, write_csv

HEADER = (
    "dossier_id,unit,level,procedure,field,channel,received,due,limit_days,finished,outcome,"
    "rating,events\n"
)


def _problems(tmp_path: Path, body: str) -> set[tuple[int | None, str | None, str]]:
    path = tmp_path / "records.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    con, report = check_records(path, PROVINCES_63)
    con.close()
    assert all(p.file == str(path) for p in report)
    return {(p.row, p.column, p.rule) for p in report}


def test_every_bad_row_is_reported_with_its_line_column_and_rule(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        "A1,Hà Nội,province,P1,F1,online_full,2024-06-03 08:00,2024-06-05 17:00,,"
        "2024-06-02 08:00,done,2,\n"
        "A2,Atlantis,province,P1,F1,in_person,2024-06-03 08:00,,,,,,\n"
        "A1,Hà Nội,town,P1,F1,fax,3/6/2024 8h,2024-06-05,,,withdrawn,5,received@yesterday\n",
    )
    assert problems == {
        (2, "finished", "record.finished_before_received"),
        (3, "unit", "record.unknown_unit"),
        (3, "due", "record.missing_due"),
        (4, "level", "record.bad_choice"),
        (4, "channel", "record.bad_choice"),
        (4, "received", "record.bad_time"),
        (4, "finished", "record.outcome_without_finish"),
        (4, "rating", "record.bad_rating"),
        (4, "events", "record.bad_events"),
        (4, "dossier_id", "record.duplicate_id"),
    }


def test_a_missing_required_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text("dossier_id,unit\nA1,Hà Nội\n", encoding="utf-8")
    con, report = check_records(path)
    con.close()
    assert {p.column for p in report} == {
        "level",
        "procedure",
        "field",
        "channel",
        "received",
        "due",
    }


def test_nothing_is_written_when_a_row_is_bad(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text(HEADER + "A1,Hà Nội,province,P1,F1,in_person,2024-06-03 08:00,,,,,,\n", "utf-8")
    with pytest.raises(Refusal):
        import_records(path, tmp_path / "out", PROVINCES_63)
    assert not (tmp_path / "out").exists()


def test_a_due_time_is_computed_from_working_days_skipping_holidays(tmp_path: Path) -> None:
    # received Friday 26 April 2024; 30 April and 1 May are public holidays, 27-28 a weekend:
    # 2 working days end on Thursday 2 May at 17:00
    path = tmp_path / "records.csv"
    path.write_text(
        HEADER + "A1,Hà Nội,province,P1,F1,in_person,2024-04-26 09:30,,2,,,,\n", "utf-8"
    )
    con, report = check_records(path, PROVINCES_63)
    assert not report
    row = con.execute("SELECT due FROM typed").fetchone()
    assert row is not None and row[0] == dt.datetime(2024, 5, 2, 17)


def test_the_cli_reports_problems_in_english_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text(
        HEADER + "A1,Atlantis,province,P1,F1,in_person,2024-06-03 08:00,,,,,,\n", "utf-8"
    )
    result = CliRunner().invoke(
        app,
        [
            "dossiers",
            "import",
            str(path),
            "--out",
            str(tmp_path / "o"),
            "--units",
            "provinces-63",
            "--lang",
            "en",
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 1
    assert "unit 'Atlantis' is not in the list of units" in result.output
    assert "record.missing_due" in result.output
    assert not (tmp_path / "o").exists()


def test_a_postgresql_table_imports_like_its_csv_export(tmp_path: Path, pg: object) -> None:
    import os

    import psycopg

    table = f"chiso_test_dossiers_{os.getpid()}"  # the server may be shared by other runs
    records = random_records(300, seed=11)
    conn = pg
    assert isinstance(conn, psycopg.Connection)
    with conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {table}")
        cur.execute(
            f"CREATE TABLE {table} (dossier_id text, unit text, level text,"
            " procedure text, field text, channel text, received timestamp, due timestamp,"
            " finished timestamp, outcome text, paid_online boolean, inputs_digitised boolean,"
            " results_digitised boolean, synced boolean, reused boolean, rating smallint)"
        )
        with cur.copy(f"COPY {table} FROM STDIN") as copy:
            for r in records:
                copy.write_row(
                    [
                        r[c]
                        for c in (
                            "dossier_id",
                            "unit",
                            "level",
                            "procedure",
                            "field",
                            "channel",
                            "received",
                            "due",
                            "finished",
                            "outcome",
                            "paid_online",
                            "inputs_digitised",
                            "results_digitised",
                            "synced",
                            "reused",
                            "rating",
                        )
                    ]
                )
    conn.commit()
    try:
        dsn = "postgresql://postgres@127.0.0.1:5432/postgres"
        units = ("Hà Nội", "Huế", "Cà Mau")
        rows = import_postgres(dsn, table, tmp_path / "pg", units)
        assert rows == 300
        import_records(write_csv(records, tmp_path / "r.csv"), tmp_path / "csv", units)
        import duckdb

        def content(folder: Path) -> list[tuple[object, ...]]:
            return duckdb.sql(
                f"SELECT * EXCLUDE (events, month) FROM read_parquet('{folder}/**/*.parquet')"
                " ORDER BY dossier_id"
            ).fetchall()

        assert content(tmp_path / "pg") == content(tmp_path / "csv")
        with conn.cursor() as cur:
            cur.execute(f"UPDATE {table} SET unit = 'Atlantis' WHERE dossier_id = 'D5'")
        conn.commit()
        with pytest.raises(Refusal) as caught:
            import_postgres(dsn, table, tmp_path / "pg2", units)
        [problem] = list(caught.value.report)
        assert (problem.file, problem.rule) == (
            f"postgresql:{table}",
            "record.unknown_unit",
        )
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {table}")
        conn.commit()


def test_unit_names_in_decomposed_unicode_are_the_same_units(tmp_path: Path) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Thừa Thiên Huế")
    path = tmp_path / "records.csv"
    path.write_text(
        HEADER + f"A1,{nfd},province,P1,F1,in_person,2024-06-03 08:00,2024-06-05 17:00,,,,,\n",
        "utf-8",
    )
    con, report = check_records(path, PROVINCES_63)
    assert not report, list(report)
    row = con.execute("SELECT unit FROM typed").fetchone()
    assert row is not None and row[0] == "Thừa Thiên Huế"
