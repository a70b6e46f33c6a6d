"""``chiso gaps``, ``chiso plan`` and ``chiso ranks``: from results to action."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chiso.cli.output import check_lang, err, guarded, out
from chiso.i18n import gettext, pgettext

if TYPE_CHECKING:
    from chiso.analysis.gaps import Gap
    from chiso.analysis.planner import PlanResult
    from chiso.analysis.rank_uncertainty import RankUncertainty

Lang = Annotated[str, typer.Option("--lang", help="vi | en", envvar="CHISO_LANG")]
Results = Annotated[
    str,
    typer.Argument(
        help="results: chiso score --out (JSON, CSV, XLSX), a revision's JSON, the portal's "
        "data.json"
    ),
]
FrameworkOption = Annotated[
    str | None, typer.Option("--framework", "-f", help="code or YAML file (default: the file's)")
]


def _check_suffix(path: str | None, allowed: tuple[str, ...], lang: str) -> None:
    if path and Path(path).suffix.lower() not in allowed:
        err.print(
            gettext("--out: tệp {kinds}", lang).format(kinds=", ".join(allowed)) + f" ({path})"
        )
        raise typer.Exit(2)


def _written(path: str, lang: str) -> None:
    err.print(gettext("Đã ghi ", lang) + path)


def gaps_command(
    results: Results,
    unit: Annotated[str, typer.Option("--unit", "-u", help="the unit's name as in RESULTS")],
    previous: Annotated[
        str | None, typer.Option("--previous", help="last cycle's results JSON")
    ] = None,
    out_path: Annotated[
        str | None, typer.Option("--out", "-o", help=".csv, .xlsx or .json")
    ] = None,
    framework: FrameworkOption = None,
    lang: Lang = "vi",
) -> None:
    """Points lost per node of one unit: maximum, best unit, mean, change since PREVIOUS."""
    check_lang(lang)
    _check_suffix(out_path, (".csv", ".xlsx", ".json"), lang)

    def run() -> "tuple[list[Gap], str]":
        from chiso.analysis.gap_table import write_gaps
        from chiso.analysis.gaps import previous_points, unit_gaps
        from chiso.analysis.loaded import load_results

        loaded = load_results(results, framework)
        name = loaded.results.units[loaded.unit_index(unit)]
        before = previous_points(previous, name) if previous else None
        gaps = unit_gaps(loaded, name, before)
        if out_path:
            write_gaps(gaps, loaded.framework, name, out_path, lang)
        else:
            _print_gaps(gaps, loaded, lang)
        return gaps, name

    guarded(lang, run)
    if out_path:
        _written(out_path, lang)


def _print_gaps(gaps: "list[Gap]", loaded: object, lang: str) -> None:
    from rich.table import Table

    from chiso.analysis.gap_table import gap_cells, gap_header
    from chiso.analysis.loaded import Loaded
    from chiso.numbers import format_number

    assert isinstance(loaded, Loaded)
    _, header = gap_header(lang)
    table = Table()
    for name in header:
        table.add_column(name)  # wrapped between words, never inside one
    for g in gaps:
        cells = gap_cells(g, loaded.framework, lang)
        table.add_row(
            *[
                format_number(c, lang, loaded.framework.precision)
                if isinstance(c, float)
                else ("" if c is None else str(c))
                for c in cells
            ]
        )
    out.print(table)


def _target(
    index: float | None, rank: int | None, up: int | None, group: str | None, lang: str
) -> tuple[str, float | str]:
    given = [
        (k, v)
        for k, v in (("index", index), ("rank", rank), ("up", up), ("group", group))
        if v is not None
    ]
    if len(given) != 1:
        err.print(gettext("Chọn đúng một mục tiêu: --index, --rank, --up hoặc --group", lang))
        raise typer.Exit(2)
    return given[0]


def plan_command(
    results: Results,
    unit: Annotated[str, typer.Option("--unit", "-u", help="the unit's name as in RESULTS")],
    out_path: Annotated[str, typer.Option("--out", "-o", help=".json, .xlsx or .docx")],
    index: Annotated[float | None, typer.Option("--index", help="target index (%)")] = None,
    rank: Annotated[int | None, typer.Option("--rank", help="target rank")] = None,
    up: Annotated[int | None, typer.Option("--up", help="places up")] = None,
    group: Annotated[str | None, typer.Option("--group", help="target group's code")] = None,
    effort: Annotated[
        str | None, typer.Option("--effort", help="CSV/XLSX: node,effort (per point)")
    ] = None,
    history: Annotated[
        list[str] | None, typer.Option("--history", help="an earlier cycle's results (repeatable)")
    ] = None,
    draws: Annotated[int, typer.Option("--draws", min=100)] = 10_000,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    probability: Annotated[
        float | None,
        typer.Option("--probability", min=0.01, max=0.99, help="plan for this probability"),
    ] = None,
    all_sources: Annotated[
        bool, typer.Option("--all-sources", help="also raise survey and central points")
    ] = False,
    framework: FrameworkOption = None,
    template: Annotated[
        str | None, typer.Option("--template", help="your own Word template (.docx)")
    ] = None,
    lang: Lang = "vi",
) -> None:
    """The least-effort leaf improvements reaching a target (index, rank, places up, group)."""
    check_lang(lang)
    _check_suffix(out_path, (".json", ".xlsx", ".docx"), lang)
    kind, value = _target(index, rank, up, group, lang)

    def run() -> "PlanResult":
        from chiso.analysis.effort_file import read_efforts
        from chiso.analysis.gaps import unit_gaps
        from chiso.analysis.loaded import load_results
        from chiso.analysis.planner import Target, make_plan
        from chiso.reports.plan_document import write_plan

        loaded = load_results(results, framework)
        efforts = read_efforts(effort, loaded.framework) if effort else None
        plan = make_plan(
            loaded,
            unit,
            Target(kind, value),
            efforts,
            history or [],
            draws,
            seed,
            all_sources,
            probability,
        )
        write_plan(plan, unit_gaps(loaded, plan.unit), loaded.framework, out_path, lang, template)
        return plan

    plan = guarded(lang, run)
    _written(out_path, lang)
    _print_plan(plan, lang)


def _print_plan(plan: "PlanResult", lang: str) -> None:
    from chiso.reports.plan_document import assumption_lines, probability_text

    err.print(
        gettext(
            "Tổng điểm hiện nay {now}, cần {needed}, đạt {reached} với {count} việc", lang
        ).format(
            now=_n(plan.current_total, lang),
            needed=_n(plan.needed_total, lang),
            reached=_n(plan.reached_total, lang),
            count=len(plan.actions),
        )
    )
    if plan.probability is not None:
        err.print(
            gettext("Xác suất đạt mục tiêu: {p}", lang).format(
                p=probability_text(plan.probability, plan, lang)
            )
        )
    for line in assumption_lines(plan, lang):
        err.print(line)


def _n(x: float, lang: str) -> str:
    from chiso.numbers import format_number

    return format_number(x, lang, 2)


def ranks_command(
    results: Results,
    out_path: Annotated[
        str | None, typer.Option("--out", "-o", help=".csv, .xlsx or .json (else the screen)")
    ] = None,
    draws: Annotated[int, typer.Option("--draws", min=100)] = 10_000,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    weights_vary: Annotated[
        float | None,
        typer.Option("--weights-vary", min=0.0, max=100.0, help="vary top-level weights ±PCT %"),
    ] = None,
    assume_independent: Annotated[
        bool,
        typer.Option(
            "--assume-independent",
            help="derive a total's standard error from its leaves' (independent estimates)",
        ),
    ] = False,
    framework: FrameworkOption = None,
    lang: Lang = "vi",
) -> None:
    """Rank intervals and probabilities (first, each group, ahead of neighbours) by Monte Carlo."""
    check_lang(lang)
    _check_suffix(out_path, (".csv", ".xlsx", ".json"), lang)

    def run() -> "RankUncertainty":
        import numpy as np

        from chiso.analysis.leaf_errors import has_leaf_errors, total_se_from_leaves
        from chiso.analysis.loaded import load_results
        from chiso.analysis.rank_table import write_ranks
        from chiso.analysis.rank_uncertainty import rank_uncertainty
        from chiso.problems import ProblemReport, Refusal

        loaded = load_results(results, framework)
        derived = None
        if has_leaf_errors(loaded):
            from_leaves = total_se_from_leaves(loaded)
            lacking = ~np.isnan(from_leaves) & np.isnan(loaded.results.total_se)
            if assume_independent:
                derived = from_leaves
            elif lacking.any():
                report = ProblemReport()
                report.add("ranks.total_se_missing", loaded.file, count=int(lacking.sum()))
                raise Refusal(report)
        result = rank_uncertainty(loaded, draws, seed, weights_vary, derived)
        if out_path:
            write_ranks(result, out_path, lang)
        else:
            _print_ranks(result, lang)
        return result

    result = guarded(lang, run)
    if out_path:
        _written(out_path, lang)
    if not result.has_errors:
        err.print(
            gettext(
                "Cảnh báo: tệp không có sai số chuẩn nào, mọi đơn vị được coi là chính xác: "
                "khoảng hạng chỉ là hạng hiện nay và xác suất là 0 hoặc 1.",
                lang,
            )
        )
    elif assume_independent:
        err.print(
            gettext(
                "Sai số chuẩn của tổng điểm được suy ra từ sai số của các tiêu chí, "
                "giả định các ước lượng độc lập với nhau.",
                lang,
            )
        )
    if result.least_stable:
        err.print(
            pgettext("ranks", "Hạng kém ổn định nhất khi đổi trọng số: ", lang)
            + ", ".join(result.least_stable)
        )


def _print_ranks(result: "RankUncertainty", lang: str) -> None:
    """The table on the screen: each unit's rank, its interval and the probabilities a reader
    looks at first; the whole table (every group, the neighbours) goes to --out."""
    from rich.table import Table

    from chiso.numbers import format_number

    def pct(p: float | None) -> str:
        return "" if p is None else format_number(100 * p, lang, 1) + " %"

    table = Table()
    table.add_column(pgettext("screen", "Đơn vị", lang))
    table.add_column(pgettext("screen", "Hạng", lang), justify="right", no_wrap=True)
    table.add_column(pgettext("screen", "Khoảng hạng 90 %", lang), justify="right", no_wrap=True)
    table.add_column(pgettext("screen", "Đứng đầu", lang), justify="right", no_wrap=True)
    for band in result.groups:
        table.add_column(band.name_in(lang) or band.code, justify="right", no_wrap=True)
    for u in result.units:
        interval = str(u.rank_low) if u.rank_low == u.rank_high else f"{u.rank_low}–{u.rank_high}"
        table.add_row(
            u.unit,
            str(u.rank),
            interval,
            pct(u.p_first),
            *[pct(u.p_group[b.code]) for b in result.groups],
        )
    out.print(table)
