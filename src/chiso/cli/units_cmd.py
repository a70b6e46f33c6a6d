"""``chiso units list``: the official commune-level units of the 34 provinces (from 1 July
2025), with the statistics office's codes and types, as a table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from chiso.cli.output import check_lang, err, out
from chiso.i18n import gettext, pgettext

if TYPE_CHECKING:
    from chiso.units.communes import OfficialCommune

app = typer.Typer(help="Official administrative units (34 provinces, 3,321 communes).")

Lang = Annotated[str, typer.Option("--lang", help="vi | en", envvar="CHISO_LANG")]
FORMATS = ("table", "csv", "json")


def _columns(lang: str) -> tuple[str, ...]:
    return (
        pgettext("column", "Mã", lang),
        pgettext("column", "Tên", lang),
        pgettext("column", "Loại", lang),
        pgettext("column", "Mã tỉnh", lang),
        pgettext("column", "Tỉnh, thành phố", lang),
    )


def _rows(communes: tuple[OfficialCommune, ...]) -> list[tuple[str, str, str, str, str]]:
    from chiso.units.communes import province_of

    return [(c.code, c.name, c.type, c.province_code, province_of(c).name) for c in communes]


@app.command("list")
def list_command(
    province: Annotated[
        str | None, typer.Option("--province", "-p", help="name or code, e.g. 'Thái Nguyên', 19")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="xã | phường | đặc khu")] = None,
    output_format: Annotated[str, typer.Option("--format", help="table | csv | json")] = "table",
    lang: Lang = "vi",
) -> None:
    """The commune-level units (all, or a province's, or of one type) in the order of their
    codes; the source and the count on standard error."""
    from chiso.units.communes import COMMUNE_TYPES, find_province, official_communes, source
    from chiso.vietnamese import nfc

    check_lang(lang)
    if output_format not in FORMATS:
        err.print(
            gettext("--format: chọn một trong {formats}", lang).format(formats=", ".join(FORMATS))
            + f" ({output_format})"
        )
        raise typer.Exit(2)
    chosen = None
    if province is not None:
        chosen = find_province(province)
        if chosen is None:
            err.print(
                gettext(
                    "'{value}' không phải là một trong 34 tỉnh, thành phố (tên hoặc mã)", lang
                ).format(value=province)
            )
            raise typer.Exit(2)
    commune_type = None
    if kind is not None:
        commune_type = nfc(kind.strip()).casefold()
        if commune_type not in COMMUNE_TYPES:
            err.print(
                gettext("--kind: chọn một trong {kinds}", lang).format(
                    kinds=", ".join(COMMUNE_TYPES)
                )
                + f" ({kind})"
            )
            raise typer.Exit(2)
    rows = _rows(official_communes(chosen, commune_type))
    columns = _columns(lang)
    if output_format == "json":
        keys = ("code", "name", "type", "province_code", "province")
        sys.stdout.write(
            json.dumps(
                [dict(zip(keys, r, strict=True)) for r in rows], ensure_ascii=False, indent=1
            )
            + "\n"
        )
    elif output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        sys.stdout.write(buffer.getvalue())
    else:
        from rich.table import Table

        table = Table(*columns)
        for row in rows:
            table.add_row(*row)
        out.print(table)
    err.print(
        gettext("{count} đơn vị cấp xã — nguồn: {source}", lang).format(
            count=len(rows), source=source()
        )
    )
