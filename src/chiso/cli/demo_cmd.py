"""``chiso demo``: the main job on simulated data, end to end, in one command."""

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chiso.cli.output import check_lang, err, guarded, out
from chiso.cli.score_cmd import print_summary
from chiso.i18n import gettext

if TYPE_CHECKING:
    from chiso.scoring.results import Results

DEMO_FRAMEWORK = "example-department-2024"


def _write_input(rows: list[dict[str, str]], path: Path) -> None:
    from chiso.tables.atomic import atomic_target
    from chiso.tables.formulas import csv_cell

    with atomic_target(path) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)


def _print_ranking(results: "Results", title: str, lang: str) -> None:
    from rich.table import Table

    from chiso.numbers import format_number
    from chiso.scoring.ranking import group_name
    from chiso.tables.writing import labels, result_rows

    lab = labels(lang)
    table = Table(title=title, title_justify="left")
    for name, justify in (
        (lab["rank"], "right"),
        (lab["unit"], "left"),
        (lab["total"], "right"),
        (lab["index"], "right"),
        (lab["group"], "left"),
        (lab["status"], "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in result_rows(results):
        table.add_row(
            str(row.rank or ""),
            row.unit,
            format_number(row.total, lang),
            format_number(row.index, lang),
            group_name(results.framework, row.group, lang),
            lab[row.status],
        )
    out.print(table)


def demo_command(
    out_dir: Annotated[str, typer.Option("--out", help="folder for the demo files")] = "chiso-demo",
    lang: Annotated[str, typer.Option("--lang", help="vi | en", envvar="CHISO_LANG")] = "vi",
) -> None:
    """Simulate a province's departments and districts, score and rank them, write the files."""
    check_lang(lang)
    from chiso.frameworks import get_framework
    from chiso.scoring import compile_plan, score
    from chiso.simulation import (
        DEMO_DEPARTMENTS,
        DEMO_DISTRICTS,
        SIMULATED_NOTE,
        simulate_inputs,
    )
    from chiso.tables.reading import read_scores
    from chiso.tables.writing import write_results

    note = gettext(SIMULATED_NOTE, lang)
    out.print(f"[bold yellow]{note}[/bold yellow]")
    folder = Path(out_dir)

    def run() -> None:
        folder.mkdir(parents=True, exist_ok=True)
        fw = get_framework(DEMO_FRAMEWORK)
        plan = compile_plan(fw)
        groups = (
            ("so-nganh", DEMO_DEPARTMENTS, gettext("Các sở, ban, ngành", lang), 1),
            ("cap-huyen", DEMO_DISTRICTS, gettext("UBND cấp huyện", lang), 2),
        )
        for slug, units, title, seed in groups:
            rows = simulate_inputs(fw, units, seed=seed, not_applicable={"5.2": 0.3})
            input_path = folder / f"mo-phong-{slug}.csv"
            _write_input(rows, input_path)
            data = read_scores(str(input_path), fw, plan)
            results = score(fw, data.units, data.given, data.na, data.ranked, plan)
            for suffix in ("xlsx", "csv", "json"):
                write_results(results, folder / f"ket-qua-{slug}.{suffix}", lang)
            _print_ranking(results, f"{title} — {fw.code} ({note})", lang)
            print_summary(results, lang)
        err.print(gettext("Các tệp đã ghi trong ", lang) + str(folder.resolve()))

    guarded(lang, run)
