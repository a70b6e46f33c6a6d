"""Which units records may name: the 34 provinces, the 63 provinces, or a list in a file (one
unit per line; the first column of a CSV)."""

from __future__ import annotations

from pathlib import Path

from chiso.problems import ProblemReport, Refusal
from chiso.vietnamese import nfc


def unit_names(spec: str) -> tuple[str, ...]:
    from chiso.units.provinces import MERGED_34, PROVINCES_63

    if spec == "provinces-63":
        return PROVINCES_63
    if spec == "provinces-34":
        return tuple(MERGED_34)
    path = Path(spec)
    if path.is_file():
        names: list[str] = []
        for line in path.read_text(encoding="utf-8-sig").splitlines():
            name = nfc(line.split(",")[0].strip().strip('"'))
            if name and name.casefold() not in ("unit", "đơn vị") and name not in names:
                names.append(name)
        if names:
            return tuple(names)
    report = ProblemReport()
    report.add("record.unknown_units_spec", spec, value=spec)
    raise Refusal(report)
