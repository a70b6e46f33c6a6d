"""``chiso report annex | data``: official outputs from a results file."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chiso.cli.output import check_lang, err, guarded
from chiso.i18n import gettext
from chiso.problems import ProblemReport, Refusal

if TYPE_CHECKING:
    from chiso.frameworks import Framework
    from chiso.reports.charts import HistoryPoint
    from chiso.scoring.document import ResultsDocument

app = typer.Typer(help="Official outputs: the ranking annex, open data.", no_args_is_help=True)
Lang = Annotated[str, typer.Option("--lang", help="vi | en", envvar="CHISO_LANG")]


RESULTS_HELP = (
    "results: chiso score --out (JSON, CSV, XLSX), a revision's JSON, the portal's data.json"
)


def _load(results: str, framework: str | None) -> "tuple[ResultsDocument, Framework]":
    """The results document and its framework (named in the document unless given; open
    data, which does not name it, by its criteria)."""
    from chiso.analysis.loaded import framework_of

    doc = _results(results)
    return doc, framework_of(doc, results, framework)


def _written(path: str, lang: str) -> None:
    err.print(gettext("Đã ghi ", lang) + path)


def _results(path: str) -> "ResultsDocument":
    from chiso.tables.results_reading import read_document

    return read_document(path)


@app.command("annex")
def annex(
    results: Annotated[str, typer.Argument(help=RESULTS_HELP)],
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
        from chiso.reports import files

        doc, fw = _load(results, framework)
        files.write_annex(files.Source(doc, fw, title or fw.name_vi, lang), out_path, template)

    guarded(lang, run)
    _written(out_path, lang)


@app.command("data")
def data(
    results: Annotated[str, typer.Argument(help=RESULTS_HELP)],
    out_path: Annotated[str, typer.Option("--out", "-o", help=".csv, .xlsx or .json")],
    framework: Annotated[str | None, typer.Option("--framework", "-f")] = None,
    lang: Lang = "vi",
) -> None:
    """Open data: one row per unit, every node's points, and a data dictionary beside it."""
    check_lang(lang)

    def run() -> None:
        from chiso.reports import files, open_data

        doc, fw = _load(results, framework)
        source = files.Source(doc, fw, "", extra={"dictionary": open_data.columns(fw, doc)})
        cols = files.write_data(source, out_path)
        files.write_dictionary_csv(cols, Path(out_path).with_suffix(".dictionary.csv"))

    guarded(lang, run)
    _written(out_path, lang)


@app.command("pdf")
def pdf(
    results: Annotated[str, typer.Argument(help=RESULTS_HELP)],
    out_path: Annotated[str, typer.Option("--out", "-o", help="the report (.pdf)")],
    framework: Annotated[str | None, typer.Option("--framework", "-f")] = None,
    title: Annotated[str, typer.Option("--title")] = "",
    unit: Annotated[
        str | None, typer.Option("--unit", help="one unit's report instead of the cycle's")
    ] = None,
    history: Annotated[
        list[str] | None,
        typer.Option(
            "--history",
            help="an earlier cycle's results JSON for --unit (repeatable); its label is the "
            "snapshot's year, else the first year in the file name; or write LABEL=FILE",
        ),
    ] = None,
    label: Annotated[
        str, typer.Option("--label", help="this cycle's label in the history (e.g. 2024)")
    ] = "",
    lang: Lang = "vi",
) -> None:
    """A PDF report: the ranking, the summary, charts and, for provinces, the tile map; with
    --unit, one unit's report: its results, its domains, its history and its interval."""
    check_lang(lang)

    def run() -> None:
        from chiso.reports import files

        doc, fw = _load(results, framework)
        simulated = doc.cycle is not None and doc.cycle.simulated
        heading = title or (doc.cycle.name if doc.cycle and doc.cycle.name else fw.name_vi)
        source = files.Source(doc, fw, heading, lang, simulated=simulated)
        if unit is None:
            files.write_report(source, out_path)
            return
        name = _unit_in(doc, results, unit)
        current = label or _label_of(doc, results)
        points = _history(history or [], doc, name, current)
        files.write_unit_report(source, name, out_path, history=points, label=current)

    guarded(lang, run)
    _written(out_path, lang)


def _unit_in(doc: "ResultsDocument", path: str, unit: str) -> str:
    """The unit's name as the results spell it; a report naming the file and the closest
    names otherwise."""
    from chiso.reports.results_document import UnitNotFound, unit_record

    try:
        return unit_record(doc, unit).unit
    except UnitNotFound as exc:
        report = ProblemReport()
        if exc.suggestions:
            names = ", ".join(f"'{n}'" for n in exc.suggestions)
            report.add("unit.unknown_similar", path, unit=unit, names=names)
        else:
            report.add("unit.unknown", path, unit=unit)
        raise Refusal(report) from None


def _label_of(doc: "ResultsDocument", path: str) -> str:
    """A cycle's label: the snapshot's year (or name), else the first year in the file name,
    else the file name."""
    from chiso.reports.results_document import cycle_label

    stem = Path(path).stem
    name, year = cycle_label(doc, stem)
    return str(year) if name == stem and year is not None else name


def _history(
    specs: list[str], doc: "ResultsDocument", unit: str, current: str
) -> "list[HistoryPoint]":
    """The unit's points in earlier cycles' results (``FILE`` or ``LABEL=FILE``); every file
    is read and checked before anything is written, and no two cycles share a label."""
    from chiso.reports.charts import history_point
    from chiso.reports.results_document import cycle_label

    report = ProblemReport()
    points: list[HistoryPoint] = []
    seen = {current}
    index = doc.framework.index if doc.framework else None
    for spec in specs:
        given, path = "", spec
        if "=" in spec and not Path(spec).exists():
            given, path = spec.split("=", 1)
        try:
            other = _results(path)
        except Refusal as exc:
            report.extend(exc.report)
            continue
        found = other.framework.index if other.framework else None
        if index and found and found != index:
            report.add("results.other_index", path, found=found, expected=index)
            continue
        name = given or _label_of(other, path)
        if name in seen:
            report.add("results.history_label", path, label=name)
            continue
        seen.add(name)
        _, year = cycle_label(other, name)
        points.append(history_point(other, unit, name, year))
    if report:
        raise Refusal(report)
    return points


@app.command("map")
def map_command(
    results: Annotated[str, typer.Argument(help=RESULTS_HELP)],
    out_path: Annotated[str, typer.Option("--out", "-o", help="the map (.svg)")],
    boundaries: Annotated[
        str | None,
        typer.Option("--boundaries", help="GeoJSON or TopoJSON (without: the tile grid)"),
    ] = None,
    colour: Annotated[
        str, typer.Option("--colour", help="group | value (five equal-width classes)")
    ] = "group",
    name_property: Annotated[
        str | None, typer.Option("--name-property", help="the feature property with names")
    ] = None,
    framework: Annotated[str | None, typer.Option("--framework", "-f")] = None,
    lang: Lang = "vi",
) -> None:
    """A map of the results coloured by group or by value: a choropleth from your boundary
    file (unmatched names are listed), or the tile grid of the provinces (63 or 34, as they
    were assessed) that needs no boundary file."""
    check_lang(lang)

    def run() -> list[str]:
        from chiso.reports.choropleth import choropleth_svg, read_boundaries
        from chiso.reports.tilemap import (
            group_colours,
            layout_for,
            tile_map_svg,
            unit_labels,
            value_classes,
        )
        from chiso.tables.atomic import atomic_target

        doc, fw = _load(results, framework)
        if colour not in ("group", "value"):
            report = ProblemReport()
            report.add("report.bad_colour", results, value=colour)
            raise Refusal(report)
        measure = "index" if fw.rank_by == "index" else "total"
        if colour == "value":
            colours, _legend = value_classes(
                {u.unit: u.value(measure) for u in doc.units}, lang, fw.precision
            )
        else:
            colours = group_colours(doc, fw)
        labels = unit_labels(doc, fw, lang, measure)
        unmatched: list[str] = []
        if boundaries is None:
            year = doc.cycle.year if doc.cycle else None
            tiles = layout_for(doc.names, year)
            if tiles is None:
                report = ProblemReport()
                report.add("report.not_provinces", results)
                raise Refusal(report)
            svg = tile_map_svg(colours, labels, fw.name_vi, tiles=tiles)
        else:
            try:
                features = read_boundaries(boundaries, name_property)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                report = ProblemReport()
                report.add("file.unreadable", boundaries, reason=f"{type(exc).__name__}: {exc}")
                raise Refusal(report) from None
            result = choropleth_svg(features, colours, labels, fw.name_vi)
            svg, unmatched = result.svg, result.unmatched_units
        with atomic_target(out_path) as tmp:
            Path(tmp).write_text(svg, encoding="utf-8")
        return unmatched

    unmatched = guarded(lang, run)
    if unmatched:
        err.print(gettext("Không tìm thấy trên bản đồ: ", lang) + ", ".join(unmatched))
    _written(out_path, lang)
