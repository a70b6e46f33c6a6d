"""``chiso dossiers simulate | import | index``: the service index from dossier records."""

from typing import Annotated

import typer

from chiso.cli.output import check_lang, err, guarded
from chiso.i18n import gettext

app = typer.Typer(
    help="Dossier records: simulate, import, compute the service index (766/QĐ-TTg).",
    no_args_is_help=True,
)
Lang = Annotated[str, typer.Option("--lang", help="vi | en", envvar="CHISO_LANG")]
Units = Annotated[
    str | None,
    typer.Option("--units", help="provinces-34 | provinces-63 | FILE (one unit per line)"),
]


@app.command("simulate")
def simulate_command(
    units: Annotated[str, typer.Option("--units", help="provinces-34 | provinces-63 | FILE")],
    rows: Annotated[int, typer.Option("--rows", min=1, help="number of dossiers")],
    out: Annotated[str, typer.Option("--out", help="folder for the Parquet files")],
    months: Annotated[int, typer.Option("--months", min=1, max=120)] = 12,
    start: Annotated[str, typer.Option("--start", help="first month, YYYY-MM")] = "2024-01",
    seed: Annotated[int, typer.Option("--seed")] = 1,
    events: Annotated[
        bool, typer.Option("--events", help="also write each dossier's status events")
    ] = False,
    lang: Lang = "vi",
) -> None:
    """Write simulated dossier records (marked simulated) as Parquet by month and unit."""
    check_lang(lang)

    def run() -> dict[str, object]:
        from chiso.records.periods import parse_periods
        from chiso.records.simulate import Plan, simulate
        from chiso.records.unit_lists import unit_names

        first = parse_periods(start)[0].start
        plan = Plan(unit_names(units), rows, months, first.year, first.month, seed, events)
        with err.status(gettext("Đang mô phỏng hồ sơ…", lang)):
            return simulate(plan, out)

    manifest = guarded(lang, run)
    err.print(
        gettext("Đã ghi {rows} hồ sơ mô phỏng ({files} tệp) vào {out}", lang).format(
            rows=manifest["rows"], files=manifest["files"], out=out
        )
    )


@app.command("import")
def import_command(
    source: Annotated[
        str, typer.Argument(help="CSV or Parquet export, or postgresql://… with --table")
    ],
    out: Annotated[str, typer.Option("--out", help="folder for the checked Parquet dataset")],
    table: Annotated[
        str | None, typer.Option("--table", help="the PostgreSQL table (schema.table)")
    ] = None,
    units: Units = None,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            help="the records are in the national portal's standard (JSON or CSV); "
            "this YAML file gives its status, channel and procedure codes "
            "('extends: dvcqg' takes the built-in status and channel codes)",
        ),
    ] = None,
    lang: Lang = "vi",
) -> None:
    """Check every record (all or nothing) and write the canonical Parquet dataset."""
    check_lang(lang)

    def run() -> int:
        from chiso.records.dossier_import import import_postgres, import_records
        from chiso.records.unit_lists import unit_names

        known = unit_names(units) if units else None
        with err.status(gettext("Đang kiểm tra hồ sơ…", lang)):
            if profile is not None:
                from chiso.records.standard import import_standard, load_profile

                return import_standard(source, out, load_profile(profile), known)
            if source.startswith(("postgresql://", "postgres://")):
                return import_postgres(source, table or "dossiers", out, known)
            return import_records(source, out, known)

    rows = guarded(lang, run)
    err.print(gettext("Đã ghi {rows} hồ sơ vào {out}", lang).format(rows=rows, out=out))


@app.command("index")
def index_command(
    records: Annotated[str, typer.Argument(help="records: a dataset folder, Parquet or CSV")],
    framework: Annotated[str, typer.Option("--framework", "-f", help="code or YAML file")],
    period: Annotated[
        str, typer.Option("--period", help="YYYY-MM, YYYY-MM:YYYY-MM (monthly), YYYY-Qn, YYYY")
    ],
    out: Annotated[str, typer.Option("--out", "-o", help=".csv or .xlsx: unit,node,value")],
    by: Annotated[str, typer.Option("--by", help="unit | procedure | field")] = "unit",
    engine: Annotated[str, typer.Option("--engine", help="duckdb | spark")] = "duckdb",
    spark_master: Annotated[
        str | None, typer.Option("--spark-master", help="spark://host:7077, yarn, local[*]…")
    ] = None,
    memory_limit: Annotated[
        str | None, typer.Option("--memory-limit", help="DuckDB's memory limit, e.g. 3GB")
    ] = None,
    units: Units = None,
    lang: Lang = "vi",
) -> None:
    """Compute every indicator of the framework from the records, per unit and period."""
    check_lang(lang)
    if by not in ("unit", "procedure", "field"):
        err.print(f"--by: unit | procedure | field ({by}?)")
        raise typer.Exit(2)
    if engine not in ("duckdb", "spark"):
        err.print(f"--engine: duckdb | spark ({engine}?)")
        raise typer.Exit(2)

    def run() -> int:
        from chiso.frameworks import get_framework
        from chiso.records.engines import Run
        from chiso.records.index import check_output, index_values, write_values

        check_output(out)
        from chiso.records.periods import parse_periods
        from chiso.records.unit_lists import unit_names

        fw = get_framework(framework)
        periods = parse_periods(period)
        known = unit_names(units) if units else None
        job = Run(records, engine, by, spark_master, memory_limit)
        with err.status(gettext("Đang tính các chỉ tiêu từ hồ sơ…", lang)):
            values = index_values(fw, periods, job, known)
        write_values(values, by, len(periods) > 1, out)
        return len(values)

    count = guarded(lang, run)
    err.print(gettext("Đã ghi {count} giá trị vào {out}", lang).format(count=count, out=out))


@app.command("watch")
def watch_command(
    folder: Annotated[str, typer.Argument(help="the folder where record files land")],
    state: Annotated[str, typer.Option("--state", help="the running index's state (DuckDB)")],
    framework: Annotated[str, typer.Option("--framework", "-f", help="code or YAML file")],
    out: Annotated[
        str | None, typer.Option("--out", "-o", help="after each file: the months' values, .csv")
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option("--profile", help="files in the national portal's standard: the profile"),
    ] = None,
    through: Annotated[
        str | None, typer.Option("--through", help="keep months up to YYYY-MM (the current one)")
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="take the files there now and stop")] = False,
    interval: Annotated[float, typer.Option("--interval", min=0.1, help="seconds")] = 5.0,
    max_seconds: Annotated[
        float | None, typer.Option("--max-seconds", help="stop after this long")
    ] = None,
    units: Units = None,
    lang: Lang = "vi",
) -> None:
    """Fold record files into the running months as they land (each file whole or refused
    whole; a dossier named again is counted at its latest state)."""
    check_lang(lang)

    def run() -> None:
        import time
        from pathlib import Path

        from chiso.frameworks import get_framework
        from chiso.problems import Refusal
        from chiso.records.index import check_output, write_values
        from chiso.records.periods import parse_periods
        from chiso.records.running import RunningIndex, file_digest, pending_files
        from chiso.records.unit_lists import unit_names

        if out:
            check_output(out)
        fw = get_framework(framework)
        known = unit_names(units) if units else None
        prof = None
        if profile:
            from chiso.records.standard import load_profile

            prof = load_profile(profile)
        last = None
        if through:
            p = parse_periods(through)[-1].start
            last = (p.year, p.month)
        inbox = Path(folder)
        refused: dict[str, str] = {}
        started = time.monotonic()
        with RunningIndex(state, fw) as running:
            while True:
                changed = False
                for path in pending_files(inbox, running.taken()):
                    digest = file_digest(path)
                    if refused.get(path.name) == digest:
                        continue
                    try:
                        folded = running.fold_file(path, prof, known, last)
                    except Refusal as exc:
                        refused[path.name] = digest
                        err.print(gettext("Không lấy {name}:", lang).format(name=path.name))
                        for line in exc.report.lines(lang):
                            err.print(f"  {line}", markup=False)
                        continue
                    changed = True
                    err.print(
                        gettext(
                            "Đã lấy {name}: {rows} hồ sơ ({replaced} cập nhật hồ sơ đã có)", lang
                        ).format(name=folded.name, rows=folded.rows, replaced=folded.replaced)
                    )
                if out and (changed or not Path(out).exists()):
                    write_values(running.values(), "unit", True, out)
                if once:
                    return
                if max_seconds is not None and time.monotonic() - started >= max_seconds:
                    return
                time.sleep(interval)

    guarded(lang, run)
