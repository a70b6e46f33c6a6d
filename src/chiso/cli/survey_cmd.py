"""``chiso survey estimate``: design-based estimates from a responses file."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chiso.cli.output import check_lang, err, guarded, out
from chiso.i18n import gettext, pgettext_noop, translated

if TYPE_CHECKING:
    from chiso.problems import ProblemReport
    from chiso.surveys.estimate_table import EstimateRow, Reliability
    from chiso.surveys.instrument import Instrument
    from chiso.surveys.responses import Responses

app = typer.Typer(help="Surveys: design-based estimates.", no_args_is_help=True)
Lang = Annotated[str, typer.Option("--lang", help="vi | en", envvar="CHISO_LANG")]
OutOption = Annotated[
    str | None, typer.Option("--out", "-o", help=".csv, .xlsx, .json or .parquet")
]
OUT_SUFFIXES = (".csv", ".xlsx", ".json", ".parquet")


def check_out(out_path: str | None) -> None:
    if out_path and Path(out_path).suffix.lower() not in OUT_SUFFIXES:
        err.print("--out: " + " | ".join(OUT_SUFFIXES))
        raise typer.Exit(2)


KEYS = [
    "domain",
    "item",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "ci_low_logit",
    "ci_high_logit",
    "n",
    "deff",
    "df",
    "cv",
    "flag",
    "reason",
]
# the estimates table's columns: in English their keys, in Vietnamese these words
HEADERS = [
    pgettext_noop("estimates column", "Nhóm"),
    pgettext_noop("estimates column", "Câu hỏi"),
    pgettext_noop("estimates column", "Ước lượng"),
    pgettext_noop("estimates column", "Sai số chuẩn"),
    pgettext_noop("estimates column", "KTC 95% dưới"),
    pgettext_noop("estimates column", "KTC 95% trên"),
    pgettext_noop("estimates column", "KTC logit dưới"),
    pgettext_noop("estimates column", "KTC logit trên"),
    pgettext_noop("estimates column", "Số người trả lời"),
    pgettext_noop("estimates column", "Hiệu ứng thiết kế"),
    pgettext_noop("estimates column", "Bậc tự do"),
    pgettext_noop("estimates column", "Hệ số biến thiên"),
    pgettext_noop("estimates column", "Cảnh báo"),
    pgettext_noop("estimates column", "Lý do"),
]


def headers(lang: str) -> list[str]:
    """The estimates table's column names in ``lang``."""
    return list(translated(dict(zip(KEYS, HEADERS, strict=True)), lang).values())


def _single(rule: str, file: str, **params: Any) -> "ProblemReport":
    from chiso.problems import ProblemReport

    report = ProblemReport()
    report.add(rule, file, **params)
    return report


def check_version(data: "Responses", form: "Instrument") -> None:
    """Responses imported from another version of the form are refused."""
    from chiso.problems import Refusal

    versions = data.distinct("form_version") if "form_version" in data.columns else []
    found = {str(v) for v in versions if v not in (None, "")}
    other = sorted(v for v in found if v != form.version)
    if other:
        raise Refusal(
            _single("survey.version_mismatch", data.file, found=other[0], expected=form.version)
        )


def _reason(row: "EstimateRow", rule: "Reliability", lang: str) -> str:
    """Why an estimate is too thin to publish, in words: "n = 12 < 30; CV = 41,2 % > 30 %"."""
    import math

    from chiso.numbers import format_number, format_short

    parts = []
    for reason in rule.reasons(row):
        if reason == "n":
            parts.append(f"n = {row.n} < {rule.min_n}")
        elif math.isfinite(row.cv):
            cv = format_number(100 * row.cv, lang, 1)
            parts.append(f"CV = {cv} % > {format_short(100 * rule.max_cv, lang)} %")
        else:
            parts.append(gettext("ước lượng bằng 0: không tính được CV", lang))
    return "; ".join(parts)


def _record(
    row: "EstimateRow", lang: str, rule: "Reliability", public: bool = False
) -> list[object]:
    """A row of the estimates table; in a public table a thin estimate's value, standard
    error, intervals and design effect are left blank, its n, CV and reason shown."""
    import math

    from chiso.surveys.estimate_table import OVERALL

    domain = gettext("Toàn bộ", lang) if row.domain == OVERALL else row.domain
    reason = _reason(row, rule, lang)
    flag = gettext("không đủ tin cậy", lang) if reason else ""
    hidden = public and bool(reason)
    if hidden:
        flag = gettext("không công bố: không đủ tin cậy", lang)

    def shown(value: float | None) -> float | None:
        return None if hidden else value

    return [
        domain,
        row.item,
        shown(row.estimate),
        shown(row.se),
        shown(row.ci_low),
        shown(row.ci_high),
        shown(row.ci_low_logit),
        shown(row.ci_high_logit),
        row.n,
        shown(row.deff),
        row.df,
        row.cv if math.isfinite(row.cv) else None,  # JSON has no Infinity
        flag,
        reason,
    ]


@app.command("estimate")
def estimate(
    responses: Annotated[str, typer.Argument(help="responses: CSV or XLSX, one row per person")],
    weight: Annotated[str, typer.Option("--weight", help="weight column")],
    strata: Annotated[str | None, typer.Option("--strata", help="stratum column")] = None,
    psu: Annotated[str | None, typer.Option("--psu", help="first-stage unit column")] = None,
    fpc: Annotated[
        str | None,
        typer.Option("--fpc", help="PSUs in the stratum's population, or the sampling fraction"),
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="domain column")] = None,
    items: Annotated[str | None, typer.Option("--items", help="Q1,Q2,… (default: all)")] = None,
    lonely_psu: Annotated[
        str, typer.Option("--lonely-psu", help="fail | certainty | adjust | average")
    ] = "fail",
    out_path: OutOption = None,
    instrument: Annotated[
        str | None,
        typer.Option("--instrument", help="code or file: items become 0/1 satisfied"),
    ] = None,
    points_out: Annotated[
        str | None,
        typer.Option(
            "--points-out",
            help="score input for chiso score (unit,node,value,se): leaves, the inner nodes "
            "and the total ('total') the items determine",
        ),
    ] = None,
    poststrata: Annotated[
        str | None, typer.Option("--poststrata", help="column to post-stratify on")
    ] = None,
    population: Annotated[
        str | None,
        typer.Option("--population", help="CSV/XLSX: category, population count"),
    ] = None,
    rake: Annotated[
        list[str] | None,
        typer.Option("--rake", help="COLUMN=counts.csv, once per margin: rake to census margins"),
    ] = None,
    min_n: Annotated[
        int, typer.Option("--min-n", help="fewer respondents: too thin to publish")
    ] = 30,
    max_cv: Annotated[
        float, typer.Option("--max-cv", help="a higher CV (%): too thin to publish")
    ] = 30.0,
    public: Annotated[
        bool, typer.Option("--public", help="leave thin estimates blank, with the reason")
    ] = False,
    lang: Lang = "vi",
) -> None:
    """Weighted proportions (or means), Taylor-linearised standard errors, 95% intervals,
    design effects, per domain and overall — as R's survey package computes them; each with
    its n and CV, flagged when too thin to publish (n < --min-n or CV > --max-cv)."""
    check_lang(lang)
    check_out(out_path)
    if min_n < 0 or not max_cv > 0:
        err.print("--min-n >= 0, --max-cv > 0")
        raise typer.Exit(2)
    from chiso.surveys.estimate_table import Reliability

    thin = Reliability(min_n, max_cv / 100)
    item_list = [i.strip() for i in items.split(",")] if items else None

    def run() -> "list[EstimateRow]":
        from chiso.messages import render
        from chiso.problems import Refusal
        from chiso.surveys.estimate_table import Calibration, estimate_responses
        from chiso.surveys.responses import read_responses
        from chiso.tables.records import write_records

        form = None
        if instrument:
            from chiso.surveys.instrument import get_instrument

            form = get_instrument(instrument)
        design_strata, design_psu = strata, psu
        wanted = item_list
        if form is not None:
            stratum_q, psu_q = form.role("stratum"), form.role("psu")
            design_strata = strata or (stratum_q.code if stratum_q else None)
            design_psu = psu or (psu_q.code if psu_q else None)
            wanted = item_list or [q.code for q in form.items]
        calibration: Calibration = None
        extra: list[str] = []
        if poststrata or rake:
            from chiso.surveys.population_file import read_population
        if poststrata:
            if not population:
                raise Refusal(_single("survey.population_needed", responses))
            calibration = ("post", [(poststrata, read_population(population))])
            extra.append(poststrata)
        elif rake:
            margins = []
            for spec in rake:
                column, _, counts = spec.partition("=")
                if not counts:
                    raise Refusal(_single("survey.rake_spec", responses, value=spec))
                margins.append((column.strip(), read_population(counts.strip())))
                extra.append(column.strip())
            calibration = ("rake", margins)
        data = read_responses(
            responses,
            weight,
            design_strata,
            design_psu,
            fpc,
            by,
            wanted,
            text_items=form is not None,
            extra=extra,
        )
        if form is not None:
            check_version(data, form)
        combinations = None
        if points_out:
            if form is None or form.framework is None:
                raise Refusal(_single("survey.points_need_instrument", points_out))
            from chiso.frameworks import get_framework
            from chiso.surveys.score_points import node_combinations, points_rows

            fw = get_framework(form.framework)
            # inner nodes and the total from the items, with the covariance in their SEs
            combinations = node_combinations(form, fw, data.items)
        estimates = estimate_responses(
            data,
            weight,
            design_strata,
            design_psu,
            fpc,
            by,
            lonely_psu,
            form,
            calibration,
            combinations,
        )
        rows, warnings = estimates.rows, estimates.warnings
        if points_out:
            assert form is not None and combinations is not None
            write_records(
                ["unit", "node", "value", "se"],
                points_rows(rows, form, fw, estimates.combined),
                points_out,
                "en",
                6,
            )
            warnings = warnings + combinations.warnings
            # the points go on to be scored and published: say which units rest on thin data
            from chiso.surveys.estimate_table import OVERALL
            from chiso.vietnamese import sort_key

            thin_units = {r.domain for r in rows if r.domain != OVERALL and thin.reasons(r)}
            if thin_units:
                named = ", ".join(sorted(thin_units, key=sort_key))
                warnings.append(f"survey.thin_points:{named}")
        for warning in warnings:
            rule, _, value = warning.partition(":")
            err.print(f"[yellow]{render(rule, lang, value=value)}[/yellow]")
        if out_path:
            records = [_record(r, lang, thin, public) for r in rows]
            write_records(headers(lang), records, out_path, lang, 6, KEYS)
        return rows

    rows = guarded(lang, run)
    if out_path:
        err.print(gettext("Đã ghi ", lang) + out_path)
        return
    from chiso.tables.records import records_csv

    if not out.is_terminal:
        records = [_record(r, lang, thin, public) for r in rows]
        out.file.write(records_csv(headers(lang), records, lang, 6))
        return
    from rich.table import Table

    from chiso.numbers import format_number

    table = Table(title=gettext("Ước lượng theo thiết kế mẫu", lang))
    for name in headers(lang)[:6] + headers(lang)[8:10] + headers(lang)[12:]:
        table.add_column(name)
    for r in rows:
        rec = _record(r, lang, thin, public)
        numbers = [x if isinstance(x, float) else None for x in rec[2:6] + rec[9:10]]
        table.add_row(
            str(rec[0]),
            r.item,
            *(format_number(x, lang, 4) for x in numbers[:4]),
            str(r.n),
            format_number(numbers[4], lang, 2),
            str(rec[12]),
            str(rec[13]),
        )
    out.print(table)


SAMPLE_HEADERS = [
    pgettext_noop("sample column", "Xác suất chọn"),
    pgettext_noop("sample column", "Trọng số thiết kế"),
]
SAMPLE_KEYS = ["inclusion_probability", "design_weight"]


@app.command("sample")
def sample(
    frame: Annotated[str, typer.Argument(help="sampling frame: CSV or XLSX, one row per unit")],
    out_path: Annotated[str, typer.Option("--out", "-o", help=".csv, .xlsx, .json or .parquet")],
    strata: Annotated[str | None, typer.Option("--strata", help="stratum column")] = None,
    size: Annotated[int | None, typer.Option("--size", help="total sample size")] = None,
    size_file: Annotated[
        str | None, typer.Option("--size-file", help="CSV/XLSX: stratum, sample size")
    ] = None,
    method: Annotated[str, typer.Option("--method", help="srs | pps (systematic)")] = "srs",
    size_col: Annotated[
        str | None, typer.Option("--size-col", help="pps: the measure of size column")
    ] = None,
    allocation: Annotated[
        str, typer.Option("--allocation", help="proportional | equal | neyman")
    ] = "proportional",
    variance_col: Annotated[
        str | None,
        typer.Option("--variance-col", help="the stratum's variance S²_h (Neyman allocation)"),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="random seed (printed if omitted)")
    ] = None,
    lang: Lang = "vi",
) -> None:
    """Draw a stratified sample: simple random or systematic with probability proportional to
    size in every stratum, N allocated over the strata; each selected row with its inclusion
    probability (as R's sampling::inclusionprobabilities) and design weight."""
    check_lang(lang)
    check_out(out_path)
    from chiso.surveys.allocation import ALLOCATIONS
    from chiso.surveys.frame_sample import METHODS

    for option, value, allowed in (
        ("--method", method, METHODS),
        ("--allocation", allocation, ALLOCATIONS),
    ):
        if value not in allowed:
            err.print(f"{option}: {' | '.join(allowed)}")
            raise typer.Exit(2)
    if (size is None) == (size_file is None):
        err.print("--size N | --size-file F")
        raise typer.Exit(2)
    if seed is None:
        import secrets

        seed = secrets.randbelow(2**31)
    chosen_seed = seed

    def run() -> "tuple[int, list[tuple[str, int, int]]]":
        from chiso.surveys.frame_sample import draw_sample, read_frame, read_size_file
        from chiso.tables.records import write_records

        sizes = read_size_file(size_file) if size_file else size
        assert sizes is not None
        drawn = draw_sample(
            read_frame(frame),
            strata,
            sizes,
            method,
            chosen_seed,
            size_col,
            allocation,
            variance_col,
        )
        header = drawn.header + list(
            translated(dict(zip(SAMPLE_KEYS, SAMPLE_HEADERS, strict=True)), lang).values()
        )
        as_text = Path(out_path).suffix.lower() == ".csv"
        records = []
        for cells, p, w in zip(drawn.rows, drawn.probabilities, drawn.weights, strict=True):
            frame_cells: list[object] = [_cell_text(c) if as_text else c for c in cells]
            # a CSV keeps every digit (repr): the weights are read back by survey estimate
            records.append(frame_cells + ([repr(p), repr(w)] if as_text else [p, w]))
        write_records(header, records, out_path, "en", 15)
        return len(records), [(s.name, s.population, s.size) for s in drawn.strata]

    count, strata_sizes = guarded(lang, run)
    if strata is not None:
        for name, population, n in strata_sizes:
            err.print(f"{name}: {n}/{population}")
    err.print(f"--seed {chosen_seed}")
    err.print(f"{count} " + gettext("đơn vị được chọn", lang))
    err.print(gettext("Đã ghi ", lang) + out_path)


def _cell_text(cell: object) -> object:
    """A frame cell as it was for a CSV: a number from a workbook with every digit and a
    whole one without its ".0"."""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return cell


@app.command("xlsform")
def xlsform(
    instrument: Annotated[str, typer.Argument(help="instrument code or file")],
    out_path: Annotated[str, typer.Option("--out", "-o", help="the XLSForm (.xlsx)")],
    lang: Lang = "vi",
) -> None:
    """Export an instrument as an XLSForm for ODK Collect or KoboToolbox (checked by pyxform)."""
    check_lang(lang)
    from chiso.surveys.instrument import get_instrument
    from chiso.surveys.xlsform import write_xlsform

    guarded(lang, lambda: write_xlsform(get_instrument(instrument), out_path))
    err.print(gettext("Đã ghi ", lang) + out_path)


@app.command("import")
def import_command(
    export: Annotated[str, typer.Argument(help="the export: CSV or XLSX")],
    instrument: Annotated[str, typer.Option("--instrument", help="instrument code or file")],
    profile: Annotated[str, typer.Option("--profile", help="odk | kobo | csv")] = "odk",
    out_path: OutOption = None,
    mapping: Annotated[
        str | None, typer.Option("--map", help='csv profile: "Column=question,..."')
    ] = None,
    id_column: Annotated[str | None, typer.Option("--id", help="respondent id column")] = None,
    weight: Annotated[str | None, typer.Option("--weight", help="weight column to check")] = None,
    strata: Annotated[str | None, typer.Option("--strata", help="stratum column")] = None,
    psu: Annotated[str | None, typer.Option("--psu", help="first-stage unit column")] = None,
    repeat: Annotated[
        list[str] | None,
        typer.Option("--repeat", help="a repeat group's CSV (ODK Central: PARENT_KEY)"),
    ] = None,
    lang: Lang = "vi",
) -> None:
    """Read an ODK Central, KoboToolbox or plain export, check every answer against the
    instrument, and write one normalised responses table — all or nothing."""
    check_lang(lang)
    from chiso.surveys.export_reading import PROFILES

    if profile not in PROFILES:
        err.print(f"--profile: {' | '.join(PROFILES)}")
        raise typer.Exit(2)
    check_out(out_path)
    design = {k: v for k, v in (("weight", weight), ("strata", strata), ("psu", psu)) if v}

    def run() -> int:
        from chiso.messages import render
        from chiso.surveys.export_reading import import_export, parse_mapping
        from chiso.surveys.imported_writing import write_imported
        from chiso.surveys.instrument import get_instrument
        from chiso.tables.records import records_csv

        form = get_instrument(instrument)
        imported = import_export(
            export, form, profile, parse_mapping(mapping), id_column, design, repeat
        )
        for warning in imported.warnings:
            err.print(f"[yellow]{render(warning, lang)}[/yellow]")
        if out_path:
            write_imported(imported, out_path)
        else:
            out.file.write(records_csv(imported.columns, imported.rows, "en", 6))
        return len(imported.rows)

    count = guarded(lang, run)
    err.print(f"{count} " + gettext("phiếu hợp lệ", lang))
