"""``chiso report annex | data``: official outputs from a results file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from chiso.cli.output import check_lang, err, guarded
from chiso.frameworks import get_framework
from chiso.problems import InputError, ProblemReport
from chiso.reports import open_data
from chiso.reports.annex import write_annex_docx, write_annex_xlsx
from chiso.tables.records import write_records

app = typer.Typer(help="Official outputs: the ranking annex, open data.", no_args_is_help=True)
Lang = Annotated[str, typer.Option("--lang", help="vi | en", envvar="CHISO_LANG")]


def _results(path: str) -> dict[str, Any]:
    try:
        doc: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        doc["units"]
        return doc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        report = ProblemReport()
        report.add("results.bad_file", path, reason=f"{type(exc).__name__}: {exc}")
        raise InputError(report) from None


@app.command("annex")
def annex(
    results: Annotated[str, typer.Argument(help="results JSON (chiso score --out x.json)")],
    out_path: Annotated[str, typer.Option("--out", "-o", help="the annex (.xlsx or .docx)")],
    framework: Annotated[str | None, typer.Option("--framework", "-f")] = None,
    title: Annotated[str, typer.Option("--title")] = "",
    template: Annotated[
        str | None, typer.Option("--template", help="your own Word template (.docx)")
    ] = None,
    lang: Lang = "vi",
) -> None:
    """The ranking annex laid out like the Ministry's tables, as Excel or as Word."""
    check_lang(lang)

    def run() -> None:
        doc = _results(results)
        fw = get_framework(framework or doc["framework"]["code"])
        if Path(out_path).suffix.lower() == ".docx":
            write_annex_docx(doc, fw, out_path, title or fw.name_vi, lang, template)
        else:
            write_annex_xlsx(doc, fw, out_path, title or fw.name_vi, lang)

    guarded(lang, run)
    err.print(("Đã ghi " if lang == "vi" else "Written: ") + out_path)


@app.command("data")
def data(
    results: Annotated[str, typer.Argument(help="results JSON (chiso score --out x.json)")],
    out_path: Annotated[str, typer.Option("--out", "-o", help=".csv, .xlsx or .json")],
    framework: Annotated[str | None, typer.Option("--framework", "-f")] = None,
    lang: Lang = "vi",
) -> None:
    """Open data: one row per unit, every node's points, and a data dictionary beside it."""
    check_lang(lang)

    def run() -> None:
        doc = _results(results)
        fw = get_framework(framework or doc["framework"]["code"])
        cols = open_data.columns(fw)
        write_records(
            [c["name"] for c in cols],
            open_data.rows(doc, fw),
            out_path,
            "en",
            6,
            extra={"dictionary": cols},
        )
        dictionary = Path(out_path).with_suffix(".dictionary.csv")
        write_records(
            ["name", "type", "vi", "en"],
            [[c["name"], c["type"], c["vi"], c["en"]] for c in cols],
            dictionary,
            "en",
        )

    guarded(lang, run)
    err.print(("Đã ghi " if lang == "vi" else "Written: ") + out_path)


@app.command("pdf")
def pdf(
    results: Annotated[str, typer.Argument(help="results JSON (chiso score --out x.json)")],
    out_path: Annotated[str, typer.Option("--out", "-o", help="the report (.pdf)")],
    framework: Annotated[str | None, typer.Option("--framework", "-f")] = None,
    title: Annotated[str, typer.Option("--title")] = "",
    lang: Lang = "vi",
) -> None:
    """A PDF report: the ranking, the summary and, for provinces, the tile map."""
    check_lang(lang)

    def run() -> None:
        from chiso.reports.pdf import write_pdf

        doc = _results(results)
        fw = get_framework(framework or doc["framework"]["code"])
        write_pdf(doc, fw, out_path, title or fw.name_vi, lang)

    guarded(lang, run)
    err.print(("Đã ghi " if lang == "vi" else "Written: ") + out_path)
