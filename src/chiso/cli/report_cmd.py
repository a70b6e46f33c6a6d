"""``chiso report annex | data``: official outputs from a results file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from chiso.cli.output import check_lang, err, guarded
from chiso.frameworks import Framework, get_framework
from chiso.problems import InputError, ProblemReport
from chiso.reports import open_data
from chiso.reports.annex import write_annex_docx, write_annex_xlsx
from chiso.tables.records import write_records

app = typer.Typer(help="Official outputs: the ranking annex, open data.", no_args_is_help=True)
Lang = Annotated[str, typer.Option("--lang", help="vi | en", envvar="CHISO_LANG")]


def _load(results: str, framework: str | None) -> tuple[dict[str, Any], Framework]:
    """The results document and its framework (named in the document unless given)."""
    doc = _results(results)
    return doc, get_framework(framework or doc["framework"]["code"])


def _written(path: str, lang: str) -> None:
    err.print(("Đã ghi " if lang == "vi" else "Written: ") + path)


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
        doc, fw = _load(results, framework)
        if Path(out_path).suffix.lower() == ".docx":
            write_annex_docx(doc, fw, out_path, title or fw.name_vi, lang, template)
        else:
            write_annex_xlsx(doc, fw, out_path, title or fw.name_vi, lang)

    guarded(lang, run)
    _written(out_path, lang)


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
        doc, fw = _load(results, framework)
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
    _written(out_path, lang)


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

        doc, fw = _load(results, framework)
        write_pdf(doc, fw, out_path, title or fw.name_vi, lang)

    guarded(lang, run)
    _written(out_path, lang)


@app.command("map")
def map_command(
    results: Annotated[str, typer.Argument(help="results JSON (chiso score --out x.json)")],
    boundaries: Annotated[str, typer.Option("--boundaries", help="GeoJSON or TopoJSON")],
    out_path: Annotated[str, typer.Option("--out", "-o", help="the map (.svg)")],
    name_property: Annotated[
        str | None, typer.Option("--name-property", help="the feature property with names")
    ] = None,
    framework: Annotated[str | None, typer.Option("--framework", "-f")] = None,
    lang: Lang = "vi",
) -> None:
    """A choropleth from your boundary file, coloured by group; unmatched names are listed."""
    check_lang(lang)

    def run() -> list[str]:
        from chiso.frameworks.model import QUARTILE_GROUPS
        from chiso.reports.choropleth import choropleth_svg, read_boundaries
        from chiso.reports.tilemap import PALETTE
        from chiso.tables.atomic import atomic_target

        doc, fw = _load(results, framework)
        bands = (fw.groups.bands or QUARTILE_GROUPS) if fw.groups else ()
        palette = {b.code: PALETTE[min(i, len(PALETTE) - 2)] for i, b in enumerate(bands)}
        colours = {u["unit"]: palette.get(u.get("group") or "", PALETTE[-1]) for u in doc["units"]}
        labels = {u["unit"]: str(u.get("group_name") or "") for u in doc["units"]}
        try:
            features = read_boundaries(boundaries, name_property)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            report = ProblemReport()
            report.add("file.unreadable", boundaries, reason=f"{type(exc).__name__}: {exc}")
            raise InputError(report) from None
        result = choropleth_svg(features, colours, labels, fw.name_vi)
        with atomic_target(out_path) as tmp:
            Path(tmp).write_text(result.svg, encoding="utf-8")
        return result.unmatched_units

    unmatched = guarded(lang, run)
    if unmatched:
        err.print(
            ("Không tìm thấy trên bản đồ: " if lang == "vi" else "Not on the map: ")
            + ", ".join(unmatched)
        )
    _written(out_path, lang)
