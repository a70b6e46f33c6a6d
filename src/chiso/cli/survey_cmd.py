"""``chiso survey estimate``: design-based estimates from a responses file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from chiso.cli.output import check_lang, err, guarded, out
from chiso.messages import render
from chiso.numbers import format_number
from chiso.surveys.estimate_table import OVERALL, EstimateRow, estimate_responses
from chiso.surveys.responses import read_responses
from chiso.tables.records import records_csv, write_records

app = typer.Typer(help="Surveys: design-based estimates.", no_args_is_help=True)
Lang = Annotated[str, typer.Option("--lang", help="vi | en", envvar="CHISO_LANG")]
OutOption = Annotated[str | None, typer.Option("--out", "-o", help=".csv, .xlsx or .json")]
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
]
HEADERS = {
    "en": KEYS,
    "vi": [
        "Nhóm",
        "Câu hỏi",
        "Ước lượng",
        "Sai số chuẩn",
        "KTC 95% dưới",
        "KTC 95% trên",
        "KTC logit dưới",
        "KTC logit trên",
        "Số người trả lời",
        "Hiệu ứng thiết kế",
        "Bậc tự do",
        "Hệ số biến thiên",
        "Cảnh báo",
    ],
}


def _record(row: EstimateRow, lang: str) -> list[object]:
    domain = ("Toàn bộ" if lang == "vi" else "all") if row.domain == OVERALL else row.domain
    flag = ("không đủ tin cậy" if lang == "vi" else "unreliable") if row.unreliable else ""
    return [
        domain,
        row.item,
        row.estimate,
        row.se,
        row.ci_low,
        row.ci_high,
        row.ci_low_logit,
        row.ci_high_logit,
        row.n,
        row.deff,
        row.df,
        row.cv,
        flag,
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
    out_path: Annotated[
        str | None, typer.Option("--out", "-o", help=".csv, .xlsx or .json")
    ] = None,
    lang: Lang = "vi",
) -> None:
    """Weighted proportions (or means), Taylor-linearised standard errors, 95% intervals,
    design effects, per domain and overall — as R's survey package computes them."""
    check_lang(lang)
    if out_path and Path(out_path).suffix.lower() not in (".csv", ".xlsx", ".json"):
        err.print("--out: .csv | .xlsx | .json")
        raise typer.Exit(2)
    item_list = [i.strip() for i in items.split(",")] if items else None

    def run() -> list[EstimateRow]:
        data = read_responses(responses, weight, strata, psu, fpc, by, item_list)
        rows, warnings = estimate_responses(data, weight, strata, psu, fpc, by, lonely_psu)
        for warning in warnings:
            rule, _, value = warning.partition(":")
            err.print(f"[yellow]{render(rule, lang, value=value)}[/yellow]")
        if out_path:
            write_records(HEADERS[lang], [_record(r, lang) for r in rows], out_path, lang, 6, KEYS)
        return rows

    rows = guarded(lang, run)
    if out_path:
        err.print(("Đã ghi " if lang == "vi" else "Written: ") + out_path)
        return
    if not out.is_terminal:
        out.file.write(records_csv(HEADERS[lang], [_record(r, lang) for r in rows], lang, 6))
        return
    table = Table(title="Ước lượng theo thiết kế mẫu" if lang == "vi" else "Design-based estimates")
    for name in HEADERS[lang][:6] + HEADERS[lang][8:10] + HEADERS[lang][12:]:
        table.add_column(name)
    for r in rows:
        rec = _record(r, lang)
        table.add_row(
            str(rec[0]),
            r.item,
            *(format_number(x, lang, 4) for x in (r.estimate, r.se, r.ci_low, r.ci_high)),
            str(r.n),
            format_number(r.deff, lang, 2),
            str(rec[12]),
        )
    out.print(table)
