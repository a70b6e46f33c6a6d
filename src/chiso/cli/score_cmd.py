"""``chiso score`` and ``chiso compare``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chiso.cli.output import check_lang, err, guarded, out
from chiso.i18n import gettext, pgettext

if TYPE_CHECKING:
    from chiso.scoring.compare import Comparison
    from chiso.scoring.results import Results

Lang = Annotated[str, typer.Option("--lang", help="vi | en", envvar="CHISO_LANG")]
OutOption = Annotated[str | None, typer.Option("--out", "-o", help=".csv, .xlsx or .json")]
OUTPUT_SUFFIXES = {".csv", ".xlsx", ".json"}


def _check_out(out_path: str | None, lang: str) -> None:
    if out_path and Path(out_path).suffix.lower() not in OUTPUT_SUFFIXES:
        err.print(gettext("--out: tệp .csv, .xlsx hoặc .json", lang) + f" ({out_path})")
        raise typer.Exit(2)


def print_summary(results: Results, lang: str) -> None:
    from rich.table import Table

    from chiso.tables.writing import summary_items

    title = gettext("Tổng hợp", lang)
    table = Table(
        title=f"{title}: {results.framework.code}", show_header=False, title_justify="left"
    )
    table.add_column()
    table.add_column()
    for key, value in summary_items(results.summary(), results.framework, lang):
        table.add_row(key, value)
    err.print(table)


def score_command(
    input_file: Annotated[str, typer.Argument(metavar="INPUT", help="CSV or XLSX, wide or long")],
    framework: Annotated[str, typer.Option("--framework", "-f", help="code or YAML file")],
    out_path: Annotated[
        str | None, typer.Option("--out", "-o", help=".csv, .xlsx or .json")
    ] = None,
    lang: Lang = "vi",
    decimal_comma: Annotated[
        bool, typer.Option("--decimal-comma", help="read 91,87 as 91.87")
    ] = False,
    not_ranked: Annotated[
        list[str] | None,
        typer.Option("--not-ranked", help="a unit assessed but not ranked (repeatable)"),
    ] = None,
) -> None:
    """Score every unit: points per node, total, index, rank, group and status."""
    check_lang(lang)
    _check_out(out_path, lang)

    def run() -> Results:
        from chiso.frameworks import get_framework
        from chiso.scoring import compile_plan, score
        from chiso.tables.reading import read_scores
        from chiso.tables.writing import write_results

        fw = get_framework(framework)
        plan = compile_plan(fw)
        with err.status(gettext("Đang đọc và chấm điểm…", lang)):
            data = read_scores(input_file, fw, plan, decimal_comma, not_ranked or [])
            results = score(fw, data.units, data.given, data.na, data.ranked, plan, data.se)
            if out_path:
                write_results(results, out_path, lang)
        return results

    results = guarded(lang, run)
    if out_path is None:
        from chiso.tables.writing import csv_text

        sys.stdout.write(csv_text(results, lang))
    else:
        err.print(gettext("Đã ghi ", lang) + out_path)
    print_summary(results, lang)


def _print_comparison(comparison: Comparison, lang: str) -> None:
    from rich.table import Table

    from chiso.numbers import format_number
    from chiso.tables.writing import labels

    lab = labels(lang)
    table = Table(title=gettext("So sánh với kỳ trước", lang))
    table.add_column(lab["unit"])
    for d in comparison.domains:
        table.add_column(f"Δ {d}", justify="right")
    for name in (
        "Δ " + lab["total"],
        "Δ " + lab["index"],
        pgettext("column", "Hạng trước", lang),
        pgettext("column", "Hạng nay", lang),
        "Δ " + lab["rank"],
    ):
        table.add_column(name, justify="right")

    def f(x: float | None) -> str:
        return "" if x is None else ("+" if x > 0 else "") + format_number(x, lang, 2)

    for c in comparison.changes:
        places = c.places
        table.add_row(
            c.unit,
            *[f(c.domains[d]) for d in comparison.domains],
            f(c.total),
            f(c.index),
            str(c.rank_before or ""),
            str(c.rank_after or ""),
            "" if places is None else f"{places:+d}",
        )
    out.print(table)
    if comparison.appeared:
        out.print(gettext("Đơn vị mới: ", lang) + ", ".join(comparison.appeared))
    if comparison.disappeared:
        out.print(gettext("Đơn vị không còn: ", lang) + ", ".join(comparison.disappeared))


def compare_command(
    previous: Annotated[
        str,
        typer.Argument(
            help="last cycle's results (chiso score --out, a revision's JSON, data.json/csv/xlsx)"
        ),
    ],
    current: Annotated[str, typer.Argument(help="this cycle's results")],
    out_path: Annotated[
        str | None, typer.Option("--out", "-o", help=".csv, .xlsx or .json")
    ] = None,
    lang: Lang = "vi",
) -> None:
    """Year-on-year table: change per domain, in total and in rank; units that came or went."""
    check_lang(lang)
    _check_out(out_path, lang)

    def run() -> Comparison:
        from chiso.scoring.compare import compare
        from chiso.tables.comparison_writing import write_comparison
        from chiso.tables.results_reading import read_results

        comparison = compare(read_results(previous), read_results(current))
        if out_path:
            write_comparison(comparison, out_path, lang)
        return comparison

    comparison = guarded(lang, run)
    _print_comparison(comparison, lang)
