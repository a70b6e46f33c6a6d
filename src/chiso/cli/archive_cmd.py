"""``chiso archive``: the archive of published results (PAR INDEX, SIPAS, PAPI).

``load`` puts it into the web application's database (what ``chiso serve --demo`` does by
itself, for a real installation), through the web app's ``load_archive`` command run by
:func:`chiso.cli.serve_cmd.run_in_django`; ``export`` writes it as open data; ``facts`` prints
a province's long-run facts. pyarrow and openpyxl are imported inside the commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chiso.cli.output import check_lang, err, guarded, out
from chiso.i18n import gettext, gettext_noop, translated

if TYPE_CHECKING:
    from chiso.archive import Archive

app = typer.Typer(
    help="Kết quả đã công bố / the archive of published results: load, export, facts.",
    no_args_is_help=True,
)
FACT_LABELS = {
    "first": gettext_noop("Số lần xếp thứ nhất"),
    "group": gettext_noop("Số năm liên tiếp dài nhất trong nhóm cao nhất"),
    "five": gettext_noop("Số năm liên tiếp dài nhất trong năm vị trí đầu"),
    "mean": gettext_noop("Giá trị trung bình"),
    "best": gettext_noop("Năm tốt nhất"),
    "worst": gettext_noop("năm kém nhất"),
}
Lang = Annotated[str, typer.Option("--lang", help="vi | en", envvar="CHISO_LANG")]
Data = Annotated[
    str | None,
    typer.Option("--data", help="a folder with sources.yaml and *.csv (default: chiso's own)"),
]


def _archive(data: str | None) -> Archive:
    from chiso.archive import load_archive

    return load_archive(data)


@app.command("load")
def load_command(data: Data = None, lang: Lang = "vi") -> None:
    """Load the archive into the web application's database (DATABASE_URL), replacing the one
    loaded before, and make its open-data files."""
    check_lang(lang)

    def run() -> tuple[int, str]:
        from chiso.cli.serve_cmd import run_in_django

        _archive(data)  # every file checked, every problem reported, before anything is written
        figures, sha = run_in_django("load_archive", *(["--data", data] if data else [])).split()
        return int(figures), sha

    figures, sha = guarded(lang, run)
    err.print(
        gettext("Đã nạp {count} số liệu đã công bố (SHA-256 {sha})", lang).format(
            count=figures, sha=sha[:12]
        )
    )


@app.command("export")
def export_command(
    out_path: Annotated[str, typer.Option("--out", "-o", help="the file (.csv, .xlsx, .parquet)")],
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv | xlsx | parquet (default: from --out)")
    ] = None,
    data: Data = None,
    lang: Lang = "vi",
) -> None:
    """The whole archive as open data in long form, with its data dictionary
    (<name>.dictionary.csv) and its sources (<name>.sources.csv) beside it."""
    check_lang(lang)
    from pathlib import Path

    from chiso.archive.open_data import FORMATS

    target = Path(out_path)
    chosen = fmt or target.suffix.lstrip(".").lower()
    if chosen not in FORMATS:
        err.print(
            gettext("--format: chọn một trong {formats}", lang).format(formats=", ".join(FORMATS))
        )
        raise typer.Exit(2)
    if target.suffix.lstrip(".").lower() != chosen:
        target = target.with_suffix(f".{chosen}")

    def run() -> list[Path]:
        from chiso.archive.open_data import write

        return write(_archive(data), target)

    for path in guarded(lang, run):
        err.print(gettext("Đã ghi ", lang) + str(path))


@app.command("facts")
def facts_command(
    province: Annotated[str, typer.Argument(help="a province of the 63, e.g. 'Quảng Ninh'")],
    data: Data = None,
    lang: Lang = "vi",
) -> None:
    """A province's long-run facts in each index: times first, longest runs in the top group
    and in the top five, mean, best and worst year."""
    check_lang(lang)
    from chiso.archive.facts import facts
    from chiso.archive.model import INDICES
    from chiso.archive.year_by_year import PRECISION
    from chiso.numbers import format_number
    from chiso.units.provinces import PROVINCES_63

    if province not in PROVINCES_63:
        err.print(
            gettext("'{unit}' không phải là một trong 63 tỉnh, thành phố", lang).format(
                unit=province
            )
        )
        raise typer.Exit(2)
    archive = guarded(lang, lambda: _archive(data))

    def years(ys: tuple[int, ...]) -> str:
        return ", ".join(str(y) for y in ys) or "—"

    label = translated(FACT_LABELS, lang)
    for index in INDICES:
        f = facts(archive, index, province)
        out.print(f"[bold]{index}[/bold] — {province}")
        out.print(f"  {label['first']}: {len(f.first)} ({years(f.first)})")
        if index != "SIPAS":
            out.print(f"  {label['group']}: {len(f.top_group_run)} ({years(f.top_group_run)})")
        out.print(f"  {label['five']}: {len(f.top_five_run)} ({years(f.top_five_run)})")
        if f.mean is not None:
            mean = format_number(f.mean, lang, PRECISION[index])
            out.print(f"  {label['mean']}: {mean} ({years(f.mean_years)})")
        if f.best is not None and f.worst is not None:
            out.print(
                f"  {label['best']}: {f.best.year} (#{f.best.rank}); "
                f"{label['worst']}: {f.worst.year} (#{f.worst.rank})"
            )
