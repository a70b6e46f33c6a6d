"""The rank-uncertainty table as a file: column names in the reader's language, in English the
keys a script reads (``unit, rank, rank_low, rank_high, p_first``…, as in the JSON) with each
group by its English name (``p_group_good``: a group's code is often a Vietnamese word, which
an English reader should not have to know; the JSON keeps ``p_group_<code>``), probabilities
as shares (0–1)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from chiso.analysis.rank_uncertainty import RankUncertainty
from chiso.frameworks.model import Band
from chiso.i18n import gettext, pgettext
from chiso.tables.records import write_records
from chiso.vietnamese import fold


def rank_columns(result: RankUncertainty, lang: str) -> tuple[list[str], list[str]]:
    """(keys, header): the JSON keys and the columns' names in ``lang``."""
    keys = ["unit", "rank", "rank_low", "rank_high", "p_first"]
    header = [
        pgettext("column", "Đơn vị", lang),
        pgettext("column", "Xếp hạng", lang),
        pgettext("column", "Hạng thấp (5%)", lang),
        pgettext("column", "Hạng cao (95%)", lang),
        pgettext("column", "Xác suất đứng đầu", lang),
    ]
    for band in result.groups:
        keys.append(f"p_group_{band.code}")
        header.append(gettext("Xác suất nhóm {group}", lang).format(group=group_label(band, lang)))
    keys += ["p_ahead_above", "p_ahead_below", "se"]
    header += [
        pgettext("column", "Xác suất vượt đơn vị trên", lang),
        pgettext("column", "Xác suất trên đơn vị dưới", lang),
        pgettext("column", "Sai số chuẩn của tổng", lang),
    ]
    if result.weights_vary is not None:
        keys += ["weight_rank_low", "weight_rank_high", "weight_shift"]
        header += [
            pgettext("column", "Hạng thấp khi đổi trọng số", lang),
            pgettext("column", "Hạng cao khi đổi trọng số", lang),
            pgettext("column", "Dịch chuyển hạng trung bình", lang),
        ]
    return keys, header


def group_label(band: Band, lang: str) -> str:
    """A group in a column's name: its name in ``lang``; in English as a key (``Good`` →
    ``good``, ``Group A`` → ``group_a``)."""
    name = band.name_in(lang) or band.code
    if lang == "vi":
        return name
    return re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_") or band.code


def rank_rows(result: RankUncertainty) -> list[list[Any]]:
    rows = []
    for u in result.units:
        row: list[Any] = [u.unit, u.rank, u.rank_low, u.rank_high, u.p_first]
        row += [u.p_group[b.code] for b in result.groups]
        row += [u.p_ahead_above, u.p_ahead_below, u.se]
        if result.weights_vary is not None:
            row += [u.weight_rank_low, u.weight_rank_high, u.weight_shift]
        rows.append(row)
    return rows


def write_ranks(result: RankUncertainty, path: str | Path, lang: str) -> None:
    keys, header = rank_columns(result, lang)
    extra = {
        "draws": result.draws,
        "seed": result.seed,
        "weights_vary": result.weights_vary,
        "least_stable": result.least_stable,
    }
    write_records(header, rank_rows(result), path, lang, 4, keys, extra)
