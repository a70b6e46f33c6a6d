"""Figures of the 63 provinces re-based to the 34 provinces formed on 1 July 2025.

A merged province did not exist before 2025, so it has no published score for earlier years.
Series across the reorganisation therefore show the old provinces as they were; a re-based
figure is a *derived* number and must say how it was derived. This module makes that number
and the sentence that goes with it, and nothing is ever averaged silently: a new province whose
parts are not all present gets no re-based value (a mean of the parts that happen to be there
would be a different quantity each year).

Two methods: the plain mean of the parts' values (every old province counts the same), or a
mean weighted by numbers the user supplies (population, respondents, …), named in the note.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from chiso.i18n import gettext, gettext_noop
from chiso.numbers import format_number
from chiso.scoring.ranking import competition_ranks
from chiso.units.provinces import MERGED_34
from chiso.vietnamese import sort_key

REORGANISATION = gettext_noop("Nghị quyết 202/2025/QH15")


@dataclass(frozen=True)
class RebasedUnit:
    """A province of the 34 with its parts' values as they were published."""

    unit: str
    parts: tuple[tuple[str, float | None], ...]
    value: float | None  # None when a part has no value
    rank: int | None  # among the re-based provinces that have a value

    @property
    def merged(self) -> bool:
        return len(self.parts) > 1


@dataclass(frozen=True)
class Rebased:
    units: tuple[RebasedUnit, ...]
    method: str  # "mean" or "weighted"
    weights_name: str  # what the weights are, for the note ("" for the plain mean)

    def note(self, lang: str = "vi") -> str:
        """How the figures were made, printed wherever they are shown."""
        return method_note(self.method, self.weights_name, lang)


def method_note(method: str = "mean", weights_name: str = "", lang: str = "vi") -> str:
    """The sentence that goes with every re-based figure."""
    if method == "mean":
        how = gettext("trung bình cộng (không trọng số) giá trị của các tỉnh cũ hợp thành", lang)
    else:
        how = gettext(
            "trung bình giá trị của các tỉnh cũ hợp thành, có trọng số theo {weights}", lang
        ).format(weights=weights_name)
    return gettext(
        "Quy đổi về 34 tỉnh, thành phố từ ngày 1/7/2025 ({resolution}): giá trị của mỗi tỉnh "
        "mới là {how}; thứ hạng được tính lại trong 34 đơn vị. Đây là số liệu suy ra, không "
        "phải kết quả đã công bố; tỉnh thiếu số liệu của một tỉnh cũ không có giá trị quy đổi.",
        lang,
    ).format(resolution=gettext(REORGANISATION, lang), how=how)


def rebase_to_34(
    values: Mapping[str, float | None],
    precision: int = 2,
    weights: Mapping[str, float] | None = None,
    weights_name: str = "",
) -> Rebased:
    """Re-base the 63 provinces' ``values`` (an index, say) to the 34 provinces.

    ``weights`` (per old province, all positive) gives a weighted mean; without it every part
    counts the same. Ranks are competition ranks at ``precision`` decimals, as published ranks.
    """
    if weights is not None:
        bad = [p for parts in MERGED_34.values() for p in parts if not weights.get(p, 0) > 0]
        if bad:
            raise ValueError(f"no positive weight for: {', '.join(bad)}")
        if not weights_name:
            raise ValueError("weighted re-basing needs the name of its weights")
    names = sorted(MERGED_34, key=sort_key)
    parts_of = {n: tuple((p, values.get(p)) for p in MERGED_34[n]) for n in names}
    figures: list[float | None] = []
    for n in names:
        known = [(p, v) for p, v in parts_of[n] if v is not None and not np.isnan(v)]
        if len(known) < len(parts_of[n]):
            figures.append(None)
            continue
        w = np.array([1.0 if weights is None else float(weights[p]) for p, _ in known])
        v = np.array([float(x) for _, x in known])
        figures.append(float((w * v).sum() / w.sum()))
    array = np.array([np.nan if f is None else f for f in figures])
    ranks = competition_ranks(array, ~np.isnan(array), precision)
    units = tuple(
        RebasedUnit(n, parts_of[n], f, int(r) if f is not None else None)
        for n, f, r in zip(names, figures, ranks, strict=True)
    )
    return Rebased(units, "mean" if weights is None else "weighted", weights_name)


def describe_parts(unit: RebasedUnit, lang: str = "vi", precision: int = 2) -> str:
    """ "Tuyên Quang 63,10 + Hà Giang 61,20" — the figures a re-based value came from."""
    return " + ".join(f"{p} {format_number(v, lang, precision)}" for p, v in unit.parts)
